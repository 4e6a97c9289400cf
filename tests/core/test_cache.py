import gzip
import json
import os
import socket
import subprocess
import sys
import threading

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from core.cache import public_cache_bump, public_fragment, public_page

pytestmark = pytest.mark.django_db


def test_public_page_serves_anonymous_repeat_from_cache(counted_view, rf):
    first = counted_view(rf.get("/wards/E05000001/"))
    second = counted_view(rf.get("/wards/E05000001/"))

    assert second.content == first.content == b"render 1"
    assert counted_view.calls == ["/wards/E05000001/"]


def test_public_page_rebuilds_after_a_public_change(counted_view, rf):
    counted_view(rf.get("/wards/E05000001/"))
    public_cache_bump()

    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 2"


def test_public_page_bypassed_with_session_cookie_or_query(counted_view, rf):
    counted_view(rf.get("/wards/E05000001/"))
    with_session = rf.get("/wards/E05000001/")
    with_session.COOKIES["sessionid"] = "abc"

    assert counted_view(with_session).content == b"render 2"
    assert counted_view(rf.get("/wards/E05000001/", {"page": "2"})).content == b"render 3"


def test_public_page_never_keeps_a_page_with_a_csrf_token(rf):
    calls = []

    @public_page
    def form_view(request):
        calls.append(1)
        return HttpResponse(f"token {get_token(request)}")

    form_view(RequestFactory().get("/form/"))
    form_view(RequestFactory().get("/form/"))

    assert len(calls) == 2


def test_public_page_never_keeps_errors(rf):
    calls = []

    @public_page
    def missing(request):
        calls.append(1)
        return HttpResponse("gone", status=404)

    missing(rf.get("/x/"))
    missing(rf.get("/x/"))

    assert len(calls) == 2


def test_public_fragment_builds_once_per_version():
    built = []

    def build():
        built.append(1)
        return {"body": f"built {len(built)}"}

    assert public_fragment("thing", "a", build) == {"body": "built 1"}
    assert public_fragment("thing", "a", build) == {"body": "built 1"}
    public_cache_bump()
    assert public_fragment("thing", "a", build) == {"body": "built 2"}


def test_public_fragment_does_not_keep_none():
    built = []

    def build():
        built.append(1)

    public_fragment("thing", "missing", build)
    public_fragment("thing", "missing", build)

    assert len(built) == 2


@pytest.mark.parametrize("path", ["/wards/ /", "/teams/a\x7fb/", "/wards/" + "x" * 300 + "/"])
def test_public_page_caches_any_address_without_a_cache_key_warning(counted_view, rf, path):
    # filterwarnings=error turns locmem's CacheKeyWarning (spaces, control characters, more than
    # 250 characters) into a failure, as tests/pact/test_bad_input.py found for odd addresses.
    first = counted_view(rf.get(path))
    second = counted_view(rf.get(path))

    assert second.content == first.content == b"render 1"


# Finding 13 of issue 12: a frozen Redis (alive, but answering nothing) had no socket timeout,
# so every page waited on it for as long as the operating system let a read hang.


class SilentRedis:
    """A server that takes connections and reads what is sent but never answers: a frozen Redis,
    as its clients see it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.connections = 0
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.socket.getsockname()[1]}/0"

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            self._held.append(connection)

    def close(self) -> None:
        self.socket.close()
        for connection in self._held:
            connection.close()


@pytest.fixture
def frozen_redis(settings):
    server = SilentRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.PactRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    yield server
    server.close()


def test_finding_13_a_frozen_redis_is_asked_once_then_left_to_rest(counted_view, rf, frozen_redis):
    responses = [counted_view(rf.get("/wards/E05000001/")) for _ in range(3)]
    public_cache_bump()

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert counted_view.calls == ["/wards/E05000001/"] * 3
    assert frozen_redis.connections == 1


def test_finding_13_a_resting_redis_is_asked_again_after_the_retry_period(counted_view, rf, frozen_redis, settings):
    settings.PACT_CACHE_RETRY_SECONDS = 0
    counted_view(rf.get("/wards/E05000001/"))
    counted_view(rf.get("/wards/E05000001/"))

    assert frozen_redis.connections == 2


def test_finding_13_the_cache_gives_up_on_a_redis_within_a_second():
    # The settings as a server reads them, with Redis configured.
    code = "from django.conf import settings; print(json.dumps(settings.CACHES['default']['OPTIONS']))"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pact.settings", "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = subprocess.run(
        [sys.executable, "-c", f"import json, django; django.setup(); {code}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    options = json.loads(result.stdout)

    assert 0 < options["socket_connect_timeout"] <= 1
    assert 0 < options["socket_timeout"] <= 1


def test_a_kept_page_carries_an_etag_and_a_repeat_visitor_gets_a_bodiless_304(counted_view, rf):
    first = counted_view(rf.get("/wards/E05000001/"))
    etag = first["ETag"]

    again = counted_view(rf.get("/wards/E05000001/", HTTP_IF_NONE_MATCH=etag))

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert counted_view.calls == ["/wards/E05000001/"]


def test_a_public_change_gives_the_page_a_new_etag(counted_view, rf):
    etag = counted_view(rf.get("/wards/E05000001/"))["ETag"]
    public_cache_bump()

    changed = counted_view(rf.get("/wards/E05000001/", HTTP_IF_NONE_MATCH=etag))

    assert changed.status_code == 200
    assert changed.content == b"render 2"
    assert changed["ETag"] != etag


def test_a_kept_page_keeps_its_own_content_type_and_headers(rf):
    @public_page
    def calendar(request):
        response = HttpResponse("BEGIN:VCALENDAR", content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="events.ics"'
        return response

    calendar(rf.get("/wards/E05000001/events.ics"))
    kept = calendar(rf.get("/wards/E05000001/events.ics"))

    assert kept["Content-Type"] == "text/calendar; charset=utf-8"
    assert kept["Content-Disposition"] == 'inline; filename="events.ics"'
    assert kept["Vary"] == "Cookie"


def test_a_browser_that_accepts_gzip_gets_the_kept_page_compressed(rf):
    page = "<p>" + "Abbey ward priorities. " * 40 + "</p>"

    @public_page
    def view(request):
        return HttpResponse(page)

    plain = view(rf.get("/wards/E05000001/"))
    squeezed = view(rf.get("/wards/E05000001/", HTTP_ACCEPT_ENCODING="br, gzip"))

    assert plain.content.decode() == page
    assert squeezed["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.content).decode() == page
    assert int(squeezed["Content-Length"]) == len(squeezed.content) < len(page)
    assert "Accept-Encoding" in squeezed["Vary"]
    assert squeezed["ETag"] != plain["ETag"]
    revalidated = view(rf.get("/wards/E05000001/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=squeezed["ETag"]))
    assert revalidated.status_code == 304


def test_new_static_files_make_kept_pages_and_fragments_stale(counted_view, rf, monkeypatch):
    # Kept pages name static files by their hashed names: a deploy with new static files
    # (a new manifest) must not serve a page naming files that are gone.
    def build():
        return {"body": "built"}

    monkeypatch.setattr("core.cache.static_build", lambda: "manifest-a")
    counted_view(rf.get("/wards/E05000001/"))
    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 1"
    built = []
    public_fragment("thing", "a", lambda: built.append(1) or build())

    monkeypatch.setattr("core.cache.static_build", lambda: "manifest-b")

    assert counted_view(rf.get("/wards/E05000001/")).content == b"render 2"
    public_fragment("thing", "a", lambda: built.append(1) or build())
    assert len(built) == 2
