"""Canvas list, page, rename, duplicate, delete to trash, restore."""

import pytest
from django.urls import reverse

from canvases import services
from canvases.models import BlockKind, Canvas
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db

READ = {"owner": 200, "editor": 200, "viewer": 200, "outsider": 404, "anonymous": "login"}
EDIT = {"owner": 200, "editor": 200, "viewer": 403, "outsider": 404, "anonymous": "login"}
OWN = {"owner": 200, "editor": 403, "viewer": 403, "outsider": 404, "anonymous": "login"}


def url(name, *args):
    return reverse(f"canvases:{name}", args=args)


@pytest.mark.parametrize("persona", READ)
def test_canvas_page_by_persona(client_as, canvas, persona):
    assert outcome(client_as(persona).get(url("canvas-detail", canvas.pk))) == READ[persona]


def test_canvas_page_shows_the_nine_blocks_with_their_questions(client_as, canvas):
    html = client_as("viewer").get(url("canvas-detail", canvas.pk)).content.decode()
    for kind in BlockKind:
        assert f'id="block-{kind.value}"' in html
        assert kind.label in html
        assert kind.question in html


def test_empty_canvas_tells_editors_where_to_start(client_as, canvas):
    html = client_as("editor").get(url("canvas-detail", canvas.pk)).content.decode()
    assert "Where to start?" in html
    viewer_html = client_as("viewer").get(url("canvas-detail", canvas.pk)).content.decode()
    assert "Where to start?" not in viewer_html
    assert "Add a note" not in viewer_html  # viewers get no forms


def test_an_unknown_canvas_is_404(client_as):
    assert client_as("owner").get(url("canvas-detail", 999999)).status_code == 404


def test_wrong_method_on_the_canvas_page(client_as, canvas):
    assert client_as("owner").post(url("canvas-detail", canvas.pk)).status_code == 405


@pytest.mark.parametrize("persona", READ)
def test_canvas_list_by_persona(client_as, team, canvas, persona):
    assert outcome(client_as(persona).get(url("canvas-list", team.pk))) == READ[persona]


def test_canvas_list_shows_last_change_and_who(client_as, canvas, block, editor, team):
    services.add_note(block=block, text="x", author=editor)
    html = client_as("viewer").get(url("canvas-list", team.pk)).content.decode()
    assert "Cargo bike subscription" in html
    assert "by eddie" in html
    assert "1 note " in html


def test_canvas_list_searches_titles_and_answers_htmx_with_the_results_only(
    client_as, team, owner, canvas
):
    services.create_canvas(team=team, title="Harbour tours", author=owner)
    client = client_as("viewer")
    html = client.get(url("canvas-list", team.pk), {"q": "tours"}).content.decode()
    assert "Harbour tours" in html and "Cargo bike subscription" not in html
    partial = client.get(
        url("canvas-list", team.pk), {"q": "cargo"}, HTTP_HX_TARGET="canvas-results", **HTMX
    ).content.decode()
    assert "Cargo bike subscription" in partial and "<html" not in partial
    empty = client.get(url("canvas-list", team.pk), {"q": "zzz"}).content.decode()
    assert "No canvas title contains" in empty


def test_canvas_list_leaves_out_trashed_canvases(client_as, team, canvas, owner):
    services.trash_canvas(canvas=canvas, actor=owner)
    html = client_as("owner").get(url("canvas-list", team.pk)).content.decode()
    assert "Cargo bike subscription" not in html


@pytest.mark.parametrize("persona", EDIT)
def test_creating_a_canvas_by_persona(client_as, team, persona):
    response = client_as(persona).post(url("canvas-create", team.pk), {"title": "Fresh"})
    expected = 303 if EDIT[persona] == 200 else EDIT[persona]
    assert outcome(response) == expected
    assert Canvas.objects.filter(title="Fresh").exists() == (expected == 303)


def test_creating_a_canvas_htmx_redirects_to_it(client_as, team):
    response = client_as("editor").post(url("canvas-create", team.pk), {"title": "Fresh"}, **HTMX)
    canvas = Canvas.objects.get(title="Fresh")
    assert response["HX-Redirect"] == url("canvas-detail", canvas.pk)
    assert canvas.blocks.count() == 9


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_a_canvas_needs_a_title(client_as, team, headers):
    response = client_as("editor").post(url("canvas-create", team.pk), {"title": "  "}, **headers)
    assert response.status_code == 422
    assert "Give the canvas a title." in response.content.decode()


@pytest.mark.parametrize("persona", EDIT)
def test_renaming_by_persona(client_as, canvas, persona):
    data = {"title": "Renamed", "description": "Now with trailers"}
    response = client_as(persona).post(url("canvas-edit", canvas.pk), data, **HTMX)
    assert outcome(response) == EDIT[persona]
    canvas.refresh_from_db()
    assert (canvas.title == "Renamed") == (EDIT[persona] == 200)


def test_renaming_htmx_returns_the_header_and_plain_redirects(client_as, canvas):
    client = client_as("editor")
    form = client.get(url("canvas-edit", canvas.pk), **HTMX).content.decode()
    assert 'id="canvas-header"' in form and "<form" in form and "<html" not in form
    html = client.post(url("canvas-edit", canvas.pk), {"title": "Renamed"}, **HTMX).content.decode()
    assert "Renamed" in html and '<form class="canvas-header' not in html
    assert client.post(url("canvas-edit", canvas.pk), {"title": "Again"}).status_code == 303
    assert client.get(url("canvas-edit", canvas.pk)).content.decode().count("<html") == 1


def test_renaming_to_nothing_is_422_and_keeps_the_title(client_as, canvas):
    response = client_as("editor").post(url("canvas-edit", canvas.pk), {"title": ""}, **HTMX)
    assert response.status_code == 422
    canvas.refresh_from_db()
    assert canvas.title == "Cargo bike subscription"


@pytest.mark.parametrize("persona", EDIT)
def test_duplicating_by_persona(client_as, canvas, persona):
    response = client_as(persona).post(url("canvas-duplicate", canvas.pk))
    expected = 303 if EDIT[persona] == 200 else EDIT[persona]
    assert outcome(response) == expected
    assert Canvas.objects.filter(title__startswith="Copy of").exists() == (expected == 303)


@pytest.mark.parametrize("persona", OWN)
def test_deleting_a_canvas_by_persona(client_as, canvas, persona):
    response = client_as(persona).post(url("canvas-delete", canvas.pk), **HTMX)
    assert outcome(response) == OWN[persona]
    canvas.refresh_from_db()
    assert (canvas.deleted_at is not None) == (OWN[persona] == 200)


def test_a_trashed_canvas_is_404_and_can_be_restored_by_an_owner(client_as, canvas, owner, team):
    services.trash_canvas(canvas=canvas, actor=owner)
    client = client_as("owner")
    assert client.get(url("canvas-detail", canvas.pk)).status_code == 404
    assert "Cargo bike subscription" in client.get(url("team-trash", team.pk)).content.decode()
    assert client_as("editor").post(url("canvas-restore", canvas.pk)).status_code == 403
    assert client.post(url("canvas-restore", canvas.pk)).status_code == 303
    assert client.get(url("canvas-detail", canvas.pk)).status_code == 200


@pytest.mark.parametrize("persona", OWN)
def test_team_trash_by_persona(client_as, team, persona):
    assert outcome(client_as(persona).get(url("team-trash", team.pk))) == OWN[persona]


@pytest.mark.parametrize("persona", READ)
def test_deleted_notes_page_by_persona(client_as, canvas, note, owner, persona):
    services.trash_note(note=note, actor=owner)
    response = client_as(persona).get(url("canvas-trash", canvas.pk))
    assert outcome(response) == READ[persona]
    if READ[persona] == 200:
        assert "Bikes delivered to your door" in response.content.decode()


@pytest.mark.parametrize("name", ["canvas-duplicate", "canvas-delete", "canvas-restore"])
def test_canvas_writes_refuse_get(client_as, canvas, name):
    assert client_as("owner").get(url(name, canvas.pk)).status_code == 405


def test_canvas_settings_currency_and_focus_count(client_as, canvas):
    data = {"title": "Renamed", "currency": "usd", "focus_segment_count": "2"}
    response = client_as("editor").post(url("canvas-edit", canvas.pk), data, **HTMX)
    assert response.status_code == 200
    assert "boardChanged" in response["HX-Trigger"]
    canvas.refresh_from_db()
    assert (canvas.currency, canvas.focus_segment_count) == ("USD", 2)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "EURO", "three-letter currency code"),
        ("currency", "E1", "three-letter currency code"),
        ("focus_segment_count", "0", "at least one segment"),
        ("focus_segment_count", "21", "at most 20"),
    ],
)
def test_bad_canvas_settings_are_422(client_as, canvas, field, value, message):
    data = {"title": "Renamed", field: value}
    response = client_as("editor").post(url("canvas-edit", canvas.pk), data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    canvas.refresh_from_db()
    assert canvas.title == "Cargo bike subscription"


def test_renaming_keeps_settings_that_were_not_sent(client_as, canvas):
    client_as("editor").post(url("canvas-edit", canvas.pk), {"title": "Renamed"}, **HTMX)
    canvas.refresh_from_db()
    assert (canvas.currency, canvas.focus_segment_count) == ("EUR", 3)
