"""A kept public page is answered before the session is read, with every security header."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import cache as public_cache
from priorities.services import events as event_services
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward():
    return WardFactory(name="Abbey")


def test_a_kept_ward_page_is_answered_without_a_query_and_with_the_security_headers(client, ward):
    url = reverse("wards:detail", args=[ward.code])
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert again.status_code == 200
    assert again.content == first.content
    assert len(queries) == 0
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Permissions-Policy"):
        assert again.has_header(header), header
    assert "Cookie" in again["Vary"]
    assert not again.cookies


def test_a_visitor_with_a_session_never_gets_the_kept_page(client, ward):
    url = reverse("wards:detail", args=[ward.code])
    client.get(url)
    client.cookies["sessionid"] = "not-a-session"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert len(queries) > 0


def test_a_missed_page_asks_the_cache_for_it_once(client, ward, monkeypatch):
    asked = []
    lookup = public_cache._lookup

    def counting_lookup(key):
        asked.append(key)
        return lookup(key)

    monkeypatch.setattr(public_cache, "_lookup", counting_lookup)

    client.get(reverse("wards:detail", args=[ward.code]))

    assert len([key for key in asked if key.startswith("page:")]) == 1


def test_a_repeat_visitor_revalidates_a_ward_page_with_its_etag(client, ward):
    url = reverse("wards:detail", args=[ward.code])
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_ward_calendar_is_kept_and_changes_the_moment_an_event_is_added(client, ward):
    url = reverse("priorities:ward_feed", args=[ward.code])
    before = client.get(url)
    assert before["Content-Type"].startswith("text/calendar")
    assert b"Street surgery" not in before.content

    starts = timezone.now() + datetime.timedelta(days=3)
    event_services.event_schedule(
        actor=None,
        system=True,
        kind="surgery",
        title="Street surgery",
        ward_ids=[ward.pk],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        venue="Library",
    )
    after = client.get(url)

    assert b"Street surgery" in after.content
    assert after["Content-Type"].startswith("text/calendar")
    assert "max-age=900" in after["Cache-Control"]
