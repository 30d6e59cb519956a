"""The canvas page costs the same number of queries whatever the number of notes."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases.models import Note

pytestmark = pytest.mark.django_db


def fill(canvas, author, per_block: int) -> None:
    Note.objects.bulk_create(
        Note(block=block, text=f"Note {index} in {block.kind}", position=index, author=author)
        for block in canvas.blocks.all()
        for index in range(per_block)
    )


def count_queries(client, path: str) -> int:
    # The request_started signal empties the query log: start from an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_canvas_page_queries_do_not_grow_with_notes(client_as, canvas, team, owner, editor):
    from canvases import services

    big = services.create_canvas(team=team, title="Big", author=owner)
    fill(canvas, owner, per_block=1)
    fill(big, editor, per_block=50)  # 450 notes by another author
    client = client_as("editor")
    client.get(reverse("canvases:canvas-detail", args=[canvas.pk]))  # warm the session
    small = count_queries(client, reverse("canvases:canvas-detail", args=[canvas.pk]))
    large = count_queries(client, reverse("canvases:canvas-detail", args=[big.pk]))
    assert Note.objects.of_canvas(big).count() == 450
    assert small == large
    assert 4 <= large <= 15


def test_canvas_list_queries_do_not_grow_with_canvases(client_as, team, owner):
    from canvases import services

    client = client_as("viewer")
    path = reverse("canvases:canvas-list", args=[team.pk])
    services.create_canvas(team=team, title="One", author=owner)
    client.get(path)  # warm the session
    few = count_queries(client, path)
    for index in range(20):
        services.create_canvas(team=team, title=f"More {index}", author=owner)
    assert count_queries(client, path) == few
