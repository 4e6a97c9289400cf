"""Shared test setup: personas, service checks, and the strict mode CI runs in.

Tests that need a real PostgreSQL, Redis, Celery worker or Chromium carry a marker. Where
that part is missing they skip, so `make test` passes on a laptop with no servers; with
PACT_REQUIRE_SERVICES set (as .ci/run does) any such skip fails the run.
"""

import os
import shutil

import factory.random
import pytest
from django.conf import settings
from django.core.cache import cache

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
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "worker", "browser"):
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


@pytest.fixture
def ward_a(db):
    from tests.wards.factories import WardFactory

    return WardFactory(name="Abbey")


@pytest.fixture
def ward_b(db):
    from tests.wards.factories import WardFactory

    return WardFactory(name="Barming")


def _staff(username: str, roles: list[str], **extra):
    from tests.pact.factories import UserFactory

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
