"""Comments on a segment and on a profile entry: Ada comments on a segment card of the canvas
page and the badge changes live on Charles's canvas page and on his segment page; a comment
on a pain updates the badge on the other member's profile page; an inbox mention opens the
entry's thread in place on the profile page."""

import pytest
from playwright.sync_api import expect

from segments import services as segment_services
from segments.profiles import services as profile_services
from tests.e2e.conftest import engines_canvas, log_in, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LIVE = 3_000


@pytest.fixture
def entry(app_server):
    canvas = engines_canvas()
    ada = canvas.created_by
    segment = segment_services.create_segment(canvas=canvas, name="Mathematicians", actor=ada)
    return profile_services.add_entry(
        segment=segment, list="pain", text="Tables full of errors", actor=ada
    )


def test_comments_on_a_segment_and_a_pain_reach_the_other_member(
    browser, app_server, entry, tmp_path
):
    segment = entry.segment
    ada, charles, charles_segment = new_page(browser), new_page(browser), new_page(browser)
    canvas_url = f"{app_server.url}/canvases/{segment.canvas_id}/"
    segment_url = f"{canvas_url}segments/{segment.pk}/"
    log_in(ada, app_server, "ada", "lovelace-123")
    log_in(charles, app_server, "charles", "babbage-123")
    log_in(charles_segment, app_server, "charles", "babbage-123")
    ada.goto(canvas_url)
    charles.goto(canvas_url)
    charles_segment.goto(segment_url)
    expect(charles.locator("#presence-bar .avatar")).to_have_count(2, timeout=LIVE)

    badge = ada.locator(f"#comments-segment-{segment.pk}")
    badge.click()
    field = ada.locator(".thread-panel .comment-add textarea")
    expect(field).to_be_focused()
    expect(ada.locator(".thread-panel .thread-about")).to_contain_text("Mathematicians")
    field.fill("Do they pay, or their universities?")
    field.press("Control+Enter")
    expect(ada.locator(".thread-panel .comment")).to_have_count(1)
    expect(badge.locator(".comment-count")).to_have_text("1")
    ada.screenshot(path=str(tmp_path / "segment-thread.png"))

    # Charles's canvas page and his segment page show the count without a reload.
    expect(charles.locator(f"#comments-segment-{segment.pk} .comment-count")).to_have_text(
        "1", timeout=LIVE
    )
    expect(charles_segment.locator(f"#comments-segment-{segment.pk} .comment-count")).to_have_text(
        "1", timeout=LIVE
    )
    charles_segment.screenshot(path=str(tmp_path / "segment-page.png"))

    # Charles opens the segment's thread on his segment page and answers.
    charles_segment.locator(f"#comments-segment-{segment.pk}").click()
    charles_segment.locator(".thread-panel .comment-add textarea").fill(
        "Both, @ada knows the numbers"
    )
    charles_segment.get_by_role("button", name="Comment", exact=True).click()
    expect(charles_segment.locator(".thread-panel .comment")).to_have_count(2)
    expect(ada.locator(".thread-panel .comment")).to_have_count(2, timeout=LIVE)

    # A comment on a pain: Ada's profile page shows the badge; the inbox opens it in place.
    profile_url = f"{segment_url}profile/"
    ada.goto(profile_url)
    charles_segment.goto(profile_url)
    charles_segment.locator(f"#comments-profile-entry-{entry.pk}").click()
    pain = charles_segment.locator(".thread-panel .comment-add textarea")
    pain.fill("@ada how many errors per table?")
    pain.press("Control+Enter")
    expect(ada.locator(f"#comments-profile-entry-{entry.pk} .comment-count")).to_have_text(
        "1", timeout=LIVE
    )
    ada.screenshot(path=str(tmp_path / "profile-page.png"))
    ada.goto(app_server.url + "/inbox/")
    ada.get_by_role("button", name="Open the comment").first.click()
    thread = f"{profile_url}?thread=profile-entry-{entry.pk}#comment-"
    ada.wait_for_url(lambda url: url.startswith(thread), timeout=LIVE)
    expect(ada.locator(".thread-panel .comment--target")).to_contain_text("how many errors")
    ada.screenshot(path=str(tmp_path / "profile-thread.png"))
    for page in (ada, charles, charles_segment):
        assert page.errors == []
