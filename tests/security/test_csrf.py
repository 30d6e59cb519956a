"""No POST gets through without a CSRF token, on any URL, for a member or a guest: the answer
is Django's CSRF refusal (403) and the database is exactly as before.

Every URL pattern of the resolver is walked (tests/security/urls.py), with bodies that would
pass validation, so that a route that skipped the check would really write something.
tests/canvases/test_csrf.py lists a few writes by hand; this covers the rest.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from canvases.models import (
    Ballot,
    Block,
    Canvas,
    CanvasVersion,
    ChangeRecord,
    Guest,
    Invitation,
    Membership,
    Note,
    Team,
    Vote,
    Workshop,
)
from segments.models import (
    EmpathyEntry,
    ProfileEntry,
    Segment,
    SegmentCriterion,
    SegmentSnapshot,
    ValueMapItem,
)

from .urls import all_routes, post_body

pytestmark = pytest.mark.django_db

WATCHED = [
    get_user_model(), Team, Membership, Invitation, Canvas, Block, Note, ChangeRecord,
    CanvasVersion, Workshop, Guest, Ballot, Vote, Segment, SegmentCriterion, SegmentSnapshot,
    ProfileEntry, ValueMapItem, EmpathyEntry,
]  # fmt: skip
CSRF_REFUSAL = "CSRF verification failed"


def database_state() -> dict[str, list[tuple]]:
    """Every row of the models a write could touch: counts and contents both."""
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in WATCHED}


def changed_models(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.mark.parametrize("persona", ["owner", "guest"])
def test_no_post_without_a_csrf_token_gets_through(world, persona):
    client = world.client(persona, enforce_csrf_checks=True)
    wrong = []
    for route in all_routes():
        url = route.url(world)
        with transaction.atomic():  # a route that slipped through is undone for the next
            before = database_state()
            response = client.post(url, post_body(route.name, world))
            changed = changed_models(before, database_state())
            transaction.set_rollback(True)
        refused = response.status_code == 403 and CSRF_REFUSAL in response.content.decode()
        if not refused or changed:
            wrong.append(
                f"{route.name} {url} {persona} POST: expected the CSRF 403, "
                f"got {response.status_code}; changed: {changed or 'nothing'}"
            )
    assert not wrong, "\n".join(["", *wrong])


@pytest.mark.parametrize("persona", ["owner", "guest"])
def test_the_same_post_with_its_token_writes_and_is_seen(world, persona):
    """The check above is not blind: with the token, the write happens and shows as a change."""
    client = world.client(persona, enforce_csrf_checks=True)
    canvas_url = reverse("canvases:canvas-detail", args=[world.canvas.pk])
    assert client.get(canvas_url).status_code == 200  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    url = reverse("canvases:note-create", args=[world.canvas.pk, "channels"])
    before = database_state()
    response = client.post(url, {"text": "With a token", "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert "Note" in changed_models(before, database_state())
