"""A team fills a customer profile, links a pain reliever to a pain and sees the gaps shrink."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from canvases import services
from canvases.teams import services as team_services
from segments import services as segment_services
from segments.models import ProfileEntry, ValueMapItem
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def segment(app_server):
    user = get_user_model().objects.create_user(username="ada", password="lovelace-123")
    team = team_services.create_team(name="Analytical", owner=user)
    canvas = services.create_canvas(team=team, title="Engines", author=user)
    return segment_services.create_segment(canvas=canvas, name="Navigators", actor=user)


def add_entry(page, kind: str, text: str, score: str) -> None:
    page.locator(f"#entry-add-{kind} select[name=score]").select_option(score)
    field = page.locator(f"#entry-new-{kind}")
    field.fill(text)
    field.press("Enter")
    expect(page.locator(f"#entries-{kind}")).to_contain_text(text)
    expect(field).to_have_value("")  # the form is ready for the next one


def test_fill_a_profile_and_close_a_gap(page, app_server, segment):
    log_in(page, app_server, "ada", "lovelace-123")
    page.goto(
        app_server.url + reverse("segments:profile-detail", args=[segment.canvas_id, segment.pk])
    )
    fit = page.locator("#fit-panel")
    expect(fit).to_contain_text("Nothing counts yet")

    add_entry(page, "job", "Find longitude at sea", "5")
    add_entry(page, "pain", "Wrong tables sink ships", "5")
    add_entry(page, "pain", "Printing takes months", "2")
    add_entry(page, "gain", "Arrive on time", "4")
    expect(fit).to_contain_text("0 %")
    expect(fit).to_contain_text("Wrong tables sink ships")
    expect(fit).not_to_contain_text("Printing takes months")  # severity 2 does not count

    page.locator("#item-new-reliever").fill("Machine-checked tables")
    page.locator("#item-choices-reliever .address-choice", has_text="Wrong tables").click()
    page.locator("#item-add-reliever").get_by_role("button", name="Add").click()
    expect(page.locator("#items-reliever")).to_contain_text("Machine-checked tables")
    expect(fit).not_to_contain_text("Wrong tables sink ships")
    expect(fit).to_contain_text("33 %")
    expect(fit).to_contain_text("1 of 3")

    # Editing a score in place updates fit at once.
    page.locator("#entries-gain .entry", has_text="Arrive on time").focus()
    page.keyboard.press("Enter")
    editor = page.locator(".entry--editing")
    editor.locator("input[name=score][value='2']").check()
    editor.get_by_role("button", name="Save").click()
    expect(fit).to_contain_text("50 %")

    reliever = ValueMapItem.objects.get()
    assert [e.text for e in reliever.addresses.all()] == ["Wrong tables sink ships"]
    assert ProfileEntry.objects.get(text="Arrive on time").score == 2
