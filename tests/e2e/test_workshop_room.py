"""The workshop room in three browsers: a facilitator, a guest by link and a guest by code on a
phone. Who is who on the page, authors on cards, the lock, dots left, voting for the room, the
guest preview, the invite panel, the summary and the past workshops; screenshots for a look."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from canvases.models import Workshop
from tests.e2e.conftest import log_in, new_page
from tests.e2e.test_workshop_flow import add_note, canvas, control  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 3_000
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
PHONE = {"width": 390, "height": 844}


def watch_csp(page) -> list[str]:
    """Console errors of the page that are Content Security Policy refusals."""
    refused: list[str] = []

    def note(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note)
    return refused


def shot(page, name: str, **options) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"room-{name}.png"), **options)


def join_by_link(page, server, workshop: Workshop, name: str) -> None:
    page.goto(f"{server.url}/w/{workshop.join_token}/")
    page.fill("#id_display_name", name)
    page.get_by_role("button", name="Join").click()


def join_by_code(page, server, workshop: Workshop, name: str) -> None:
    page.goto(f"{server.url}/join/")
    page.fill("#id_code", workshop.join_code.lower())
    page.fill("#id_display_name", name)
    page.get_by_role("button", name="Join").click()


def mark_lists(page) -> None:
    """Mark the note lists, to see them replaced by the next refresh of the board."""
    page.evaluate("document.querySelectorAll('ul.notes').forEach((u) => { u.dataset.old = 1 })")


def dot(page, text: str) -> None:
    """Put a dot on a note; the vote must reach the server (not a click on a list that a
    refresh was replacing)."""
    note = page.locator(".note", has_text=text)
    with page.expect_response(lambda response: "/vote/up/" in response.url) as sent:
        note.get_by_role("button", name="Put a dot on this note").click()
    assert sent.value.status == 200


def test_the_workshop_room_for_a_facilitator_and_two_guests(browser, app_server, canvas):  # noqa: F811
    ada = new_page(browser)
    ada.context.grant_permissions(["clipboard-read", "clipboard-write"])
    grace, alan = new_page(browser), new_page(browser)
    alan.set_viewport_size(PHONE)
    refused = {name: watch_csp(page) for name, page in (("ada", ada), ("grace", grace),
                                                        ("alan", alan))}  # fmt: skip
    log_in(ada, app_server, "ada", "lovelace-123")
    ada.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    ada.locator(".wb-start summary").click()
    ada.fill("#wb-title", "Pricing session")
    ada.get_by_role("button", name="Start the workshop").click()
    expect(ada.locator(".workshop-bar--on")).to_be_visible()
    workshop = Workshop.objects.get()

    # The way in: the code in the bar, the link and a QR code, with copy buttons.
    ada.locator("#wb-join summary").click()
    expect(ada.locator("#wb-join svg.qr-code")).to_be_visible()
    expect(ada.locator("#wb-code")).to_have_value(workshop.join_code)
    copy = ada.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    expect(ada.get_by_role("button", name="Copy code")).to_be_visible()
    copy.click()
    expect(ada.locator(".toast")).to_contain_text("Copied: ")
    assert ada.evaluate("navigator.clipboard.readText()").endswith(f"/w/{workshop.join_token}/")
    shot(ada, "invite")
    ada.locator("#wb-join summary").click()

    # Guests join by link and by code, and see their own name in the header.
    join_by_link(grace, app_server, workshop, "Grace")
    join_by_code(alan, app_server, workshop, "Alan (guest)")
    for page, name in ((grace, "Grace"), (alan, "Alan")):
        expect(page.locator("h1.canvas-title")).to_have_text("Engines")
        expect(page.locator(".topbar .guest-badge")).to_have_text(f"{name} guest")
        href = page.locator(".topbar .brand").get_attribute("href")
        assert href == f"/canvases/{canvas.pk}/"

    # Cards say who wrote them (the workshop is not anonymous).
    add_note(grace, "channels", "Pop-up stands")
    add_note(ada, "channels", "Bike shops")
    for page in (ada, grace, alan):
        stand = page.locator("#notes-channels .note", has_text="Pop-up stands")
        expect(stand.locator(".note-author")).to_have_text("Grace", timeout=LIVE)
        shops = page.locator("#notes-channels .note", has_text="Bike shops")
        expect(shops.locator(".note-author")).to_have_text("ada", timeout=LIVE)
    shot(grace, "guest")

    # The lock: guests read a banner and lose their add fields; the facilitator keeps them.
    control(ada, "Lock the canvas")
    expect(grace.locator(".wb-locked")).to_contain_text(
        "The facilitator locked the canvas", timeout=LIVE
    )
    expect(grace.locator("#note-new-channels")).to_be_hidden()
    expect(ada.locator("#note-new-channels")).to_be_visible()
    expect(ada.locator(".wb-locked")).to_have_count(0)
    shot(grace, "locked")
    control(ada, "Unlock the canvas")
    expect(grace.locator(".wb-locked")).to_have_count(0, timeout=LIVE)
    expect(grace.locator("#note-new-channels")).to_be_visible(timeout=LIVE)
    add_note(grace, "customer_segments", "Students")

    # Dot voting: dots left, then none, with the way to move one.
    ada.locator("#wb-budget").fill("2")
    control(ada, "Open voting")
    expect(grace.locator(".workshop-bar")).to_contain_text("2 of 2 dots left", timeout=LIVE)
    dot(grace, "Bike shops")
    expect(grace.locator(".workshop-bar")).to_contain_text("1 of 2 dots left", timeout=LIVE)
    dot(grace, "Bike shops")
    bar = grace.locator(".workshop-bar")
    expect(bar).to_contain_text("No dots left: take one back (−) to move it", timeout=LIVE)
    expect(grace.locator(".note", has_text="Students").locator(".vote-button")).to_be_disabled()
    shot(grace, "no-dots")

    # The facilitator votes for the room, within the room's three dots.
    ada.locator("#wb-room-budget").fill("3")
    mark_lists(ada)
    control(ada, "Vote for the room")
    expect(ada.locator(".badge--room")).to_contain_text("0 room dots cast, 3 of 3 left")
    # The board follows (the dots on it are the room's now): vote once it has.
    expect(ada.locator("ul.notes[data-old]")).to_have_count(0, timeout=LIVE)
    dot(ada, "Pop-up stands")
    expect(ada.locator(".badge--room")).to_contain_text("1 room dot cast, 2 of 3 left")
    dot(alan, "Pop-up stands")
    expect(alan.locator(".workshop-bar")).to_contain_text("1 of 2 dots left", timeout=LIVE)
    shot(ada, "room-voting")
    control(ada, "Close voting and show results")
    first = grace.locator(".wb-results li").first
    expect(first).to_contain_text("Pop-up stands", timeout=LIVE)
    expect(first).to_contain_text("(1 from the room)")

    # The facilitator previews the page as a guest sees it, and goes back.
    ada.goto(f"{app_server.url}/canvases/{canvas.pk}/?as=guest")
    expect(ada.locator(".wb-preview")).to_contain_text("Previewing as a guest")
    expect(ada.locator("#wb-controls")).to_have_count(0)
    expect(ada.locator("#wb-join")).to_have_count(0)
    expect(ada.locator(".topbar .guest-badge")).to_have_count(0)
    shot(ada, "preview")
    ada.get_by_role("link", name="Back to your view").click()
    expect(ada.locator("#wb-controls")).to_be_visible()

    # On a phone the workshop bar stays in view while the page scrolls.
    alan.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    alan.wait_for_timeout(200)
    assert alan.evaluate("window.scrollY") > 500
    box = alan.locator("#workshop-bar").bounding_box()
    assert box is not None and -1 <= box["y"] <= 1 and box["height"] < PHONE["height"] * 0.75
    shot(alan, "phone")

    # The end: the summary lists the notes by block with their dots and authors.
    ada.once("dialog", lambda dialog: dialog.accept())
    control(ada, "End workshop")
    expect(ada.locator("h1")).to_contain_text("Workshop summary: Pricing session")
    notes = ada.locator(".summary-notes")
    expect(notes.locator("h3")).to_have_text(["Channels", "Customer Segments"])
    expect(notes.locator("li", has_text="Bike shops")).to_contain_text("· ada 2 dots")
    expect(notes.locator("li", has_text="Pop-up stands")).to_contain_text("· Grace (guest) 2 dots")
    expect(notes.locator("li", has_text="Students")).to_contain_text("· Grace (guest)")
    expect(ada.locator("main")).to_contain_text("Alan (guest)")
    expect(ada.locator("main")).not_to_contain_text("(guest) (guest)")
    shot(ada, "summary", full_page=True)

    # The canvas's past workshops, from the summary's breadcrumbs.
    ada.locator(".breadcrumbs").get_by_role("link", name="Workshops").click()
    row = ada.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Pricing session")
    expect(row.locator("td").nth(3)).to_have_text("2")
    shot(ada, "list")
    row.get_by_role("link", name="Summary").click()
    expect(ada.locator("h1")).to_contain_text("Workshop summary")

    assert refused == {"ada": [], "grace": [], "alan": []}
    for page in (ada, grace, alan):
        assert page.errors == []
        page.context.close()
