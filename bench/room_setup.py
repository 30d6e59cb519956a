"""The cases of bench/room.py and what each needs before a room opens: a seeded database,
uvicorn processes with the right settings, and their CPU time."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from live import manage, start_server  # bench/ is on the path when a benchmark runs

POOL_SIZE = os.environ.get("BENCH_POOL_SIZE", "15")  # 4 processes; 2 keep the default (20)
LIVE_BUS = os.environ.get("BENCH_LIVE_BUS", "postgres")  # PostgreSQL cases: or redis
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "canvas_bench_room"


@dataclass(frozen=True)
class Case:
    title: str
    pages: int
    processes: int
    postgres: bool
    rate: float  # edits per second; 0 for the workshop (its guests write)
    target_ms: float


CASES = {
    "pages50": Case("50 pages, 1 edit/s (SQLite, 1 process)", 50, 1, False, 1.0, 250),
    "pages50x10": Case("50 pages, 10 edits/s (SQLite, 1 process)", 50, 1, False, 10.0, 250),
    "workshop": Case(
        "Workshop: 60 guests, each adding a note every 3 s (SQLite, 1 process)",
        int(os.environ.get("BENCH_GUESTS", "60")), 1, False, 0.0, 250,
    ),
    "viewers200": Case("200 viewers, 1 edit/s (PostgreSQL, 2 processes)", 200, 2, True, 1.0, 250),
    "viewers1000": Case(
        "1,000 viewers, 1 edit/s (PostgreSQL, 4 processes)", 1000, 4, True, 1.0, 500
    ),
}  # fmt: skip

SEED = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from canvases import services
from canvases.models import Membership, Role
from canvases.teams import services as team_services
from canvases.workshops import services as workshops
User = get_user_model()
writer = User.objects.create_user(username="room-writer", password="bench-pass-1")
viewer = User.objects.create_user(username="room-viewer", password="bench-pass-1")
team = team_services.create_team(name="Room", owner=writer)
Membership.objects.create(team=team, user=viewer, role=Role.VIEWER)
def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
canvases = []
for with_workshop in WORKSHOPS:
    canvas = services.create_canvas(team=team, title="Room", author=writer)
    notes = [[b.kind, services.add_note(block=b, text="start", author=writer).pk]
             for b in canvas.blocks.order_by("pk")]
    workshop = with_workshop and workshops.start_workshop(canvas=canvas, facilitator=writer)
    token = workshop.join_token if workshop else ""
    canvases.append({"id": canvas.pk, "notes": notes, "token": token})
print(json.dumps({"writer": session(writer), "viewer": session(viewer), "canvases": canvases}))
"""


def seed(database_url: str, workshops: list[bool]) -> dict:
    """A team with a writer and a viewer, and a fresh canvas (nine notes) per run: the
    canvases come back in the order of `workshops` (True: with a running workshop)."""
    manage(database_url, "migrate", "--noinput")
    script = f"WORKSHOPS = {workshops!r}\n{SEED}"
    return json.loads(manage(database_url, "shell", "-c", script).strip().splitlines()[-1])


def postgres_database() -> str:
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return PG_URL.rsplit("/", 1)[0] + f"/{DATABASE}"


def server_env(case: Case, mode: str) -> dict[str, str]:
    env = {"LIVE_PUSH": "true" if mode == "push" else "false", "LOGIN_THROTTLE": "false"}
    env["LIVE_STREAMS_PER_VIEWER"] = "100000"  # every viewer page is one person's
    if case.postgres:
        env["LIVE_BUS"] = LIVE_BUS
        if LIVE_BUS == "redis":
            env["REDIS_URL"] = REDIS_URL
    if case.processes > 2:  # within max_connections (100), beside whatever else runs
        env["DATABASE_POOL_SIZE"] = POOL_SIZE
    return env


@contextlib.contextmanager
def servers(case: Case, mode: str, database_url: str, log: Path) -> Iterator[list[tuple]]:
    """The case's uvicorn processes, as (pid, url), stopped when the run is over."""
    started = []
    try:
        with log.open("a") as output:
            for _ in range(case.processes):
                started.append(start_server(database_url, server_env(case, mode), output))
        yield [(process.pid, url) for process, url in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=20)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of processes (all their threads), from /proc."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def load() -> str:
    """Whatever else runs on the machine moves every figure: say how busy it was."""
    return "load average " + " ".join(f"{n:.1f}" for n in os.getloadavg())
