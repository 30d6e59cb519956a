"""Fit: does the value map address the important jobs, the severe pains and the essential gains?"""

from __future__ import annotations

from dataclasses import dataclass

from .models import ProfileEntry, ProfileList

# An entry counts for fit from this score up (importance, severity, relevance: 1 to 5).
THRESHOLD = 4
RULE = (
    f"Fit counts the important jobs (importance {THRESHOLD} or 5), the severe pains "
    f"(severity {THRESHOLD} or 5) and the essential gains (relevance {THRESHOLD} or 5). "
    "A job is addressed when a product or service is linked to it, a pain when a pain "
    "reliever is, a gain when a gain creator is. The score is the share of them addressed."
)


@dataclass(frozen=True)
class Fit:
    unaddressed: dict[str, list[ProfileEntry]]
    counted: int
    addressed: int

    @property
    def score(self) -> int | None:
        """Percent addressed, or None when nothing is ranked high enough to count."""
        if not self.counted:
            return None
        return round(100 * self.addressed / self.counted)

    @property
    def gaps(self) -> int:
        return self.counted - self.addressed

    @property
    def unaddressed_lists(self) -> list[tuple[str, str, list[ProfileEntry]]]:
        labels = {
            ProfileList.JOB: "Important jobs no product or service addresses",
            ProfileList.PAIN: "Severe pains no pain reliever addresses",
            ProfileList.GAIN: "Essential gains no gain creator addresses",
        }
        return [(kind, labels[kind], self.unaddressed[kind]) for kind in ProfileList.values]


def fit_of(entries: list[ProfileEntry], addressed_ids: set[int]) -> Fit:
    """Fit of a profile, given the ids of entries some matching value-map item addresses."""
    unaddressed: dict[str, list[ProfileEntry]] = {kind: [] for kind in ProfileList.values}
    counted = addressed = 0
    for entry in entries:
        if entry.score < THRESHOLD:
            continue
        counted += 1
        if entry.pk in addressed_ids:
            addressed += 1
        else:
            unaddressed[entry.list].append(entry)
    return Fit(unaddressed=unaddressed, counted=counted, addressed=addressed)
