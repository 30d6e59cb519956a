"""Benchmark: what people see. From a write to the changed fragment in hand on every open page.

bench/live.py times an event reaching a stream; a person sees the change only once the page
has the fragment. Here N pages follow one canvas as static/js/live.js does (bench/room_pages.py):
one event stream each (`/canvases/<id>/events/?tab=<tab>`); on `notesChanged` with blocks the
page waits 30 ms to gather, then GETs `/canvases/<id>/board/?blocks=...` (other events: the
whole board); one refresh in flight per page, what is asked for meanwhile gathered into the
next; a page ignores its own tab's events and a timer's (`"notes": false`); a page that is behind
(a revision skipped, a resync, a reconnect) fetches the whole board. With server push, an
event says `"pushed": true` and the stream sends the fragment next (`event: fragment`): the
page fetches nothing. Once the room is open, pages also fetch the presence bar on presence
events (at most once a second, as live.js) and send a presence beat every 20 s
(BENCH_PRESENCE=false: neither); the flood of presence events while hundreds of pages join is
not followed (it is over before measuring).

Meanwhile writers change the canvas through the app's POST URLs (htmx requests, answers carry
X-Canvas-Revision): a member edits the nine notes in turn (one per block) at a fixed rate, or
the guests of a workshop, joined through its link, each add a note every 3 s (random offsets).
Cases (BENCH_CASES, comma-separated, default all): pages50, pages50x10 (50 pages, 1 and 10
edits/s, SQLite, 1 process), workshop (60 guests, SQLite, 1 process), viewers200 (PostgreSQL,
2 processes), viewers1000 (PostgreSQL, 4 processes, DATABASE_POOL_SIZE=BENCH_POOL_SIZE, 15).
Each case runs with LIVE_PUSH=true and with LIVE_PUSH=false (the fetching baseline), on a fresh
canvas, in the same run (BENCH_MODES=push,fetch).

How to read a row: `in hand`: page x change pairs that got the change (the writer's own page
is not counted); p50/p95/max ms from sending the POST to the fragment in hand (a fetched board
answer at that revision or later that covers the block, or the pushed fragment); fetches per
change (board GETs by all pages); server CPU seconds per change (utime+stime of the uvicorn
processes over the run, from /proc) and the same divided by one page's fetch (K sequential
board GETs of one block, measured first on the same server): "50" means the change cost as much
as 50 pages fetching once; client CPU as a share of one core; errors: failed requests by kind,
and missed pairs (a page that never got a change: never fetched nor pushed within the drain).
Targets: p95 under 250 ms (under 500 ms for 1,000 viewers) and 0 errors; PASS/FAIL is printed,
the exit code stays 0.

The client is ONE Python process (httpx, asyncio) on the same two cores as the servers: with
hundreds of pages it competes with them, and a client near 100 % of a core inflates latency.

    .venv/bin/python bench/room.py        # also part of `make bench`
    BENCH_CASES=pages50 BENCH_SECONDS=5 .venv/bin/python bench/room.py

Settings: BENCH_SECONDS (10, writing time per viewer case), BENCH_WORKSHOP_SECONDS (15),
BENCH_DRAIN_SECONDS (10, longest wait for pages to catch up), BENCH_PROBE_FETCHES (40),
BENCH_TIMEOUT (30 s per request), BENCH_PRESENCE (true), BENCH_POSTGRES_URL (database
canvas_bench_room is dropped and recreated; SQLite in a temporary directory under /tmp),
BENCH_POOL_SIZE (15, 4-process case), BENCH_LIVE_BUS (postgres; redis uses BENCH_REDIS_URL,
default redis://127.0.0.1:6379/0). Cases, database and servers: bench/room_setup.py.
"""

from __future__ import annotations

import asyncio
import os
import random
import ssl
import tempfile
import time
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import httpx
from room_pages import HTMX, InHand, Page, Tally  # bench/ is on the path when a benchmark runs
from room_report import Change, Costs, Row, report
from room_setup import CASES, Case, cpu_seconds, load, postgres_database, seed, servers

CSRF = "r" * 32
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WORKSHOP_SECONDS = float(os.environ.get("BENCH_WORKSHOP_SECONDS", "15"))
DRAIN_SECONDS = float(os.environ.get("BENCH_DRAIN_SECONDS", "10"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "3"))
PROBE_FETCHES = int(os.environ.get("BENCH_PROBE_FETCHES", "40"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "30"))
PRESENCE = os.environ.get("BENCH_PRESENCE", "true") == "true"
MODES = os.environ.get("BENCH_MODES", "push,fetch").split(",")
GUEST_PERIOD = 3.0
TLS = ssl.create_default_context()  # made once: every page is a client of its own


@dataclass(frozen=True)
class Room:
    """Where one run happens: its database, its own fresh canvas, the seeded sessions."""

    database_url: str
    canvas: dict
    seeded: dict


def browser(server: str, cookies: dict[str, str]) -> httpx.AsyncClient:
    """One person's browser: its cookies, six connections of its own (as browsers have)."""
    return httpx.AsyncClient(
        base_url=server, cookies={**cookies, "csrftoken": CSRF}, headers={"X-CSRFToken": CSRF},
        timeout=TIMEOUT, verify=TLS, limits=httpx.Limits(max_connections=6),
    )  # fmt: skip


# One run: a room of pages, writers, and what it cost


async def probe(server: str, session: str, canvas: int, pid: int) -> tuple[float, float]:
    """CPU seconds and wall milliseconds of one page's fetch: K sequential one-block GETs."""
    async with browser(server, {"sessionid": session}) as client:
        url = f"/canvases/{canvas}/board/?blocks=channels"
        for _ in range(3):  # warm up: imports, templates, connections
            await client.get(url, headers=HTMX)
        before, started = cpu_seconds([pid]), time.perf_counter()
        for _ in range(PROBE_FETCHES):
            (await client.get(url, headers=HTMX)).raise_for_status()
        wall = (time.perf_counter() - started) * 1000 / PROBE_FETCHES
        return (cpu_seconds([pid]) - before) / PROBE_FETCHES, wall


async def join_guests(server: str, token: str, count: int) -> list[httpx.AsyncClient]:
    guests = [browser(server, {}) for _ in range(count)]
    for index, guest in enumerate(guests):
        answer = await guest.post(f"/w/{token}/", data={"display_name": f"Guest {index}"})
        if answer.status_code != 302:
            raise RuntimeError(f"a guest could not join: {answer.status_code}")
    return guests


async def open_room(pages: list[Page], tally: Tally) -> None:
    """Every page connected and said hello, then quiet: the joins' presence flood is over."""
    for page in pages:
        page.spawn(page.follow())
    deadline = time.perf_counter() + 300
    while tally.hellos < len(pages):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"only {tally.hellos} of {len(pages)} pages connected")
        await asyncio.sleep(0.1)
    await quiet(pages, tally, 60)


async def quiet(pages: list[Page], tally: Tally, longest: float) -> None:
    """Until no page has a fetch going and no message came for a second, or `longest` s."""
    deadline = time.perf_counter() + longest
    await asyncio.sleep(0.5)
    while time.perf_counter() < deadline:
        silent = time.perf_counter() - tally.last_message > 1.0
        if silent and all(page.idle for page in pages):
            return
        await asyncio.sleep(0.2)


async def write(client, url: str, data: dict, tab: str, blocks, tally: Tally) -> Change | None:
    """One write as a page sends it; the change it made, or None (counted as failed)."""
    sent = time.perf_counter()
    try:
        answer = await client.post(url, data=data, headers={**HTMX, "X-Canvas-Tab": tab})
    except httpx.HTTPError as error:
        tally.fail(f"write: {type(error).__name__}")
        return None
    if answer.status_code != 200 or "X-Canvas-Revision" not in answer.headers:
        tally.fail(f"write answered {answer.status_code}")
        return None
    return Change(int(answer.headers["X-Canvas-Revision"]), sent, frozenset(blocks), tab)


async def edit_notes(client, canvas: dict, rate: float, tally: Tally) -> list[Change]:
    """A member edits the nine notes in turn, `rate` edits a second (one note at a time)."""
    notes, changes, start = canvas["notes"], [], time.perf_counter()
    versions = {pk: 1 for _kind, pk in notes}
    locks = {pk: asyncio.Lock() for _kind, pk in notes}

    async def edit(index: int) -> None:
        await asyncio.sleep(max(0.0, start + index / rate - time.perf_counter()))
        kind, pk = notes[index % len(notes)]
        async with locks[pk]:
            url = f"/canvases/{canvas['id']}/notes/{pk}/edit/"
            data = {"text": f"edit {index}", "version": versions[pk]}
            change = await write(client, url, data, "writer", {kind}, tally)
            if change:
                versions[pk] += 1
                changes.append(change)

    await asyncio.gather(*(edit(i) for i in range(round(rate * SECONDS))))
    return changes


async def guests_add(guests: list[tuple], canvas: int, tally: Tally) -> list[Change]:
    """Each guest adds a note every 3 s, from a random moment in the first 3 s."""
    changes, start = [], time.perf_counter()
    url = f"/canvases/{canvas}/blocks/channels/notes/"

    async def guest(client, tab: str, index: int) -> None:
        moment = start + random.uniform(0, GUEST_PERIOD)
        while moment < start + WORKSHOP_SECONDS:
            await asyncio.sleep(max(0.0, moment - time.perf_counter()))
            data = {"text": f"Idea from guest {index}"}
            if change := await write(client, url, data, tab, {"channels"}, tally):
                changes.append(change)
            moment += GUEST_PERIOD

    await asyncio.gather(*(guest(c, tab, i) for i, (c, tab) in enumerate(guests)))
    return changes


async def run_room(case: Case, mode: str, room: Room, urls: list[str], pids: list[int]) -> Row:
    canvas, seeded = room.canvas, room.seeded
    fetch_cpu, fetch_ms = await probe(urls[0], seeded["viewer"], canvas["id"], pids[0])
    tally = Tally()
    if case.rate:
        clients = [browser(urls[i % len(urls)], {"sessionid": seeded["viewer"]})
                   for i in range(case.pages)]  # fmt: skip
        tabs = [f"p{i}" for i in range(case.pages)]
        writer = browser(urls[0], {"sessionid": seeded["writer"]})
    else:
        clients = await join_guests(urls[0], canvas["token"], case.pages)
        tabs, writer = [f"g{i}" for i in range(case.pages)], None
    browsers = list(zip(clients, tabs, strict=True))
    pages = [Page(client, canvas["id"], tab, tally) for client, tab in browsers]
    try:
        opened = time.perf_counter()
        await open_room(pages, tally)
        opened = time.perf_counter() - opened
        idle = await idle_room(pages, pids)
        tally.measuring = True
        cpu, client_cpu, started = cpu_seconds(pids), time.process_time(), time.perf_counter()
        if writer:
            changes = await edit_notes(writer, canvas, case.rate, tally)
        else:
            changes = await guests_add(browsers, canvas["id"], tally)
        await quiet(pages, tally, DRAIN_SECONDS)
        tally.measuring = False
        wall = time.perf_counter() - started
        cpu, client_cpu = cpu_seconds(pids) - cpu, time.process_time() - client_cpu
    finally:
        await asyncio.gather(*(page.close() for page in pages))
        await asyncio.gather(*(c.aclose() for c in [*clients, *([writer] if writer else [])]))
    costs = Costs(cpu, idle, wall, fetch_cpu, fetch_ms, client_cpu / wall, opened)
    return Row(mode, changes, *deliveries(pages, changes), tally, costs)


async def idle_room(pages: list[Page], pids: list[int]) -> float:
    """The room's CPU (a share of one core) with nobody writing: presence beats, heartbeats."""
    for page in pages if PRESENCE else ():
        page.start_beating()
    await asyncio.sleep(0.5)
    before, started = cpu_seconds(pids), time.perf_counter()
    await asyncio.sleep(IDLE_SECONDS)
    return (cpu_seconds(pids) - before) / (time.perf_counter() - started)


def deliveries(pages: list[Page], changes: list[Change]) -> tuple[list[float], int, int]:
    """Milliseconds from each write to its fragment in hand on each other page; missed pairs;
    pages that missed at least one change."""
    latencies, missed, stale = [], 0, 0
    for page in pages:
        moments = [hand.at for hand in page.seen]
        lost = 0
        for change in changes:
            if change.tab == page.tab:
                continue
            hand = first_covering(page.seen, bisect_left(moments, change.sent), change)
            if hand is None:
                lost += 1
            else:
                latencies.append((hand.at - change.sent) * 1000)
        missed, stale = missed + lost, stale + (lost > 0)
    return latencies, missed, stale


def first_covering(seen: list[InHand], start: int, change: Change) -> InHand | None:
    for hand in seen[start:]:
        covered = hand.blocks is None or change.blocks <= hand.blocks
        if covered and hand.revision >= change.revision:
            return hand
    return None


def run_case(case: Case, mode: str, room: Room, log: Path) -> Row:
    with servers(case, mode, room.database_url, log) as started:
        pids, urls = [pid for pid, _ in started], [url for _, url in started]
        return asyncio.run(run_room(case, mode, room, urls, pids))


def attempt(case: Case, mode: str, room: Room, log: Path) -> Row | None:
    """One run; if it cannot be measured at all (the app failing under it), say so, go on."""
    try:
        return run_case(case, mode, room, log)
    except Exception as error:
        print(f"\n{case.title}, {mode}: could not run: {error!r}", flush=True)
        return None


def rooms(names: list[str], scratch: Path) -> dict[tuple[str, str], Room]:
    """A fresh canvas for every case and mode (with a workshop for the workshop case), on
    SQLite in `scratch` or on PostgreSQL, seeded before any server starts."""
    found: dict[tuple[str, str], Room] = {}
    for postgres in sorted({CASES[name].postgres for name in names}):
        url = postgres_database() if postgres else f"sqlite:///{scratch}/room.sqlite3"
        here = [name for name in names if CASES[name].postgres == postgres]
        runs = [(name, mode) for name in here for mode in MODES]
        seeded = seed(url, [not CASES[name].rate for name, _ in runs])
        for run, canvas in zip(runs, seeded["canvases"], strict=True):
            found[run] = Room(url, canvas, seeded)
    return found


def main() -> None:
    chosen = os.environ.get("BENCH_CASES", ",".join(CASES)).split(",")
    names = [name.strip() for name in chosen if name.strip()]
    scratch = Path(tempfile.mkdtemp(prefix="canvas-bench-room-", dir="/tmp"))
    log = scratch / "servers.log"
    log.touch()
    print(f"Room benchmark: modes {', '.join(MODES)}; server log {log}; {load()}", flush=True)
    planned = rooms(names, scratch)
    for name in names:
        case = CASES[name]
        rows = [row for mode in MODES if (row := attempt(case, mode, planned[name, mode], log))]
        if rows:
            report(case, rows)
    text = log.read_text(errors="replace")
    errors = text.count("Internal Server Error: ") + text.count("Exception in ASGI application")
    busy = text.count("Service Unavailable: ")
    print(f"\nserver log: {errors} x 500 or unhandled, {busy} x 503 busy ({log}); {load()}")


if __name__ == "__main__":
    main()
