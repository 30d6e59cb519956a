"""Throttles are shared and exact: wrong join codes and failed log-ins are counted before they
are checked, in the database or in Redis, so that neither a burst nor several processes get
past the limit; a log-in lock holds a (username, address) pair, not the account."""

from __future__ import annotations

import os
from collections import Counter

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from canvases import throttles
from canvases.workshops import services as workshop_services
from tests.conftest import needs_postgres
from tests.servers import Server

from .test_races import all_at_once

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs with the counts in the database, then in Redis."""
    if request.param == "redis":
        if not redis_reachable():
            if os.environ.get("CI") == "true":
                pytest.fail(f"Redis is not reachable at {REDIS_URL} (CI runs throttles on it)")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        settings.REDIS_URL = REDIS_URL
        counts = throttles.counts()
        for key in counts.redis.scan_iter("attempts:*"):
            counts.redis.delete(key)
    else:
        settings.REDIS_URL = ""
    return request.param


def log_in(client: Client, username: str, password: str, address: str) -> int:
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address).status_code


@pytest.mark.django_db
def test_failed_log_ins_lock_the_pair_not_the_account(store, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    attacker = Client()
    assert [log_in(attacker, "olivia", "guess", "10.0.0.66") for _ in range(4)] == [
        200, 200, 200, 429
    ]  # fmt: skip
    assert log_in(attacker, "olivia", "pw-olivia", "10.0.0.66") == 429  # even the right one
    assert log_in(Client(), "olivia", "pw-olivia", "10.0.0.7") == 302  # the owner elsewhere


@pytest.mark.django_db
def test_one_address_trying_many_names_hits_the_address_limit(store, owner, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    client = Client()
    answers = [log_in(client, f"name{i}", "guess", "10.0.0.66") for i in range(6)]
    assert answers == [200] * 5 + [429]


@pytest.mark.django_db
def test_a_right_password_does_not_count_and_clears_the_pair(store, owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    assert log_in(Client(), "olivia", "guess", "10.0.0.8") == 200
    assert log_in(Client(), "olivia", "pw-olivia", "10.0.0.8") == 302
    assert log_in(Client(), "olivia", "guess", "10.0.0.8") == 200
    assert log_in(Client(), "olivia", "guess", "10.0.0.8") == 200  # 2 since the success


@pytest.mark.django_db
def test_only_wrong_codes_count_against_the_join_code_limit(store, canvas, owner):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    url = reverse("canvases:workshop-join-code")

    def join(code: str, name: str = "Grace") -> int:
        data = {"code": code, "display_name": name}
        return Client().post(url, data, REMOTE_ADDR="10.0.0.9").status_code

    assert join(workshop.join_code) == 302
    assert join("WRONG1", name="") == 422  # a missing name is no guess
    assert [join("WRONG1") for _ in range(10)] == [422] * 10
    assert join(workshop.join_code) == 429


postgres_only = needs_postgres("real concurrent transactions and processes")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixty_parallel_wrong_codes_get_exactly_ten_answers(store, canvas, owner):
    workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    url = reverse("canvases:workshop-join-code")
    data = {"code": "NOPE22", "display_name": "Eve"}

    statuses = all_at_once(60, lambda i: Client().post(url, data).status_code)

    assert statuses == Counter({422: 10, 429: 50})


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_limit_is_shared_by_every_process(store, canvas, owner):
    workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    env = {"REDIS_URL": REDIS_URL if store == "redis" else "", "LOGIN_THROTTLE": "true"}
    servers = [Server(env=env).start(), Server(env=env).start()]
    path = reverse("canvases:workshop-join-code")
    try:
        answers = []
        for attempt in range(12):
            server = servers[attempt % 2]
            with httpx.Client(base_url=server.url) as client:
                form = client.get(path)
                token = form.cookies["csrftoken"]
                data = {"code": "NOPE22", "display_name": "Eve", "csrfmiddlewaretoken": token}
                answers.append(client.post(path, data=data).status_code)
    finally:
        for server in servers:
            server.stop()
    assert answers == [422] * 10 + [429] * 2
