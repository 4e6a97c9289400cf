"""Staff sign-in protection: lockouts after repeated failures, and sessions that expire.

Three defences stand in front of the staff password and the second-factor code:

1. a rate limit per client address on every sign-in POST, counted in the cache before any
   password is checked (core.abuse.SIGN_IN_RATE). It fails open: with Redis down it counts
   nothing, and the two below still hold;
2. a pause of the account once PACT_SIGN_IN_ACCOUNT_FAILURES failures fall within
   PACT_SIGN_IN_FAILURE_WINDOW_SECONDS: PACT_SIGN_IN_ACCOUNT_DELAY_SECONDS at first, doubling
   with each further pause within a day, up to PACT_SIGN_IN_LOCK_SECONDS. Short pauses keep a
   stranger who knows a username from locking its owner out for long; doubling ones still
   slow a guesser spread over many addresses to a crawl. The owner is emailed at the first
   pause, so they know someone is trying;
3. a lockout of the client address after PACT_SIGN_IN_ADDRESS_FAILURES failures in the same
   window, for PACT_SIGN_IN_LOCK_SECONDS.

Failures and lockouts are rows in the database, so they hold whatever state the cache is
in: a Redis outage must not turn into an unlimited password guesser. Attempts refused during
a lockout are not counted and do not lengthen it.

A lockout applies to what was typed, whether or not an account has that username, and its
message is the same either way, so it never tells whether an account exists. Wrong
passwords and wrong codes count alike. Usernames and addresses are kept as keyed hashes.
"""

import datetime
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.abuse import client_key, keyed_digest
from core.audit import audit_record
from core.emails import email_queue
from core.models import SignInFailure, SignInLockout
from core.roles import AnyUser

ERROR_LOCKED = ngettext_lazy(
    "There have been too many failed attempts to sign in to this account or from this connection. "
    "Wait %(minutes)d minute and try again, or ask a force administrator to clear the lock.",
    "There have been too many failed attempts to sign in to this account or from this connection. "
    "Wait %(minutes)d minutes and try again, or ask a force administrator to clear the lock.",
    "minutes",
)
ERROR_RATE_LIMITED = _("Too many sign-in attempts from your connection. Wait a minute and try again.")
ERROR_IDLE = _("You were signed out because you did nothing for %(minutes)s minutes. Sign in again.")
ERROR_TOO_LONG = _("You were signed out because you signed in more than %(hours)s hours ago. Sign in again.")

# Session keys: when the password was accepted, and the last time the session was used.
SESSION_SIGNED_IN_AT = "pact_signed_in_at"
SESSION_SEEN_AT = "pact_seen_at"
# The last-seen time is written at most this often, so a staff page is not one session
# write per request; the idle limit is this much less exact.
SEEN_RESOLUTION_SECONDS = 60


def account_key(username: str) -> str:
    """The keyed hash failures of ``username`` are counted under (case and spaces ignored)."""
    return keyed_digest("account:" + username.strip().casefold())


# Account pauses within this long of each other make one series, each twice the last.
DELAY_SERIES = datetime.timedelta(days=1)


def locked_message(until: datetime.datetime) -> str:
    """The refusal while sign-in is locked until ``until``, in whole minutes (at least one)."""
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return str(ERROR_LOCKED % {"minutes": minutes})


def sign_in_locked(*, username: str, request: HttpRequest) -> datetime.datetime | None:
    """Until when sign-in is refused for ``username`` or for this client's address (None: not now)."""
    keys = [client_key(request)]
    if username.strip():
        keys.append(account_key(username))
    active = SignInLockout.objects.filter(key__in=keys, locked_until__gt=timezone.now(), cleared_at__isnull=True)
    return active.aggregate(until=Max("locked_until"))["until"]


def sign_in_failure_record(*, username: str, request: HttpRequest, stage: str) -> datetime.datetime | None:
    """Count one failed attempt; pause the account or lock the address when it reaches its limit.

    Returns until when sign-in is refused after this failure (None: it is not).
    """
    account, address = account_key(username), client_key(request)
    now = timezone.now()
    since = now - datetime.timedelta(seconds=settings.PACT_SIGN_IN_FAILURE_WINDOW_SECONDS)
    ends = []
    with transaction.atomic():
        SignInFailure.objects.create(account_key=account, address_key=address, stage=stage)
        recent = SignInFailure.objects.filter(created_at__gt=since)
        if username.strip() and recent.filter(account_key=account).count() >= settings.PACT_SIGN_IN_ACCOUNT_FAILURES:
            ends.append(_lock_account(key=account, username=username, now=now))
        if recent.filter(address_key=address).count() >= settings.PACT_SIGN_IN_ADDRESS_FAILURES:
            ends.append(_lock(kind=SignInLockout.Kind.ADDRESS, key=address, user=None, now=now))
    return max(ends, default=None)


def _active(key: str, now: datetime.datetime) -> SignInLockout | None:
    return SignInLockout.objects.filter(key=key, locked_until__gt=now, cleared_at__isnull=True).first()


def _lock_account(*, key: str, username: str, now: datetime.datetime) -> datetime.datetime:
    active = _active(key, now)
    if active is not None:
        return active.locked_until
    earlier = SignInLockout.objects.filter(
        kind=SignInLockout.Kind.ACCOUNT, key=key, created_at__gt=now - DELAY_SERIES, cleared_at__isnull=True
    ).count()
    delay = settings.PACT_SIGN_IN_ACCOUNT_DELAY_SECONDS * 2 ** min(earlier, 20)
    seconds = min(delay, settings.PACT_SIGN_IN_LOCK_SECONDS)
    user = get_user_model().objects.filter(username=username).first()
    until = _lock(kind=SignInLockout.Kind.ACCOUNT, key=key, user=user, now=now, seconds=seconds)
    if user is not None and user.email and not earlier:
        _tell_owner(user=user, until=until)
    return until


def _lock(
    *, kind: str, key: str, user: User | None, now: datetime.datetime, seconds: int | None = None
) -> datetime.datetime:
    active = _active(key, now)
    if active is not None:
        return active.locked_until
    until = now + datetime.timedelta(seconds=seconds or settings.PACT_SIGN_IN_LOCK_SECONDS)
    lockout = SignInLockout.objects.create(kind=kind, key=key, user=user, locked_until=until)
    audit_record(actor=None, action=f"pact.sign_in.{kind}_locked", target=lockout, data={"until": until.isoformat()})
    return until


def _tell_owner(*, user: User, until: datetime.datetime) -> None:
    # Once a series: a stranger who keeps trying must not be able to flood the owner's inbox.
    context = {"username": user.get_username(), "until": timezone.localtime(until)}
    key = f"sign-in-paused:{user.pk}:{until.isoformat()}"
    email_queue(key=key, to=user.email, template="sign_in_paused", context=context)


def sign_in_failures_forgive(*, username: str) -> int:
    """Forget an account's failures once it has signed in in full (password and code)."""
    deleted, _counts = SignInFailure.objects.filter(account_key=account_key(username)).delete()
    return deleted


def sign_in_lockout_clear(*, actor: AnyUser, lockout: SignInLockout) -> SignInLockout:
    """An administrator ends a lockout early; the failures that caused it are forgotten too,
    so the next failure does not lock again at once. Audited."""
    with transaction.atomic():
        updated = SignInLockout.objects.filter(pk=lockout.pk, cleared_at__isnull=True).update(
            cleared_at=timezone.now(), cleared_by=actor if isinstance(actor, User) else None
        )
        if updated:
            SignInFailure.objects.filter(Q(account_key=lockout.key) | Q(address_key=lockout.key)).delete()
            audit_record(actor=actor, action=f"pact.sign_in.{lockout.kind}_lock_cleared", target=lockout)
    lockout.refresh_from_db()
    return lockout


# Sessions: staff sessions end after PACT_SESSION_IDLE_SECONDS without a request, and in any
# case PACT_SESSION_SECONDS after the password was accepted.


@dataclass(frozen=True)
class Expiry:
    reason: str

    @property
    def message(self) -> str:
        if self.reason == "idle":
            return str(ERROR_IDLE) % {"minutes": max(1, round(settings.PACT_SESSION_IDLE_SECONDS / 60))}
        return str(ERROR_TOO_LONG) % {"hours": max(1, round(settings.SESSION_COOKIE_AGE / 3600))}


def session_start(session: SessionBase) -> None:
    """Mark a signed-in session's start (called when the password is accepted)."""
    now = int(time.time())
    session[SESSION_SIGNED_IN_AT] = now
    session[SESSION_SEEN_AT] = now


def session_expiry(session: SessionBase) -> Expiry | None:
    """Why a signed-in session must end now, or None (and it is marked as used).

    A signed-in session with no start time predates these rules, or was not made by the
    sign-in page: it has expired.
    """
    now = int(time.time())
    signed_in_at = session.get(SESSION_SIGNED_IN_AT)
    seen_at = session.get(SESSION_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return Expiry("absolute")
    if now - signed_in_at > settings.SESSION_COOKIE_AGE:
        return Expiry("absolute")
    if now - seen_at > settings.PACT_SESSION_IDLE_SECONDS:
        return Expiry("idle")
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    return None
