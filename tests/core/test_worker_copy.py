"""Each worker's own copy of kept public answers (core.worker_copy), on a real Redis.

A copy is only worth keeping if it is never stale: these tests make changes the way another
worker would (in Redis, not through this process) and check this one hears them.
"""

import subprocess
import sys
import threading
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from core import worker_copy
from core.cache import VERSION_KEY, public_cache_bump
from core.cache_backend import RestingRedis
from tests.wards.factories import WardFactory, square
from wards import boundary_index
from wards.models import Ward

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def round_trips(monkeypatch):
    """Commands this test's own thread sends to Redis (not the listener's)."""
    sent = []
    original = RestingRedis.execute_command
    main = threading.current_thread()

    def counted(self, *args, **options):
        if threading.current_thread() is main:
            sent.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(RestingRedis, "execute_command", counted)
    return sent


def wait_until(check, seconds=5.0):
    # The listener runs beside the test: wait for what it must do, never for a fixed time.
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the worker never heard"
        time.sleep(0.005)


def listening():
    return worker_copy.known(VERSION_KEY) is not None


def raw_redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def bump_elsewhere():
    """A public change made by another worker: in another process."""
    code = "import django; django.setup(); from core.cache import public_cache_bump; public_cache_bump()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_kept_page_is_answered_from_the_worker_without_a_round_trip(counted_view, rf, round_trips):
    counted_view(rf.get("/wards/E05000001/"))
    wait_until(listening)
    counted_view(rf.get("/wards/E05000001/"))
    round_trips.clear()

    again = counted_view(rf.get("/wards/E05000001/"))

    assert again.content == b"render 1"
    assert round_trips == []


def test_a_change_this_worker_makes_is_seen_at_once(counted_view, rf):
    counted_view(rf.get("/wards/E05000001/"))
    wait_until(listening)
    counted_view(rf.get("/wards/E05000001/"))

    public_cache_bump()

    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 2"


def test_a_change_another_worker_makes_is_heard_and_the_copy_dropped(counted_view, rf):
    counted_view(rf.get("/wards/E05000001/"))
    wait_until(listening)
    before = worker_copy.known(VERSION_KEY)

    bump_elsewhere()

    wait_until(lambda: worker_copy.known(VERSION_KEY) != before)
    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 2"


def test_a_worker_that_cannot_hear_asks_redis(counted_view, rf, round_trips):
    counted_view(rf.get("/wards/E05000001/"))
    wait_until(listening)
    # The listener's connection is cut (a network fault, a Redis restart).
    raw_redis().client_kill_filter(_type="pubsub")
    round_trips.clear()

    counted_view(rf.get("/wards/E05000001/"))

    # Either it noticed already (and asked), or it will hear again, from a fresh read.
    assert round_trips == ["MGET"] or listening()


def test_a_flushed_redis_gives_a_new_version_never_an_old_one(counted_view, rf):
    counted_view(rf.get("/wards/E05000001/"))
    wait_until(listening)
    before = worker_copy.known(VERSION_KEY)
    # Flushed from outside (an operator, a Redis restart): no message, the check finds it.
    raw_redis().flushdb()

    wait_until(lambda: worker_copy.known(VERSION_KEY) is None)
    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 2"
    wait_until(lambda: worker_copy.known(VERSION_KEY) is not None)
    assert worker_copy.known(VERSION_KEY) != before


def test_the_copy_keeps_no_more_than_its_budget(counted_view, rf, settings):
    settings.PACT_WORKER_COPY_BYTES = 16384
    counted_view(rf.get("/wards/E05000000/"))
    wait_until(listening)

    for number in range(100):
        counted_view(rf.get(f"/wards/E05{number:06d}/"))

    assert 0 < worker_copy.COPY._bytes <= 16384
    assert len(worker_copy.COPY._entries) < 100


def test_no_copy_is_kept_with_the_budget_at_zero(counted_view, rf, settings, round_trips):
    settings.PACT_WORKER_COPY_BYTES = 0
    counted_view(rf.get("/wards/E05000001/"))
    round_trips.clear()

    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 1"
    assert round_trips == ["MGET"]


def test_two_sites_on_one_redis_do_not_hear_each_other():
    backend = caches["default"]
    other = type(backend)(settings.REDIS_URL, {"KEY_PREFIX": "another-site"})

    assert worker_copy._channel(backend) != worker_copy._channel(other)


def test_a_police_uk_method_is_answered_from_the_worker_within_its_lease(client, round_trips):
    ward = WardFactory()
    client.get(f"/api/kent/{ward.code}")
    wait_until(listening)
    client.get(f"/api/kent/{ward.code}")
    round_trips.clear()

    answer = client.get(f"/api/kent/{ward.code}")

    assert answer.status_code == 200
    assert round_trips == []


def test_a_lease_never_lets_a_client_past_its_burst(client, settings):
    # A bucket that refills once in 100 s: every place a worker leased came out of the burst.
    settings.PACT_API_RATE = 0.01
    ward = WardFactory()
    statuses = [client.get(f"/api/kent/{ward.code}").status_code for _ in range(31)]

    assert statuses == [200] * 30 + [429]


def locate(client, q: str) -> str | None:
    response = client.get(f"/api/locate-neighbourhood?q={q}")
    return response.json()["neighbourhood"] if response.status_code == 200 else None


def test_locate_hears_boundaries_changed_by_another_worker(client):
    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    assert locate(client, "51.205,0.505") == ward.code
    wait_until(lambda: worker_copy.known(boundary_index.VERSION_KEY) is not None)
    # Another worker's import: new rows, then a new version set (and told) from its process.
    Ward.objects.filter(pk=ward.pk).update(boundary=square(0.6, 51.2), min_lng=0.6, max_lng=0.61)
    worker_copy._run_script(caches["default"], worker_copy._SET, boundary_index.VERSION_KEY, 12345, "")

    wait_until(lambda: worker_copy.known(boundary_index.VERSION_KEY) == 12345)
    assert locate(client, "51.205,0.505") is None
    assert locate(client, "51.205,0.605") == ward.code
