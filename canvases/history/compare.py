"""Comparing two states of a canvas block by block: notes added, removed, changed, moved."""

from __future__ import annotations

from dataclasses import dataclass, field

from canvases.models import POSTER_ORDER


@dataclass
class BlockDiff:
    kind: str
    label: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    moved: list[tuple[dict, dict]] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved)


def _order(notes: list[dict], kind: str, common: set[int]) -> list[int]:
    in_block = sorted(
        (n for n in notes if n["block"] == kind), key=lambda n: (n["position"], n["id"])
    )
    return [n["id"] for n in in_block if n["id"] in common]


def compare_contents(old: dict, new: dict) -> list[BlockDiff]:
    """Block by block: notes added, removed, changed (text or colour) and moved."""
    old_notes = {n["id"]: n for n in old["notes"]}
    new_notes = {n["id"]: n for n in new["notes"]}
    common = old_notes.keys() & new_notes.keys()
    diffs = []
    for kind in POSTER_ORDER:
        diff = BlockDiff(kind.value, kind.label)
        diff.added = [n for i, n in new_notes.items() if i not in old_notes and n["block"] == kind]
        diff.removed = [
            n for i, n in old_notes.items() if i not in new_notes and n["block"] == kind
        ]
        stayed = {i for i in common if old_notes[i]["block"] == kind == new_notes[i]["block"]}
        old_rank = {i: r for r, i in enumerate(_order(old["notes"], kind, stayed))}
        new_rank = {i: r for r, i in enumerate(_order(new["notes"], kind, stayed))}
        for i in sorted(common):
            before, after = old_notes[i], new_notes[i]
            if after["block"] != kind:
                continue
            if (before["text"], before["colour"]) != (after["text"], after["colour"]):
                diff.changed.append((before, after))
            if before["block"] != kind or old_rank.get(i) != new_rank.get(i):
                diff.moved.append((before, after))
        diffs.append(diff)
    return diffs
