"""Note views: every persona, htmx and plain requests, wrong methods, bad input."""

import pytest
from django.urls import reverse

from canvases import services
from canvases.models import BlockKind, Note
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db

# What each persona gets when it tries to change a note.
WRITE_STATUS = {"owner": 200, "editor": 200, "viewer": 403, "outsider": 404, "anonymous": "login"}


def create_url(canvas, kind=BlockKind.VALUE_PROPOSITIONS):
    return reverse("canvases:note-create", args=[canvas.pk, kind])


def note_url(note, action):
    name = "canvases:note-detail" if action == "detail" else f"canvases:note-{action}"
    return reverse(name, args=[note.block.canvas_id, note.pk])


@pytest.mark.parametrize("persona", WRITE_STATUS)
def test_adding_a_note_by_persona(client_as, canvas, persona):
    response = client_as(persona).post(create_url(canvas), {"text": "Free delivery"}, **HTMX)
    assert outcome(response) == WRITE_STATUS[persona]
    created = Note.objects.filter(text="Free delivery").exists()
    assert created == (WRITE_STATUS[persona] == 200)


def test_htmx_add_returns_just_the_new_note_to_append(client_as, canvas):
    response = client_as("editor").post(create_url(canvas), {"text": "Free delivery"}, **HTMX)
    html = response.content.decode()
    note = Note.objects.get(text="Free delivery")
    assert 'hx-swap-oob="beforeend:#notes-value_propositions"' in html
    assert f'<li class="note note--yellow" id="note-{note.pk}"' in html
    assert "<html" not in html and "<form" not in html
    assert response["X-Canvas-Revision"] == "1"


def test_plain_add_redirects_back_to_the_block(client_as, canvas):
    response = client_as("editor").post(create_url(canvas), {"text": "Free delivery"})
    assert response.status_code == 303
    assert response["Location"].endswith(f"/canvases/{canvas.pk}/#block-value_propositions")


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_an_empty_note_is_refused_with_a_message_in_place(client_as, canvas, headers):
    response = client_as("editor").post(create_url(canvas), {"text": "   "}, **headers)
    assert response.status_code == 422
    assert "a note cannot be empty" in response.content.decode()
    assert not Note.objects.exists()
    if headers:
        assert response["HX-Retarget"] == "#note-add-value_propositions"


def test_an_oversize_note_is_refused_and_the_text_is_kept(client_as, canvas):
    text = "x" * 2001
    response = client_as("editor").post(create_url(canvas), {"text": text}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert "at most 2,000 characters" in html
    assert text in html  # the draft is not lost


def test_a_note_of_exactly_2000_characters_is_fine(client_as, canvas):
    response = client_as("editor").post(create_url(canvas), {"text": "y" * 2000}, **HTMX)
    assert response.status_code == 200


def test_an_unknown_block_kind_is_404(client_as, canvas):
    response = client_as("editor").post(create_url(canvas, "key_metrics"), {"text": "x"})
    assert response.status_code == 404


def test_html_in_a_note_shows_as_text(client_as, canvas):
    client_as("editor").post(create_url(canvas), {"text": "<script>alert(1)</script>"})
    page = client_as("viewer").get(reverse("canvases:canvas-detail", args=[canvas.pk]))
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_adding_needs_csrf(client_as, canvas):
    response = client_as("editor", csrf=True).post(create_url(canvas), {"text": "x"})
    assert response.status_code == 403
    assert not Note.objects.exists()


@pytest.mark.parametrize("action", ["create", "edit", "move", "delete", "colour", "restore"])
def test_writes_refuse_get(client_as, note, canvas, action):
    url = create_url(canvas) if action == "create" else note_url(note, action)
    expected = {405} if action != "edit" else {200}  # GET on edit opens the editor
    assert client_as("editor").get(url, **HTMX).status_code in expected


@pytest.mark.parametrize("persona", WRITE_STATUS)
def test_editing_a_note_by_persona(client_as, note, persona):
    data = {"text": "Door-to-door delivery", "version": note.version}
    response = client_as(persona).post(note_url(note, "edit"), data, **HTMX)
    assert outcome(response) == WRITE_STATUS[persona]
    note.refresh_from_db()
    assert (note.text == "Door-to-door delivery") == (WRITE_STATUS[persona] == 200)


def test_opening_the_editor_htmx_and_plain(client_as, note):
    partial = client_as("editor").get(note_url(note, "edit"), **HTMX).content.decode()
    assert 'class="note-editor"' in partial and "<html" not in partial
    page = client_as("editor").get(note_url(note, "edit")).content.decode()
    assert "<html" in page and f'id="note-text-{note.pk}"' in page


def test_viewer_cannot_open_the_editor(client_as, note):
    assert client_as("viewer").get(note_url(note, "edit"), **HTMX).status_code == 403


def test_saving_an_edit_returns_the_card(client_as, note):
    data = {"text": "Door-to-door", "version": 1, "colour": "pink"}
    html = client_as("editor").post(note_url(note, "edit"), data, **HTMX).content.decode()
    assert 'class="note note--pink"' in html and "Door-to-door" in html
    note.refresh_from_db()
    assert (note.colour, note.version) == ("pink", 2)


def test_plain_edit_redirects_to_the_note(client_as, note):
    response = client_as("editor").post(note_url(note, "edit"), {"text": "x", "version": 1})
    assert response.status_code == 303
    assert response["Location"].endswith(f"#note-{note.pk}")


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_an_emptied_note_is_refused_and_unchanged(client_as, note, headers):
    response = client_as("editor").post(
        note_url(note, "edit"), {"text": "", "version": 1}, **headers
    )
    assert response.status_code == 422
    assert "a note cannot be empty" in response.content.decode()
    note.refresh_from_db()
    assert note.text == "Bikes delivered to your door"


def test_a_stale_edit_is_a_409_that_shows_both_texts(client_as, note, owner):
    services.edit_note(note=note, text="Their text", version=1, actor=owner)
    response = client_as("editor").post(
        note_url(note, "edit"), {"text": "My draft", "version": 1}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Their text" in html and "My draft" in html
    assert Note.objects.get(pk=note.pk).text == "Their text"


def test_editing_a_note_someone_deleted_is_a_conflict_that_keeps_the_draft(client_as, note, owner):
    services.trash_note(note=note, actor=owner)
    data = {"text": "My draft", "version": 1}
    response = client_as("editor").post(note_url(note, "edit"), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone deleted this note" in html and "My draft" in html
    assert "Add as a new note" in html
    assert client_as("editor").get(note_url(note, "edit"), **HTMX).status_code == 404


def test_another_canvas_note_is_404_through_this_canvas(client_as, note, team, owner):
    other = services.create_canvas(team=team, title="Other", author=owner)
    url = reverse("canvases:note-edit", args=[other.pk, note.pk])
    assert client_as("editor").get(url, **HTMX).status_code == 404


@pytest.mark.parametrize("persona", WRITE_STATUS)
def test_moving_a_note_by_persona(client_as, canvas, note, persona):
    data = {"block": BlockKind.CHANNELS, "position": 0}
    response = client_as(persona).post(note_url(note, "move"), data, **HTMX)
    assert outcome(response) == WRITE_STATUS[persona]
    note.refresh_from_db()
    assert (note.block.kind == BlockKind.CHANNELS) == (WRITE_STATUS[persona] == 200)


def test_a_move_answers_with_both_lists_out_of_band(client_as, note):
    data = {"block": BlockKind.CHANNELS, "position": 0}
    response = client_as("editor").post(note_url(note, "move"), data, **HTMX)
    html = response.content.decode()
    assert 'id="notes-channels"' in html and 'id="notes-value_propositions"' in html
    assert html.count('hx-swap-oob="true"') == 2
    assert "noteFocus" in response["HX-Trigger-After-Settle"]


@pytest.mark.parametrize(
    ("step", "expected"),
    [("up", ["b", "a", "c"]), ("down", ["a", "c", "b"])],
)
def test_stepping_a_note_up_and_down(client_as, block, owner, step, expected):
    a, b, c = (services.add_note(block=block, text=t, author=owner) for t in "abc")
    client_as("editor").post(note_url(b, "move"), {"step": step}, **HTMX)
    assert list(block.notes.alive().values_list("text", flat=True)) == expected


def test_stepping_to_the_next_block_follows_the_poster(client_as, note):
    client_as("editor").post(note_url(note, "move"), {"step": "next-block"})
    note.refresh_from_db()
    assert note.block.kind == BlockKind.CUSTOMER_RELATIONSHIPS


def test_a_move_with_a_draft_saves_the_draft_first(client_as, note):
    data = {"step": "down", "text": "Edited while moving", "version": 1}
    client_as("editor").post(note_url(note, "move"), data, **HTMX)
    assert Note.objects.get(pk=note.pk).text == "Edited while moving"


@pytest.mark.parametrize(
    "data", [{}, {"block": "nowhere"}, {"step": "sideways"}, {"block": "channels", "position": -1}]
)
def test_a_bad_move_is_422(client_as, note, data):
    response = client_as("editor").post(note_url(note, "move"), data, **HTMX)
    assert response.status_code == 422
    assert response.content


@pytest.mark.parametrize("persona", WRITE_STATUS)
def test_deleting_a_note_by_persona(client_as, note, persona):
    response = client_as(persona).post(note_url(note, "delete"), **HTMX)
    assert outcome(response) == WRITE_STATUS[persona]
    note.refresh_from_db()
    assert (note.deleted_at is not None) == (WRITE_STATUS[persona] == 200)


def test_deleting_offers_undo_and_undo_restores(client_as, note):
    client = client_as("editor")
    html = client.post(note_url(note, "delete"), **HTMX).content.decode()
    assert "Note deleted." in html and note_url(note, "restore") in html
    headers = {
        **HTMX,
        "HTTP_HX_CURRENT_URL": "http://testserver"
        + reverse("canvases:canvas-detail", args=[note.block.canvas_id]),
    }
    response = client.post(note_url(note, "restore"), **headers)
    assert response.status_code == 200
    assert Note.objects.alive().filter(pk=note.pk).exists()


def test_plain_delete_redirects_with_a_303(client_as, note):
    response = client_as("editor").post(note_url(note, "delete"))
    assert response.status_code == 303


def test_restoring_from_the_trash_page_redirects_to_the_note(client_as, note, owner):
    services.trash_note(note=note, actor=owner)
    response = client_as("editor").post(note_url(note, "restore"))
    assert response.status_code == 303
    assert response["Location"].endswith(f"#note-{note.pk}")


@pytest.mark.parametrize("persona", WRITE_STATUS)
def test_recolouring_by_persona(client_as, note, persona):
    response = client_as(persona).post(note_url(note, "colour"), {"colour": "green"}, **HTMX)
    assert outcome(response) == WRITE_STATUS[persona]


def test_an_unknown_colour_is_422(client_as, note):
    response = client_as("editor").post(note_url(note, "colour"), {"colour": "plaid"}, **HTMX)
    assert response.status_code == 422
    assert "palette" in response.content.decode()


def test_note_detail_partial_and_plain(client_as, note):
    assert 'id="note-' in client_as("viewer").get(note_url(note, "detail"), **HTMX).content.decode()
    assert client_as("viewer").get(note_url(note, "detail")).status_code == 302
    assert client_as("outsider").get(note_url(note, "detail"), **HTMX).status_code == 404


def test_anonymous_htmx_request_is_sent_to_log_in_as_a_full_page(client_as, note):
    response = client_as("anonymous").post(note_url(note, "delete"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))
