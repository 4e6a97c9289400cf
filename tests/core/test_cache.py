import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from core.cache import public_cache_bump, public_fragment, public_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted_view():
    calls = []

    @public_page
    def view(request):
        calls.append(request.path)
        return HttpResponse(f"render {len(calls)}")

    view.calls = calls
    return view


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
