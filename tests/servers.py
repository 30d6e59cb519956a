"""The app served by real uvicorn processes on the test database, for tests that need them.

Live updates need an ASGI server (Django's own test server delivers no event streams), and the
several-processes tests need more than one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    """One uvicorn process serving the app on the test database."""

    def __init__(self, *, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "false",
            "LOGIN_THROTTLE": "false",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        command = [
            sys.executable, "-m", "uvicorn", "canvas_site.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.port), "--lifespan", "off",
            "--timeout-graceful-shutdown", "2", "--no-access-log",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                # Not listening yet: wait on the process itself, which also tells if it died.
                try:
                    self.process.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    continue
                raise RuntimeError("uvicorn exited at start") from None
        raise RuntimeError("uvicorn did not start within 20 seconds")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
