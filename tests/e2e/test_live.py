"""Two browsers on one canvas: every change shows up on the other page without a reload,
and a half-typed note there stays as it is."""

import pytest
from playwright.sync_api import expect

from canvases import services
from tests.e2e.conftest import engines_canvas, log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 2_000  # ms: every change must reach the other page within this


@pytest.fixture
def canvas(app_server):
    return engines_canvas()


def test_changes_reach_the_other_page_live(browser, app_server, canvas):
    writer, watcher = new_page(browser), new_page(browser)
    for page, name, password in [
        (writer, "ada", "lovelace-123"),
        (watcher, "charles", "babbage-123"),
    ]:
        log_in(page, app_server, name, password)
        page.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    # Both are present, and each page knows the other.
    expect(watcher.locator("#presence-bar .avatar")).to_have_count(2, timeout=LIVE)
    expect(writer.locator("#presence-bar .avatar")).to_have_count(2, timeout=LIVE)
    watcher.evaluate("window.notReloaded = true")

    # The watcher starts typing a note of their own and leaves it half done.
    draft = watcher.locator("#note-new-channels")
    draft.fill("Half-typed idea")

    # Add
    writer.locator("#note-new-channels").fill("Royal Society lectures")
    writer.locator("#note-new-channels").press("Enter")
    seen = watcher.locator("#notes-channels .note", has_text="Royal Society lectures")
    expect(seen).to_be_visible(timeout=LIVE)

    # Edit: while the writer edits, the watcher sees who is editing that note.
    writer.locator(".note", has_text="Royal Society lectures").click()
    expect(watcher.locator(".note--busy .busy-label")).to_have_text("ada is editing", timeout=LIVE)
    editor = writer.locator(".note--editing textarea[name=text]")
    editor.fill("Lectures at the Royal Society")
    editor.press("Enter")
    expect(watcher.locator("#notes-channels")).to_contain_text(
        "Lectures at the Royal Society", timeout=LIVE
    )
    expect(watcher.locator(".note--busy")).to_have_count(0, timeout=LIVE)

    # Move (keyboard) to the next block
    writer.locator(".note", has_text="Lectures at the Royal Society").focus()
    writer.keyboard.press("Alt+ArrowRight")
    expect(watcher.locator("#notes-customer_segments")).to_contain_text(
        "Lectures at the Royal Society", timeout=LIVE
    )
    expect(watcher.locator("#notes-channels .note")).to_have_count(0, timeout=LIVE)

    # Delete
    writer.locator(".note", has_text="Lectures at the Royal Society").focus()
    writer.keyboard.press("Delete")
    expect(watcher.locator(".note", has_text="Lectures at the Royal Society")).to_have_count(
        0, timeout=LIVE
    )

    # The half-typed note is untouched, and the page never reloaded.
    expect(draft).to_have_value("Half-typed idea")
    assert watcher.evaluate("window.notReloaded") is True
    for page in (writer, watcher):
        assert page.errors == []
        page.context.close()


def test_a_stale_edit_is_a_conflict_that_keeps_both_texts(browser, app_server, canvas):
    note = services.add_note(block=canvas.blocks.get(kind="channels"), text="Original", author=None)
    first, second = new_page(browser), new_page(browser)
    for page, name, password in [
        (first, "ada", "lovelace-123"),
        (second, "charles", "babbage-123"),
    ]:
        log_in(page, app_server, name, password)
        page.goto(f"{app_server.url}/canvases/{canvas.pk}/")
        page.locator(f"#note-{note.pk}").click()
        expect(page.locator(".note--editing textarea")).to_be_focused()
    first.locator(".note--editing textarea").fill("Ada's version")
    first.locator(".note--editing textarea").press("Enter")
    expect(first.locator(f"#note-{note.pk}")).to_contain_text("Ada's version")

    second.locator(".note--editing textarea").fill("Charles's version")
    second.locator(".note--editing textarea").press("Enter")
    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("Someone changed this note")
    expect(conflict.locator(".conflict-theirs")).to_have_text("Ada's version")
    expect(second.locator(".note--editing textarea")).to_have_value("Charles's version")
    second.get_by_role("button", name="Merge both into my draft").click()
    expect(second.locator(".note--editing textarea")).to_have_value(
        "Charles's version\nAda's version"
    )
    second.get_by_role("button", name="Keep mine").click()
    expect(second.locator(f"#note-{note.pk}")).to_contain_text("Charles's version")
    expect(first.locator(f"#note-{note.pk}")).to_contain_text("Ada's version", timeout=LIVE)
    expect(first.locator(f"#note-{note.pk}")).to_contain_text("Charles's version", timeout=LIVE)
    for page in (first, second):
        assert page.errors == []
        page.context.close()
