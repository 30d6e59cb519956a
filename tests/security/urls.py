"""Every URL pattern of the resolver, filled in from the security tests' world.

New URL patterns are walked automatically; a pattern with an argument nobody knows how to fill
fails loudly here, so that a new route cannot slip past the security tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
    segment = world.segment
    values = {
        "team_id": world.team.pk,
        "canvas_id": world.canvas.pk,
        "note_id": world.visible_note.pk,
        "segment_id": segment.pk,
        "workshop_id": world.workshop.pk,
        "version_id": world.canvas.versions.first().pk,
        "membership_id": world.viewer_membership.pk,
        "invitation_id": world.invitation.pk,
        "criterion_id": lambda: segment.criteria.first().pk,
        "snapshot_id": lambda: segment.snapshots.first().pk,
        "entry_id": lambda: (
            segment.empathy_entries.first().pk
            if name.startswith("segments:empathy")
            else segment.profile_entries.first().pk
        ),
        "item_id": lambda: segment.value_map_items.first().pk,
        "block_kind": "channels",
        "list_kind": "pain",
        "item_kind": "reliever",
        "quadrant": "sees",
        "action": "timer-add",
        "direction": "up",
        "token": (
            world.invitation.token
            if name == "canvases:invitation-accept"
            else world.workshop.join_token
        ),
    }
    if argument not in values:
        raise AssertionError(
            f"{name} takes <{argument}>, which tests/security/urls.py cannot fill yet: "
            "add it, so that the security tests cover the new route."
        )
    value = values[argument]
    return value() if callable(value) else value
