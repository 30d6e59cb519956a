"""Every URL pattern of the resolver, filled in from the security tests' world.

New URL patterns are walked automatically; a pattern with an argument nobody knows how to fill
fails loudly here, so that a new route cannot slip past the security tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode

from canvases.teams import verification

SKIPPED_NAMESPACES = {"admin"}  # Django's own admin: staff only, covered by Django


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    arguments: tuple[str, ...]

    def url(self, world, **overrides) -> str:
        kwargs = {argument: fill(self.name, argument, world) for argument in self.arguments}
        kwargs.update(overrides)
        return reverse(self.name, kwargs=kwargs)


def _walk(patterns, namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(namespace + entry.name, tuple(entry.pattern.converters))


def all_routes() -> list[Route]:
    routes = {route.name: route for route in _walk(get_resolver().url_patterns)}
    return sorted(routes.values(), key=lambda route: route.name)


def fill(name: str, argument: str, world) -> object:
    """The value of a URL argument: the world's object of that kind."""
    segment, owner = world.segment, world.users["owner"]
    values = {
        "team_id": world.team.pk,
        # Restoring needs something in the trash; everything else works on the live ones.
        "canvas_id": (
            world.trashed_canvas.pk if name == "canvases:canvas-restore" else world.canvas.pk
        ),
        "note_id": (
            world.trashed_note.pk if name == "canvases:note-restore" else world.visible_note.pk
        ),
        "segment_id": segment.pk,
        "workshop_id": world.workshop.pk,
        "version_id": world.canvas.versions.first().pk,
        "membership_id": world.viewer_membership.pk,
        "invitation_id": world.invitation.pk,
        "link_id": world.share_link.pk,
        "criterion_id": lambda: segment.criteria.first().pk,
        "snapshot_id": lambda: segment.snapshots.first().pk,
        "entry_id": lambda: (
            segment.empathy_entries.first().pk
            if name.startswith("segments:empathy")
            else segment.profile_entries.first().pk
        ),
        "item_id": lambda: segment.value_map_items.first().pk,
        "block_kind": "channels",
        "target_kind": "note",
        "target_id": world.visible_note.pk,
        "comment_id": world.visible_comment.pk,
        # The world's comment mentions @eddie: the editor's mention.
        "mention_id": lambda: world.visible_comment.mentions.get().pk,
        "list_kind": "pain",
        "item_kind": "reliever",
        "quadrant": "sees",
        "action": "timer-add",
        "direction": "up",
        "token": lambda: {
            "canvases:invitation-accept": world.invitation.token,
            "canvases:share-open": world.share_token,
            "canvases:email-verify": verification.make_token(owner),
            "password_reset_confirm": default_token_generator.make_token(owner),
        }.get(name, world.workshop.join_token),
        "uidb64": urlsafe_base64_encode(str(owner.pk).encode()),
    }
    if argument not in values:
        raise AssertionError(
            f"{name} takes <{argument}>, which tests/security/urls.py cannot fill yet: "
            "add it, so that the security tests cover the new route."
        )
    value = values[argument]
    return value() if callable(value) else value


def post_body(name: str, world) -> dict:
    """A POST body that passes the route's validation, so that a write goes all the way."""
    segment = world.segment
    economics = {
        "period": "month",
        "size": "1200",
        "revenue_per_customer": "49.90",
        "gross_margin_percent": "40",
        "churn_percent": "4.5",
    }
    bodies = {
        "canvases:account-email": lambda: {"email": "probe@example.org"},
        "canvases:canvas-create": lambda: {"title": "Probe canvas"},
        "canvases:canvas-edit": lambda: {"title": "Renamed", "description": "Probe"},
        "canvases:canvas-import": lambda: {"team": str(world.team.pk)},  # no file: 422
        "canvases:member-role": lambda: {"role": "editor"},
        "canvases:invitation-create": lambda: {"role": "viewer", "single_use": "on"},
        "canvases:share-create": lambda: {"label": "Probe link", "show_member_names": "on"},
        "canvases:note-colour": lambda: {"colour": "pink"},
        "canvases:note-create": lambda: {"text": "New note"},
        "canvases:comment-create": lambda: {"text": "A remark"},
        "canvases:comment-edit": lambda: {"text": "A better remark"},
        "canvases:note-edit": lambda: {"text": "Changed", "version": world.visible_note.version},
        "canvases:note-move": lambda: {"step": "down"},
        "canvases:presence-beat": lambda: {"tab": "probe-tab"},
        "canvases:team-create": lambda: {"name": "Probe team"},
        "canvases:version-create": lambda: {"name": "Probe version"},
        "canvases:version-restore": lambda: {"as": "copy"},
        "canvases:workshop-start": lambda: {"title": "Another workshop"},
        "canvases:workshop-control": lambda: {"action": "timer-add"},
        "canvases:workshop-join": lambda: {"display_name": "Probe"},
        "password_reset": lambda: {"email": world.users["owner"].email},
        "password_reset_confirm": lambda: {
            "new_password1": "n3w-pass-phrase",
            "new_password2": "n3w-pass-phrase",
        },
        "canvases:workshop-join-code": lambda: {
            "display_name": "Probe",
            "code": world.workshop.join_code,
        },
        "segments:criterion-create": lambda: {"base": "behavioural", "text": "Commuters"},
        "segments:empathy-create": lambda: {"text": "Rain"},
        "segments:empathy-promote": lambda: {"list": "pain"},
        "segments:entry-create": lambda: {"text": "Theft", "score": "3"},
        "segments:entry-edit": lambda: {"text": "Parking at home", "score": "5"},
        "segments:entry-move": lambda: {"step": "down"},
        "segments:item-create": lambda: {
            "text": "Lock included",
            "addresses": [segment.profile_entries.first().pk],
        },
        "segments:item-edit": lambda: {
            "text": "Folding frame, fits a hallway",
            "addresses": [segment.profile_entries.first().pk],
        },
        "segments:segment-create": lambda: {"name": "Students"},
        "segments:segment-edit": lambda: {
            "name": "Young families",
            "segment_type": segment.segment_type,
            "paying_side": segment.paying_side,
            "colour": segment.colour,
        },
        "segments:segment-economics": lambda: economics,
        "segments:segment-move": lambda: {"step": "down"},
        "segments:snapshot-edit": lambda: {
            "recorded_on": segment.snapshots.first().recorded_on.isoformat(),
            **economics,
        },
    }
    body = bodies.get(name)
    return body() if body else {}


def get_query(name: str, world) -> dict:
    """A query string that makes a read show what it is for rather than ask for more."""
    if name == "canvases:version-compare":
        return {"a": str(world.canvas.versions.order_by("pk").first().pk), "b": "current"}
    return {}
