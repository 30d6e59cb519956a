"""Lookups of share links: through a canvas its owner manages (canvases.access.canvas_for)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from canvases.models import Canvas, ShareLink


def share_link_of(canvas: Canvas, link_id: int) -> ShareLink:
    link = get_object_or_404(canvas.share_links, pk=link_id)
    link.canvas = canvas
    return link
