"""Browser tests: Playwright driving the system Chromium against the app served by uvicorn."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.servers import Server

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def app_server(transactional_db):
    server = Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium not found: apt-get install chromium (browser tests need it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " In CI browser tests must run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, **options):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()
    assert page.errors == [], f"JavaScript errors on the page: {page.errors}"


def log_in(page, server, username: str, password: str) -> None:
    page.goto(server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Browser tests log in through the uvicorn process, which uses the real hashers."""


def engines_canvas(charles_role: str = "editor"):
    """Ada's canvas "Engines" in her team "Analytical", with Charles as a member (an editor
    unless said otherwise): the two people the browser tests log in as."""
    from django.contrib.auth import get_user_model

    from canvases import services
    from canvases.models import Membership
    from canvases.teams import services as team_services

    users = get_user_model().objects
    ada = users.create_user(username="ada", password="lovelace-123")
    charles = users.create_user(username="charles", password="babbage-123")
    team = team_services.create_team(name="Analytical", owner=ada)
    Membership.objects.create(team=team, user=charles, role=charles_role)
    return services.create_canvas(team=team, title="Engines", author=ada)
