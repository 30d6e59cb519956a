"""Benchmark: queries and median server time of the canvas page, 450 notes vs an empty canvas,
450 notes linked to 8 customer segments, and 450 notes each with a thread of 3 comments.

Run with `make bench` (or `.venv/bin/python bench/canvas_page.py`). Uses a throwaway SQLite
database unless DATABASE_URL is set (then Django's test database next to it). Prints figures;
the targets are at most 15 queries whatever the number of notes, and the 450-note page, warm
(its note lists come from the cache of rendered lists after the first request), under 2x the
empty page's time.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvas_site.settings")
_scratch = tempfile.TemporaryDirectory(prefix="canvas-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

from canvases import services  # noqa: E402
from canvases.models import Comment, Note, Thread  # noqa: E402
from canvases.teams import services as team_services  # noqa: E402
from segments import services as segment_services  # noqa: E402
from segments.models import Segment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))
NOTES_PER_BLOCK = 50  # 9 blocks x 50 = 450 notes


def canvas_with_notes(team, user, title: str) -> tuple:
    canvas = services.create_canvas(team=team, title=title, author=user)
    text = "A realistic note of some length, number {}"
    notes = Note.objects.bulk_create(
        Note(block=block, text=text.format(i), position=i, author=user)
        for block in canvas.blocks.all()
        for i in range(NOTES_PER_BLOCK)
    )
    return canvas, notes


def seed() -> tuple[Client, dict[str, int]]:
    user = get_user_model().objects.create_user(username="bench", password="bench")
    team = team_services.create_team(name="Bench", owner=user)
    empty = services.create_canvas(team=team, title="Empty", author=user)
    full, _ = canvas_with_notes(team, user, "Full")
    linked, notes = canvas_with_notes(team, user, "Segmented")
    segments = [
        segment_services.create_segment(canvas=linked, name=f"Segment {i}", actor=user)
        for i in range(8)
    ]
    # Every note linked to two of the eight segments.
    Segment.notes.through.objects.bulk_create(
        Segment.notes.through(note_id=note.pk, segment_id=segments[(i + k) % 8].pk)
        for i, note in enumerate(notes)
        for k in range(2)
    )
    commented, notes = canvas_with_notes(team, user, "Commented")
    add_comments(commented, notes, user)
    client = Client()
    client.force_login(user)
    return client, {
        "empty canvas": empty.pk,
        "450 notes": full.pk,
        "8 segments, 450 linked notes": linked.pk,
        "450 notes, 3 comments each": commented.pk,
    }


def add_comments(canvas, notes: list, user) -> None:
    """A thread with three comments on every note (a third of them resolved)."""
    threads = Thread.objects.bulk_create(
        Thread(canvas=canvas, note=note, target_id=note.pk, resolved_at=None) for note in notes
    )
    Comment.objects.bulk_create(
        Comment(thread=thread, author=user, text=f"Comment {k} on this note")
        for thread in threads
        for k in range(3)
    )


def measure(client: Client, canvas_id: int) -> tuple[int, float]:
    path = reverse("canvases:canvas-detail", args=[canvas_id])
    client.get(path)  # warm caches and the session
    # The request_started signal empties the query log: start from an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    query_count = len(queries)  # read now: the log is emptied again by the next request
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return query_count, statistics.median(timings) * 1000


def main() -> None:
    # Not setup_test_environment(): its template instrumentation would slow every page.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Its own test database, never the one a concurrent `make test` is using.
    settings.DATABASES["default"]["TEST"]["NAME"] = f"{_scratch.name}/bench-test.sqlite3"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        client, cases = seed()
        results = {name: measure(client, canvas_id) for name, canvas_id in cases.items()}
    finally:
        teardown_databases(old_config, verbosity=0)
    print(f"canvas page, {connection.vendor}, median of {ROUNDS} requests")
    print(f"{'case':<30}{'queries':>9}{'median ms':>12}{'x empty':>10}")
    baseline = results["empty canvas"][1]
    for name, (queries, median_ms) in results.items():
        print(f"{name:<30}{queries:>9}{median_ms:>12.2f}{median_ms / baseline:>10.2f}")
    worst_queries = max(queries for queries, _ in results.values())
    ratio = results["450 notes"][1] / baseline
    print(
        f"target: <= 15 queries ({'met' if worst_queries <= 15 else 'MISSED'}: {worst_queries}); "
        f"450 notes warm < 2x empty ({'met' if ratio < 2 else 'MISSED'}: {ratio:.2f}x)"
    )


if __name__ == "__main__":
    main()
