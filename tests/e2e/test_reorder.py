"""One sortable list for notes, segments and profile entries (static/js/reorder.js): Alt+arrows
on a focused item and drag and drop reorder them, and the focus stays on the moved item."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from canvases import services
from canvases.teams import services as team_services
from segments import services as segment_services
from segments.models import ProfileEntry, Segment
from segments.profiles import services as profile_services
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def canvas(app_server):
    user = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=user)
    canvas = services.create_canvas(team=team, title="Engines", author=user)
    for name in ["Navigators", "Astronomers", "Actuaries"]:
        segment_services.create_segment(canvas=canvas, name=name, actor=user)
    return canvas


def console_errors(page) -> list[str]:
    """Console errors other than the browser's own line for an answer with an error status."""
    errors: list[str] = []

    def note(message) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", note)
    return errors


def ranked() -> list[str]:
    return list(Segment.objects.ranked().values_list("name", flat=True))


def test_segments_reorder_by_keyboard_and_by_dragging(page, app_server, canvas):
    errors = console_errors(page)
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    cards = page.locator("#segment-list .segment-card")
    expect(cards).to_have_count(3)

    card = cards.filter(has_text="Navigators")
    card.focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(cards.nth(1)).to_contain_text("Navigators")
    expect(cards.filter(has_text="Navigators")).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    expect(cards.nth(2)).to_contain_text("Navigators")
    assert ranked() == ["Astronomers", "Actuaries", "Navigators"]
    # Segments stay in their list: Alt+Left does nothing to them.
    page.keyboard.press("Alt+ArrowLeft")
    expect(cards.filter(has_text="Navigators")).to_be_focused()

    # Drag Actuaries above Astronomers.
    actuaries = cards.filter(has_text="Actuaries")
    actuaries.drag_to(cards.first, target_position={"x": 10, "y": 2})
    expect(cards.first).to_contain_text("Actuaries")
    assert ranked() == ["Actuaries", "Astronomers", "Navigators"]
    assert errors == []


def test_profile_entries_reorder_by_keyboard_and_by_dragging(page, app_server, canvas):
    segment = Segment.objects.get(name="Navigators")
    for text in ["Storms", "Wrong tables", "Scurvy"]:
        profile_services.add_entry(segment=segment, list="pain", text=text, score=3, actor=None)
    errors = console_errors(page)
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(app_server.url + reverse("segments:profile-detail", args=[canvas.pk, segment.pk]))
    entries = page.locator("#entries-pain .entry")

    def order() -> list[str]:
        return list(segment.profile_entries.filter(list="pain").values_list("text", flat=True))

    entries.filter(has_text="Scurvy").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(entries.nth(1)).to_contain_text("Scurvy")
    expect(entries.filter(has_text="Scurvy")).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    expect(entries.first).to_contain_text("Scurvy")
    expect(entries.filter(has_text="Scurvy")).to_be_focused()
    assert order() == ["Scurvy", "Storms", "Wrong tables"]
    page.keyboard.press("Alt+ArrowDown")
    expect(entries.nth(1)).to_contain_text("Scurvy")
    assert order() == ["Storms", "Scurvy", "Wrong tables"]

    # Enter on a focused entry opens its editor (once htmx has settled the refreshed list).
    expect(entries.filter(has_text="Scurvy")).to_be_focused()
    page.wait_for_timeout(100)
    page.keyboard.press("Enter")
    expect(page.locator("#entries-pain .entry--editing textarea")).to_be_focused()
    page.locator(".entry--editing").get_by_role("link", name="Cancel").click()
    expect(page.locator(".entry--editing")).to_have_count(0)

    # Drag Wrong tables to the top; dragging into another list (gains) is refused.
    entries.filter(has_text="Wrong tables").drag_to(
        entries.first, target_position={"x": 10, "y": 2}
    )
    expect(entries.first).to_contain_text("Wrong tables")
    assert order() == ["Wrong tables", "Storms", "Scurvy"]
    profile_services.add_entry(segment=segment, list="gain", text="Arrive", score=3, actor=None)
    page.reload()
    entries.filter(has_text="Storms").drag_to(page.locator("#entries-gain .entry").first)
    page.wait_for_timeout(300)
    assert order() == ["Wrong tables", "Storms", "Scurvy"]
    assert ProfileEntry.objects.get(text="Storms").list == "pain"
    assert errors == []
