"""Fixtures of the fault tests: servers of their own, always stopped afterwards."""

from collections.abc import Iterator

import pytest
from kombu import Connection

from pact.celery import app as celery_app
from tests.faults.servers import PostgresCluster, RedisServer, SmtpSink


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(log_path=tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def own_postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


def send_task(redis_url: str, name: str, *, queue: str, args: tuple = ()) -> None:
    """Send task ``name`` through our own Redis, as beat (or another task) would."""
    with Connection(redis_url, connect_timeout=5) as connection:
        celery_app.send_task(name, args=args, queue=queue, connection=connection)
