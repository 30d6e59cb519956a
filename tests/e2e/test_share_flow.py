"""An owner shares a canvas with a link; someone without an account reads it, a segment page
and the PDF, and the link stops working the moment the owner revokes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from canvases import services
from canvases.models import BlockKind
from canvases.teams import services as team_services
from segments import services as segment_services
from tests.e2e.conftest import log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def canvas(app_server):
    user = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=user)
    canvas = services.create_canvas(team=team, title="Engines", author=user)
    block = canvas.blocks.get(kind=BlockKind.VALUE_PROPOSITIONS)
    services.add_note(block=block, text="Error-free tables", author=user)
    segment_services.create_segment(canvas=canvas, name="Navigators", actor=user)
    return canvas


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"share-{name}.png"), full_page=True)


def test_a_share_link_from_making_to_revoking(browser, app_server, canvas):
    ada = new_page(browser)
    ada.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(ada, app_server, "ada", "lovelace-123")
    ada.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    ada.get_by_role("link", name="Share").click()
    expect(ada.locator(".empty-state")).to_contain_text("No share links yet")
    ada.fill("#share-label", "For the investors")
    ada.get_by_role("button", name="Make a share link").click()

    # Shown once, with a copy button.
    expect(ada.locator("#new-link")).to_contain_text("Copy it now")
    ada.get_by_role("button", name="Copy link").click()
    expect(ada.locator(".toast")).to_contain_text("Copied: ")
    link = ada.evaluate("navigator.clipboard.readText()")
    assert "/s/" in link
    shot(ada, "owner")

    # Someone without an account opens it.
    reader = new_page(browser)
    response = reader.goto(link)
    assert response.headers["x-robots-tag"].startswith("noindex")
    expect(reader.locator(".canvas-title")).to_have_text("Engines")
    expect(reader.locator(".note", has_text="Error-free tables")).to_be_visible()
    expect(reader.locator(".badge", has_text="shared · read only")).to_be_visible()
    expect(reader.locator("textarea")).to_have_count(0)  # nothing to write in
    expect(reader.get_by_role("link", name="History")).to_have_count(0)
    expect(reader.get_by_role("link", name="Edit note")).to_have_count(0)
    shot(reader, "holder-canvas")

    reader.locator("a.segment-name", has_text="Navigators").click()
    expect(reader.locator("h1")).to_contain_text("Navigators")
    expect(reader.locator("form[method=post]")).to_have_count(0)
    shot(reader, "holder-segment")

    reader.goto(f"{app_server.url}/canvases/{canvas.pk}/")
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download the PDF").click()
    path = download.value.path()
    assert Path(path).read_bytes()[:5] == b"%PDF-"

    # The owner revokes it; the reader's next reload says so.
    ada.reload()
    ada.get_by_role("button", name="Revoke").click()
    expect(ada.locator(".flash")).to_contain_text("no longer works")
    expect(ada.locator("#share-links")).to_contain_text("revoked")
    shot(ada, "owner-revoked")
    response = reader.reload()
    assert response.status == 410
    expect(reader.locator("h1")).to_have_text("This link no longer works")
    shot(reader, "holder-revoked")
    assert ada.errors == [] and reader.errors == []
    ada.context.close()
    reader.context.close()
