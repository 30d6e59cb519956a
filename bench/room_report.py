"""The figures of bench/room.py: one row per case and mode, a Markdown table, PASS/FAIL."""

from __future__ import annotations

from dataclasses import dataclass

from room_pages import Tally


@dataclass(frozen=True)
class Change:
    """One write: the revision it made, when its POST was sent, the blocks it changed, and
    the tab it was sent from (that page does not count: it has the change already)."""

    revision: int
    sent: float
    blocks: frozenset[str]
    tab: str


@dataclass(frozen=True)
class Costs:
    server_cpu: float  # seconds, all uvicorn processes, from the first write to the drain's end
    idle: float  # the room's CPU with nobody writing (beats, heartbeats), a share of one core
    wall: float  # seconds, from the first write to the drain's end
    fetch_cpu: float  # seconds, one page's one-block fetch on the fresh canvas
    fetch_ms: float  # its wall time, alone
    client: float  # the client's CPU over the wall time (1.0: one core busy)
    opened: float  # seconds to open the room (every page connected, then quiet)


@dataclass(frozen=True)
class Row:
    mode: str
    changes: list[Change]
    latencies: list[float]  # ms, one per (page, change) in hand
    missed: int  # (page, change) pairs never in hand
    stale_pages: int  # pages that missed at least one change
    tally: Tally
    costs: Costs

    @property
    def expected(self) -> int:
        return len(self.latencies) + self.missed  # every page but the writer's, every change

    @property
    def errors(self) -> int:
        return sum(self.tally.failed.values()) + self.missed

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[round(share * (len(ordered) - 1))] if ordered else float("nan")

    def passed(self, target_ms: float) -> bool:
        return bool(self.latencies) and self.percentile(0.95) < target_ms and not self.errors

    @property
    def cpu_per_change(self) -> float:
        """Server CPU seconds per change, beyond what the idle room costs in the meantime."""
        if not self.changes:
            return float("nan")
        costs = self.costs
        return (costs.server_cpu - costs.idle * costs.wall) / len(self.changes)

    def cells(self) -> list[str]:
        count = len(self.changes) or float("nan")
        ratio = self.cpu_per_change / self.costs.fetch_cpu if self.costs.fetch_cpu else float("nan")
        return [
            f"{self.mode} (LIVE_PUSH={'true' if self.mode == 'push' else 'false'})",
            str(len(self.changes)),
            f"{len(self.latencies)}/{self.expected}",
            *(f"{self.percentile(share):.0f}" for share in (0.5, 0.95, 1.0)),
            f"{self.tally.fetches / count:.1f}",
            f"{self.cpu_per_change:.3f}",
            f"{ratio:.0f}",
            f"{self.costs.idle:.0%}",
            f"{self.costs.client:.0%}",
            str(sum(self.tally.failed.values())),
            f"{self.missed} ({self.stale_pages} pages)",
            f"{self.tally.pushed}/{self.tally.fragments}",
        ]


COLUMNS = [
    "mode", "changes", "in hand", "p50 ms", "p95 ms", "max ms", "fetches/change",
    "server CPU s/change", "x one fetch", "idle room CPU", "client CPU", "failed requests",
    "missed (pages)", "pushed events/fragments",
]  # fmt: skip


def report(case, rows: list[Row]) -> None:
    costs = rows[0].costs
    print(
        f"\n{case.title}: one page's fetch {costs.fetch_cpu * 1000:.1f} ms server CPU, "
        f"{costs.fetch_ms:.1f} ms alone\n"
    )
    for cells in [COLUMNS, ["---"] * len(COLUMNS), *(row.cells() for row in rows)]:
        print("| " + " | ".join(cells) + " |")
    verdicts = [
        f"{row.mode} {'PASS' if row.passed(case.target_ms) else 'FAIL'}"
        f" (p95 {row.percentile(0.95):.0f} ms, {row.errors} errors)"
        for row in rows
    ]
    print(f"target p95 < {case.target_ms:.0f} ms and 0 errors: " + "; ".join(verdicts))
    for row in rows:
        notes(row)
    print(flush=True)


def notes(row: Row) -> None:
    """What explains a row: failures, opening the room, fetches of the whole board, lost ones."""
    tally, say = row.tally, lambda text: print(f"  {row.mode}: {text}")
    say(f"room opened in {row.costs.opened:.0f} s; writing and drain {row.costs.wall:.0f} s")
    if set(tally.events) - {"notesChanged", "fragment"}:
        say(f"events on all streams: {dict(tally.events)}")
    if tally.failed:
        say(f"failed: {dict(tally.failed)}")
    if tally.failed_opening:
        say(f"while opening the room (not counted): {dict(tally.failed_opening)}")
    if tally.retried:
        say(f"{tally.retried} GETs sent again: the server closed a kept-alive connection")
    if tally.gaps:
        say(f"{tally.gaps} times a page saw a revision skipped and fetched the whole board")
    if tally.resyncs:
        say(f"{tally.resyncs} resyncs: a stream fell 100 events behind, its page fetched all")
    if row.mode == "push" and not tally.pushed:
        say("no event said pushed (the server fetches only): both modes fetch")
