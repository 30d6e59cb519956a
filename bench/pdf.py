"""Benchmark: PDF render time and peak memory.

Posters with 9x10, 9x30 and 9x60 notes and a pack with 3 segments, next to a one-page minimal
document rendered the same way in the same run (each render is a forked child, as in the app;
peak memory is that child's maximum resident size). Uses a throwaway SQLite database.

    .venv/bin/python bench/pdf.py

Targets: the 9x30 poster under 1 s, the 3-segment pack under 2.5 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canvas_site.settings")
_scratch = tempfile.TemporaryDirectory(prefix="canvas-pdf-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{_scratch.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from canvas_site import pdf  # noqa: E402
from canvases import registry, services  # noqa: E402
from canvases.demo import load_demo  # noqa: E402
from canvases.exports import poster as poster_layout  # noqa: E402
from canvases.models import Note  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
MINIMAL = "<!doctype html><html><body><h1>One page</h1><p>Hello.</p></body></html>"


def poster(per_block: int):
    result = load_demo()
    canvas = result.canvas
    copy = services.create_canvas(team=canvas.team, title=f"{per_block} per block", author=None)
    Note.objects.bulk_create(
        Note(block=block, text=f"Note {i}: a typical sticky note of a few words", position=i)
        for block in copy.blocks.all()
        for i in range(per_block)
    )
    return copy


def poster_html(canvas, *, pack: int) -> str:
    """The poster, and the first `pack` pages each extension offers (segments' pages)."""
    pages = [
        page
        for extension in registry.extensions()
        if extension.pack_param
        for page in extension.pack_pages(
            canvas, [choice.value for choice in extension.pack_choices(canvas)[:pack]]
        )
    ]
    return poster_layout.poster_html(poster_layout.poster_context(canvas, "a4", pages))


def measure(html: str) -> tuple[float, int, int]:
    timings, memory, pages = [], 0, 0
    for _ in range(ROUNDS):
        rendered = pdf.render_with_limit(html, timeout=60)
        timings.append(rendered.seconds)
        memory = max(memory, rendered.peak_memory_kb)
        pages = rendered.pdf.count(b"/Type /Page\n") or rendered.pdf.count(b"/Type /Page")
    return statistics.median(timings), memory, pages


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    demo = load_demo().canvas
    cases = {"minimal one-page document": MINIMAL}
    for per_block in (10, 30, 60):
        canvas = poster(per_block)
        cases[f"poster 9x{per_block} (A4)"] = poster_html(canvas, pack=0)
    cases["pack: poster + 3 segments (A4)"] = poster_html(demo, pack=3)
    print(f"PDF rendering, median of {ROUNDS}")
    print(f"{'case':<34}{'median s':>9}{'x minimal':>11}{'peak MB':>9}")
    results = {name: measure(html) for name, html in cases.items()}
    baseline = results["minimal one-page document"][0]
    for name, (seconds, memory, _pages) in results.items():
        print(f"{name:<34}{seconds:>9.3f}{seconds / baseline:>11.1f}{memory / 1024:>9.0f}")
    poster30 = results["poster 9x30 (A4)"][0]
    pack = results["pack: poster + 3 segments (A4)"][0]
    print(
        f"targets: 9x30 poster < 1 s ({'met' if poster30 < 1 else 'MISSED'}: {poster30:.2f} s); "
        f"3-segment pack < 2.5 s ({'met' if pack < 2.5 else 'MISSED'}: {pack:.2f} s)"
    )


if __name__ == "__main__":
    main()
