"""A clean console: uvicorn serving the app prints no warning, error or traceback in normal use.

The app runs in a real uvicorn process (static files, PDFs and event streams behave differently
there than under the test client), and everything that process prints is read at the end.
"""

from __future__ import annotations

import re
import threading

import httpx
import pytest
from django.urls import reverse

from tests.canvases.test_concurrency import session_cookies
from tests.servers import Server

pytestmark = pytest.mark.django_db(transaction=True)

# Python's warnings ("UserWarning: ...", "Warning: ..."), and log lines at WARNING or above:
# uvicorn's ("WARNING:  ...") and the app's ("WARNING: django.request: ...").
NOISE = re.compile(r"Warning|WARNING|ERROR|CRITICAL|Traceback")
# A PDF prints nothing at all: WeasyPrint's seven steps per PDF are INFO, and fontTools's too.
PDF_LOGGERS = re.compile(r"weasyprint|fontTools")
CSRF = {"X-CSRFToken": "a" * 32}  # matches the csrftoken cookie of session_cookies()


class StreamReader(threading.Thread):
    """Follows one event stream until it ends, and says whether it ended cleanly."""

    def __init__(self, url: str, cookies: dict):
        super().__init__(daemon=True)
        self.url, self.cookies = url, cookies
        self.opened, self.lines, self.ending = threading.Event(), [], "still open"

    def run(self) -> None:
        try:
            with httpx.stream("GET", self.url, cookies=self.cookies, timeout=30) as response:
                self.opened.set()
                self.lines.extend(response.iter_lines())
            self.ending = "clean"
        except httpx.HTTPError as error:
            self.ending = repr(error)
        finally:
            self.opened.set()


def test_pages_static_files_a_pdf_and_a_shutdown_print_nothing_alarming(canvas, owner, tmp_path):
    output = tmp_path / "uvicorn.log"
    server = Server(output=output).start()
    cookies = session_cookies(owner)
    stream = StreamReader(server.url + reverse("canvases:canvas-events", args=[canvas.pk]), cookies)
    try:
        with httpx.Client(base_url=server.url, cookies=cookies, timeout=60) as client:
            page = client.get(reverse("canvases:canvas-detail", args=[canvas.pk]))
            assert page.status_code == 200
            static_urls = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text))
            assert static_urls, "the canvas page links no static file"
            for url in static_urls:
                static = client.get(url)
                assert static.status_code == 200 and static.content, url

            stream.start()
            assert stream.opened.wait(10)
            note = client.post(
                reverse("canvases:note-create", args=[canvas.pk, "channels"]),
                data={"text": "Printed nowhere"},
                headers={"HX-Request": "true", **CSRF},
            )
            assert note.status_code == 200, note.text[:300]
            pdf = client.get(reverse("canvases:export-pdf", args=[canvas.pk]))
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            history = client.get(reverse("canvases:canvas-history", args=[canvas.pk]))
            assert history.status_code == 200
    finally:
        # The event stream is still open, as when someone stops the server with a tab open.
        server.stop()
    stream.join(10)

    assert stream.ending == "clean", stream.ending
    printed = output.read_text(errors="replace")
    assert "Uvicorn running on" in printed  # the output really is the server's
    loud = [line for line in printed.splitlines() if NOISE.search(line) or PDF_LOGGERS.search(line)]
    assert not loud, printed
