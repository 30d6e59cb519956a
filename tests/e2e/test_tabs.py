"""Many tabs of one browser on one canvas share one event stream (static/js/stream.js): every
change reaches all of them, and when the tab holding the stream closes another takes over."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvas_site.live import new_tab
from canvases import services
from canvases.models import Membership, Presence, Role
from canvases.teams import services as team_services
from tests.e2e.conftest import log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 3_000  # ms: every change must reach every tab within this
TABS = 8  # more than the six HTTP/1.1 connections a browser opens to one host


@pytest.fixture
def canvas(app_server):
    ada = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=ada)
    return services.create_canvas(team=team, title="Engines", author=ada)


@pytest.fixture
def writer(browser, app_server, canvas):
    """Charles, an editor of the canvas in another browser: his changes go through the server
    that serves the tabs (on SQLite, events reach only that process's streams)."""
    charles = get_user_model().objects.create_user(username="charles", password="babbage-123")
    Membership.objects.create(team=canvas.team, user=charles, role=Role.EDITOR)
    page = watch(new_page(browser))
    log_in(page, app_server, "charles", "babbage-123")
    page.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    yield page
    assert page.errors == [], f"Errors on the writer's page: {page.errors}"
    page.context.close()


def add(writer, kind: str, text: str) -> None:
    field = writer.locator(f"#note-new-{kind}")
    field.fill(text)
    field.press("Enter")
    expect(writer.locator(f"#notes-{kind}")).to_contain_text(text)


class Streams:
    """The event streams a browser context has open, as its network traffic shows them."""

    def __init__(self, context):
        self.opened, self.ended = [], set()
        context.on("request", lambda r: "/events/" in r.url and self.opened.append(r))
        for event in ("requestfinished", "requestfailed"):
            context.on(event, lambda r: "/events/" in r.url and self.ended.add(r.url))

    def open(self) -> list[str]:
        # A closed tab's requests end without an event.
        live = [r for r in self.opened if not r.frame.page.is_closed()]
        return [r.url for r in live if r.url not in self.ended]


def watch(page):
    """A tab's script errors (new_page collects those of its first tab) and console errors."""
    if not hasattr(page, "errors"):
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def wait_until(page, condition, what: str) -> None:
    for _ in range(LIVE // 50):
        if condition():
            return
        page.wait_for_timeout(50)  # also lets Playwright deliver the network events
    raise AssertionError(f"Still waiting for {what}")


def open_tabs(browser, server, canvas, count: int):
    first = watch(new_page(browser))
    streams = Streams(first.context)
    log_in(first, server, "ada", "lovelace-123")
    tabs = [first] + [watch(first.context.new_page()) for _ in range(count - 1)]
    for tab in tabs:
        tab.goto(f"{server.url}/canvases/{canvas.pk}/")
    # Every tab has heard hello (the presence bar comes with it), so the stream is up.
    for tab in tabs:
        expect(tab.locator("#presence-bar .avatar--me")).to_have_count(1, timeout=LIVE)
    return tabs, streams


def holder(tabs, stream_url: str):
    """The tab whose stream that is (the URL names the tab)."""
    tab_id = parse_qs(urlsplit(stream_url).query)["tab"][0]
    return next(tab for tab in tabs if tab.locator("#live").get_attribute("data-tab") == tab_id)


def test_eight_tabs_share_one_stream_and_stay_live_when_its_tab_closes(
    browser, app_server, canvas, writer
):
    tabs, streams = open_tabs(browser, app_server, canvas, TABS)
    wait_until(tabs[0], lambda: len(streams.open()) == 1, "one stream")
    assert len(streams.opened) == 1, "one stream for the whole browser, never one per tab"
    leader = holder(tabs, streams.open()[0])
    leader_tab = leader.locator("#live").get_attribute("data-tab")
    assert Presence.objects.filter(canvas=canvas, tab=leader_tab).exists()

    # A change made elsewhere reaches every tab.
    add(writer, "channels", "Royal Society")
    for tab in tabs:
        expect(tab.locator("#notes-channels")).to_contain_text("Royal Society", timeout=LIVE)

    # The tab holding the stream closes: its stream ends on the server, another tab opens the
    # browser's one stream again, and the seven left stay live.
    leader.close()
    rest = [tab for tab in tabs if tab is not leader]
    wait_until(rest[0], lambda: len(streams.opened) == 2 and len(streams.open()) == 1, "a takeover")
    successor = holder(rest, streams.open()[0])
    assert successor is not leader
    wait_until(
        rest[0],
        lambda: not Presence.objects.filter(canvas=canvas, tab=leader_tab).exists(),
        "the closed tab's stream to end on the server",
    )
    add(writer, "key_partners", "Lady Byron")
    for tab in rest:
        expect(tab.locator("#notes-key_partners")).to_contain_text("Lady Byron", timeout=LIVE)
        expect(tab.locator("#notes-channels")).to_contain_text("Royal Society")
    assert len(streams.opened) == 2
    for tab in tabs:
        assert tab.errors == [], f"Errors in a tab: {tab.errors}"
    tabs[0].context.close()


def test_a_tab_without_the_stream_shows_what_it_edits_until_it_closes(browser, app_server, canvas):
    note = services.add_note(block=canvas.blocks.get(kind="channels"), text="Lectures", author=None)
    charles = get_user_model().objects.create_user(username="charles", password="babbage-123")
    Membership.objects.create(team=canvas.team, user=charles, role=Role.EDITOR)
    tabs, streams = open_tabs(browser, app_server, canvas, 2)
    wait_until(tabs[0], lambda: len(streams.open()) == 1, "one stream")
    follower = next(tab for tab in tabs if tab is not holder(tabs, streams.open()[0]))
    watcher = watch(new_page(browser))
    log_in(watcher, app_server, "charles", "babbage-123")
    watcher.goto(f"{app_server.url}/canvases/{canvas.pk}/")

    follower.locator(f"#note-{note.pk}").click()
    busy = watcher.locator(f"#note-{note.pk} .busy-label")
    expect(busy).to_have_text("ada is editing", timeout=LIVE)
    # Its stream's end cannot say it left (it has none): the tab says so as it closes.
    follower.close()
    expect(busy).to_have_count(0, timeout=LIVE)
    for page in (*tabs, watcher):
        assert page.errors == [], f"Errors in a tab: {page.errors}"
    for page in (tabs[0], watcher):
        page.context.close()


def test_when_the_server_closes_the_stream_every_tab_stops_until_one_is_reloaded(
    browser, app_server, canvas, writer
):
    tabs, streams = open_tabs(browser, app_server, canvas, 3)
    wait_until(tabs[0], lambda: len(streams.open()) == 1, "one stream")
    leader = holder(tabs, streams.open()[0])
    # Ada opens the canvas on more devices than LIVE_STREAMS_PER_VIEWER allows: the server
    # closes her oldest stream, this browser's.
    cookies = {cookie["name"]: cookie["value"] for cookie in tabs[0].context.cookies()}
    devices = httpx.Client(base_url=app_server.url, cookies=cookies, timeout=10)
    streams_elsewhere = [
        devices.send(
            devices.build_request(
                "GET", f"/canvases/{canvas.pk}/events/", params={"tab": new_tab()}
            ),
            stream=True,
        )
        for _ in range(settings.LIVE_STREAMS_PER_VIEWER)
    ]
    assert all(response.status_code == 200 for response in streams_elsewhere)
    for tab in tabs:
        expect(tab.locator("#toasts")).to_contain_text("no longer follows", timeout=LIVE)
    # No tab takes over: that would only close another of her streams.
    add(writer, "channels", "Unseen")
    tabs[0].wait_for_timeout(500)
    assert len(streams.opened) == 1
    for tab in tabs:
        expect(tab.locator("#notes-channels")).not_to_contain_text("Unseen")

    # Reloading a tab makes it follow again, with the one stream of this browser.
    follower = next(tab for tab in tabs if tab is not leader)
    follower.reload()
    wait_until(follower, lambda: len(streams.open()) == 1 and len(streams.opened) == 2, "a stream")
    assert holder(tabs, streams.open()[0]) is follower
    add(writer, "channels", "Seen again")
    expect(follower.locator("#notes-channels")).to_contain_text("Seen again", timeout=LIVE)
    for tab in tabs:
        assert tab.errors == [], f"Errors in a tab: {tab.errors}"
    tabs[0].context.close()
    for response in streams_elsewhere:
        response.close()
    devices.close()


def test_without_broadcast_channel_each_tab_has_its_own_stream(browser, app_server, canvas, writer):
    first = watch(new_page(browser))
    first.context.add_init_script("delete window.BroadcastChannel")
    streams = Streams(first.context)
    log_in(first, app_server, "ada", "lovelace-123")
    tabs = [first, watch(first.context.new_page())]
    for tab in tabs:
        tab.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    wait_until(first, lambda: len(streams.open()) == 2, "a stream per tab")
    for tab in tabs:
        expect(tab.locator("#presence-bar .avatar--me")).to_have_count(1, timeout=LIVE)
    add(writer, "channels", "Royal Society")
    for tab in tabs:
        expect(tab.locator("#notes-channels")).to_contain_text("Royal Society", timeout=LIVE)
        assert tab.errors == [], f"Errors in a tab: {tab.errors}"
    first.context.close()


def test_a_fragment_event_is_swapped_in_every_tab_but_not_over_a_draft(browser, app_server, canvas):
    """The stream may bring HTML with out-of-band parts (a `fragment` event): htmx swaps it
    in every tab, and a list where someone is typing keeps the draft (drafts.js)."""
    note = services.add_note(
        block=canvas.blocks.get(kind="key_partners"), text="Lady Byron", author=None
    )
    canvas.refresh_from_db()
    # This browser's stream is the one below, sent when the test says so.
    pending = []
    first = watch(new_page(browser))
    first.context.route("**/events/**", lambda route: pending.append(route))
    log_in(first, app_server, "ada", "lovelace-123")
    tabs = [first] + [watch(first.context.new_page()) for _ in range(2)]
    for tab in tabs:
        tab.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    wait_until(first, lambda: len(pending) == 1, "the stream's request")

    typist = tabs[1]
    typist.locator(f"#note-{note.pk}").click()
    typist.locator(".note--editing textarea").fill("Half-typed")
    fragment = (
        '<ul class="notes" id="notes-channels" hx-swap-oob="true">'
        '<li class="note" id="note-9999"><p class="note-text">From the server</p></li></ul>'
        '<ul class="notes" id="notes-key_partners" hx-swap-oob="true"></ul>'
    )
    for tab in tabs:
        tab.evaluate("""() => { window.oobSwaps = 0;
            document.addEventListener("htmx:oobBeforeSwap", () => window.oobSwaps++); }""")
    hello = json.dumps({"revision": canvas.revision})
    body = f"retry: 600000\nid: {canvas.revision}\nevent: hello\ndata: {hello}\n\n"
    body += "event: fragment\ndata: " + fragment + "\n\n"
    pending.pop().fulfill(status=200, content_type="text/event-stream", body=body)

    for tab in tabs:
        expect(tab.locator("#notes-channels")).to_contain_text("From the server", timeout=LIVE)
        assert tab.evaluate("window.oobSwaps") == 2
    expect(typist.locator(".note--editing textarea")).to_have_value("Half-typed")
    for tab in tabs:
        if tab is not typist:
            expect(tab.locator(f"#note-{note.pk}")).to_have_count(0)
        assert tab.errors == [], f"Errors in a tab: {tab.errors}"
    first.context.close()
