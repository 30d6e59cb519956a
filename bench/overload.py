"""Benchmark: bursts of requests against real uvicorn processes on PostgreSQL.

What it measures, on a database of its own (canvas_bench_overload, dropped and recreated):

1. Page burst: BENCH_BURST (default 250) GETs of a furnished canvas page (the demo canvas: 39
   notes, segments with profiles) by a logged-in member, all released at once, with 1 and with 2
   processes. First with the connection pool (DATABASE_POOL_SIZE default 20), then, as the
   baseline of the old behaviour, the same burst with DATABASE_POOL_SIZE=0.
2. PDF burst: BENCH_PDFS (default 8) A3 packs at once on one process, with the default render
   slots and queue: a copy of the demo canvas with its segments twice over (6, each with a
   profile), the poster and a page per segment, a second or more each.

How to read it: each case is one row of a Markdown table (paste it into the README as it is):
answers by status; the time of one request alone, measured just before (the reference);
p50/p95/max latency from sending to the whole answer; the 500s; the 503s that came without
Retry-After; requests with no answer within BENCH_TIMEOUT seconds (a hang); 503s the server
log attributes to PostgreSQL's "too many clients"; and the peak number of connections
PostgreSQL held for the benchmark's database during the burst. Then the time to the last
successful PDF. 503 with Retry-After is the designed answer to overload; a 500 never is. The
last line says whether each case reached "0 x 500" (and every 503 with Retry-After, every
request answered); the baseline is shown beside it, not judged. The exit code stays 0: it is
a benchmark, not a test. The server logs stay in a temporary directory, printed at the start.

    .venv/bin/python bench/overload.py        # also part of `make bench`

PostgreSQL: BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres. The
baseline opens connections up to PostgreSQL's max_connections for a few seconds: whatever else
uses that server then (a test run) may be refused too. The client runs on the same machine as
the servers, so on a small machine it competes with them for CPU; figures vary between runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from live import manage, start_server  # bench/ is on the path when a benchmark runs

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "canvas_bench_overload"
BURST = int(os.environ.get("BENCH_BURST", "250"))
PDFS = int(os.environ.get("BENCH_PDFS", "8"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "120"))

SEED = """
from django.contrib.auth import get_user_model
from django.test import Client
from canvases.demo import load_demo
from canvases.exports.canvas_file import duplicate_canvas
from canvases.models import Membership, Note, Role
from segments.demo import add_demo_profiles, add_demo_segments
canvas = load_demo().canvas
member = get_user_model().objects.create_user(username="bench", password="bench-pass-1")
Membership.objects.create(team=canvas.team, user=member, role=Role.EDITOR)
# The pack: a copy of the demo canvas with its segments twice over, each with a profile.
pack = duplicate_canvas(canvas=canvas, actor=member, title="Pack")
add_demo_segments(pack, member)
add_demo_profiles(pack, member)
profiled = pack.segments.filter(profile_entries__isnull=False).distinct().order_by("pk")
client = Client()
client.force_login(member)
notes = Note.objects.filter(block__canvas=canvas).count()
segments = ",".join(str(s.pk) for s in profiled)
print(canvas.pk, notes, pack.pk, segments, client.cookies["sessionid"].value)
"""


@dataclass(frozen=True)
class Seeded:
    canvas: int  # the demo canvas, for the page
    notes: int
    pack: int  # its copy with more segments, for the PDF pack
    segments: list[int]  # the copy's segments, each with a profile
    session: str


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer within TIMEOUT, or the connection failed
    seconds: float  # from sending (when the burst is released) to the whole answer
    retry_after: bool
    error: str = ""


# Database and servers


def create_database() -> str:
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return PG_URL.rsplit("/", 1)[0] + f"/{DATABASE}"


def seed(database_url: str) -> Seeded:
    manage(database_url, "migrate", "--noinput")
    canvas, notes, pack, segments, session = manage(database_url, "shell", "-c", SEED).split()[-5:]
    return Seeded(
        int(canvas), int(notes), int(pack), [int(s) for s in segments.split(",")], session
    )


@contextlib.contextmanager
def servers(database_url: str, count: int, env: dict[str, str], log: Path):
    started = []
    try:
        with log.open("a") as output:
            for _ in range(count):
                started.append(start_server(database_url, env, output))
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


class ConnectionPeak:
    """Samples how many connections PostgreSQL holds for the benchmark's database."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ConnectionPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        with psycopg.connect(PG_URL, autocommit=True) as spy:
            while not self._stop.wait(0.05):
                self.peak = max(self.peak, spy.execute(query, [DATABASE]).fetchone()[0])


# The burst


async def timed_get(client: httpx.AsyncClient, url: str) -> Answer:
    started = time.perf_counter()
    try:
        response = await client.get(url)
    except httpx.HTTPError as error:
        return Answer(None, time.perf_counter() - started, False, type(error).__name__)
    return Answer(
        response.status_code, time.perf_counter() - started, "Retry-After" in response.headers
    )


async def after(gate: asyncio.Event, client: httpx.AsyncClient, url: str) -> Answer:
    await gate.wait()
    return await timed_get(client, url)


async def burst(urls: list[str], session: str, count: int) -> tuple[float, list[Answer]]:
    """A warm-up request per process (imports, templates), one more alone (the reference
    time), then `count` GETs spread over `urls`, all waiting on one gate."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(
        cookies={"sessionid": session}, timeout=TIMEOUT, limits=limits
    ) as client:
        for url in urls:
            await client.get(url)
        alone = await timed_get(client, urls[0])
        gate = asyncio.Event()  # not set: every task waits on it
        tasks = [
            asyncio.create_task(after(gate, client, urls[i % len(urls)])) for i in range(count)
        ]
        await asyncio.sleep(0.2)  # every task is now waiting on the gate
        gate.set()
        return alone.seconds, await asyncio.gather(*tasks)


@dataclass(frozen=True)
class Case:
    name: str
    processes: int
    env: dict[str, str]
    path: str
    count: int
    judged: bool = True  # False for the baseline: shown, not held to "0 x 500"


def run_case(case: Case, database_url: str, session: str, logs: Path) -> Row:
    log = logs / f"{re.sub(r'[^a-z0-9]+', '-', case.name.lower()).strip('-')}.log"
    with servers(database_url, case.processes, case.env, log) as bases, ConnectionPeak() as peak:
        urls = [base + case.path for base in bases]
        alone, answers = asyncio.run(burst(urls, session, case.count))
    return Row(case.name, answers, peak.peak, ServerLog.read(log), alone, case.judged)


# Figures


@dataclass(frozen=True)
class ServerLog:
    """What the servers logged: 503s caused by "too many clients", and real errors."""

    path: Path
    too_many_clients: int
    errors: int  # "Internal Server Error" records and uvicorn's "Exception in ASGI application"

    @classmethod
    def read(cls, path: Path) -> ServerLog:
        starts = "Service Unavailable: |Internal Server Error: |Exception in ASGI application"
        records = re.split(f"(?m)^(?={starts})", path.read_text(errors="replace"))
        return cls(
            path,
            sum("too many clients" in record for record in records[1:]),
            sum(not record.startswith("Service Unavailable") for record in records[1:]),
        )


@dataclass(frozen=True)
class Row:
    case: str
    answers: list[Answer]
    peak_connections: int
    log: ServerLog
    alone: float  # seconds, one request with nothing else going on
    judged: bool = True

    def count(self, status: int | None) -> int:
        return sum(answer.status == status for answer in self.answers)

    @property
    def missing_retry_after(self) -> int:
        return sum(a.status == 503 and not a.retry_after for a in self.answers)

    @property
    def passed(self) -> bool:
        return self.count(500) == 0 and self.missing_retry_after == 0 and self.count(None) == 0

    def by_status(self) -> str:
        counts = Counter("no answer" if a.status is None else str(a.status) for a in self.answers)
        return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))

    def last_success(self) -> float:
        return max((a.seconds for a in self.answers if a.status == 200), default=float("nan"))


COLUMNS = [
    "case", "answers", "alone ms", "p50 ms", "p95 ms", "max ms", "500s",
    "503 without Retry-After", "no answer", "too many clients (server log)", "peak db connections",
]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))] if ordered else float("nan")


def table_row(row: Row) -> list[str]:
    ms = [answer.seconds * 1000 for answer in row.answers if answer.status is not None]
    figures = [row.alone * 1000, *(percentile(ms, share) for share in (0.5, 0.95, 1.0))]
    counts = [row.count(500), row.missing_retry_after, row.count(None), row.log.too_many_clients]
    return [row.case, row.by_status(), *(f"{ms:.0f}" for ms in figures), *map(str, counts),
            str(row.peak_connections)]  # fmt: skip


def print_table(title: str, rows: list[Row]) -> None:
    """A Markdown table: it pastes into the README as it is."""
    print(f"\n{title}\n")
    for cells in [COLUMNS, ["---"] * len(COLUMNS), *map(table_row, rows)]:
        print("| " + " | ".join(cells) + " |")


def print_oddities(rows: list[Row]) -> None:
    for row in rows:
        errors = Counter(answer.error for answer in row.answers if answer.error)
        if errors:
            print(f"{row.case}: client errors {dict(errors)} (see {row.log.path})")
        if row.log.errors:
            print(f"{row.case}: {row.log.errors} server errors logged (see {row.log.path})")


def verdict(rows: list[Row]) -> str:
    judged = "; ".join(f"{r.case} {'PASS' if r.passed else 'FAIL'}" for r in rows if r.judged)
    baseline = "; ".join(
        f"{r.case} {r.count(500)} x 500, {r.log.too_many_clients} x too many clients"
        for r in rows
        if not r.judged
    )
    return f"must reach: 0 x 500: {judged} (baseline, not judged: {baseline})"


# The cases


def page_cases(seeded: Seeded) -> list[Case]:
    path = f"/canvases/{seeded.canvas}/"
    return [
        Case(f"{label}, {n} process{'es' if n > 1 else ''}", n, {"DATABASE_POOL_SIZE": size},
             path, BURST, judged=size != "0")
        for label, size in (("pool 20", "20"), ("no pool (baseline)", "0"))
        for n in (1, 2)
    ]  # fmt: skip


def pdf_case(seeded: Seeded) -> Case:
    chosen = "&".join(f"segments={pk}" for pk in seeded.segments)
    path = f"/canvases/{seeded.pack}/export/canvas.pdf?size=a3&{chosen}"
    return Case(f"{PDFS} A3 packs, 1 process", 1, {}, path, PDFS)


def main() -> None:
    database_url = create_database()
    seeded = seed(database_url)
    logs = Path(tempfile.mkdtemp(prefix="canvas-overload-"))
    print(
        f"Overload on PostgreSQL ({DATABASE}): the demo canvas ({seeded.notes} notes and "
        f"its segments); client timeout {TIMEOUT:.0f} s; server logs in {logs}"
    )
    pages = [run_case(case, database_url, seeded.session, logs) for case in page_cases(seeded)]
    print_table(f"{BURST} parallel GETs of the canvas page (pool timeout 3 s)", pages)
    pdfs = run_case(pdf_case(seeded), database_url, seeded.session, logs)
    print_table(
        f"{PDFS} parallel A3 packs: poster + {len(seeded.segments)} segments with profiles "
        "(2 renderers, queue 4, wait 20 s)",
        [pdfs],
    )
    print(
        f"\ntime to the last successful PDF: {pdfs.last_success():.1f} s "
        f"(one pack alone: {pdfs.alone:.1f} s)"
    )
    print_oddities([*pages, pdfs])
    print(verdict([*pages, pdfs]))


if __name__ == "__main__":
    main()
