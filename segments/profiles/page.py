"""The profile page's one assembler: a segment's customer profile, value map, fit and empathy
map in a fixed number of queries (also the pages of the PDF pack)."""

from __future__ import annotations

from dataclasses import dataclass, field

from canvas_site.live import new_tab
from canvases.models import Canvas
from segments.comments import ENTRY, attach_comment_counts
from segments.fit import RULE, THRESHOLD, fit_of
from segments.models import (
    ADDRESSES,
    SCORE_NAMES,
    EmpathyQuadrant,
    GainKind,
    JobKind,
    JobRole,
    ProfileList,
    Segment,
    ValueMapKind,
)

from .forms import EmpathyForm, ProfileEntryForm, ValueMapItemForm


@dataclass
class ProfileColumn:
    kind: str
    label: str
    score_name: str
    entries: list
    form: ProfileEntryForm | None = None


@dataclass
class ValueColumn:
    kind: str
    label: str
    addresses_label: str
    items: list
    choices: list
    form: ValueMapItemForm | None = None
    chosen: set = field(default_factory=set)


@dataclass
class EmpathyQuarter:
    quadrant: str
    label: str
    entries: list
    form: EmpathyForm | None = None


def profile_context(canvas: Canvas, segment: Segment, *, forms: dict | None = None) -> dict:
    """Everything on the profile page in a fixed number of queries."""
    forms = forms or {}
    entries = list(
        segment.profile_entries.select_related("from_empathy").order_by("position", "pk")
    )
    items = list(segment.value_map_items.prefetch_related("addresses").order_by("position", "pk"))
    empathy = list(segment.empathy_entries.prefetch_related("promoted_entries"))
    addressed_ids = {entry.pk for item in items for entry in item.addresses.all()}
    for entry in entries:
        entry.is_addressed = entry.pk in addressed_ids
    attach_comment_counts(canvas, ENTRY, entries)  # each entry's badge, one query
    for item in items:
        item.address_ids = {entry.pk for entry in item.addresses.all()}
    columns = [
        ProfileColumn(
            kind,
            label,
            SCORE_NAMES[ProfileList(kind)],
            [entry for entry in entries if entry.list == kind],
            forms.get(("entry", kind)),
        )
        for kind, label in ProfileList.choices
    ]
    value_columns = []
    for kind, label in ValueMapKind.choices:
        wanted = ADDRESSES[ValueMapKind(kind)]
        form = forms.get(("item", kind))
        value_columns.append(
            ValueColumn(
                kind,
                label,
                ProfileList(wanted).label.lower(),
                [item for item in items if item.kind == kind],
                [entry for entry in entries if entry.list == wanted],
                form,
                set(form.data.getlist("addresses")) if form is not None else set(),
            )
        )
    quarters = [
        EmpathyQuarter(
            quadrant,
            label,
            [entry for entry in empathy if entry.quadrant == quadrant],
            forms.get(("empathy", quadrant)),
        )
        for quadrant, label in EmpathyQuadrant.choices
    ]
    return {
        "canvas": canvas,
        "segment": segment,
        "can_edit": canvas.can_edit,
        "columns": columns,
        "value_columns": value_columns,
        "quarters": quarters,
        "fit": fit_of(entries, addressed_ids),
        "fit_rule": RULE,
        "threshold": THRESHOLD,
        "scores": [1, 2, 3, 4, 5],
        "job_kinds": JobKind.choices,
        "job_roles": JobRole.choices,
        "gain_kinds": GainKind.choices,
        "profile_lists": ProfileList.choices,
        "editing": forms.get("editing"),
        # Defaults for what partials test: a missing variable costs an exception per lookup.
        "tab": new_tab(),
        "editing_entry_id": None,
        "editing_item_id": None,
        "oob": False,
    }
