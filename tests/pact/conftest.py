"""Fixtures for the project-wide parts: the Celery app in-process and a real worker."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from pact.celery import app as celery_app

WORKER_STOP_SECONDS = 30


@pytest.fixture
def celery_eager() -> Iterator[None]:
    """Run tasks in-process and let their errors propagate, as unit tests want."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_eager_propagates)
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def celery_broker() -> Iterator[None]:
    """Send tasks through the real broker (Redis) instead of running them in-process."""
    conf = celery_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = False
    yield
    conf.task_always_eager = saved


@dataclass(frozen=True)
class RealWorker:
    queue: str
    nodename: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _test_database_url() -> str:
    """A DATABASE_URL for the test database pytest-django created, so the worker shares it."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _stop(process: subprocess.Popen) -> None:
    # SIGTERM is the worker's warm shutdown; kill only if it does not finish in time.
    process.terminate()
    try:
        process.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _delete_queue(name: str) -> None:
    # Each run's queue is new: without this, Redis keeps a binding key for every run.
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_delete(name)


@pytest.fixture
def real_worker(transactional_db, celery_broker, tmp_path) -> Iterator[RealWorker]:
    """A real Celery worker process on its own queue, on the test database and Redis.

    The worker must see committed data, hence ``transactional_db``. Its output goes to a
    file (never the console) for assertion messages; it is always stopped afterwards.
    """
    token = uuid.uuid4().hex[:12]
    worker = RealWorker(queue=f"pact-test-{token}", nodename=f"pact-test-{token}@%h", log_path=tmp_path / "worker.log")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pact.settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "-A", "pact", "worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO"]
    command += ["-Q", worker.queue, "-n", worker.nodename]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with worker.log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield worker
    finally:
        _stop(process)
        _delete_queue(worker.queue)
