"""Lookups of workshops and guests: through a canvas the person may see (canvases.access), so
that another team's workshop answers 404, and a control by anyone but its facilitator 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from canvases.access import canvas_for
from canvases.models import Canvas, Guest, Workshop


def facilitated_workshop(user, workshop_id: int) -> tuple[Workshop, Canvas]:
    """A running workshop of the user's team that the user runs."""
    workshop = get_object_or_404(Workshop.objects.running(), pk=workshop_id)
    canvas = canvas_for(user, workshop.canvas_id)  # a member of the team, or 404
    if workshop.facilitator_id != user.pk:
        raise PermissionDenied("Only the facilitator runs the workshop.")
    return workshop, canvas


def voting_workshop(user, guest: Guest | None, workshop_id: int) -> tuple[Workshop, Canvas]:
    """A running workshop whose canvas the member or the guest (of this workshop) may see."""
    workshop = get_object_or_404(Workshop.objects.running(), pk=workshop_id)
    if guest is not None and guest.workshop_id != workshop.pk:
        raise Http404("No such workshop.")
    return workshop, canvas_for(user, workshop.canvas_id, guest=guest)


def summarised_workshop(user, workshop_id: int) -> tuple[Workshop, Canvas]:
    """Any workshop, running or ended, of the user's team (its summary is for members)."""
    workshop = get_object_or_404(
        Workshop.objects.select_related("canvas", "facilitator"), pk=workshop_id
    )
    return workshop, canvas_for(user, workshop.canvas_id)


def workshops_of(user, canvas_id: int) -> tuple[QuerySet[Workshop], Canvas]:
    """Every workshop run on a canvas of the user's team, newest first, with its guest count."""
    canvas = canvas_for(user, canvas_id)
    workshops = (
        canvas.workshops.select_related("facilitator")
        .annotate(guest_count=Count("guests"))
        .order_by("-started_at", "-pk")
    )
    return workshops, canvas


def workshop_by_link(token: str) -> Workshop | None:
    return Workshop.objects.select_related("canvas").filter(join_token=token).first()


def running_workshop_by_code(code: str) -> Workshop | None:
    return Workshop.objects.running().filter(join_code=code).first()


def guest_of(workshop: Workshop, guest_id: int | None) -> Guest | None:
    return workshop.guests.filter(pk=guest_id or 0).first()
