"""Nothing silently lost, across threads and processes (PostgreSQL: real transactions)."""

from __future__ import annotations

import json
import queue
import threading
import time

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from canvases import services
from canvases.models import Note
from tests.conftest import needs_postgres
from tests.servers import Server

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres("real concurrent transactions and LISTEN/NOTIFY"),
]


def test_fifty_concurrent_saves_of_one_version_give_one_success(team, editor, owner):
    canvas = services.create_canvas(team=team, title="Race", author=owner)
    note = services.add_note(block=canvas.blocks.get(kind="channels"), text="Start", author=owner)
    url = reverse("canvases:note-edit", args=[canvas.pk, note.pk])
    clients = []
    for _ in range(50):
        client = Client()
        client.force_login(editor)
        clients.append(client)
    barrier = threading.Barrier(50)
    results: dict[int, tuple[int, str]] = {}

    def save(index: int) -> None:
        try:
            barrier.wait()
            data = {"text": f"Draft number {index}", "version": 1}
            response = clients[index].post(url, data, HTTP_HX_REQUEST="true")
            results[index] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200] + [409] * 49
    winner = Note.objects.get(pk=note.pk)
    assert winner.version == 2 and winner.text.startswith("Draft number ")
    for index, (status, body) in results.items():
        if status == 409:
            # Both texts stay recoverable: the loser's draft in the form, the winner's shown.
            assert f"Draft number {index}" in body
            assert winner.text in body


class EventReader(threading.Thread):
    """Reads one event stream into a queue of (event, data) pairs."""

    def __init__(self, url: str, cookies: dict):
        super().__init__(daemon=True)
        self.url, self.cookies, self.events = url, cookies, queue.Queue()

    def run(self) -> None:
        event, data = None, []
        with httpx.Client(cookies=self.cookies, timeout=None) as client:
            try:
                with client.stream("GET", self.url) as response:
                    for line in response.iter_lines():
                        if line.startswith("event: "):
                            event = line.removeprefix("event: ")
                        elif line.startswith("data: "):
                            data.append(line.removeprefix("data: "))
                        elif not line and event:  # a blank line ends a message
                            self.events.put((event, self.parsed(event, "\n".join(data))))
                            event, data = None, []
            except httpx.HTTPError:  # the server went away: the test checks what arrived
                return

    @staticmethod
    def parsed(event: str, data: str) -> dict:
        # A pushed fragment is HTML (canvases.live.push); every other event is JSON.
        return {"html": data} if event == "fragment" else json.loads(data)

    def wait_for(self, name: str, *, seconds: float = 10.0, after: int = -1) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                event, data = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if event == name and data.get("revision", after + 1) > after:
                return data
        raise AssertionError(f"no {name!r} event within {seconds} s")


def session_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    # Any 32-character secret works as a CSRF token when cookie and header agree.
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            "csrftoken": "a" * 32}  # fmt: skip


def add_note_through(server: Server, canvas, cookies: dict, text: str) -> None:
    url = server.url + reverse("canvases:note-create", args=[canvas.pk, "channels"])
    response = httpx.post(
        url, data={"text": text}, cookies=cookies, headers={"X-CSRFToken": "a" * 32}
    )
    assert response.status_code in (200, 303), response.text[:300]


def listener_pids() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN canvas_events' "
            "AND datname = current_database()"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_change_through_one_process_reaches_a_stream_served_by_another(team, editor, owner):
    canvas = services.create_canvas(team=team, title="Processes", author=owner)
    cookies = session_cookies(editor)
    one, two = Server().start(), Server().start()
    try:
        reader = EventReader(f"{two.url}/canvases/{canvas.pk}/events/?tab=watcher", cookies)
        reader.start()
        hello = reader.wait_for("hello")

        add_note_through(one, canvas, cookies, "Through process one")
        event = reader.wait_for("notesChanged", after=hello["revision"])
        assert event["blocks"] == ["channels"]

        # The listening connection of process two dies: it reconnects and tells its pages
        # to resync (events sent meanwhile are lost), and later events flow again.
        pids = listener_pids()
        assert len(pids) == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pids[0]])
        reader.wait_for("resync")
        add_note_through(one, canvas, cookies, "After the reconnect")
        reader.wait_for("notesChanged", after=event["revision"])
        assert Note.objects.filter(block__canvas=canvas).count() == 2

        # Shutting down with a stream still open ends within ten seconds.
        two.process.terminate()
        two.process.wait(timeout=10)
    finally:
        one.stop()
        two.stop()
