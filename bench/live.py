"""Benchmark: live-update delivery to many open pages of one canvas, and a workshop.

N event-stream subscribers (default 50 and 200) follow one canvas while edits are made through
the app; prints delivery latency p50/p95/max (from sending the edit to each page receiving its
event) and sustained edits per second. Runs on SQLite with one uvicorn process, and, when
PostgreSQL is reachable (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres),
on PostgreSQL with two processes (pages on both, edits through the first).

    .venv/bin/python bench/live.py            # or: make bench-live

The workshop case: 1 facilitator and 60 guests, each adding a note every 3 seconds for a minute;
prints delivery latency and the error count.

Targets: p95 under 250 ms with 200 subscribers on a 2-core machine; in the workshop, p95 under
250 ms and no errors.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF = "b" * 32
EDITS = int(os.environ.get("BENCH_EDITS", "40"))
SUBSCRIBERS = [int(n) for n in os.environ.get("BENCH_SUBSCRIBERS", "50,200").split(",")]
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return done.stdout


SEED = """
from django.contrib.auth import get_user_model
from django.test import Client
from canvases import services
from canvases.teams import services as team_services  # noqa: E402
user = get_user_model().objects.create_user(username="bench", password="bench-pass-1")
team = team_services.create_team(name="Bench", owner=user)
canvas = services.create_canvas(team=team, title="Live bench", author=user)
note = services.add_note(block=canvas.blocks.get(kind="channels"), text="0", author=user)
client = Client()
client.force_login(user)
print(canvas.pk, note.pk, client.cookies["sessionid"].value)
"""


def seed(database_url: str) -> tuple[int, int, str]:
    manage(database_url, "migrate", "--noinput")
    canvas, note, session = manage(database_url, "shell", "-c", SEED).split()[-3:]
    return int(canvas), int(note), session


def start_server(
    database_url: str, env: dict[str, str] | None = None, output=None
) -> tuple[subprocess.Popen, str]:
    """One uvicorn process on the database (also bench/overload.py's), and its URL."""
    port = free_port()
    fixed = {"DATABASE_URL": database_url, "DEBUG": "false", "LOGIN_THROTTLE": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "canvas_site.asgi:application", "--port", str(port),
         "--lifespan", "off", "--no-access-log", "--log-level", "warning",
         "--timeout-graceful-shutdown", "2"],
        cwd=ROOT, env={**os.environ, **fixed, **(env or {})}, stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("uvicorn exited at start") from None
            time.sleep(0.05)
    raise RuntimeError("uvicorn did not start")


async def subscriber(client, url, received: dict, ready: asyncio.Event, counter: list) -> None:
    event = None
    data = {}
    async with client.stream("GET", url) as response:
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "hello":
                counter[0] += 1
                counter[2] = max(counter[2], json.loads(line[6:])["revision"])
                if counter[0] == counter[1]:
                    ready.set()
            elif line.startswith("data: ") and event == "notesChanged":
                data = json.loads(line[6:])
                received.setdefault(data["revision"], []).append(time.perf_counter())


async def run_case(servers: list[str], canvas: int, note: int, session: str, n: int) -> dict:
    cookies = {"sessionid": session, "csrftoken": CSRF}
    limits = httpx.Limits(max_connections=n + 20, max_keepalive_connections=n + 20)
    received: dict[int, list[float]] = {}
    ready, counter = asyncio.Event(), [0, n, 0]  # hellos, expected hellos, revision
    async with (
        httpx.AsyncClient(cookies=cookies, timeout=None, limits=limits) as streams,
        httpx.AsyncClient(cookies=cookies, timeout=30, headers={"X-CSRFToken": CSRF}) as writer,
    ):  # noqa: E501
        tasks = [
            asyncio.create_task(subscriber(
                streams, f"{servers[i % len(servers)]}/canvases/{canvas}/events/?tab=b{i}",
                received, ready, counter))
            for i in range(n)
        ]  # fmt: skip
        await asyncio.wait_for(ready.wait(), timeout=60)
        await asyncio.sleep(1.0)  # let the presence announcements of all those joins settle
        edit_url = f"{servers[0]}/canvases/{canvas}/notes/{note}/edit/"
        version, sent = await current_version(writer, servers[0], canvas, note), {}
        revision = counter[2]  # only this writer changes the canvas: one revision per edit
        # Latency: one edit at a time, ten a second.
        for i in range(EDITS):
            started = time.perf_counter()
            response = await writer.post(edit_url, data={"text": f"edit {i}", "version": version})
            assert response.status_code in (200, 303), response.status_code
            version, revision = version + 1, revision + 1
            sent[revision] = started
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)
        # Throughput: four writers as fast as they can for three seconds.
        done, deadline = 0, time.perf_counter() + 3

        async def burst(index: int) -> None:
            nonlocal done
            add_url = f"{servers[0]}/canvases/{canvas}/blocks/key_partners/notes/"
            while time.perf_counter() < deadline:
                response = await writer.post(add_url, data={"text": f"burst {index}"})
                done += response.status_code in (200, 303)

        await asyncio.gather(*(burst(i) for i in range(4)))
        await asyncio.sleep(1.5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return summarise(received, sent, n, done / 3)


async def current_version(client, server, canvas, note) -> int:
    response = await client.get(
        f"{server}/canvases/{canvas}/notes/{note}/edit/", headers={"HX-Request": "true"}
    )
    marker = 'name="version" id="note-version-'
    chunk = response.text[response.text.index(marker) :]
    return int(chunk.split('value="', 1)[1].split('"', 1)[0])


def summarise(received, sent, n, edits_per_second) -> dict:
    latencies = [
        (moment - sent[revision]) * 1000
        for revision, moments in received.items()
        if revision in sent
        for moment in moments
    ]
    expected = len(sent) * n
    latencies.sort()
    return {
        "subscribers": n,
        "delivered": f"{len(latencies)}/{expected}",
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "max": latencies[-1] if latencies else float("nan"),
        "edits/s": edits_per_second,
    }


def report(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    columns = ["subscribers", "delivered", "p50 ms", "p95 ms", "max ms", "edits/s"]
    widths = [11, 12, 8, 8, 8, 8]
    print(" ".join(f"{name:>{width}}" for name, width in zip(columns, widths, strict=True)))
    for row in rows:
        print(f"{row['subscribers']:>11} {row['delivered']:>12} {row['p50']:>8.1f} "
              f"{row['p95']:>8.1f} {row['max']:>8.1f} {row['edits/s']:>8.1f}")  # fmt: skip
    worst = max(
        (row for row in rows if row["subscribers"] >= 200), key=lambda r: r["p95"], default=None
    )
    if worst:
        verdict = "met" if worst["p95"] < 250 else "MISSED"
        print(f"target: p95 < 250 ms with 200 subscribers: {verdict} ({worst['p95']:.1f} ms)")


def bench(database_url: str, processes: int) -> list[dict]:
    canvas, note, session = seed(database_url)
    started = [start_server(database_url) for _ in range(processes)]
    try:
        urls = [url for _, url in started]
        return [asyncio.run(run_case(urls, canvas, note, session, n)) for n in SUBSCRIBERS]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=15)


def postgres_database() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS canvas_live_bench")
            admin.execute("CREATE DATABASE canvas_live_bench")
    except Exception as error:
        print(f"\nPostgreSQL not reachable ({error}); skipping the two-process case.")
        return None
    return PG_URL.rsplit("/", 1)[0] + "/canvas_live_bench"


def main() -> None:
    only_workshop = os.environ.get("BENCH_ONLY") == "workshop"
    with tempfile.TemporaryDirectory(prefix="canvas-live-") as scratch:
        if not only_workshop:
            sqlite = f"sqlite:///{scratch}/live.sqlite3"
            report("SQLite, in-process bus, 1 uvicorn process", bench(sqlite, 1))
        report_workshop(
            f"Workshop: 1 facilitator and {GUESTS} guests adding notes for "
            f"{WORKSHOP_SECONDS:.0f} s (SQLite, 1 process)",
            bench_workshop(f"sqlite:///{scratch}/workshop.sqlite3"),
        )
    if only_workshop:
        return
    pg = postgres_database()
    if pg:
        report("PostgreSQL, LISTEN/NOTIFY, 2 uvicorn processes", bench(pg, 2))


# The workshop case: 1 facilitator and 60 guests, each adding a note every few seconds.

GUESTS = int(os.environ.get("BENCH_GUESTS", "60"))
WORKSHOP_SECONDS = float(os.environ.get("BENCH_WORKSHOP_SECONDS", "60"))

START_WORKSHOP = """
from canvases.models import Canvas
from canvases.workshops import services as workshops
from django.contrib.auth import get_user_model
canvas = Canvas.objects.get(pk={canvas})
bench_user = get_user_model().objects.get(username="bench")
workshop = workshops.start_workshop(canvas=canvas, facilitator=bench_user)
print(workshop.join_token)
"""


async def guest_session(server: str, token: str, index: int) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        base_url=server, cookies={"csrftoken": CSRF}, headers={"X-CSRFToken": CSRF}, timeout=30
    )
    response = await client.post(f"/w/{token}/", data={"display_name": f"Guest {index}"})
    assert response.status_code == 302, response.status_code
    return client


async def run_workshop(server: str, canvas: int, session: str, token: str) -> dict:
    received: dict[int, list[float]] = {}
    sent: dict[int, float] = {}
    errors = [0]
    ready, counter = asyncio.Event(), [0, GUESTS + 1, 0]
    guests = [await guest_session(server, token, i) for i in range(GUESTS)]
    facilitator = httpx.AsyncClient(base_url=server, cookies={"sessionid": session}, timeout=None)
    limits = httpx.Limits(max_connections=5, max_keepalive_connections=5)
    streams = [facilitator] + [
        httpx.AsyncClient(base_url=server, cookies=g.cookies, timeout=None, limits=limits)
        for g in guests
    ]
    tasks = [
        asyncio.create_task(
            subscriber(client, f"/canvases/{canvas}/events/?tab=w{i}", received, ready, counter)
        )
        for i, client in enumerate(streams)
    ]
    await asyncio.wait_for(ready.wait(), timeout=60)
    await asyncio.sleep(1.0)
    deadline = time.perf_counter() + WORKSHOP_SECONDS

    async def guest_loop(index: int, client: httpx.AsyncClient) -> None:
        await asyncio.sleep(index * 3.0 / GUESTS)  # spread the guests over the interval
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/canvases/{canvas}/blocks/channels/notes/",
                    data={"text": f"Idea from guest {index}"},
                    headers={"HX-Request": "true", "X-Canvas-Tab": f"w{index + 1}"},
                )
                if response.status_code == 200 and "X-Canvas-Revision" in response.headers:
                    sent[int(response.headers["X-Canvas-Revision"])] = started
                else:
                    errors[0] += 1
            except httpx.HTTPError:
                errors[0] += 1
            await asyncio.sleep(3.0)

    await asyncio.gather(*(guest_loop(i, g) for i, g in enumerate(guests)))
    await asyncio.sleep(2.0)
    for task in tasks:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors[0] += sum(
        1 for r in results if isinstance(r, Exception) and not isinstance(r, asyncio.CancelledError)
    )
    for client in [*guests, *streams]:
        await client.aclose()
    latencies = sorted(
        (moment - sent[revision]) * 1000
        for revision, moments in received.items()
        if revision in sent
        for moment in moments
    )
    return {
        "notes": len(sent),
        "deliveries": f"{len(latencies)}/{len(sent) * (GUESTS + 1)}",
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan"),
        "max": latencies[-1] if latencies else float("nan"),
        "errors": errors[0],
    }


def bench_workshop(database_url: str) -> dict:
    canvas, _note, session = seed(database_url)
    token = manage(database_url, "shell", "-c", START_WORKSHOP.format(canvas=canvas)).split()[-1]
    process, url = start_server(database_url)
    try:
        return asyncio.run(run_workshop(url, canvas, session, token))
    finally:
        process.terminate()
        process.wait(timeout=15)


def report_workshop(title: str, row: dict) -> None:
    print(f"\n{title}")
    print(
        f"notes added {row['notes']}, deliveries {row['deliveries']}, p50 {row['p50']:.1f} ms, "
        f"p95 {row['p95']:.1f} ms, max {row['max']:.1f} ms, errors {row['errors']}"
    )
    verdict = "met" if row["p95"] < 250 and row["errors"] == 0 else "MISSED"
    print(f"target: p95 < 250 ms and 0 errors: {verdict}")


if __name__ == "__main__":
    main()
