"""Sign-in rate limit and lockouts, per account and per address, for passwords and codes alike."""

import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from core import abuse, sign_in
from core.abuse import RateLimit
from core.models import AuditEvent, OutboundEmail, SignInFailure, SignInLockout
from tests.core.factories import SecondFactorFactory, totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = reverse("staff:login")
CHECK = reverse("staff:two_factor_check")
STAFF_HOME = reverse("staff:home")
NOW = datetime.datetime(2026, 11, 21, 10, 0, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PACT_SIGN_IN_ACCOUNT_FAILURES = 3
    settings.PACT_SIGN_IN_ADDRESS_FAILURES = 5
    settings.PACT_SIGN_IN_FAILURE_WINDOW_SECONDS = 900
    settings.PACT_SIGN_IN_LOCK_SECONDS = 900
    settings.PACT_SIGN_IN_ACCOUNT_DELAY_SECONDS = 60


def attempt(client, username="officer", password="wrong password", address="203.0.113.7"):  # noqa: S107
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_sign_in_posts_are_rate_limited_per_address_before_the_password_is_checked(client, officer, monkeypatch):
    monkeypatch.setattr("core.views.sign_in.SIGN_IN_RATE", RateLimit(scope="sign-in", limit=2, window_seconds=60))
    attempt(client)
    attempt(client)

    response = attempt(client, password=PASSWORD)

    assert response.status_code == 429
    assert str(sign_in.ERROR_RATE_LIMITED) in response.content.decode()
    assert not signed_in(client)
    assert SignInFailure.objects.count() == 2
    assert attempt(client, password=PASSWORD, address="198.51.100.1").status_code == 302


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, officer):
    for address in ("203.0.113.1", "203.0.113.2"):
        assert attempt(client, address=address).status_code == 200
    locked = attempt(client, address="203.0.113.3")

    assert locked.status_code == 429
    assert "too many failed attempts to sign in" in locked.content.decode()
    response = attempt(client, password=PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Wait 1 minute and try again" in response.content.decode()
    assert not signed_in(client)
    lockout = SignInLockout.objects.get()
    assert (lockout.kind, lockout.user) == ("account", officer)
    assert AuditEvent.objects.filter(action="pact.sign_in.account_locked").count() == 1


def test_lockout_does_not_tell_whether_the_account_exists(client, officer):
    answers = {}
    for username in ("officer", "nobody-by-this-name"):
        for n in range(3):
            response = attempt(client, username=username, address=f"203.0.113.{n + 10}")
        content = response.content.decode()
        summary = content[content.index("govuk-error-summary") : content.index("</ul>")]
        answers[username] = (response.status_code, summary)

    assert answers["officer"] == answers["nobody-by-this-name"]
    assert SignInLockout.objects.filter(kind="account").count() == 2


def test_address_is_locked_after_failures_across_accounts(client, officer, sergeant):
    for n in range(5):
        attempt(client, username=f"guess{n}")

    response = attempt(client, username="sergeant", password=PASSWORD)

    assert response.status_code == 429
    assert SignInLockout.objects.get().kind == "address"
    assert attempt(client, username="sergeant", password=PASSWORD, address="198.51.100.2").status_code == 302


def test_lockout_ends_by_itself_after_the_lock_period(client, officer):
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            attempt(client, address=f"203.0.113.{n}")
        assert attempt(client, password=PASSWORD).status_code == 429

    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert attempt(client, password=PASSWORD).status_code == 302


def test_a_full_sign_in_forgives_the_accounts_earlier_failures(client, officer):
    factor = SecondFactorFactory(user=officer)
    attempt(client)
    attempt(client)
    attempt(client, password=PASSWORD)
    client.post(CHECK, {"code": totp(factor).now()})
    client.post(reverse("staff:logout"))

    attempt(client)
    attempt(client)

    assert SignInLockout.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_wrong_codes_count_too_and_the_lockout_signs_the_user_out(client, officer):
    factor = SecondFactorFactory(user=officer)
    attempt(client)
    attempt(client, password=PASSWORD)
    wrong = f"{(int(totp(factor).at(NOW)) + 5) % 1_000_000:06d}"
    assert client.post(CHECK, {"code": wrong}).status_code == 400

    response = client.post(CHECK, {"code": wrong}, follow=True)

    assert response.redirect_chain[-1][0] == SIGN_IN
    assert "too many failed attempts to sign in" in response.content.decode()
    assert not signed_in(client)
    assert SignInFailure.objects.filter(stage="code").count() == 2
    assert attempt(client, password=PASSWORD).status_code == 429


def test_a_locked_account_is_refused_at_the_code_step_too(client, officer):
    from django.test import Client

    factor = SecondFactorFactory(user=officer)
    attempt(client, password=PASSWORD)
    for n in range(3):
        attempt(Client(), address=f"203.0.113.{n + 20}")

    response = client.post(CHECK, {"code": totp(factor).now()})

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert not signed_in(client)


def test_administrator_sees_and_clears_a_lockout(client, officer, admin_user):
    for n in range(3):
        attempt(client, address=f"203.0.113.{n}")
    lockout = SignInLockout.objects.get()
    client.force_login(admin_user)

    listing = client.get("/admin/pact/signinlockout/")
    assert listing.status_code == 200
    assert "officer" in listing.content.decode()
    response = client.post(
        "/admin/pact/signinlockout/", {"action": "clear", "_selected_action": [lockout.pk]}, follow=True
    )

    assert "1 lockout(s) cleared." in response.content.decode()
    lockout.refresh_from_db()
    assert lockout.cleared_by == admin_user
    assert AuditEvent.objects.get(action="pact.sign_in.account_lock_cleared").actor == admin_user
    client.post(reverse("staff:logout"))
    assert attempt(client, password=PASSWORD).status_code == 302


def test_officer_cannot_see_or_clear_lockouts(client, officer, sergeant):
    for n in range(3):
        attempt(client, username="sergeant", address=f"203.0.113.{n}")
    lockout = SignInLockout.objects.get()
    client.force_login(officer)

    assert client.get("/admin/pact/signinlockout/").status_code == 302
    client.post("/admin/pact/signinlockout/", {"action": "clear", "_selected_action": [lockout.pk]})
    lockout.refresh_from_db()
    assert lockout.cleared_at is None


def test_lockouts_hold_when_the_cache_is_down(client, officer, monkeypatch):
    class DownCache:
        def add(self, *args, **kwargs):
            raise RedisConnectionError("Redis is down")

        incr = add

    monkeypatch.setattr(abuse, "cache", DownCache())
    for n in range(3):
        attempt(client, address=f"203.0.113.{n}")

    assert attempt(client, password=PASSWORD).status_code == 429
    assert not signed_in(client)


def test_failures_keep_no_username_or_address(client, officer):
    attempt(client, username="someone@example.org", address="203.0.113.77")

    failure = SignInFailure.objects.get()
    assert "someone" not in failure.account_key
    assert "203.0.113" not in failure.address_key
    assert failure.account_key == sign_in.account_key("  SOMEONE@example.org ")


# Finding 10 of issue 12: anyone who knows a username could lock its owner out for 15 minutes,
# again and again. An account is now paused for a short time that doubles with each lockout
# (the address lock stays as it was), and its owner is told by email.


def _lock_lengths() -> list[int]:
    lockouts = SignInLockout.objects.filter(kind="account").order_by("created_at")
    return [round((lockout.locked_until - lockout.created_at).total_seconds()) for lockout in lockouts]


def test_finding_10_repeated_account_lockouts_start_short_and_double_up_to_the_lock_period(client, officer):
    at = NOW
    with time_machine.travel(at, tick=False):
        for n in range(3):
            attempt(client, address=f"203.0.113.{n}")
    for n in range(5):
        # Each time the pause ends, wrong passwords go on (from other addresses) until it pauses again.
        at = SignInLockout.objects.latest("created_at").locked_until + datetime.timedelta(seconds=1)
        with time_machine.travel(at, tick=False):
            statuses = [attempt(client, address=f"198.51.{n}.{m}").status_code for m in range(3)]
        assert 429 in statuses

    assert _lock_lengths() == [60, 120, 240, 480, 900, 900]


def test_finding_10_the_owner_is_told_by_email_once_when_their_account_is_locked(client, officer):
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            attempt(client, address=f"203.0.113.{n}")
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        attempt(client, address="203.0.113.9")

    email = OutboundEmail.objects.get()
    assert email.to == officer.email
    assert email.subject == "Sign-in to your PACT account has been paused"
    assert "officer" in email.body_text
    assert "10:01" in email.body_text  # paused until, UK time
    assert "203.0.113" not in email.body_text + email.body_html
    assert "force administrator" in email.body_text


def test_finding_10_no_email_for_an_unknown_username_or_an_address_lock(client, officer, sergeant):
    for n in range(3):
        attempt(client, username="nobody-by-this-name", address=f"203.0.113.{n}")
    for n in range(5):
        attempt(client, username=f"guess{n}", address="198.51.100.4")

    assert set(SignInLockout.objects.values_list("kind", flat=True)) == {"account", "address"}
    assert not OutboundEmail.objects.exists()


def test_finding_10_the_address_lock_stays_the_full_lock_period(client, officer):
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            attempt(client, username=f"guess{n}")

    lockout = SignInLockout.objects.get(kind="address")
    assert lockout.locked_until - lockout.created_at == datetime.timedelta(minutes=15)


def test_a_cleared_lockout_starts_the_delays_again(client, officer, admin_user):
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            attempt(client, address=f"203.0.113.{n}")
        sign_in.sign_in_lockout_clear(actor=admin_user, lockout=SignInLockout.objects.get())
        for n in range(3):
            attempt(client, address=f"203.0.113.{n}")

    assert _lock_lengths() == [60, 60]


# Cases from django-axes's own tests (tests/test_login.py), as our lockouts are kept rather
# than replaced by it: one failure short of the limit signs in, the limit locks, and
# attempts during a lockout neither count nor lengthen it.


def test_lockout_limit_once(client, officer):
    for n in range(2):
        assert attempt(client, address=f"203.0.113.{n}").status_code == 200

    assert attempt(client, password=PASSWORD, address="203.0.113.3").status_code == 302


def test_lockout_limit_many(client, officer):
    for n in range(3):
        attempt(client, address=f"203.0.113.{n}")

    assert [attempt(client, address=f"198.51.100.{n}").status_code for n in range(3)] == [429] * 3
    assert attempt(client, password=PASSWORD).status_code == 429


def test_lockout_by_user_allows_when_diff_user_same_ip(client, officer, sergeant):
    for _ in range(3):
        attempt(client, username="officer")

    assert attempt(client, username="sergeant", password=PASSWORD).status_code == 302


def test_lockout_by_ip_allows_when_same_user_diff_ip(client, officer, settings):
    settings.PACT_SIGN_IN_ACCOUNT_FAILURES = 10
    for _ in range(5):
        attempt(client)
    assert attempt(client, password=PASSWORD).status_code == 429

    assert attempt(client, password=PASSWORD, address="198.51.100.5").status_code == 302


def test_lockout_by_user_with_empty_username_allows_other_users(client, officer):
    for n in range(3):
        attempt(client, username="", address=f"203.0.113.{n}")

    assert not SignInLockout.objects.exists()
    assert attempt(client, password=PASSWORD).status_code == 302


def test_login_during_lockout_doesnt_reset_cool_off_time(client, officer):
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            attempt(client, address=f"203.0.113.{n}")
    with time_machine.travel(NOW + datetime.timedelta(seconds=30), tick=False):
        assert attempt(client, address="203.0.113.9").status_code == 429
        assert attempt(client, password=PASSWORD, address="203.0.113.9").status_code == 429

    assert SignInFailure.objects.count() == 3
    assert _lock_lengths() == [60]
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert attempt(client, password=PASSWORD, address="203.0.113.9").status_code == 302
