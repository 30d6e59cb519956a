"""Limits on attempts (wrong join codes, failed log-ins) that hold across processes and under
a burst: every attempt is counted BEFORE it is checked, with one atomic increment in a shared
store, and refused once its key is over the limit. The count lives in the database (an upsert,
no extra service) or in Redis when REDIS_URL is set.
"""

from __future__ import annotations

import time
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest

from .models import AttemptCounter


class DatabaseCounts:
    """Counts in the AttemptCounter table: INSERT … ON CONFLICT DO UPDATE … RETURNING is one
    atomic statement on PostgreSQL and on SQLite (3.35+)."""

    def hit(self, key: str, window: int) -> int:
        now = int(time.time())
        quote = connection.ops.quote_name
        table, key_, count, ends = (
            quote(name) for name in (AttemptCounter._meta.db_table, "key", "count", "window_ends")
        )
        sql = (
            f"INSERT INTO {table} ({key_}, {count}, {ends}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_}) DO UPDATE SET "
            f"{count} = CASE WHEN {table}.{ends} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
            f"{ends} = CASE WHEN {table}.{ends} <= %s THEN excluded.{ends} ELSE {table}.{ends} END "
            f"RETURNING {count}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now + window, now, now])
            return cursor.fetchone()[0]

    def give_back(self, key: str) -> None:
        AttemptCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)

    def forget(self, key: str) -> None:
        AttemptCounter.objects.filter(key=key).delete()


class RedisCounts:
    """Counts in Redis: INCR and EXPIRE NX in one MULTI/EXEC."""

    def __init__(self, url: str):
        import redis

        self.redis = redis.Redis.from_url(url)

    def hit(self, key: str, window: int) -> int:
        pipe = self.redis.pipeline()
        pipe.incr(f"attempts:{key}")
        pipe.expire(f"attempts:{key}", window, nx=True)
        count, _ = pipe.execute()
        return count

    def give_back(self, key: str) -> None:
        self.redis.eval(
            "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 "
            "then return redis.call('DECR', KEYS[1]) end return 0",
            1,
            f"attempts:{key}",
        )

    def forget(self, key: str) -> None:
        self.redis.delete(f"attempts:{key}")


@cache
def _redis_counts(url: str) -> RedisCounts:
    return RedisCounts(url)


def counts() -> DatabaseCounts | RedisCounts:
    return _redis_counts(settings.REDIS_URL) if settings.REDIS_URL else DatabaseCounts()


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for `key`; True when it is beyond `limit` in the current window."""
    return counts().hit(key, window) > limit


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's X-Forwarded-For only when configured to trust it."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def purge_expired() -> int:
    """Forget the counts whose window is over (run daily with purge_trash)."""
    return AttemptCounter.objects.filter(window_ends__lte=int(time.time())).delete()[0]
