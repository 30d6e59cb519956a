"""Limits hold under parallel clicks: real transactions in threads, on PostgreSQL.

Each test fires its requests at once (a barrier) through the whole stack, then checks what
the database kept.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from canvases import services
from canvases.models import Ballot, Note, Vote, Workshop
from canvases.workshops import services as workshop_services
from tests.conftest import needs_postgres

from .conftest import join_as_guest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres("real concurrent transactions"),
]


def all_at_once(count: int, request: Callable[[int], int]) -> Counter:
    """Run `request(i)` in `count` threads released together; the statuses they answered."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            statuses.append(request(index))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


def logged_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def test_thirty_parallel_votes_spend_a_budget_of_three_exactly(canvas, owner):
    block = canvas.blocks.get(kind="channels")
    notes = [services.add_note(block=block, text=f"Idea {i}", author=owner) for i in range(3)]
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    workshop_services.open_voting(workshop=workshop, block="", budget=3, actor=owner)
    guest = join_as_guest(workshop, "Grace")
    client = Client()
    session = client.session
    session["guest_id"] = guest.pk
    session.save()

    def vote(index: int) -> int:
        note = notes[index % 3]
        url = reverse("canvases:note-vote", args=[workshop.pk, note.pk, "up"])
        return client.post(url, HTTP_HX_REQUEST="true").status_code

    statuses = all_at_once(30, vote)

    assert statuses == Counter({200: 3, 422: 27})
    assert Vote.objects.filter(guest=guest).count() == 3
    assert Ballot.objects.get(guest=guest).dots_spent == 3


def test_twenty_parallel_starts_leave_one_running_workshop(canvas, owner, editor):
    clients = [logged_in(owner if i % 2 else editor) for i in range(20)]
    url = reverse("canvases:workshop-start", args=[canvas.pk])

    statuses = all_at_once(20, lambda i: clients[i].post(url, {"title": f"Try {i}"}).status_code)

    assert statuses == Counter({303: 20})  # the others are told one is already running
    assert Workshop.objects.running().filter(canvas=canvas).count() == 1
    assert Workshop.objects.filter(canvas=canvas).count() == 1


def test_an_expired_workshop_does_not_block_a_new_one(canvas, owner):
    from datetime import timedelta

    from django.utils import timezone

    old = workshop_services.start_workshop(canvas=canvas, facilitator=owner, hours=1)
    Workshop.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    new = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    old.refresh_from_db()
    assert old.ended_at == old.expires_at and new.is_running


def test_a_hundred_parallel_adds_and_moves_keep_positions_unique_and_gapless(canvas, editor):
    channels = canvas.blocks.get(kind="channels")
    partners = canvas.blocks.get(kind="key_partners")
    existing = [
        services.add_note(block=channels, text=f"Existing {i}", author=editor) for i in range(50)
    ]
    clients = [logged_in(editor, raise_request_exception=False) for _ in range(100)]

    def add_or_move(index: int) -> int:
        if index % 2:
            url = reverse("canvases:note-create", args=[canvas.pk, "channels"])
            return clients[index].post(url, {"text": f"New {index}"}).status_code
        note = existing[index // 2]
        url = reverse("canvases:note-move", args=[canvas.pk, note.pk])
        target = "key_partners" if index % 4 else "channels"
        return clients[index].post(url, {"block": target, "position": index % 7}).status_code

    statuses = all_at_once(100, add_or_move)

    # Every request waits its turn for the block (holding a pooled connection meanwhile): on a
    # slow machine some of the last are told the server is busy, and none of them breaks.
    assert set(statuses) <= {303, 503} and statuses[303] >= 50, statuses
    for block in (channels, partners):
        positions = sorted(block.notes.alive().values_list("position", flat=True))
        assert positions == list(range(len(positions))), block.kind
    added = Note.objects.of_canvas(canvas).filter(text__startswith="New ").count()
    assert Note.objects.alive().of_canvas(canvas).count() == 50 + added


def test_ten_parallel_sign_ups_with_one_address_make_one_account(db):
    from django.contrib.auth import get_user_model

    def sign_up(index: int) -> int:
        address = "Mia@Example.org" if index % 2 else "mia@example.org"
        data = {"username": f"mia{index}", "email": address, "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase"}  # fmt: skip
        return Client(raise_request_exception=False).post(reverse("signup"), data).status_code

    statuses = all_at_once(10, sign_up)

    assert statuses == Counter({302: 1, 422: 9})  # the others are told the address is taken
    assert get_user_model().objects.filter(email__iexact="mia@example.org").count() == 1


def test_twenty_parallel_accepts_of_a_single_use_invitation_let_one_person_in(team, owner):
    from canvases.models import Invitation, Membership
    from canvases.teams import services as team_services
    from tests.conftest import make_user

    invitation = team_services.create_invitation(team=team, created_by=owner, single_use=True)
    clients = [logged_in(make_user(f"newcomer{i}")) for i in range(20)]
    url = reverse("canvases:invitation-accept", args=[invitation.token])

    statuses = all_at_once(20, lambda i: clients[i].post(url).status_code)

    assert statuses == Counter({303: 1, 410: 19})
    joined = Membership.objects.filter(team=team, invitation=invitation)
    assert joined.count() == 1
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None
