"""Two-factor authentication for every staff sign-in: an authenticator app (TOTP) and backup codes.

Why our own small models (core.models.SecondFactor, BackupCode, EnrolmentLink) over django-otp:
django-otp keeps TOTP keys and backup codes in clear in the database with no hook to encrypt
them (its issue 67 is still open), has no single-use enrolment, and checks replay by reading
then saving the device. Here the TOTP arithmetic is pyotp's; a code is claimed with a
conditional UPDATE, so it cannot be replayed even by two requests at once; backup codes are
kept as hashes and used up by a conditional UPDATE too; the key is kept encrypted
(core.encryption). django-otp's own TOTP test cases are ported in
tests/core/test_two_factor_totp.py.

Setting up needs a single-use link an administrator issues (``enrolment_link_issue``): the
password alone never shows a key. Each set-up page makes a fresh key that lives in that
session only, encrypted, and is saved only when its first code confirms it, so nobody who
looked at a set-up page, or had the password, holds the key the owner ends up using.

"Verified" is one clear state: the session names the user's second factor
(``SESSION_VERIFIED``) and that factor still exists. The user's factor id comes with the
user itself (core.auth_backend annotates it), so checking costs no query; resetting a
factor ends the verified state of every session of that user at once.
"""

import datetime
import hashlib
import hmac
import secrets
import time
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.encryption import DecryptionError, decrypt, encrypt, reencrypt
from core.models import BackupCode, EnrolmentLink, SecondFactor
from core.roles import AnyUser

ERROR_CODE_REQUIRED = _("Enter the 6-digit code from your authenticator app")
ERROR_CODE_FORMAT = _("Enter the 6-digit code from your authenticator app, or a backup code like abcd-efgh-jkmn")
ERROR_CODE_WRONG = _("That code is not right. Enter the code your authenticator app shows now")
ERROR_CODE_USED = _("That code has expired or was used; wait for the next one")
ERROR_BACKUP_WRONG = _("That backup code is not right or was used already. Check it, or use your authenticator app")
ERROR_NO_FACTOR = _("Set up your authenticator app first")
ERROR_ALREADY_SET_UP = _("Your authenticator app is already set up")
ERROR_NO_LINK = _("Open the set-up link a force administrator gave you, then set up your authenticator app")

SESSION_VERIFIED = "pact_two_factor"
# The set-up link opened in this session: {"id": link id, "claimed": whether this session
# claimed it}. Only the session that claimed a link may set up with it.
SESSION_ENROLMENT_LINK = "pact_two_factor_link"
# The key of the set-up page last shown in this session, encrypted; never in the database
# until its first code confirms it.
SESSION_SETUP_KEY = "pact_two_factor_setup_key"
# The attribute core.auth_backend gives each signed-in user: their factor's id.
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
# 32 base32 characters: a 160-bit key, the length RFC 4226 recommends.
KEY_LENGTH = 32
ISSUER = "PACT Kent and Medway"


class TwoFactorError(Exception):
    """A code or a set-up was refused; the message says why, for the person."""


# The verified state.


def second_factor_id_for(user: AnyUser) -> int | None:
    """The id of the user's second factor (None: not enrolled), without a query when the user
    came from core.auth_backend."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, FACTOR_ATTRIBUTE, _UNKNOWN)
    if cached is _UNKNOWN:
        cached = SecondFactor.objects.filter(user=user).values_list("pk", flat=True).first()
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


def new_key() -> str:
    return pyotp.random_base32(KEY_LENGTH)


def factor_key(factor: SecondFactor) -> str:
    """The factor's TOTP key, decrypted: only to check a code, never to show it."""
    return decrypt(factor.encrypted_key)


def _totp(factor: SecondFactor) -> pyotp.TOTP:
    return pyotp.TOTP(factor_key(factor))


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").casefold()


def is_totp_code(code: str) -> bool:
    # ASCII digits only: str.isdigit() also passes other scripts' digits, which no app shows.
    return len(code) == 6 and code.isascii() and code.isdigit()


def totp_step(clock: pyotp.TOTP, code: str, *, now: float) -> int:
    """The time step whose code ``code`` is, within VALID_WINDOW steps of ``now``; raise
    TwoFactorError saying whether it is wrong or expired."""
    current = clock.timecode(now)
    for step in range(current + VALID_WINDOW, current - EXPIRED_STEPS - 1, -1):
        if hmac.compare_digest(clock.generate_otp(step), code):
            if step < current - VALID_WINDOW:
                raise TwoFactorError(ERROR_CODE_USED)
            return step
    raise TwoFactorError(ERROR_CODE_WRONG)


def totp_code_claim(*, factor: SecondFactor, code: str) -> int:
    """Accept ``code`` for ``factor`` once and return its step, or raise TwoFactorError saying
    why not. Only a step later than the last one accepted passes: a conditional UPDATE
    claims it, so a code never works twice, however many requests race."""
    step = totp_step(_totp(factor), code, now=time.time())
    claimed = SecondFactor.objects.filter(pk=factor.pk, last_used_step__lt=step)
    if not claimed.update(last_used_step=step):
        raise TwoFactorError(ERROR_CODE_USED)
    factor.last_used_step = step
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


# Set-up links.


def _token_hash(token: str) -> str:
    # The token carries 256 random bits: a plain hash keeps it out of reach, and a copy of
    # the table gives no working link.
    return hashlib.sha256(f"pact-enrolment:{token}".encode()).hexdigest()


def enrolment_link_url(token: str) -> str:
    return f"{settings.PACT_SITE_URL}{reverse('staff:two_factor_enrol', args=[token])}"


def enrolment_link_issue(*, actor: AnyUser | None, user: User) -> str:
    """Issue ``user`` a single-use link to set up their authenticator app, valid for
    PACT_ENROLMENT_LINK_SECONDS; their earlier links stop working. Audited.

    Returns the link's token, the one time it exists in clear: only its hash is stored.
    Refused while the user has a second factor (reset it first).
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # One issue at a time per user: the lock orders two administrators' clicks.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if SecondFactor.objects.filter(user=user).exists():
            raise TwoFactorError(ERROR_ALREADY_SET_UP)
        EnrolmentLink.objects.filter(user=user, enrolled_at=None, revoked_at=None).update(revoked_at=now)
        link = EnrolmentLink.objects.create(
            user=user,
            token_hash=_token_hash(token),
            created_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=settings.PACT_ENROLMENT_LINK_SECONDS),
        )
        data = {"user": user.get_username(), "expires_at": link.expires_at.isoformat()}
        audit_record(actor=actor, action="pact.two_factor.enrolment_link_issued", target=link, data=data)
    return token


def enrolment_link_is_open(*, user: User, token: str) -> bool:
    """Whether ``token`` is a link of ``user``'s that nobody has opened and that still works."""
    return _unopened_links().filter(user=user, token_hash=_token_hash(token)).exists()


def enrolment_link_revoke(*, actor: AnyUser, link: EnrolmentLink) -> bool:
    """Stop a link that has not set up an app yet from working (a link sent to the wrong
    person). Audited. False when it was spent or revoked already."""
    with transaction.atomic():
        revoked = EnrolmentLink.objects.filter(pk=link.pk, enrolled_at=None, revoked_at=None)
        if not revoked.update(revoked_at=timezone.now()):
            return False
        audit_record(actor=actor, action="pact.two_factor.enrolment_link_revoked", target=link)
    return True


def _unopened_links():
    return EnrolmentLink.objects.filter(used_at=None, revoked_at=None, expires_at__gt=timezone.now())


def enrolment_link_open(*, session: SessionBase, token: str) -> bool:
    """Remember in ``session`` the link ``token`` names, if nobody has opened it and it still
    works. It is claimed when its user, signed in with their password, reaches the set-up
    page in this session (``enrolment_grant``)."""
    link_id = _unopened_links().filter(token_hash=_token_hash(token)).values_list("pk", flat=True).first()
    if link_id is None:
        return False
    session[SESSION_ENROLMENT_LINK] = {"id": link_id, "claimed": False}
    return True


def enrolment_grant(*, request: HttpRequest) -> EnrolmentLink | None:
    """The link that lets this session set up the signed-in user's authenticator, claimed for
    this session now if it was only opened; None when this session may not set up."""
    held = request.session.get(SESSION_ENROLMENT_LINK)
    user = request.user
    if not (isinstance(held, dict) and isinstance(held.get("id"), int) and isinstance(user, User)):
        return None
    now = timezone.now()
    links = EnrolmentLink.objects.filter(
        pk=held["id"], user=user, enrolled_at=None, revoked_at=None, expires_at__gt=now
    )
    link = links.first()
    # Of two sessions that opened the link, the first to claim it has it.
    if link is not None and not held.get("claimed"):
        if links.filter(used_at=None).update(used_at=now):
            audit_record(actor=user, action="pact.two_factor.enrolment_link_used", target=link)
            request.session[SESSION_ENROLMENT_LINK] = {"id": link.pk, "claimed": True}
        else:
            link = None
    if link is None:
        _forget_enrolment(request.session)
    return link


def _forget_enrolment(session: SessionBase) -> None:
    session.pop(SESSION_ENROLMENT_LINK, None)
    session.pop(SESSION_SETUP_KEY, None)


# Enrolment.


def setup_key_new(*, session: SessionBase) -> str:
    """A fresh key for one set-up page, kept (encrypted) in this session only."""
    key = new_key()
    session[SESSION_SETUP_KEY] = encrypt(key)
    return key


def setup_key(*, session: SessionBase) -> str | None:
    """The key of the set-up page last shown in this session."""
    stored = session.get(SESSION_SETUP_KEY)
    if not isinstance(stored, str):
        return None
    try:
        return decrypt(stored)
    except DecryptionError:
        # Encrypted under a key rotated away since: the page is shown afresh with a new key.
        return None


def provisioning_uri(*, key: str, username: str) -> str:
    return pyotp.TOTP(key).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> SafeString:
    """The otpauth URI as an inline SVG QR code, made here: no script and no outside service."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#0b0c0c", light="#ffffff")
    return format_html(
        '<div class="pact-qr-code" role="img" aria-label="{}">{}</div>',
        _("QR code to scan with your authenticator app"),
        mark_safe(svg),  # noqa: S308 (segno's own SVG markup of our own URI)
    )


def key_for_display(key: str) -> str:
    """The key in groups of four, for typing into an app by hand."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def second_factor_confirm(*, request: HttpRequest, code: str) -> list[str]:
    """Confirm the key of this session's set-up page with its first code: the authenticator is
    saved (its key encrypted), the set-up link spent and the session verified. Needs the
    link this session claimed. Returns the new backup codes, in clear for this once only."""
    user = request.user
    link = enrolment_grant(request=request)
    key = setup_key(session=request.session)
    if link is None or key is None:
        raise TwoFactorError(ERROR_NO_LINK)
    step = totp_step(pyotp.TOTP(key), code, now=time.time())
    now = timezone.now()
    with transaction.atomic():
        open_link = EnrolmentLink.objects.filter(pk=link.pk, enrolled_at=None, revoked_at=None, expires_at__gt=now)
        if not open_link.update(enrolled_at=now):
            raise TwoFactorError(ERROR_NO_LINK)
        factor = _factor_create(user=user, key=key, step=step, now=now)  # type: ignore[arg-type]
        codes = _new_backup_codes(factor)
        audit_record(actor=user, action="pact.two_factor.enrolled", target=factor, data={"link": link.pk})
    _forget_enrolment(request.session)
    _verified(request, factor, method="enrolment")
    return codes


def _factor_create(*, user: User, key: str, step: int, now: datetime.datetime) -> SecondFactor:
    try:
        with transaction.atomic():
            return SecondFactor.objects.create(
                user=user, encrypted_key=encrypt(key), confirmed_at=now, last_used_step=step
            )
    except IntegrityError:
        raise TwoFactorError(ERROR_ALREADY_SET_UP) from None


# Verification at sign-in.


def second_factor_verify(*, request: HttpRequest, code: str) -> dict[str, Any]:
    """Check a code (authenticator or backup) for the signed-in user and verify the session.

    Returns what the person should be told: which kind of code it was and, for a backup
    code, how many are left.
    """
    user = request.user
    factor = SecondFactor.objects.filter(user=user).first()  # type: ignore[misc]
    if factor is None:
        raise TwoFactorError(ERROR_NO_FACTOR)
    code = normalise_code(code)
    if is_totp_code(code):
        totp_code_claim(factor=factor, code=code)
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
    factor = SecondFactor.objects.filter(user=actor).first()
    if factor is None:
        raise TwoFactorError(ERROR_NO_FACTOR)
    with transaction.atomic():
        codes = _new_backup_codes(factor)
        audit_record(actor=actor, action="pact.two_factor.backup_codes_regenerated", target=factor)
    return codes


def second_factor_reset(*, actor: AnyUser, user: User) -> str:
    """An administrator removes ``user``'s second factor (lost phone): every session of theirs
    stops being verified, and they set up a new authenticator with the set-up link this
    issues; the password alone cannot. Audited. Returns the link's token, shown once."""
    with transaction.atomic():
        deleted, _counts = SecondFactor.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=actor, action="pact.two_factor.reset", target=user, data={"user": user.get_username()})
        return enrolment_link_issue(actor=actor, user=user)


def second_factor_keys_reencrypt() -> int:
    """Encrypt every stored TOTP key afresh under the current key (core.encryption), after a
    key rotation; returns how many. Audited. All or none: a key no configured key decrypts
    raises DecryptionError and changes nothing."""
    count = 0
    with transaction.atomic():
        for factor in SecondFactor.objects.select_for_update().only("encrypted_key"):
            factor.encrypted_key = reencrypt(factor.encrypted_key)
            factor.save(update_fields=["encrypted_key"])
            count += 1
        audit_record(actor=None, action="pact.two_factor.keys_reencrypted", data={"count": count})
    return count
