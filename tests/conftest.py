"""Shared test setup: personas, service checks, and the strict mode CI runs in.

Tests that need a real PostgreSQL, Redis, Celery worker or Chromium carry a marker. Where
that part is missing they skip, so `make test` passes on a laptop with no servers; with
PACT_REQUIRE_SERVICES set (as .ci/run does) any such skip fails the run.
"""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import factory.random
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from pact.celery import app as celery_app

STRICT = os.environ.get("PACT_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _database_is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _redis_is_up() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _missing(marker: str) -> str | None:
    if marker == "postgres" and not _database_is_postgres():
        return "needs PostgreSQL: set DATABASE_URL"
    if marker in {"redis", "worker"} and not _redis_is_up():
        return "needs Redis: set REDIS_URL to a running server"
    if marker == "worker" and not _database_is_postgres():
        return "a real worker needs a shared database: set DATABASE_URL to PostgreSQL"
    if marker == "browser" and not CHROMIUM:
        return "needs Debian's chromium package"
    if marker == "faults":
        from tests.faults.servers import missing_tools

        return missing_tools()
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "worker", "browser", "faults"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason:
            pytest.skip(reason)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if STRICT and skipped:
        terminalreporter.write_line(
            f"PACT_REQUIRE_SERVICES is set and {len(skipped)} test(s) were skipped: every part must be tested.",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT and reporter is not None and reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tests dispatch the outbox when they mean to (tests/core/test_emails.py covers the on-commit dispatch).
    settings.PACT_SEND_EMAIL_AT_ONCE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


factory.random.reseed_random("pact")


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """``client.force_login(user)`` signs in as the sign-in pages do: the session gets its start
    time (core.sign_in) and, unless ``second_factor=False``, the user a confirmed authenticator
    and the session the verified mark (core.two_factor), exactly as a right code leaves them.
    tests/core/test_two_factor*.py drive the real pages."""
    from django.test import Client

    from core.sign_in import session_start
    from core.two_factor import SESSION_VERIFIED, session_mark_verified

    original = Client.force_login

    def force_login(self, user, backend=None, *, second_factor=True):
        original(self, user, backend)
        session = self.session
        session_start(session)
        if second_factor:
            from tests.core.factories import confirmed_second_factor

            session_mark_verified(session, factor_id=confirmed_second_factor(user).pk)
        else:
            session.pop(SESSION_VERIFIED, None)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def ward_a(db):
    from tests.wards.factories import WardFactory

    return WardFactory(name="Abbey")


@pytest.fixture
def ward_b(db):
    from tests.wards.factories import WardFactory

    return WardFactory(name="Barming")


def _staff(username: str, roles: list[str], **extra):
    from tests.core.factories import UserFactory

    return UserFactory(username=username, roles=roles, **extra)


@pytest.fixture
def officer(ward_a):
    """A PC of ward A's team."""
    from tests.wards.factories import OfficerFactory

    user = _staff("officer", ["officer"])
    OfficerFactory(team=ward_a.team, user=user, rank="pc")
    return user


@pytest.fixture
def sergeant(ward_a):
    from tests.wards.factories import OfficerFactory

    user = _staff("sergeant", ["officer"])
    OfficerFactory(team=ward_a.team, user=user, rank="sergeant")
    return user


@pytest.fixture
def other_officer(ward_b):
    """An officer of ward B's team, who has no business with ward A."""
    from tests.wards.factories import OfficerFactory

    user = _staff("other_officer", ["officer"])
    OfficerFactory(team=ward_b.team, user=user)
    return user


@pytest.fixture
def chair(db):
    return _staff("chair", ["chair"])


@pytest.fixture
def partner(db):
    return _staff("partner", ["partner"])


@pytest.fixture
def admin_user(db):
    return _staff("administrator", ["administrator"], is_staff=True)


@pytest.fixture
def outsider(db):
    """Signed in, but with no PACT role at all."""
    return _staff("outsider", [])


# Celery: tasks in-process for unit tests, or a real worker on Redis and the test database.

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
    queue = f"pact-test-{token}"
    worker = RealWorker(queue=queue, nodename=f"pact-test-{token}@%h", log_path=tmp_path / "worker.log")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pact.settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # Tasks the worker itself sends (a fan-out) go to its own queue, not the shared default.
        "PACT_CELERY_QUEUE": queue,
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
