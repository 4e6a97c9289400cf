"""Staff sign-in protection: lockouts after repeated failures, and sessions that expire.

Three defences stand in front of the staff password and the second-factor code:

1. a rate limit per client address on every sign-in POST, counted in the cache before any
   password is checked (core.abuse.SIGN_IN_RATE). It fails open: with Redis down it counts
   nothing, and the two below still hold;
2. a lockout of the account after PACT_SIGN_IN_ACCOUNT_FAILURES failures within
   PACT_SIGN_IN_FAILURE_WINDOW_SECONDS, and
3. a lockout of the client address after PACT_SIGN_IN_ADDRESS_FAILURES failures in the same
   window, both for PACT_SIGN_IN_LOCK_SECONDS. Failures and lockouts are rows in the
   database, so they hold whatever state the cache is in: a Redis outage must not turn
   into an unlimited password guesser.

A lockout applies to what was typed, whether or not an account has that username, and its
message is the same either way, so it never tells whether an account exists. Wrong
passwords and wrong codes count alike. Usernames and addresses are kept as keyed hashes.
"""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.abuse import client_key, keyed_digest
from core.audit import audit_record
from core.models import SignInFailure, SignInLockout
from core.roles import AnyUser

ERROR_LOCKED = _(
    "There have been too many failed attempts to sign in to this account or from this connection. "
    "Wait %(minutes)s minutes and try again, or ask a force administrator to clear the lock."
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


def lock_minutes() -> int:
    return max(1, round(settings.PACT_SIGN_IN_LOCK_SECONDS / 60))


def locked_message() -> str:
    return str(ERROR_LOCKED) % {"minutes": lock_minutes()}


def sign_in_locked(*, username: str, request: HttpRequest) -> bool:
    """Whether sign-in is refused now for ``username`` or for this client's address."""
    keys = [client_key(request)]
    if username.strip():
        keys.append(account_key(username))
    active = SignInLockout.objects.filter(key__in=keys, locked_until__gt=timezone.now(), cleared_at__isnull=True)
    return active.exists()


def sign_in_failure_record(*, username: str, request: HttpRequest, stage: str) -> bool:
    """Count one failed attempt; lock the account or the address when it reaches its limit.

    Returns whether a lockout is in force after this failure.
    """
    account, address = account_key(username), client_key(request)
    now = timezone.now()
    since = now - datetime.timedelta(seconds=settings.PACT_SIGN_IN_FAILURE_WINDOW_SECONDS)
    with transaction.atomic():
        SignInFailure.objects.create(account_key=account, address_key=address, stage=stage)
        recent = SignInFailure.objects.filter(created_at__gt=since)
        locked = False
        if recent.filter(account_key=account).count() >= settings.PACT_SIGN_IN_ACCOUNT_FAILURES:
            locked |= _lock(kind=SignInLockout.Kind.ACCOUNT, key=account, username=username, now=now)
        if recent.filter(address_key=address).count() >= settings.PACT_SIGN_IN_ADDRESS_FAILURES:
            locked |= _lock(kind=SignInLockout.Kind.ADDRESS, key=address, username="", now=now)
    return locked


def _lock(*, kind: str, key: str, username: str, now: datetime.datetime) -> bool:
    active = SignInLockout.objects.filter(key=key, locked_until__gt=now, cleared_at__isnull=True)
    if active.exists():
        return True
    user = get_user_model().objects.filter(username=username).first() if username else None
    until = now + datetime.timedelta(seconds=settings.PACT_SIGN_IN_LOCK_SECONDS)
    lockout = SignInLockout.objects.create(kind=kind, key=key, user=user, locked_until=until)
    audit_record(actor=None, action=f"pact.sign_in.{kind}_locked", target=lockout, data={"until": until.isoformat()})
    return True


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
