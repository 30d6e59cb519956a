"""A person logs in and adds, edits, moves and deletes notes, with mouse and keyboard."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvases import services
from canvases.models import BlockKind, Note
from canvases.teams import services as team_services
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(app_server):
    user = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=user)
    canvas = services.create_canvas(team=team, title="Engines", author=user)
    return canvas


def note_in(page, kind: str, text: str):
    return page.locator(f"#notes-{kind} .note", has_text=text)


def test_add_edit_move_and_delete_notes(page, app_server, board):
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(f"{app_server.url}/canvases/{board.pk}/")
    expect(page.get_by_text("Where to start?")).to_be_visible()

    # Add two notes with Enter; the field keeps the focus for the next one.
    field = page.locator("#note-new-value_propositions")
    field.fill("Punched-card programs")
    field.press("Enter")
    expect(note_in(page, "value_propositions", "Punched-card programs")).to_be_visible()
    expect(page.locator("#note-new-value_propositions")).to_be_focused()
    page.keyboard.type("Tables without errors")
    page.keyboard.press("Enter")
    expect(note_in(page, "value_propositions", "Tables without errors")).to_be_visible()
    expect(page.get_by_text("Where to start?")).to_be_hidden()

    # An empty note is refused in place.
    page.locator("#note-new-value_propositions").press("Enter")
    expect(page.locator("#block-value_propositions .field-error")).to_contain_text(
        "cannot be empty"
    )

    # Edit in place: click opens, Enter saves.
    note_in(page, "value_propositions", "Tables without errors").click()
    editor = page.locator(".note--editing textarea[name=text]")
    expect(editor).to_be_focused()
    editor.fill("Mathematical tables without errors")
    editor.press("Enter")
    expect(note_in(page, "value_propositions", "Mathematical tables")).to_be_visible()
    expect(page.locator(".note--editing")).to_have_count(0)

    # Esc cancels an edit and keeps the old text.
    note_in(page, "value_propositions", "Punched-card").click()
    expect(page.locator(".note--editing textarea")).to_be_focused()
    page.keyboard.type(" DISCARD")
    page.keyboard.press("Escape")
    expect(page.locator(".note--editing")).to_have_count(0)
    expect(note_in(page, "value_propositions", "DISCARD")).to_have_count(0)

    # Keyboard: Alt+Up reorders, Alt+Right moves to the next block; focus follows the note.
    note_in(page, "value_propositions", "Mathematical tables").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#notes-value_propositions .note").first).to_contain_text("Mathematical")
    expect(note_in(page, "value_propositions", "Mathematical tables")).to_be_focused()
    page.keyboard.press("Alt+ArrowRight")
    moved = note_in(page, "customer_relationships", "Mathematical tables")
    expect(moved).to_be_visible()
    expect(moved).to_be_focused()

    # Drag and drop into Key Partners.
    moved.drag_to(page.locator("#block-key_partners .notes"))
    expect(note_in(page, "key_partners", "Mathematical tables")).to_be_visible()
    assert Note.objects.get(text__startswith="Mathematical").block.kind == BlockKind.KEY_PARTNERS

    # Delete with the Delete key, undo from the toast, then delete from the editor.
    note_in(page, "key_partners", "Mathematical tables").focus()
    page.keyboard.press("Delete")
    expect(note_in(page, "key_partners", "Mathematical tables")).to_have_count(0)
    page.locator(".toast").get_by_role("button", name="Undo").click()
    expect(note_in(page, "key_partners", "Mathematical tables")).to_be_visible()
    note_in(page, "key_partners", "Mathematical tables").click()
    page.locator(".note--editing").get_by_role("button", name="Delete").click()
    expect(note_in(page, "key_partners", "Mathematical tables")).to_have_count(0)

    live = list(Note.objects.alive().values_list("text", flat=True))
    assert live == ["Punched-card programs"]


def test_the_canvas_works_without_javascript(browser, app_server, board):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(f"{app_server.url}/canvases/{board.pk}/")
    page.fill("#note-new-channels", "Letters to the Royal Society")
    page.locator("#note-add-channels").get_by_role("button", name="Add").click()
    expect(note_in(page, "channels", "Letters to the Royal Society")).to_be_visible()
    note_in(page, "channels", "Letters").get_by_role("link", name="Edit note").click()
    page.locator(".note--editing textarea").fill("Letters and lectures")
    page.locator(".note--editing").get_by_role("button", name="Save").click()
    expect(note_in(page, "channels", "Letters and lectures")).to_be_visible()
    context.close()
