"""The fit rules on worked examples."""

from segments.fit import THRESHOLD, fit_of
from segments.models import ProfileEntry


def entry(pk, kind, score):
    return ProfileEntry(pk=pk, list=kind, score=score, text=f"{kind} {pk}")


def test_only_high_scores_count_and_addressed_ones_score():
    entries = [
        entry(1, "job", 5),  # important, addressed
        entry(2, "job", 3),  # not important enough to count
        entry(3, "pain", 4),  # severe, not addressed
        entry(4, "pain", 2),
        entry(5, "gain", 4),  # essential, addressed
        entry(6, "gain", 5),  # essential, not addressed
    ]
    fit = fit_of(entries, addressed_ids={1, 5, 4})
    assert (fit.counted, fit.addressed, fit.gaps) == (4, 2, 2)
    assert fit.score == 50
    assert [e.pk for e in fit.unaddressed["pain"]] == [3]
    assert [e.pk for e in fit.unaddressed["gain"]] == [6]
    assert fit.unaddressed["job"] == []


def test_nothing_rated_high_enough_has_no_score():
    fit = fit_of([entry(1, "job", THRESHOLD - 1)], addressed_ids=set())
    assert fit.score is None and fit.counted == 0


def test_everything_addressed_is_full_fit():
    fit = fit_of([entry(1, "pain", 5), entry(2, "gain", 4)], addressed_ids={1, 2})
    assert fit.score == 100 and fit.gaps == 0


def test_score_rounds_to_whole_percent():
    entries = [entry(i, "job", 5) for i in range(1, 4)]
    assert fit_of(entries, addressed_ids={1}).score == 33
    assert fit_of(entries, addressed_ids={1, 2}).score == 67
