"""Hostile canvas files (NUL, deep nesting, a byte-order mark, invisible text) and what the exports
make of hostile text (CSV formulas, Markdown markup).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from markdown_it import MarkdownIt

from canvases import services
from canvases.exports import canvas_file as file_format
from canvases.exports import outline
from canvases.models import BlockKind, Canvas
from segments import services as segment_services
from segments.profiles import services as profile_services

from .inputs import (
    INVISIBLE,
    NUL,
    REQUIRED_TEXT_PATHS,
    TEXT_PATHS,
    canvas_file,
    database,
    encoded,
    text_of,
    upload,
)

pytestmark = pytest.mark.django_db


def test_the_small_canvas_file_is_valid(world):
    response = upload(world.client("editor"), world.team, encoded(canvas_file()))
    assert response.status_code == 303


@pytest.mark.parametrize("path", [*TEXT_PATHS, "segments.0.value_map.0.addresses.0"])
def test_the_importer_refuses_nul_in_any_text_and_saves_nothing(world, path):
    before = database()
    document = canvas_file(**{path: "Bike" + NUL + "shops"})
    response = upload(world.client("editor"), world.team, encoded(document))
    assert response.status_code == 422
    assert "contains a NUL character" in text_of(response)
    assert database() == before


# 2. Deeply nested files are refused before parsing


def test_a_deeply_nested_file_is_a_422_not_a_recursion_error(world):
    before = database()
    response = upload(world.client("editor"), world.team, b"[" * 100_000)
    assert response.status_code == 422
    assert "more than 20 levels deep" in text_of(response)
    assert database() == before


def test_deep_nesting_inside_a_canvas_file_is_refused(world):
    deep = json.loads("[" * 30 + "]" * 30)
    response = upload(world.client("editor"), world.team, encoded(canvas_file(**{"x": deep})))
    assert response.status_code == 422
    assert "more than 20 levels deep" in text_of(response)


def test_a_recursion_error_while_parsing_is_a_422(world, monkeypatch):
    """Should the depth check ever let a file through, the parser's own limit is caught too."""
    monkeypatch.setattr(file_format, "MAX_DEPTH", 10**9)
    response = upload(world.client("editor"), world.team, b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 422
    assert "not valid JSON" in text_of(response)


@pytest.mark.parametrize(
    ("text", "deeper"),
    [
        ("[" * 20 + "]" * 20, False),
        ("[" * 21 + "]" * 21, True),
        ("[" * 21, True),  # unclosed: the parser recurses before it notices
        ('["' + "[" * 50 + '"]', False),  # brackets in a string are text
        ('["\\"' + "[" * 50 + '"]', False),  # ... also after an escaped quote
        ('["\\\\", ' + "[" * 21 + "]" * 21 + "]", True),  # an escaped backslash ends no string
        ('{"a": "{", "b": [{"c": "}}}"}]}', False),
    ],
)
def test_nesting_depth_ignores_brackets_inside_strings(text, deeper):
    assert file_format.nests_deeper_than(text, 20) is deeper


def test_a_huge_number_in_a_file_is_invalid_json_not_a_500(world):
    body = b'{"format": "canvas-export", "version": ' + b"9" * 5000 + b"}"
    response = upload(world.client("editor"), world.team, body)
    assert response.status_code == 422
    assert "not valid JSON" in text_of(response)


# 3. A byte-order mark is fine


def test_a_file_starting_with_a_byte_order_mark_is_imported(world):
    response = upload(world.client("editor"), world.team, b"\xef\xbb\xbf" + encoded(canvas_file()))
    assert response.status_code == 303
    assert Canvas.objects.filter(title="Cargo bikes", team=world.team).exists()


@pytest.mark.parametrize("path", REQUIRED_TEXT_PATHS)
def test_the_importer_refuses_invisible_required_text(world, path):
    before = database()
    response = upload(world.client("editor"), world.team, encoded(canvas_file(**{path: INVISIBLE})))
    assert response.status_code == 422
    assert "is empty (only spaces or invisible characters)" in text_of(response)
    assert database() == before


# 6. CSV cells never start a formula


FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def test_no_csv_cell_starts_a_formula_in_any_column(world):
    canvas = services.create_canvas(team=world.team, title="=Formula", author=world.users["owner"])
    hostile = get_user_model().objects.create_user(username="+cmd", password="pw")
    world.team.memberships.create(user=hostile, role="editor")
    segment = segment_services.create_segment(canvas=canvas, name="=HYPERLINK(1)", actor=hostile)
    block = canvas.blocks.get(kind=BlockKind.CHANNELS)
    for text in FORMULAS:
        note = services.add_note(block=block, text=text, author=hostile)
        segment_services.set_note_segments(note=note, segments=[segment], actor=hostile)
    response = world.client("viewer").get(reverse("canvases:export-csv", args=[canvas.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert len(rows) == len(FORMULAS)
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {row[4] for row in rows} == {"'+cmd"}  # the author column too
    assert {row[3] for row in rows} == {"'=HYPERLINK(1)"}
    assert sorted(row[1] for row in rows) == sorted("'" + text for text in FORMULAS)


# 7. Markdown outline: user text stays text in a real CommonMark renderer

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "![](http://tracker.example/pixel.png)",
    "<http://autolink.example>",
    "<javascript:alert(1)>",
    "# Not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "**not bold** _nor italic_ `nor code`",
    "[ref]: javascript:alert(1)",
    "&lt;script&gt; stays as typed",
    "a | table | row",
    "~~not struck~~",
    "trailing backslash \\",
]


def rendered(markdown: str) -> str:
    """HTML as a CommonMark renderer with raw HTML switched on (and GFM tables) makes it."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def as_html_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def test_the_markdown_outline_renders_user_text_literally(world):
    owner = world.users["owner"]
    canvas = services.create_canvas(
        team=world.team,
        title="<script>alert('title')</script> #1",
        description="One\n# injected heading\n    indented code\n- list\n<img src=x onerror=y>",
        author=owner,
    )
    block = canvas.blocks.get(kind=BlockKind.CHANNELS)
    for text in HOSTILE_MARKDOWN:
        services.add_note(block=block, text=text, author=owner)
    segment = segment_services.create_segment(
        canvas=canvas, name="[seg](javascript:alert(2))", actor=owner
    )
    profile_services.add_entry(
        segment=segment, list="pain", text="<img src=x onerror=alert(3)>", actor=owner
    )
    markdown = (
        world.client("viewer")
        .get(reverse("canvases:export-markdown", args=[canvas.pk]))
        .content.decode()
    )
    html = rendered(markdown)
    for forbidden in ("<script", "<img", "<a ", "href=", "<code", "<pre", "<blockquote", "<ol"):
        assert forbidden not in html, forbidden
    assert "<em>not bold" not in html and "<strong>not bold" not in html
    assert "<s>" not in html and "<del>" not in html and "<table" not in html
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == len(BlockKind) + 1  # the nine blocks and the segment details
    assert "<h3>" in html and html.count("<h3>") == 1
    for text in HOSTILE_MARKDOWN:
        assert f"<li>{as_html_text(text)}</li>" in html, text
    assert as_html_text("<script>alert('title')</script> #1") in html


def test_plain_text_reads_the_same_in_the_outline(world):
    owner = world.users["owner"]
    canvas = services.create_canvas(team=world.team, title="Cargo bikes", author=owner)
    block = canvas.blocks.get(kind=BlockKind.CHANNELS)
    services.add_note(
        block=block, text="Bike shops in 3 cities, e.g. Ghent (50% of sales)", author=owner
    )
    markdown = outline.outline_markdown(canvas)
    assert "# Cargo bikes\n" in markdown
    assert "- Bike shops in 3 cities, e.g. Ghent (50% of sales)\n" in markdown
