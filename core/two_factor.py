"""Two-factor authentication for every staff sign-in: an authenticator app (TOTP) and backup codes.

Why our own two small models (core.models.SecondFactor, BackupCode) over django-otp: its
backup codes (otp_static) are stored in clear, and its per-request check loads the device
in a query of its own. Here the TOTP arithmetic is pyotp's; a code is claimed with a
conditional UPDATE, so it cannot be replayed even by two requests at once; backup codes are
kept as hashes and used up by a conditional UPDATE too.

"Verified" is one clear state: the session names the user's confirmed second factor
(``SESSION_VERIFIED``) and that factor still exists. The user's factor id comes with the
user itself (core.auth_backend annotates it), so checking costs no query; resetting a
factor ends the verified state of every session of that user at once.
"""

import hashlib
import hmac
import secrets
import time
from typing import Any

import pyotp
import segno
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import BackupCode, SecondFactor
from core.roles import AnyUser

ERROR_CODE_REQUIRED = _("Enter the 6-digit code from your authenticator app")
ERROR_CODE_FORMAT = _("Enter the 6-digit code from your authenticator app, or a backup code like abcd-efgh-jkmn")
ERROR_CODE_WRONG = _("That code is not right. Enter the code your authenticator app shows now")
ERROR_CODE_USED = _("That code has expired or was used; wait for the next one")
ERROR_BACKUP_WRONG = _("That backup code is not right or was used already. Check it, or use your authenticator app")
ERROR_NO_FACTOR = _("Set up your authenticator app first")
ERROR_ALREADY_SET_UP = _("Your authenticator app is already set up")

SESSION_VERIFIED = "pact_two_factor"
# The attribute core.auth_backend gives each signed-in user: their confirmed factor's id.
FACTOR_ATTRIBUTE = "pact_second_factor_id"
_UNKNOWN = object()
BACKUP_CODE_COUNT = 10
# 31 letters and digits, without the ones people confuse (0/o, 1/l/i): 12 of them make
# about 59 bits, which a fast hash keeps out of reach of guessing.
BACKUP_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
BACKUP_LENGTH = 12
# Codes one step either side of now are accepted, for clocks a little out and slow typing;
# a code of up to this many steps ago is "expired", not "wrong".
VALID_WINDOW = 1
EXPIRED_STEPS = 10
ISSUER = "PACT Kent and Medway"


class TwoFactorError(Exception):
    """A code was refused; the message says why, for the person."""


# The verified state.


def second_factor_id_for(user: AnyUser) -> int | None:
    """The id of the user's confirmed second factor (None: not enrolled), without a query when
    the user came from core.auth_backend."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, FACTOR_ATTRIBUTE, _UNKNOWN)
    if cached is _UNKNOWN:
        confirmed = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False)
        cached = confirmed.values_list("pk", flat=True).first()
        setattr(user, FACTOR_ATTRIBUTE, cached)
    return cached if isinstance(cached, int) else None


def is_verified(request: HttpRequest) -> bool:
    """Whether the signed-in user of ``request`` passed the second factor in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    factor_id = second_factor_id_for(user)
    return factor_id is not None and request.session.get(SESSION_VERIFIED) == factor_id


def session_mark_verified(session: SessionBase, *, factor_id: int) -> None:
    """Record in the session that its user passed their second factor ``factor_id``."""
    session[SESSION_VERIFIED] = factor_id


# Codes.


def _totp(factor: SecondFactor) -> pyotp.TOTP:
    return pyotp.TOTP(factor.key)


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").casefold()


def _matching_step(factor: SecondFactor, code: str, *, now: float) -> int | None:
    totp = _totp(factor)
    current = totp.timecode(now)
    for step in range(current + VALID_WINDOW, current - EXPIRED_STEPS - 1, -1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim_code(factor: SecondFactor, code: str) -> int:
    """Accept ``code`` for ``factor`` once, or raise TwoFactorError saying why not."""
    now = time.time()
    step = _matching_step(factor, code, now=now)
    if step is None:
        raise TwoFactorError(ERROR_CODE_WRONG)
    if step < _totp(factor).timecode(now) - VALID_WINDOW:
        raise TwoFactorError(ERROR_CODE_USED)
    claimed = SecondFactor.objects.filter(pk=factor.pk, last_used_step__lt=step)
    if not claimed.update(last_used_step=step, confirmed_at=factor.confirmed_at or timezone.now()):
        raise TwoFactorError(ERROR_CODE_USED)
    return step


def _backup_hash(factor: SecondFactor, code: str) -> str:
    # The factor's user id salts the hash, so equal codes of two people never look alike.
    return hashlib.sha256(f"pact-backup:{factor.user_id}:{code}".encode()).hexdigest()


def _new_backup_codes(factor: SecondFactor) -> list[str]:
    codes = ["".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH)) for _ in range(BACKUP_CODE_COUNT)]
    BackupCode.objects.filter(second_factor=factor).delete()
    BackupCode.objects.bulk_create(BackupCode(second_factor=factor, code_hash=_backup_hash(factor, c)) for c in codes)
    return [format_backup_code(code) for code in codes]


def format_backup_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def backup_codes_left(factor: SecondFactor) -> int:
    return BackupCode.objects.filter(second_factor=factor, used_at__isnull=True).count()


# Enrolment.


def second_factor_pending(*, user: User) -> SecondFactor:
    """The user's unconfirmed authenticator to set up, made once and kept until confirmed,
    so a QR code scanned before a page reload still works."""
    factor, _created = SecondFactor.objects.get_or_create(user=user, defaults={"key": pyotp.random_base32(32)})
    if factor.confirmed_at is not None:
        raise TwoFactorError(ERROR_ALREADY_SET_UP)
    return factor


def provisioning_uri(factor: SecondFactor) -> str:
    return _totp(factor).provisioning_uri(name=factor.user.get_username(), issuer_name=ISSUER)


def qr_code_svg(uri: str) -> SafeString:
    """The otpauth URI as an inline SVG QR code, made here: no script and no outside service."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#0b0c0c", light="#ffffff")
    return format_html(
        '<div class="pact-qr-code" role="img" aria-label="{}">{}</div>',
        _("QR code to scan with your authenticator app"),
        mark_safe(svg),  # noqa: S308 (segno's own SVG markup of our own URI)
    )


def key_for_display(factor: SecondFactor) -> str:
    """The key in groups of four, for typing into an app by hand."""
    return " ".join(factor.key[i : i + 4] for i in range(0, len(factor.key), 4))


def second_factor_confirm(*, request: HttpRequest, code: str) -> list[str]:
    """Confirm the signed-in user's pending authenticator with its first code; the session is
    verified. Returns the new backup codes, in clear for this once only."""
    user = request.user
    factor = SecondFactor.objects.filter(user=user, confirmed_at__isnull=True).first()  # type: ignore[misc]
    if factor is None:
        raise TwoFactorError(ERROR_ALREADY_SET_UP)
    with transaction.atomic():
        _claim_code(factor, code)
        codes = _new_backup_codes(factor)
        audit_record(actor=user, action="pact.two_factor.enrolled", target=factor)
    _verified(request, factor, method="enrolment")
    return codes


# Verification at sign-in.


def second_factor_verify(*, request: HttpRequest, code: str) -> dict[str, Any]:
    """Check a code (authenticator or backup) for the signed-in user and verify the session.

    Returns what the person should be told: which kind of code it was and, for a backup
    code, how many are left.
    """
    user = request.user
    factor = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()  # type: ignore[misc]
    if factor is None:
        raise TwoFactorError(ERROR_NO_FACTOR)
    code = normalise_code(code)
    if code.isdigit() and len(code) == 6:
        _claim_code(factor, code)
        method = "totp"
    elif len(code) == BACKUP_LENGTH:
        used = BackupCode.objects.filter(second_factor=factor, code_hash=_backup_hash(factor, code), used_at=None)
        if not used.update(used_at=timezone.now()):
            raise TwoFactorError(ERROR_BACKUP_WRONG)
        method = "backup_code"
    else:
        raise TwoFactorError(ERROR_CODE_FORMAT)
    _verified(request, factor, method=method)
    left = backup_codes_left(factor) if method == "backup_code" else None
    audit_record(actor=user, action="pact.two_factor.verified", target=factor, data={"method": method, "left": left})
    return {"method": method, "backup_codes_left": left}


def _verified(request: HttpRequest, factor: SecondFactor, *, method: str) -> None:
    # A new session key at the moment of privilege: a key learnt before cannot ride on it.
    request.session.cycle_key()
    session_mark_verified(request.session, factor_id=factor.pk)
    setattr(request.user, FACTOR_ATTRIBUTE, factor.pk)


# Managing the second factor.


def backup_codes_regenerate(*, actor: User) -> list[str]:
    """Replace the user's backup codes with 10 new ones (the old stop working). Audited."""
    factor = SecondFactor.objects.filter(user=actor, confirmed_at__isnull=False).first()
    if factor is None:
        raise TwoFactorError(ERROR_NO_FACTOR)
    with transaction.atomic():
        codes = _new_backup_codes(factor)
        audit_record(actor=actor, action="pact.two_factor.backup_codes_regenerated", target=factor)
    return codes


def second_factor_reset(*, actor: AnyUser, user: User) -> bool:
    """An administrator removes ``user``'s second factor (lost phone): every session of theirs
    stops being verified, and they set up a new authenticator at their next sign-in. Audited."""
    with transaction.atomic():
        deleted, _counts = SecondFactor.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=actor, action="pact.two_factor.reset", target=user, data={"user": user.get_username()})
    return bool(deleted)
