"""Pushed fragments in the browser: a note someone adds reaches the other pages down the event
stream, with no page fetching the board, and each guest still edits only their own notes.
With LIVE_PUSH off, the pages fetch as before."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvases.workshops import services as workshops
from tests.e2e.conftest import engines_canvas, log_in, new_page
from tests.e2e.test_workshop_flow import control
from tests.servers import Server

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 2_000  # ms
BOARD_FETCH = re.compile(r"/canvases/\d+/board/")


@pytest.fixture
def canvas(transactional_db):
    return engines_canvas()


@pytest.fixture(params=["push", "fetch"])
def server(request, canvas):
    server = Server(env={"LIVE_PUSH": "true" if request.param == "push" else "false"}).start()
    server.mode = request.param
    yield server
    server.stop()


def board_fetches(page) -> list[str]:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if BOARD_FETCH.search(r.url) else None)
    return fetched


def test_a_note_reaches_the_other_page(browser, server, canvas):
    writer, watcher = new_page(browser), new_page(browser)
    for page, name, password in [
        (writer, "ada", "lovelace-123"),
        (watcher, "charles", "babbage-123"),
    ]:
        log_in(page, server, name, password)
        page.goto(f"{server.url}/canvases/{canvas.pk}/?lens=")
    expect(watcher.locator("#presence-bar .avatar")).to_have_count(2, timeout=LIVE)
    fetched = board_fetches(watcher)
    draft = watcher.locator("#note-new-channels")
    draft.fill("Half-typed idea")

    writer.locator("#note-new-channels").fill("Royal Society lectures")
    writer.locator("#note-new-channels").press("Enter")
    arrived = watcher.locator("#notes-channels .note", has_text="Royal Society lectures")
    expect(arrived).to_be_visible(timeout=LIVE)
    expect(watcher.locator("#canvas-changed")).to_contain_text("by ada", timeout=LIVE)
    # The pushed list is a working one: the watcher opens the note's editor from it.
    arrived.click()
    expect(watcher.locator(".note--editing textarea")).to_have_value("Royal Society lectures")
    expect(draft).to_have_value("Half-typed idea")

    if server.mode == "push":
        assert fetched == []
    else:
        assert fetched, "without push the page fetches the changed block"

    # Changes in quick succession, in several blocks: none is lost on the way (a refresh
    # asked for while another is in flight gathers into the next one).
    kinds = ["key_partners", "key_activities", "key_resources", "cost_structure"]
    for kind in kinds:
        writer.locator(f"#note-new-{kind}").fill(f"Quick {kind}")
        writer.locator(f"#note-new-{kind}").press("Enter")
    for kind in kinds:
        expect(writer.locator(f"#notes-{kind}")).to_contain_text(f"Quick {kind}")
    for kind in kinds:
        expect(watcher.locator(f"#notes-{kind}")).to_contain_text(f"Quick {kind}", timeout=LIVE)
    for page in (writer, watcher):
        assert page.errors == []
        page.context.close()


def test_guests_get_pushed_notes_and_edit_only_their_own(browser, server, canvas):
    ada = get_user_model().objects.get(username="ada")
    workshop = workshops.start_workshop(canvas=canvas, facilitator=ada, title="")
    grace, alan = new_page(browser), new_page(browser)
    for page, name in [(grace, "Grace"), (alan, "Alan")]:
        page.goto(f"{server.url}/w/{workshop.join_token}/")
        page.fill("#id_display_name", name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator("h1.canvas-title")).to_have_text("Engines")
    expect(alan.locator("#presence-bar .avatar")).to_have_count(2, timeout=LIVE)
    fetched = board_fetches(alan)

    grace.locator("#note-new-channels").fill("Grace's idea")
    grace.locator("#note-new-channels").press("Enter")
    theirs = alan.locator("#notes-channels .note", has_text="Grace's idea")
    expect(theirs).to_be_visible(timeout=LIVE)
    # The list is the same for every guest; each keeps only the edit links of their own notes.
    expect(theirs.locator(".note-open")).to_have_count(0)
    alan.locator("#note-new-channels").fill("Alan's idea")
    alan.locator("#note-new-channels").press("Enter")
    mine = grace.locator("#notes-channels .note", has_text="Alan's idea")
    expect(mine).to_be_visible(timeout=LIVE)
    expect(mine.locator(".note-open")).to_have_count(0)
    expect(grace.locator(".note", has_text="Grace's idea").locator(".note-open")).to_have_count(1)
    expect(alan.locator(".note", has_text="Alan's idea").locator(".note-open")).to_have_count(1)

    if server.mode == "push":
        assert fetched == []

    # Private writing (started by the facilitator on her page, through the server that serves
    # the guests' streams): a note Grace writes now changes only her pages; Alan's fetches nothing.
    facilitator = new_page(browser)
    log_in(facilitator, server, "ada", "lovelace-123")
    facilitator.goto(f"{server.url}/canvases/{canvas.pk}/")
    with alan.expect_response(lambda response: BOARD_FETCH.search(response.url)):
        control(facilitator, "Start private writing")  # what notes show changes: pages fetch
    expect(alan.locator(".workshop-bar")).to_contain_text("Private writing", timeout=LIVE)
    fetched.clear()
    grace.locator("#note-new-channels").fill("Grace's secret")
    grace.locator("#note-new-channels").press("Enter")
    expect(grace.locator("#notes-channels")).to_contain_text("Grace's secret")
    grace.locator("#note-new-channels").fill("Grace's second secret")
    grace.locator("#note-new-channels").press("Enter")
    expect(grace.locator("#notes-channels")).to_contain_text("Grace's second secret")
    # The facilitator's bar counts them; Alan's page heard the same events and did nothing.
    expect(facilitator.locator(".workshop-bar")).to_contain_text("(2 hidden)", timeout=LIVE)
    expect(alan.locator(".note", has_text="secret")).to_have_count(0)
    assert fetched == []
    for page in (grace, alan, facilitator):
        assert page.errors == []
        page.context.close()
