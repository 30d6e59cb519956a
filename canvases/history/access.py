"""Lookups of a canvas's named versions (the canvas comes through canvases.access)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from canvases.models import Canvas, CanvasVersion


def version_of(canvas: Canvas, version_id: int) -> CanvasVersion:
    version = get_object_or_404(canvas.versions, pk=version_id)
    version.canvas = canvas
    return version


def version_named_by(canvas: Canvas, key: str | None) -> CanvasVersion | None:
    """The version a comparison names by its id (a query value), if it is one of the canvas's."""
    if not key or not key.isdigit():
        return None
    return CanvasVersion.objects.filter(canvas=canvas, pk=key).first()
