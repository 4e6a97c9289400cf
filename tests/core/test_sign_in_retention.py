"""Staff sign-in records do not outlive their use: the nightly retention run removes them."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from core.models import SignInFailure, SignInLockout
from core.personal_data import retention_apply

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 21, 12, 0, tzinfo=datetime.UTC)


def _session(expires: datetime.datetime) -> str:
    store = SessionStore()
    store["who"] = "officer"
    store.set_expiry(expires)
    store.create()
    return store.session_key


def _failure(at: datetime.datetime) -> SignInFailure:
    with time_machine.travel(at, tick=False):
        return SignInFailure.objects.create(account_key="a" * 64, address_key="b" * 64, stage="password")


def _lockout(until: datetime.datetime) -> SignInLockout:
    with time_machine.travel(until - datetime.timedelta(minutes=15), tick=False):
        return SignInLockout.objects.create(kind="account", key="a" * 64, locked_until=until)


def test_expired_sessions_old_failures_and_long_ended_lockouts_are_deleted(settings):
    settings.PACT_SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        live = _session(NOW + datetime.timedelta(hours=1))
        expired = _session(NOW - datetime.timedelta(minutes=1))
    counting = _failure(NOW - datetime.timedelta(minutes=14))
    _failure(NOW - datetime.timedelta(minutes=16))
    recent = _lockout(NOW - datetime.timedelta(days=89))
    _lockout(NOW - datetime.timedelta(days=91))

    with time_machine.travel(NOW, tick=False):
        counts = retention_apply()

    assert counts["pact.sign_in"] == 3
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert expired not in set(Session.objects.values_list("session_key", flat=True))
    assert list(SignInFailure.objects.all()) == [counting]
    assert list(SignInLockout.objects.all()) == [recent]
    with time_machine.travel(NOW, tick=False):
        assert retention_apply()["pact.sign_in"] == 0
