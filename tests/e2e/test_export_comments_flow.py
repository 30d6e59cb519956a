"""A member ticks "Include comments (appendix)" on the export page, with the keyboard, and the
PDF they download ends with the notes' comments."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import target_of
from canvases.models import BlockKind, Viewer
from canvases.teams import services as team_services
from tests.e2e.conftest import log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def canvas(app_server):
    user = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=user)
    canvas = services.create_canvas(team=team, title="Engines", author=user)
    block = canvas.blocks.get(kind=BlockKind.VALUE_PROPOSITIONS)
    note = services.add_note(block=block, text="Error-free tables", author=user)
    canvas.viewer = Viewer(user_id=user.pk)
    comment_services.add_comment(
        canvas=canvas, target=target_of(canvas, "note", note.pk), text="Who checks?", author=user
    )
    return canvas


def test_the_pdf_ends_with_the_comments_when_asked(browser, app_server, canvas):
    page = new_page(browser, accept_downloads=True)
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(f"{app_server.url}/canvases/{canvas.pk}/export/")
    box = page.get_by_label("Include comments (appendix)")
    assert not box.is_checked()
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "export-comments.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    body = Path(download.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 2
    assert "Who checks?" in reader.pages[1].extract_text()
    assert download.value.suggested_filename == "engines.pack-a4.pdf"
