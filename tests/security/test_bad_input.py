"""Bad input gets a 4xx with a message a person can read, never a 500, and nothing half-saved.

A corpus: NUL characters anywhere a request carries text, hostile canvas files (deep nesting, a
byte-order mark, NUL, absurd figures), figures beyond what the economics can show, text that
shows nothing, spreadsheet formulas in the CSV, markup in the Markdown outline, and `next`
values that lead off the site.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from markdown_it import MarkdownIt

from canvases import services
from canvases.exports import canvas_file as file_format
from canvases.exports import outline
from canvases.models import BlockKind, Canvas, Guest, Note
from segments import services as segment_services
from segments.economics import customer_lifetime_value, lifetime, money, profit_per_period
from segments.models import Segment, SegmentSnapshot
from segments.profiles import services as profile_services

from .urls import all_routes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NUL = "\x00"
# Shows nothing: spaces, zero-width space and joiners, word joiner, byte-order mark, soft hyphen.
INVISIBLE = " \u200b\u200c\u200d \u2060\ufeff\u00ad\t"


def database() -> dict[str, list[dict]]:
    """Every row of the app's own tables: equal before and after means nothing was saved."""
    models = [
        *apps.get_app_config("canvases").get_models(),
        *apps.get_app_config("segments").get_models(),
        get_user_model(),
    ]
    return {model._meta.label: rows_of(model) for model in models}


def rows_of(model) -> list[dict]:
    # Logging a test client in stamps last_login: that is the test's doing, not the request's.
    fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
    return list(model.objects.order_by("pk").values(*fields))


def upload(client, team, body: bytes):
    file = io.BytesIO(body)
    file.name = "canvas.json"
    return client.post(reverse("canvases:canvas-import"), {"team": team.pk, "file": file})


def text_of(response) -> str:
    return response.content.decode().replace("&gt;", ">").replace("&#x27;", "'")


# 1. NUL characters: refused by one middleware before any view or query sees them


def assert_refused_for_nul(response) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "NUL character" in response.content.decode()


def test_nul_in_the_canvas_search_is_a_400(world):
    before = database()
    url = reverse("canvases:canvas-list", args=[world.team.pk])
    assert_refused_for_nul(world.client("owner").get(url, {"q": NUL}))
    assert_refused_for_nul(world.client("owner").get(url + "?q=cargo%00"))
    assert database() == before


@pytest.mark.parametrize("persona", ["anonymous", "editor", "outsider"])
def test_nul_in_an_invitation_link_is_a_400(world, persona):
    before = database()
    client = world.client(persona)
    assert_refused_for_nul(client.get("/join/%00/"))
    assert_refused_for_nul(client.post(f"/join/{world.invitation.token}%00/"))
    assert database() == before


def test_nul_in_a_workshop_link_is_a_400(world):
    before = database()
    client = world.client("anonymous")
    assert_refused_for_nul(client.get("/w/%00/"))
    assert_refused_for_nul(client.post("/w/%00/", {"display_name": "Grace"}))
    join = reverse("canvases:workshop-join", args=[world.workshop.join_token])
    assert_refused_for_nul(client.post(join, {"display_name": "Gr" + NUL + "ace"}))
    assert database() == before


def test_nul_in_the_session_cookie_is_a_400(world):
    """A quoted cookie may spell NUL as \\000; the session store would look it up."""
    client = world.client("anonymous", HTTP_COOKIE='sessionid="abcdefghij\\000klmnop"')
    assert_refused_for_nul(client.get(reverse("canvases:team-list")))


def test_a_stray_cookie_with_nul_locks_nobody_out(world):
    client = world.client("viewer")
    client.cookies["tracker"] = "a\x00b"
    assert client.get(reverse("canvases:team-list")).status_code == 200


def test_nul_in_a_note_is_a_400_and_no_note_is_saved(world):
    before = database()
    url = reverse("canvases:note-create", args=[world.canvas.pk, "channels"])
    response = world.client("editor").post(url, {"text": "Bike" + NUL + " shops"}, **HTMX)
    assert_refused_for_nul(response)
    assert database() == before


@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.name)
def test_every_route_refuses_nul_in_a_form_field_or_query_value(world, route):
    client = world.client("owner")
    url = route.url(world)
    before = database()
    assert_refused_for_nul(client.post(url, {"text": "a" + NUL, "name": "b", "title": "c"}))
    assert_refused_for_nul(client.post(url, {"name" + NUL: "b"}))
    assert_refused_for_nul(client.get(url, {"page": "1" + NUL}))
    assert database() == before


def test_a_file_upload_is_not_refused_for_nul_in_its_content(world):
    """Files are the importer's business: a NUL byte makes the file invalid JSON, a 422."""
    response = upload(world.client("editor"), world.team, b'{"format": "canvas-export\x00"}')
    assert response.status_code == 422
    assert "not valid JSON" in text_of(response)


def canvas_file(**changes) -> dict:
    """A small valid canvas file with every kind of text in it."""
    document = {
        "format": "canvas-export",
        "version": 1,
        "canvas": {"title": "Cargo bikes", "description": "", "currency": "EUR"},
        "notes": [{"ref": "n1", "block": "channels", "text": "Bike shops", "position": 0}],
        "segments": [
            {
                "ref": "s1",
                "name": "Families",
                "colour": "orange",
                "rank": 0,
                "criteria": [{"base": "geographic", "text": "City"}],
                "profile": [{"ref": "p1", "list": "pain", "text": "Parking", "score": 4}],
                "value_map": [{"kind": "reliever", "text": "Folding", "addresses": ["p1"]}],
                "empathy": [{"ref": "e1", "quadrant": "sees", "text": "Traffic"}],
                "snapshots": [{"recorded_on": "2026-01-01", "size": 10}],
            }
        ],
    }
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return document


def encoded(document: dict) -> bytes:
    return json.dumps(document).encode()


def test_the_small_canvas_file_is_valid(world):
    response = upload(world.client("editor"), world.team, encoded(canvas_file()))
    assert response.status_code == 303


TEXT_PATHS = [
    "canvas.title",
    "canvas.description",
    "notes.0.text",
    "notes.0.ref",
    "segments.0.name",
    "segments.0.description",
    "segments.0.criteria.0.text",
    "segments.0.profile.0.text",
    "segments.0.profile.0.context",
    "segments.0.value_map.0.text",
    "segments.0.empathy.0.text",
]


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


# 4. Economics: bounded where they are entered, and shown whatever is stored


def economics_url(segment: Segment) -> str:
    return reverse("segments:segment-economics", args=[segment.canvas_id, segment.pk])


ABSURD = {"size": str(10**15), "revenue_per_customer": "999999999999.99"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("size", str(10**15), "at most 10,000,000,000 customers"),
        ("revenue_per_customer", "999999999999.99", "at most 1,000,000,000 per period"),
        ("revenue_per_customer", "10000000000000", "at most 1,000,000,000 per period"),
        ("expected_lifetime", "999999.99", "at most 10,000 periods"),
    ],
)
def test_the_economics_form_refuses_figures_too_large(world, field, value, message):
    before = database()
    data = {"period": "month", "gross_margin_percent": "50", "churn_percent": "5", field: value}
    response = world.client("editor").post(economics_url(world.segment), data, **HTMX)
    assert response.status_code == 422
    assert message in text_of(response)
    assert database() == before


def test_the_snapshot_form_refuses_figures_too_large(world):
    before = database()
    snapshot = world.segment.snapshots.get()
    url = reverse("segments:snapshot-edit", args=[world.canvas.pk, world.segment.pk, snapshot.pk])
    data = {"recorded_on": "2026-02-02", "period": "month", **ABSURD}
    response = world.client("editor").post(url, data, **HTMX)
    assert response.status_code == 422
    assert "at most 10,000,000,000 customers" in text_of(response)
    assert database() == before


@pytest.mark.parametrize("model", [Segment, SegmentSnapshot])
def test_the_model_refuses_figures_too_large(world, model):
    from django.core.exceptions import ValidationError

    instance = world.segment if model is Segment else world.segment.snapshots.get()
    instance.size, instance.revenue_per_customer = 10**15, Decimal("999999999999.99")
    instance.expected_lifetime = Decimal("999999.99")
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    assert {"size", "revenue_per_customer", "expected_lifetime"} <= set(refused.value.message_dict)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("segments.0.size", 10**15, "at most 10,000,000,000 customers"),
        ("segments.0.revenue_per_customer", "999999999999.99", "at most 1,000,000,000"),
        ("segments.0.snapshots.0.size", 10**15, "at most 10,000,000,000 customers"),
        ("segments.0.expected_lifetime", "999999.99", "at most 10,000 periods"),
        ("segments.0.revenue_per_customer", "lots", "Give the revenue as a number"),
        ("segments.0.churn_percent", "NaN", "churn_percent"),
        ("segments.0.churn_percent", "sNaN", "churn_percent"),
        ("segments.0.gross_margin_percent", "1e999999", "gross_margin_percent"),
    ],
)
def test_the_importer_refuses_figures_too_large_or_not_numbers(world, path, value, message):
    before = database()
    response = upload(world.client("editor"), world.team, encoded(canvas_file(**{path: value})))
    assert response.status_code == 422
    assert message in text_of(response)
    assert database() == before


def store_absurd_figures(segment: Segment) -> None:
    """The largest figures the columns hold, written past every validator."""
    absurd = {
        "size": 2**63 - 1,
        "revenue_per_customer": Decimal("999999999999.99"),
        "gross_margin_percent": Decimal("100"),
        "churn_percent": Decimal("0.01"),
        "expected_lifetime": None,
    }
    Segment.objects.filter(pk=segment.pk).update(**absurd)
    segment.snapshots.update(**absurd)
    SegmentSnapshot.objects.create(segment=segment, recorded_on="2026-03-03", **absurd)


def absurd_figure_pages(world) -> dict[str, tuple[str, dict]]:
    canvas, segment = world.canvas, world.segment
    pdf = reverse("canvases:export-pdf", args=[canvas.pk]) + f"?segments={segment.pk}"
    return {
        "segment page": (reverse("segments:segment-detail", args=[canvas.pk, segment.pk]), {}),
        "segment refresh": (
            reverse("segments:segment-refresh", args=[canvas.pk, segment.pk]),
            HTMX,
        ),
        "pack PDF": (pdf, {}),
    }


@pytest.mark.parametrize("page", ["segment page", "segment refresh", "pack PDF"])
def test_absurd_stored_figures_still_show(world, page):
    store_absurd_figures(world.segment)
    url, headers = absurd_figure_pages(world)[page]
    response = world.client("editor").get(url, **headers)
    assert response.status_code == 200
    if page == "pack PDF":
        assert response["Content-Type"] == "application/pdf"


def test_the_economics_form_answers_over_absurd_stored_figures(world):
    segment = world.segment
    store_absurd_figures(segment)
    client = world.client("editor")
    refused = client.post(economics_url(segment), {"period": "month", **ABSURD}, **HTMX)
    assert refused.status_code == 422
    accepted = client.post(economics_url(segment), {"period": "month", "size": "100"}, **HTMX)
    assert accepted.status_code == 200
    segment.refresh_from_db()
    assert segment.size == 100


def test_a_figure_beyond_any_precision_is_too_large_to_show():
    huge = Decimal("1e999990")
    profit = profit_per_period(
        size=10**9,
        revenue_per_customer=huge,
        gross_margin_percent=Decimal(100),
        period="month",
        currency="EUR",
    )
    assert profit.too_large and not profit.known and profit.formula == "too large to show"
    value = customer_lifetime_value(
        revenue_per_customer=Decimal(1),
        gross_margin_percent=Decimal(1),
        churn_percent=Decimal("1e-999990"),
        expected_lifetime=None,
        period="month",
        currency="EUR",
    )
    assert value.too_large
    assert lifetime(churn_percent=None, expected_lifetime=huge, period="month").known
    assert money(huge * 10**8, "EUR") == "too large to show"


# 5. Text that shows nothing is no text


def note_create(world) -> str:
    return reverse("canvases:note-create", args=[world.canvas.pk, "channels"])


def form_posts(world) -> dict:
    """Each required user text field, as (url, data with that field invisible, message)."""
    canvas, segment = world.canvas, world.segment
    entry = segment.profile_entries.get()
    on = {"canvas_id": canvas.pk, "segment_id": segment.pk}
    return {
        "note": (note_create(world), {"text": INVISIBLE}, "a note cannot be empty"),
        "note edit": (
            reverse("canvases:note-edit", args=[canvas.pk, world.visible_note.pk]),
            {"text": INVISIBLE, "version": world.visible_note.version},
            "a note cannot be empty",
        ),
        "canvas": (
            reverse("canvases:canvas-create", args=[world.team.pk]),
            {"title": INVISIBLE},
            "Give the canvas a title",
        ),
        "canvas title": (
            reverse("canvases:canvas-edit", args=[canvas.pk]),
            {"title": INVISIBLE, "currency": "EUR", "focus_segment_count": "3"},
            "Give the canvas a title",
        ),
        "team": (reverse("canvases:team-create"), {"name": INVISIBLE}, "Give the team a name"),
        "segment": (
            reverse("segments:segment-create", kwargs={"canvas_id": canvas.pk}),
            {"name": INVISIBLE},
            "Give the segment a name",
        ),
        "segment name": (
            reverse("segments:segment-edit", kwargs=on),
            {"name": INVISIBLE, "segment_type": "niche_market", "paying_side": "paying"},
            "Give the segment a name",
        ),
        "criterion": (
            reverse("segments:criterion-create", kwargs=on),
            {"base": "geographic", "text": INVISIBLE},
            "Write the criterion",
        ),
        "profile entry": (
            reverse("segments:entry-create", kwargs={**on, "list_kind": "pain"}),
            {"text": INVISIBLE, "score": "3"},
            "the text cannot be empty",
        ),
        "profile entry edit": (
            reverse("segments:entry-edit", kwargs={**on, "entry_id": entry.pk}),
            {"text": INVISIBLE, "score": "3"},
            "the text cannot be empty",
        ),
        "value-map item": (
            reverse("segments:item-create", kwargs={**on, "item_kind": "reliever"}),
            {"text": INVISIBLE},
            "the text cannot be empty",
        ),
        "empathy entry": (
            reverse("segments:empathy-create", kwargs={**on, "quadrant": "sees"}),
            {"text": INVISIBLE},
            "the text cannot be empty",
        ),
    }


FORMS = [
    "note",
    "note edit",
    "canvas",
    "canvas title",
    "team",
    "segment",
    "segment name",
    "criterion",
    "profile entry",
    "profile entry edit",
    "value-map item",
    "empathy entry",
]


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_text_of_only_invisible_characters_is_refused_as_empty(world, name, headers):
    url, data, message = form_posts(world)[name]
    before = database()
    response = world.client("owner").post(url, data, **headers)
    assert response.status_code == 422
    assert message in text_of(response)
    assert database() == before


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060\u200d", " \u200c ", "\u0001"])
def test_a_note_of_one_invisible_character_is_refused(world, invisible):
    response = world.client("editor").post(note_create(world), {"text": invisible}, **HTMX)
    assert response.status_code == 422
    assert "a note cannot be empty" in text_of(response)


def test_visible_text_with_a_zero_width_joiner_is_kept(world):
    text = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 trips"
    response = world.client("editor").post(note_create(world), {"text": text}, **HTMX)
    assert response.status_code == 200
    assert Note.objects.filter(text=text).exists()


def test_a_version_name_of_only_invisible_characters_is_refused(world):
    url = reverse("canvases:version-create", args=[world.canvas.pk])
    before = world.canvas.versions.count()
    response = world.client("owner").post(url, {"name": INVISIBLE})
    assert response.status_code == 422
    assert world.canvas.versions.count() == before


def test_a_guest_display_name_of_only_invisible_characters_is_refused(world):
    join = reverse("canvases:workshop-join", args=[world.workshop.join_token])
    before = Guest.objects.count()
    response = world.client("anonymous").post(join, {"display_name": "\u200b\u200b"})
    assert response.status_code == 422
    assert Guest.objects.count() == before


REQUIRED_TEXT_PATHS = [
    path for path in TEXT_PATHS if not path.endswith((".description", ".ref", ".context"))
]


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


# 8. `next` leads only to a path on this site


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:///evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_undo_does_not_redirect_off_site(client_as, canvas, note, target):
    url = reverse("canvases:change-undo", args=[canvas.pk])
    response = client_as("owner").post(url, {"next": target})
    assert response.status_code == 303
    assert response["Location"] == reverse("canvases:canvas-history", args=[canvas.pk])


def test_undo_follows_a_path_on_this_site(client_as, canvas, note):
    url = reverse("canvases:change-undo", args=[canvas.pk])
    here = reverse("canvases:canvas-detail", args=[canvas.pk]) + "#block-channels"
    response = client_as("owner").post(url, {"next": here})
    assert response.status_code == 303 and response["Location"] == here


@pytest.mark.parametrize("target", OFF_SITE)
def test_signup_does_not_redirect_off_site(db, target):
    from django.test import Client

    url = reverse("signup") + "?" + urlencode({"next": target})
    password = "a-long-unusual-passphrase-42"
    data = {"username": "newcomer", "password1": password, "password2": password}
    response = Client().post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("canvases:team-list")


def test_signup_follows_an_invitation_path(db):
    from django.test import Client

    url = reverse("signup") + "?next=/join/abc/"
    password = "a-long-unusual-passphrase-42"
    data = {"username": "newcomer", "password1": password, "password2": password}
    assert Client().post(url, data)["Location"] == "/join/abc/"
