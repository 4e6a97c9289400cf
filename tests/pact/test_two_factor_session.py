"""Staff sessions expire, sign-out clears them, staff pages are never stored, logs carry no personal data."""

import datetime
import logging

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from core import sign_in
from core.log_filters import MaskPersonalData, mask
from core.models import AuditEvent
from core.two_factor import SESSION_VERIFIED

pytestmark = pytest.mark.django_db

STAFF_HOME = reverse("staff:home")
SIGN_IN = reverse("staff:login")
START = datetime.datetime(2026, 11, 21, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _session_limits(settings):
    settings.PACT_SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_COOKIE_AGE = 8 * 3600


def test_session_ends_after_thirty_idle_minutes(client, officer):
    with time_machine.travel(START, tick=False):
        client.force_login(officer)
        assert client.get(STAFF_HOME).status_code == 200

    with time_machine.travel(START + datetime.timedelta(minutes=31), tick=False):
        response = client.get(STAFF_HOME, follow=True)

    assert response.redirect_chain[0][0] == f"{SIGN_IN}?next={STAFF_HOME}"
    assert "did nothing for 30 minutes" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="pact.sign_in.session_expired_idle", actor=officer).count() == 1


def test_activity_keeps_the_session_until_the_absolute_limit(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        for _ in range(23):  # every 20 minutes up to 7h40
            clock.shift(datetime.timedelta(minutes=20))
            assert client.get(STAFF_HOME).status_code == 200
        clock.shift(datetime.timedelta(minutes=21))
        response = client.get(STAFF_HOME, follow=True)

    assert response.redirect_chain[0][0].startswith(SIGN_IN)
    assert "signed in more than 8 hours ago" in response.content.decode()


def test_a_session_without_a_start_time_has_expired(client, officer):
    client.force_login(officer)
    session = client.session
    del session[sign_in.SESSION_SIGNED_IN_AT]
    session.save()

    assert client.get(STAFF_HOME)["Location"].startswith(SIGN_IN)


def test_an_expired_session_on_a_public_page_is_just_signed_out(client, officer):
    with time_machine.travel(START, tick=False):
        client.force_login(officer)
    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_sign_in_page_after_expiry_shows_the_form_and_why(client, officer):
    with time_machine.travel(START, tick=False):
        client.force_login(officer)
    with time_machine.travel(START + datetime.timedelta(hours=1), tick=False):
        response = client.get(SIGN_IN)

    assert response.status_code == 200
    assert "did nothing for 30 minutes" in response.content.decode()


def test_sign_out_clears_the_session_and_is_audited(client, officer):
    client.force_login(officer)

    client.post(reverse("staff:logout"))

    session = client.session
    assert SESSION_KEY not in session
    assert SESSION_VERIFIED not in session
    assert client.get(STAFF_HOME)["Location"].startswith(SIGN_IN)
    assert AuditEvent.objects.filter(action="pact.sign_in.signed_out", actor=officer).count() == 1


def test_session_last_seen_is_written_at_most_once_a_minute(client, officer, django_assert_num_queries):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(officer)
        clock.shift(datetime.timedelta(seconds=30))
        # The session, the user with their second factor, the roles, the manage page's factor
        # and its codes: no session write.
        with django_assert_num_queries(5):
            client.get(reverse("staff:two_factor"))
        clock.shift(datetime.timedelta(seconds=31))
        # The same five, then the session written back: a savepoint, the UPDATE, its release.
        with django_assert_num_queries(8):
            client.get(reverse("staff:two_factor"))
        assert client.session[sign_in.SESSION_SEEN_AT] == int((START + datetime.timedelta(seconds=61)).timestamp())


# Never stored by browsers or proxies.


@pytest.mark.parametrize(
    "path",
    [
        reverse("staff:login"),
        reverse("staff:home"),
        reverse("staff:two_factor"),
        reverse("staff:two_factor_check"),
        "/admin/",
        "/admin/login/",
        "/admin/pact/auditevent/",
        "/staff/no-such-page/",
    ],
)
def test_staff_and_admin_answers_are_never_stored(client, admin_user, path):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(admin_user)
        response = client.get(path)
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, (path, signed_in, response.status_code)


def test_public_pages_keep_their_own_caching(client, ward_a):
    response = client.get(reverse("home"))

    assert "no-store" not in response.get("Cache-Control", "")


# No personal data in the logs.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recipient refused: sam.jones@example.org", "recipient refused: <email>"),
        ("GET /search/?q=ME14+1XX", "GET /search/?q=ME14 ***"),
        ("postcode me4 4tz not found", "postcode me4 *** not found"),
        ("outward code ME14 only", "outward code ME14 only"),
        ("ward E05002160 team 12", "ward E05002160 team 12"),
    ],
)
def test_log_mask_hides_emails_and_full_postcodes(text, expected):
    assert mask(text) == expected


def test_every_log_handler_masks_personal_data():
    config = django_settings.LOGGING
    for name, handler in config["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name
    assert config["filters"]["personal_data"]["()"] == "core.log_filters.MaskPersonalData"


def test_log_filter_masks_arguments_and_tracebacks():
    try:
        raise ValueError("bad address someone@example.org")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "sending to %s", ("a@b.example",), sys.exc_info())

    MaskPersonalData().filter(record)
    line = logging.Formatter().format(record)

    assert "a@b.example" not in line
    assert "someone@example.org" not in line
    assert "sending to <email>" in line
    assert "bad address <email>" in line
