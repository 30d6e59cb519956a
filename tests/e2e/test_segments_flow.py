"""A team creates two segments, links notes to them and looks through the lens."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvases import services
from canvases.models import BlockKind
from canvases.teams import services as team_services
from segments.models import Segment
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(app_server):
    user = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=user)
    canvas = services.create_canvas(team=team, title="Engines", author=user)
    for kind, text in [
        (BlockKind.VALUE_PROPOSITIONS, "Error-free tables"),
        (BlockKind.VALUE_PROPOSITIONS, "Faster astronomy"),
        (BlockKind.CHANNELS, "Royal Society lectures"),
    ]:
        services.add_note(block=canvas.blocks.get(kind=kind), text=text, author=user)
    return canvas


def link(page, note_text: str, segment_name: str) -> None:
    page.locator(".note", has_text=note_text).click()
    editor = page.locator(".note--editing")
    editor.locator(".segment-choice", has_text=segment_name).click()
    editor.get_by_role("button", name="Save").click()
    expect(page.locator(".note--editing")).to_have_count(0)


def test_segments_links_and_lens(page, app_server, board):
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(f"{app_server.url}/canvases/{board.pk}/")
    expect(page.locator("#lens-bar")).to_contain_text("Add customer segments")

    for name in ["Navigators", "Astronomers"]:
        field = page.locator("#segment-new-name")
        field.fill(name)
        field.press("Enter")
        expect(page.locator("#segment-list")).to_contain_text(name)
        expect(page.locator("#lens-bar")).to_contain_text(name)  # the board refreshed
    assert list(Segment.objects.ranked().values_list("name", flat=True)) == [
        "Navigators",
        "Astronomers",
    ]

    link(page, "Error-free tables", "Navigators")
    link(page, "Faster astronomy", "Astronomers")
    link(page, "Royal Society lectures", "Astronomers")
    expect(page.locator(".note", has_text="Error-free tables").locator(".seg-dot")).to_have_count(1)

    # The checks panel follows: Navigators still lack a channel.
    page.locator("#checks-panel summary").click()
    expect(page.locator("#checks-panel")).to_contain_text(
        "“Navigators” has no linked note in Channels."
    )
    expect(page.locator("#checks-panel")).not_to_contain_text(
        "“Astronomers” has no linked note in Channels."
    )

    # The lens dims every note not linked to the chosen segment, without a reload.
    page.locator("#lens-bar .chip", has_text="Astronomers").click()
    dimmed = re.compile(r"\bnote--dimmed\b")
    expect(page.locator(".note", has_text="Error-free tables")).to_have_class(dimmed)
    expect(page.locator(".note", has_text="Faster astronomy")).not_to_have_class(dimmed)
    assert page.url.endswith(f"?lens={Segment.objects.get(name='Astronomers').pk}")
    page.locator("#lens-bar .chip", has_text="All notes").click()
    expect(page.locator(".note--dimmed")).to_have_count(0)

    # Keyboard ranking: Astronomers up to first place.
    page.locator("#segment-list .segment-card", has_text="Astronomers").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#segment-list .segment-card").first).to_contain_text("Astronomers")
    assert Segment.objects.ranked().first().name == "Astronomers"
