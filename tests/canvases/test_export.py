"""PDF poster and pack, JSON round trip and refusals, CSV and Markdown."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from pypdf import PdfReader

from canvases import services
from canvases.exports import canvas_file
from canvases.models import BlockKind, Canvas, Note
from segments import services as segment_services
from segments.profiles import services as profile_services
from tests.conftest import outcome

pytestmark = pytest.mark.django_db
READ = {"owner": 200, "editor": 200, "viewer": 200, "outsider": 404, "anonymous": "login"}


def url(name, canvas, **params):
    path = reverse(f"canvases:{name}", args=[canvas.pk])
    return path


def pdf_text(response) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


@pytest.fixture
def full_canvas(canvas, owner):
    for kind in BlockKind:
        services.add_note(
            block=canvas.blocks.get(kind=kind), text=f"Idea for {kind.label}", author=owner
        )
    segment = segment_services.create_segment(canvas=canvas, name="Weekend riders", actor=owner)
    profile_services.add_entry(
        segment=segment, list="pain", text="Hills hurt", score=5, actor=owner
    )
    return canvas


@pytest.mark.parametrize("persona", READ)
def test_pdf_by_persona(client_as, full_canvas, persona):
    response = client_as(persona).get(url("export-pdf", full_canvas), {"size": "a4"})
    assert outcome(response) == READ[persona]


@pytest.mark.parametrize(("size", "width", "height"), [("a4", 842, 595), ("a3", 1191, 842)])
def test_poster_holds_every_note_and_segment_on_one_landscape_page(
    client_as, full_canvas, size, width, height
):
    response = client_as("viewer").get(url("export-pdf", full_canvas), {"size": size})
    assert response["Content-Type"] == "application/pdf"
    text, reader = pdf_text(response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (width, height)
    for kind in BlockKind:
        assert f"Idea for {kind.label}" in text
        assert kind.label in text
    assert "Weekend riders" in text
    assert "CC BY-SA 3.0" in text and "Page 1 of 1" in text
    assert f"revision {full_canvas.revision}" in text


def test_pack_adds_a_page_per_chosen_segment(client_as, full_canvas):
    segment = full_canvas.segments.get()
    response = client_as("viewer").get(
        url("export-pdf", full_canvas), {"size": "a4", "segments": [segment.pk]}
    )
    text, reader = pdf_text(response)
    assert len(reader.pages) == 2
    assert "Hills hurt" in text and "Customer lifetime value" in text and "Fit" in text


def test_a_block_that_cannot_fit_continues_on_an_extra_page(client_as, canvas, owner):
    block = canvas.blocks.get(kind=BlockKind.KEY_RESOURCES)
    texts = [f"Resource {i}: " + "a long description of something needed " * 6 for i in range(40)]
    Note.objects.bulk_create(Note(block=block, text=t, position=i) for i, t in enumerate(texts))
    response = client_as("viewer").get(url("export-pdf", canvas), {"size": "a4"})
    text, reader = pdf_text(response)
    assert len(reader.pages) >= 2
    assert "continued on page 2" in text and "Key Resources (continued)" in text
    for i in range(40):
        assert f"Resource {i}:" in text  # nothing cut off


@pytest.mark.parametrize("params", [{"size": "letter"}, {"size": "a4", "segments": ["999999"]}])
def test_bad_pdf_options_are_422(client_as, full_canvas, params):
    response = client_as("viewer").get(url("export-pdf", full_canvas), params)
    assert response.status_code == 422


def test_a_render_over_the_time_limit_is_stopped_with_a_clear_error(
    client_as, full_canvas, settings
):
    settings.PDF_RENDER_TIMEOUT = 0.001
    response = client_as("viewer").get(url("export-pdf", full_canvas), {"size": "a4"})
    assert response.status_code == 503
    assert "took longer than" in response.content.decode()


class CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_server():
    CountingHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_hostile_notes_make_a_pdf_and_zero_fetches(client_as, canvas, owner, counting_server):
    payloads = [
        "file:///etc/passwd",
        f"{counting_server}/plain-link",
        f"@import url({counting_server}/import.css);",
        f'<img src="{counting_server}/img.png">',
        f'<link rel="stylesheet" href="{counting_server}/link.css">',
        f"background: url({counting_server}/url.png)",
        f'<svg><image href="{counting_server}/svg.png"/></svg>',
        '<style>@font-face { src: url("file:///etc/shadow") }</style>',
    ]
    block = canvas.blocks.get(kind=BlockKind.CHANNELS)
    for text in payloads:
        services.add_note(block=block, text=text, author=owner)
    segment = segment_services.create_segment(
        canvas=canvas, name=f'<img src="{counting_server}/segment.png">', actor=owner
    )
    response = client_as("viewer").get(
        url("export-pdf", canvas), {"size": "a4", "segments": [segment.pk]}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text, _ = pdf_text(response)
    assert "/etc/passwd" in text  # shown as text
    assert CountingHandler.hits == []


def test_the_fetcher_refuses_everything_but_bundled_fonts():
    from canvas_site.pdf import ALLOWED_FILES, SafeFetcher

    fetcher = SafeFetcher()
    for refused in ["file:///etc/passwd", "http://127.0.0.1/", "data:text/css,body{}"]:
        with pytest.raises(ValueError):
            fetcher(refused)
    font = fetcher(sorted(ALLOWED_FILES)[0])
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


# JSON


@pytest.mark.parametrize("persona", READ)
def test_json_export_by_persona(client_as, full_canvas, persona):
    assert outcome(client_as(persona).get(url("export-json", full_canvas))) == READ[persona]


def normalised(document: dict) -> dict:
    return document  # refs are file-local and timestamps are not exported: nothing to strip


def test_export_import_export_is_identical(full_canvas, owner, team):
    first = canvas_file.export_canvas(full_canvas)
    copy = canvas_file.import_canvas(
        canvas_file.parse(json.loads(json.dumps(first))), team=team, actor=owner
    )
    assert copy.pk != full_canvas.pk
    assert normalised(canvas_file.export_canvas(copy)) == normalised(first)


def upload(client, team, document, name="canvas.json"):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    file = io.BytesIO(body)
    file.name = name
    return client.post(reverse("canvases:canvas-import"), {"team": team.pk, "file": file})


def test_importing_through_the_page_creates_a_new_canvas(client_as, full_canvas, team):
    document = canvas_file.export_canvas(full_canvas)
    response = upload(client_as("editor"), team, document)
    assert response.status_code == 303
    copy = Canvas.objects.exclude(pk=full_canvas.pk).get()
    assert response["Location"].endswith(f"/canvases/{copy.pk}/")
    assert Note.objects.of_canvas(copy).count() == 9


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=3), "versions 1 and 2 of the format, not version 3"),
        (lambda d: d.update(format="other"), "not a canvas file"),
        (lambda d: d["canvas"].update(owner_id=1), "is not a field of this format"),
        (lambda d: d["notes"][0].update(text="x" * 2001), "at most 2000 characters"),
        (lambda d: d["notes"][0].update(segments=["s99"]), "not in the file"),
        (lambda d: d["notes"][0].update(segments=[1]), "valid string"),
        (lambda d: d["notes"][0].update(block="key_metrics"), "notes → 0 → block"),
        (
            lambda d: d["segments"][0]["value_map"].append(
                {"kind": "reliever", "text": "x", "addresses": ["p99"]}
            ),
            "not one of that segment",
        ),
        (lambda d: d["segments"][0].update(churn_percent="0"), "churn_percent"),
        (lambda d: d["notes"].append(dict(d["notes"][0])), "share a reference"),
    ],
)
def test_hostile_or_malformed_files_are_refused_and_nothing_is_saved(
    client_as, full_canvas, team, change, message
):
    document = canvas_file.export_canvas(full_canvas)
    change(document)
    before = (Canvas.objects.count(), Note.objects.count())
    response = upload(client_as("editor"), team, document)
    assert response.status_code == 422
    assert message in response.content.decode().replace("&gt;", ">").replace("&#x27;", "'")
    assert (Canvas.objects.count(), Note.objects.count()) == before


def test_not_json_and_too_large_files_are_refused(client_as, team, settings, monkeypatch):
    assert (
        "not valid JSON" in upload(client_as("editor"), team, b"\x00\xff not json").content.decode()
    )
    monkeypatch.setattr(canvas_file, "MAX_FILE_BYTES", 10)
    response = upload(client_as("editor"), team, b'{"format": "canvas-export"}')
    assert response.status_code == 422 and "larger than 5 MB" in response.content.decode()


def test_import_only_into_a_team_one_can_edit(client_as, full_canvas, team):
    document = canvas_file.export_canvas(full_canvas)
    assert upload(client_as("viewer"), team, document).status_code == 422
    assert upload(client_as("outsider"), team, document).status_code == 422
    assert outcome(client_as("anonymous").get(reverse("canvases:canvas-import"))) == "login"


# CSV and Markdown


def test_csv_has_every_note_with_block_segments_and_author(client_as, full_canvas, owner):
    note = Note.objects.get(text="Idea for Channels")
    segment_services.set_note_segments(
        note=note, segments=[full_canvas.segments.get()], actor=owner
    )
    services.add_note(block=note.block, text='=HYPERLINK("http://evil")', author=owner)
    response = client_as("viewer").get(url("export-csv", full_canvas))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "block,text,colour,segments,author,created,updated" in body
    assert "Channels,Idea for Channels,yellow,Weekend riders,olivia," in body
    assert "'=HYPERLINK" in body  # a formula stays text in spreadsheets


def test_markdown_outline(client_as, full_canvas):
    body = client_as("viewer").get(url("export-markdown", full_canvas)).content.decode()
    assert body.startswith("# Cargo bike subscription\n")
    assert "## Key Partners\n\n- Idea for Key Partners" in body
    assert "### Weekend riders" in body and "**Pains:** Hills hurt" in body


@pytest.mark.parametrize("name", ["export-csv", "export-markdown", "canvas-export"])
def test_other_exports_for_an_outsider_are_404(client_as, full_canvas, name):
    assert client_as("outsider").get(url(name, full_canvas)).status_code == 404
