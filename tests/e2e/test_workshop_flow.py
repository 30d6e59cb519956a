"""A facilitator and two guests in three browsers: join, private writing, reveal, vote,
results, lock, end."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvases import services
from canvases.models import Note, Workshop
from canvases.teams import services as team_services
from tests.e2e.conftest import log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 3_000
# A note posted from the page as its add form would (fetch: the form itself is gone).
SEND_NOTE = """async (url) => (await fetch(url, {method: "POST", body: new URLSearchParams(
  {text: "Sneaky note"}), headers: {"X-CSRFToken": Canvas.csrfToken(), "HX-Request": "true"}}
)).status"""


@pytest.fixture
def canvas(app_server):
    ada = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=ada)
    return services.create_canvas(team=team, title="Engines", author=ada)


def add_note(page, kind: str, text: str) -> None:
    field = page.locator(f"#note-new-{kind}")
    field.fill(text)
    field.press("Enter")
    expect(page.locator(f"#notes-{kind}")).to_contain_text(text)


def control(page, button: str) -> None:
    controls = page.locator("#wb-controls")
    if controls.get_attribute("open") is None:
        controls.locator("summary").click()
    expect(controls).to_have_attribute("open", "")
    controls.get_by_role("button", name=button).click()


def test_a_workshop_from_start_to_end(browser, app_server, canvas):
    facilitator = new_page(browser)
    log_in(facilitator, app_server, "ada", "lovelace-123")
    facilitator.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    facilitator.locator(".wb-start summary").click()
    facilitator.get_by_role("button", name="Start the workshop").click()
    expect(facilitator.locator(".workshop-bar--on")).to_be_visible()
    workshop = Workshop.objects.get()

    # Two guests join: one through the link, one with the short code.
    grace, alan = new_page(browser), new_page(browser)
    grace.goto(f"{app_server.url}/w/{workshop.join_token}/")
    grace.fill("#id_display_name", "Grace")
    grace.get_by_role("button", name="Join").click()
    alan.goto(f"{app_server.url}/join/")
    alan.fill("#id_code", "WRONG1")
    alan.fill("#id_display_name", "Alan")
    alan.get_by_role("button", name="Join").click()
    expect(alan.locator("#code-error")).to_contain_text("No running workshop has this code")
    alan.fill("#id_code", workshop.join_code.lower())
    alan.get_by_role("button", name="Join").click()
    for guest in (grace, alan):
        expect(guest.locator("h1.canvas-title")).to_have_text("Engines")
    expect(facilitator.locator("#presence-bar .avatar")).to_have_count(3, timeout=LIVE)

    # Private writing: notes stay hidden from the others until the facilitator reveals them.
    control(facilitator, "Start private writing")
    expect(grace.locator(".workshop-bar")).to_contain_text("Private writing", timeout=LIVE)
    add_note(grace, "channels", "Grace's secret idea")
    add_note(alan, "channels", "Alan's secret idea")
    grace.wait_for_timeout(300)
    expect(alan.locator(".note", has_text="Grace's secret idea")).to_have_count(0)
    expect(facilitator.locator(".note", has_text="secret idea")).to_have_count(0)
    control(facilitator, "Reveal 2 hidden notes")
    for page in (facilitator, grace, alan):
        expect(page.locator("#notes-channels .note")).to_have_count(2, timeout=LIVE)

    # Guests touch only their own notes.
    theirs = grace.locator(".note", has_text="Alan's secret idea")
    expect(theirs.locator(".note-open")).to_have_count(0)

    # Dot voting on Channels, two dots each; results ranked when voting closes.
    facilitator.locator(".wb-controls select[name=block]").last.select_option("channels")
    facilitator.locator("#wb-budget").fill("2")
    control(facilitator, "Open voting")
    for page in (grace, alan):
        expect(page.locator(".workshop-bar")).to_contain_text("2 of 2 dots left", timeout=LIVE)
    grace.locator(".note", has_text="Alan's secret idea").get_by_role(
        "button", name="Put a dot on this note"
    ).click()
    expect(grace.locator(".workshop-bar")).to_contain_text("1 of 2 dots left", timeout=LIVE)
    alan.locator(".note", has_text="Alan's secret idea").get_by_role(
        "button", name="Put a dot on this note"
    ).click()
    expect(alan.locator(".workshop-bar")).to_contain_text("1 of 2 dots left", timeout=LIVE)
    alan.locator(".note", has_text="Grace's secret idea").get_by_role(
        "button", name="Put a dot on this note"
    ).click()
    expect(alan.locator(".workshop-bar")).to_contain_text("0 of 2 dots left", timeout=LIVE)
    control(facilitator, "Close voting and show results")
    results = grace.locator(".wb-results li")
    expect(results.first).to_contain_text("Alan's secret idea", timeout=LIVE)
    expect(results.first).to_contain_text("2")

    # Lock: guests cannot add notes until the facilitator unlocks. Their add fields go, and
    # the server refuses a note all the same (a request sent as the lock came).
    control(facilitator, "Lock the canvas")
    expect(grace.locator(".workshop-bar")).to_contain_text("Locked", timeout=LIVE)
    expect(grace.locator("#note-new-key_partners")).to_be_hidden()
    status = grace.evaluate(SEND_NOTE, f"/canvases/{canvas.pk}/blocks/key_partners/notes/")
    assert status == 423
    assert not Note.objects.filter(text="Sneaky note").exists()
    control(facilitator, "Unlock the canvas")
    expect(grace.locator("#note-new-key_partners")).to_be_visible(timeout=LIVE)

    # End: guest access stops at once, and the facilitator lands on the summary.
    facilitator.once("dialog", lambda dialog: dialog.accept())
    control(facilitator, "End workshop")
    expect(facilitator.locator("h1")).to_contain_text("Workshop summary")
    expect(facilitator.locator("main")).to_contain_text("Grace")
    expect(grace.locator("h1")).to_have_text("This workshop is not open", timeout=LIVE)
    alan.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    expect(alan.locator("h1")).to_have_text("This workshop is not open")
    for page in (facilitator, grace, alan):
        assert page.errors == []
        page.context.close()
