"""The shared counts of the throttles (canvases.throttles)."""

from __future__ import annotations

from django.db import models


class AttemptCounter(models.Model):
    """How many attempts (wrong join codes, failed log-ins) a key made in its current window,
    shared by every process. Written only through `canvases.throttles`, with one atomic
    upsert per attempt."""

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.BigIntegerField(help_text="Unix time at which the count starts over.")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

    # No get_absolute_url: a count of attempts has no page (tests/test_architecture.py).
