"""What the bad-input tests share: a snapshot of every table, uploads, a small valid canvas
file with every kind of text in it, and the invisible text and NUL they try."""

from __future__ import annotations

import io
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}
NUL = "\x00"
# Shows nothing: spaces, zero-width space and joiners, word joiner, byte-order mark, soft hyphen.
INVISIBLE = " \u200b\u200c\u200d \u2060\ufeff\u00ad\t"


def database() -> dict[str, list[dict]]:
    """Every row of the app's own tables: equal before and after means nothing was saved."""
    models = [
        *apps.get_app_config("canvases").get_models(),
        *apps.get_app_config("segments").get_models(),
        get_user_model(),
    ]
    return {model._meta.label: rows_of(model) for model in models}


def rows_of(model) -> list[dict]:
    # Logging a test client in stamps last_login: that is the test's doing, not the request's.
    fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
    return list(model.objects.order_by("pk").values(*fields))


def upload(client, team, body: bytes):
    file = io.BytesIO(body)
    file.name = "canvas.json"
    return client.post(reverse("canvases:canvas-import"), {"team": team.pk, "file": file})


def text_of(response) -> str:
    return response.content.decode().replace("&gt;", ">").replace("&#x27;", "'")


def canvas_file(**changes) -> dict:
    """A small valid canvas file with every kind of text in it."""
    document = {
        "format": "canvas-export",
        "version": 1,
        "canvas": {"title": "Cargo bikes", "description": "", "currency": "EUR"},
        "notes": [{"ref": "n1", "block": "channels", "text": "Bike shops", "position": 0}],
        "segments": [
            {
                "ref": "s1",
                "name": "Families",
                "colour": "orange",
                "rank": 0,
                "criteria": [{"base": "geographic", "text": "City"}],
                "profile": [{"ref": "p1", "list": "pain", "text": "Parking", "score": 4}],
                "value_map": [{"kind": "reliever", "text": "Folding", "addresses": ["p1"]}],
                "empathy": [{"ref": "e1", "quadrant": "sees", "text": "Traffic"}],
                "snapshots": [{"recorded_on": "2026-01-01", "size": 10}],
            }
        ],
    }
    for path, value in changes.items():
        *parents, last = path.split(".")
        target = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return document


def encoded(document: dict) -> bytes:
    return json.dumps(document).encode()


TEXT_PATHS = [
    "canvas.title",
    "canvas.description",
    "notes.0.text",
    "notes.0.ref",
    "segments.0.name",
    "segments.0.description",
    "segments.0.criteria.0.text",
    "segments.0.profile.0.text",
    "segments.0.profile.0.context",
    "segments.0.value_map.0.text",
    "segments.0.empathy.0.text",
]


REQUIRED_TEXT_PATHS = [
    path for path in TEXT_PATHS if not path.endswith((".description", ".ref", ".context"))
]
