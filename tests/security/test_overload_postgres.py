"""Through real uvicorn processes on PostgreSQL: an exhausted connection pool and a database
outage answer 503 with Retry-After, and the app serves again by itself afterwards."""

from __future__ import annotations

import threading
import time

import httpx
import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse

from canvases import services
from canvases.models import Canvas
from tests.canvases.test_concurrency import session_cookies
from tests.conftest import needs_postgres
from tests.servers import DatabaseProxy, Server, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres("a connection pool and real processes"),
]


def wait_until(condition, *, seconds: float = 15.0) -> None:
    """Poll `condition` until it holds (a deadline, not a sleep that hopes)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.05)


def waiting_on_a_lock() -> bool:
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432, autocommit=True,
    ) as spy:  # fmt: skip
        row = spy.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()
    return row[0] > 0


def test_an_exhausted_pool_answers_503_then_serves_again(team, editor, owner):
    canvas = services.create_canvas(team=team, title="Busy", author=owner)
    cookies = session_cookies(editor)
    server = Server(env={"DATABASE_POOL_SIZE": "1", "DATABASE_POOL_TIMEOUT_SECONDS": "0.3"})
    server.start()
    page = server.url + reverse("canvases:canvas-detail", args=[canvas.pk])
    add = server.url + reverse("canvases:note-create", args=[canvas.pk, "channels"])
    written = {}
    try:
        with transaction.atomic():
            # Hold the canvas row: the next write waits on it, holding the pool's only
            # connection all the while.
            Canvas.objects.select_for_update().get(pk=canvas.pk)
            writer = threading.Thread(
                target=lambda: written.update(
                    response=httpx.post(
                        add, data={"text": "Waits"}, cookies=cookies,
                        headers={"X-CSRFToken": "a" * 32}, timeout=30,
                    )
                )
            )  # fmt: skip
            writer.start()
            wait_until(waiting_on_a_lock)
            busy = httpx.get(page, cookies=cookies, timeout=30)
            htmx = httpx.get(page, cookies=cookies, headers={"HX-Request": "true"}, timeout=30)
        writer.join(30)
        after = httpx.get(page, cookies=cookies, timeout=30)
    finally:
        server.stop()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "Busy for a moment" in busy.text
    assert htmx.status_code == 503 and "try again in a few seconds" in htmx.text
    assert written["response"].status_code == 303  # the waiting write went through
    assert after.status_code == 200 and "Waits" in after.text


def test_a_database_outage_answers_503_and_the_app_recovers_by_itself(team, editor, owner):
    canvas = services.create_canvas(team=team, title="Outage", author=owner)
    cookies = session_cookies(editor)
    proxy = DatabaseProxy(("127.0.0.1", int(connection.settings_dict["PORT"] or 5432)))
    proxy.restore()
    server = Server(env={"DATABASE_URL": proxy.url(database_url())})
    server.start()
    page = server.url + reverse("canvases:canvas-detail", args=[canvas.pk])
    try:
        before = httpx.get(page, cookies=cookies, timeout=30)
        proxy.cut()
        during = httpx.get(page, cookies=cookies, timeout=30)
        proxy.restore()
        wait_until(lambda: httpx.get(page, cookies=cookies, timeout=30).status_code == 200)
    finally:
        server.stop()
        proxy.cut()
    assert before.status_code == 200
    assert during.status_code == 503 and during.headers["Retry-After"] == "5"
