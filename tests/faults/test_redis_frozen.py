"""Redis frozen (SIGSTOP), not dead: public pages still answer, and within two seconds.

A stopped Redis keeps its port and the kernel still takes connections for it, so clients
are not refused: they wait. Finding 13 of issue 12 was that the cache client waited as long
as the operating system let it. gunicorn runs on a Redis of the test's own; the shared Redis
of the machine is never touched.
"""

import time

import pytest
import requests

from tests.conftest import _test_database_url
from tests.faults.servers import REQUEST_SECONDS, WebServer, app_env
from tests.faults.test_redis_down import _public_pages
from tests.wards.factories import PostcodeFactory, WardFactory

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

# The bound the issue sets for a page while Redis is frozen.
PAGE_SECONDS = 2


@pytest.fixture
def web(transactional_db, own_redis, tmp_path):
    env = app_env(database_url=_test_database_url(), redis_url=own_redis.url)
    server = WebServer(env=env, log_path=tmp_path / "gunicorn.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _timed_get(web, path) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(web.url + path, timeout=REQUEST_SECONDS)
    return response, time.monotonic() - started


def test_finding_13_redis_frozen_pages_answer_within_two_seconds(web, own_redis):
    ward = WardFactory()
    pages = _public_pages(PostcodeFactory(postcode="ME14 1XX", ward=ward), ward)
    for path in pages:  # cached in Redis while it answers
        assert _timed_get(web, path)[0].status_code == 200, (path, web.log())

    own_redis.freeze()
    try:
        # Twice round: the first requests of each gunicorn worker meet the frozen Redis.
        answers = [(path, *_timed_get(web, path)) for path in pages + pages]
    finally:
        own_redis.thaw()

    slow = [(path, response.status_code, round(took, 2)) for path, response, took in answers if took >= PAGE_SECONDS]
    assert not slow, f"slower than {PAGE_SECONDS}s with Redis frozen: {slow}\n{web.log()}"
    assert [response.status_code for _path, response, _took in answers] == [200] * len(answers), web.log()
