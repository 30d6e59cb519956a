"""Personas and the objects they work on, shared by every test module."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from canvases import services
from canvases.models import Block, BlockKind, Canvas, Membership, Note, Role, Team
from canvases.teams import services as team_services

PERSONAS = ["owner", "editor", "viewer", "outsider", "anonymous"]


def make_user(username: str):
    return get_user_model().objects.create_user(username=username, password="pw-" + username)


@pytest.fixture
def owner(db):
    return make_user("olivia")


@pytest.fixture
def editor(db):
    return make_user("eddie")


@pytest.fixture
def viewer(db):
    return make_user("vera")


@pytest.fixture
def outsider(db):
    """A member of another team, who must not even learn that our objects exist."""
    user = make_user("oscar")
    team_services.create_team(name="Other team", owner=user)
    return user


@pytest.fixture
def team(owner, editor, viewer) -> Team:
    team = team_services.create_team(name="Harbour Bikes", owner=owner)
    Membership.objects.create(team=team, user=editor, role=Role.EDITOR)
    Membership.objects.create(team=team, user=viewer, role=Role.VIEWER)
    return team


@pytest.fixture
def canvas(team, owner) -> Canvas:
    return services.create_canvas(team=team, title="Cargo bike subscription", author=owner)


@pytest.fixture
def block(canvas) -> Block:
    return canvas.blocks.get(kind=BlockKind.VALUE_PROPOSITIONS)


@pytest.fixture
def note(block, owner) -> Note:
    return services.add_note(block=block, text="Bikes delivered to your door", author=owner)


@pytest.fixture
def client_as(db, owner, editor, viewer, outsider):
    """client_as("editor") is a test client logged in as that persona; "anonymous" is logged out."""
    users = {"owner": owner, "editor": editor, "viewer": viewer, "outsider": outsider}

    def make(persona: str, *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        if persona != "anonymous":
            client.force_login(users[persona])
        return client

    return make


HTMX = {"HTTP_HX_REQUEST": "true"}


def needs_postgres(what: str):
    """Skip on SQLite a test that needs PostgreSQL for `what` (CI runs it on PostgreSQL)."""
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=f"needs PostgreSQL: {what} (run with DATABASE_URL=postgres://...; CI does)",
    )


@pytest.fixture(autouse=True)
def no_static_file_middleware(settings):
    """ServeStatic is async-only: through the test client every request would pay a trip
    through async_to_sync for it, and no test fetches a static file that way (the browser
    and console tests run uvicorn, where it serves them)."""
    static = "servestatic.middleware.ServeStaticMiddleware"
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != static]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (rendered note lists are kept by canvas and
    revision, and a rolled-back test leaves ids that the next one reuses)."""
    from django.core.cache import cache

    from canvases.live.push import forget_boards

    cache.clear()
    forget_boards()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def outcome(response) -> int | str:
    """The status code, or "login" when an anonymous user is sent to log in (plain or htmx)."""
    login = "/accounts/login/"
    if response.status_code == 302 and response["Location"].startswith(login):
        return "login"
    if response.get("HX-Redirect", "").startswith(login):
        return "login"
    return response.status_code
