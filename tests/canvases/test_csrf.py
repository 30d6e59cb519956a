"""Every change needs a CSRF token: a browser without one cannot write anything."""

import pytest
from django.urls import reverse

from canvases.models import Canvas, Membership, Note
from canvases.teams import services as team_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def write_urls(team, canvas, note, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    viewer_membership = Membership.objects.get(team=team, user__username="vera")
    note_args = [canvas.pk, note.pk]
    return {
        "note-create": (
            reverse("canvases:note-create", args=[canvas.pk, "channels"]),
            {"text": "x"},
        ),
        "note-edit": (reverse("canvases:note-edit", args=note_args), {"text": "x", "version": 1}),
        "note-move": (reverse("canvases:note-move", args=note_args), {"step": "down"}),
        "note-colour": (reverse("canvases:note-colour", args=note_args), {"colour": "pink"}),
        "note-delete": (reverse("canvases:note-delete", args=note_args), {}),
        "canvas-create": (reverse("canvases:canvas-create", args=[team.pk]), {"title": "x"}),
        "canvas-edit": (reverse("canvases:canvas-edit", args=[canvas.pk]), {"title": "x"}),
        "canvas-duplicate": (reverse("canvases:canvas-duplicate", args=[canvas.pk]), {}),
        "canvas-delete": (reverse("canvases:canvas-delete", args=[canvas.pk]), {}),
        "team-create": (reverse("canvases:team-create"), {"name": "x"}),
        "invitation-create": (reverse("canvases:invitation-create", args=[team.pk]), {}),
        "invitation-revoke": (
            reverse("canvases:invitation-revoke", args=[team.pk, invitation.pk]),
            {},
        ),
        "member-role": (
            reverse("canvases:member-role", args=[team.pk, viewer_membership.pk]),
            {"role": "editor"},
        ),
        "member-remove": (
            reverse("canvases:member-remove", args=[team.pk, viewer_membership.pk]),
            {},
        ),
    }


NAMES = [
    "note-create", "note-edit", "note-move", "note-colour", "note-delete", "canvas-create",
    "canvas-edit", "canvas-duplicate", "canvas-delete", "team-create", "invitation-create",
    "invitation-revoke", "member-role", "member-remove",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_writes_without_a_csrf_token_are_refused(client_as, write_urls, name):
    url, data = write_urls[name]
    before = (Note.objects.count(), Canvas.objects.count(), Membership.objects.count())
    response = client_as("owner", csrf=True).post(url, data)
    assert response.status_code == 403
    after = (Note.objects.count(), Canvas.objects.count(), Membership.objects.count())
    assert before == after
