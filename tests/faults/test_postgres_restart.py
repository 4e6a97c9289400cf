"""PostgreSQL restarted under a steady stream of form posts: no acknowledged submission is
lost, a post that fails gets a clean error page (never a hang), and the site recovers by
itself.

gunicorn runs on a throwaway PostgreSQL cluster of the test's own (a copy of the test
database), restarted with ``pg_ctl restart -m fast`` while residents keep raising concerns.
"""

import itertools
import subprocess
import threading
import time
from dataclasses import dataclass

import psycopg2
import pytest
import requests
from django.urls import reverse

from tests.conftest import _test_database_url
from tests.faults.servers import (
    REQUEST_SECONDS,
    WebServer,
    app_env,
    form_post,
    postgres_command,
    wait_for,
)
from tests.priorities.factories import CategoryFactory
from tests.wards.factories import WardFactory

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

RESIDENTS = 4
# Posts acknowledged before the restart, and after it to call the site recovered.
ACKNOWLEDGED_BEFORE = 10
ACKNOWLEDGED_AFTER = 10
# The site must take posts again this soon after PostgreSQL is back: the first request of
# each connection notices the dead one (CONN_HEALTH_CHECKS) and opens a new one.
RECOVER_SECONDS = 30
LOAD_SECONDS = 60
ERROR_PAGE = "Sorry, there is a problem with the service"


@dataclass(frozen=True)
class Outcome:
    marker: str
    status: int | None  # None: no answer at all (refused, reset or timed out)
    error_page: bool
    at: float


@pytest.fixture
def web(transactional_db, own_postgres, tmp_path):
    """gunicorn on our own cluster, holding a copy of the test database with a ward in it."""
    WardFactory(code="E05000001", name="Abbey")
    CategoryFactory(slug="speeding", name="Speeding", is_police_uk=False)
    dump = subprocess.run(
        postgres_command("pg_dump", "--no-owner", "--no-privileges", "--dbname", _test_database_url()),
        check=True,
        capture_output=True,
        timeout=120,
    )
    restore = [*postgres_command("psql", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", own_postgres.url)]
    subprocess.run(restore, input=dump.stdout, check=True, capture_output=True, timeout=120)
    env = app_env(database_url=own_postgres.url, PACT_BEHIND_PROXY="true", PACT_SEND_EMAIL_AT_ONCE="false")
    server = WebServer(env=env, log_path=tmp_path / "gunicorn.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Residents:
    """Threads raising concerns as fast as the site answers, each post with its own marker, from
    its own browser and address."""

    def __init__(self, web: WebServer):
        self.web = web
        self.path = reverse("priorities:concern_new", args=["E05000001"])
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._post, args=(n,), daemon=True) for n in range(RESIDENTS)]
        self.addresses = (f"198.51.100.{n % 250 + 1}" for n in itertools.count())

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_SECONDS * 2)

    def acknowledged(self, since: float = 0.0) -> list[str]:
        with self.lock:
            return [o.marker for o in self.outcomes if o.status == 302 and o.at >= since]

    def failed(self) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if o.status != 302]

    def _session(self) -> requests.Session | None:
        session = requests.Session()
        try:
            if session.get(self.web.url + self.path, timeout=REQUEST_SECONDS).status_code == 200:
                return session
        except requests.RequestException:
            pass
        return None

    def _post(self, number: int) -> None:
        session = None
        for count in itertools.count():
            if self.stop.is_set():
                return
            session = session or self._session()
            if session is None:
                self.stop.wait(0.1)
                continue
            marker = f"resident {number} post {count}"
            answers = {"category": "speeding", "description": f"Cars race at night ({marker}).", "location_text": ""}
            try:
                response = form_post(session, self.web.url + self.path, answers, address=next(self.addresses))
                outcome = Outcome(marker, response.status_code, ERROR_PAGE in response.text, time.monotonic())
            except requests.RequestException:
                outcome = Outcome(marker, None, False, time.monotonic())
            with self.lock:
                self.outcomes.append(outcome)
            # The next post comes from another resident's browser: one person may send only a
            # few concerns an hour (core.abuse.FormLimit), and this is many residents at once.
            session = None


def _saved_markers(database_url: str) -> set[str]:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT description FROM priorities_concern")
        return {description.split("(", 1)[1].rstrip(").") for (description,) in cursor.fetchall()}


def test_postgres_restart_under_load_loses_no_acknowledged_post_and_recovers(web, own_postgres):
    with Residents(web) as residents:
        wait_for(
            lambda: len(residents.acknowledged()) >= ACKNOWLEDGED_BEFORE,
            seconds=LOAD_SECONDS,
            what="posts before the restart",
            log=web.log,
        )
        own_postgres.restart()
        back = time.monotonic()
        wait_for(
            lambda: len(residents.acknowledged(since=back)) >= ACKNOWLEDGED_AFTER,
            seconds=RECOVER_SECONDS,
            what="posts taken again after the restart",
            log=lambda: web.log() + own_postgres.log(),
        )

    acknowledged = residents.acknowledged()
    missing = set(acknowledged) - _saved_markers(own_postgres.url)
    assert not missing, f"acknowledged with a 302 but not saved: {sorted(missing)}"
    unanswered = [o.marker for o in residents.failed() if o.status is None]
    assert not unanswered, f"no answer at all (a hang or a dropped connection): {unanswered}\n{web.log()}"
    unclean = [(o.marker, o.status) for o in residents.failed() if o.status not in {500, 503} or not o.error_page]
    assert not unclean, f"failed without the error page: {unclean}\n{web.log()}"


def test_finding_14_postgres_stopped_answers_503_with_retry_after_and_the_error_page(web, own_postgres):
    form = web.url + reverse("priorities:concern_new", args=["E05000001"])
    assert requests.get(form, timeout=REQUEST_SECONDS).status_code == 200, web.log()

    own_postgres.stop()
    page = requests.get(form, timeout=REQUEST_SECONDS)
    health = requests.get(web.url + "/healthz", timeout=REQUEST_SECONDS)

    assert page.status_code == 503, (page.status_code, web.log())
    assert page.headers["Retry-After"] == "30"
    assert ERROR_PAGE in page.text
    assert health.status_code == 503
    assert health.headers["Retry-After"] == "30"
    assert health.json() == {"status": "error", "database": "unavailable", "redis": "not used"}
