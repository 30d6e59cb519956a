"""Two members and a thread: a comment with an @mention on a note, the badge on the other
page live, the inbox, the link to the thread in place, a reply, resolve and reopen, and the
keyboard (Esc closes the thread and gives the focus back to the card's comments link)."""

import pytest
from playwright.sync_api import expect

from canvases import services
from canvases.models import Role
from tests.e2e.conftest import engines_canvas, log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 3_000


@pytest.fixture
def note(app_server):
    canvas = engines_canvas(charles_role=Role.VIEWER)
    block = canvas.blocks.get(kind="channels")
    return services.add_note(block=block, text="Royal Society lectures", author=canvas.created_by)


def test_a_mention_reaches_the_other_member_who_replies(browser, app_server, note, tmp_path):
    ada, charles = new_page(browser), new_page(browser)
    canvas_url = f"{app_server.url}/canvases/{note.block.canvas_id}/"
    log_in(ada, app_server, "ada", "lovelace-123")
    log_in(charles, app_server, "charles", "babbage-123")
    for page in (ada, charles):
        page.goto(canvas_url)
    expect(charles.locator("#presence-bar .avatar")).to_have_count(2, timeout=LIVE)

    # Ada opens the thread from the keyboard and mentions Charles with the completion.
    badge = ada.locator(f"#comments-note-{note.pk}")
    badge.focus()
    badge.press("Enter")
    field = ada.locator(".thread-panel .comment-add textarea")
    expect(field).to_be_focused()
    field.type("Could you check this, @cha")
    option = ada.locator(".mention-list [role=option]")
    expect(option).to_have_text(["@charles"])
    field.press("Enter")  # takes the suggestion
    field.type("? https://example.org")
    expect(field).to_have_value("Could you check this, @charles ? https://example.org")
    ada.screenshot(path=str(tmp_path / "thread-completion.png"))
    field.press("Control+Enter")
    expect(ada.locator(".thread-panel .comment")).to_have_count(1)
    expect(ada.locator(".thread-panel .comment a[href='https://example.org']")).to_be_visible()

    # Charles sees the count on the card at once, and the unread mention on his next page.
    expect(charles.locator(f"#comments-note-{note.pk} .comment-count")).to_have_text(
        "1", timeout=LIVE
    )
    charles.goto(app_server.url + "/inbox/")
    expect(charles.locator("#inbox-link .unread-count")).to_contain_text("1")
    charles.screenshot(path=str(tmp_path / "inbox.png"))
    charles.get_by_role("button", name="Open the comment").click()
    expect(charles.locator(".thread-panel .comment--target")).to_contain_text("Could you check")
    expect(charles.locator("#inbox-link .unread-count")).to_have_count(0)

    # His reply reaches Ada's open thread live; her draft stays.
    ada.locator(".thread-panel .comment-add textarea").fill("half a thought")
    reply = charles.locator(".thread-panel .comment-add textarea")
    reply.fill("Done: the lectures are booked.")
    charles.get_by_role("button", name="Comment", exact=True).click()
    expect(ada.locator(".thread-panel .comment")).to_have_count(2, timeout=LIVE)
    expect(ada.locator(".thread-panel .comment-add textarea")).to_have_value("half a thought")

    # A viewer cannot resolve Ada's thread; Ada (the owner) resolves and reopens it.
    expect(charles.get_by_role("button", name="Resolve")).to_have_count(0)
    ada.get_by_role("button", name="Resolve").click()
    expect(ada.locator(".thread-panel .badge--resolved")).to_be_visible()
    expect(charles.locator(".thread-panel .badge--resolved")).to_be_visible(timeout=LIVE)
    ada.get_by_role("button", name="Reopen").click()
    expect(ada.locator(".thread-panel .badge--resolved")).to_have_count(0)
    ada.screenshot(path=str(tmp_path / "thread.png"))

    # Esc closes the panel and puts the focus back on the card's comments link.
    ada.locator(".thread-panel .comment-add textarea").press("Escape")
    expect(ada.locator("#thread-panel")).to_be_hidden()
    expect(ada.locator(f"#comments-note-{note.pk}")).to_be_focused()
    expect(ada.locator(f"#comments-note-{note.pk} .comment-count")).to_have_text("2")
    for page in (ada, charles):
        assert page.errors == []
        page.context.close()
