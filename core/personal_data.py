"""The personal data PACT holds, declared by each app: subject access, erasure and retention.

pact cannot import the apps (they depend on it), so each app declares what it holds by
registering a *source* in its ``AppConfig.ready()``::

    from core.personal_data import PersonalDataSource, register_personal_data

    register_personal_data(
        PersonalDataSource(
            name="feedback.contact",           # unique, "<app>.<kind>"; appears in audit events
            label="Feedback contact details",  # a heading on the staff page and in the export
            description="…",                   # what is held, why, and for how long
            export=feedback_contact_export,    # (email) -> list[dict]
            erase=feedback_contact_erase,      # (email, *, by) -> int
            expire=feedback_contact_expire,    # (now) -> int
        )
    )

What a source promises:

- ``export(email)`` returns the items held about the address, JSON-ready (str, int, float,
  bool, None, and lists and dicts of those; datetimes as ISO 8601 strings), matching the
  address case-insensitively. Items never carry other people's personal data.
- ``erase(email, by=user)`` deletes or anonymises those items and returns how many rows it
  changed; ``expire(now)`` applies the source's retention period and returns the same.
  Both are idempotent (a second call returns 0), send no email and record no audit event:
  the services below audit once per request or run, with counts and never the address.
- A retention period is read with ``retention_cutoff(kind, now)`` from
  ``settings.PACT_RETENTION_DAYS`` (one ``PACT_RETENTION_*_DAYS`` variable per kind).

Only administrators search, export and erase (see ``can_handle_personal_data``).
"""

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.roles import AnyUser, is_administrator

logger = logging.getLogger(__name__)

ERROR_NOT_ALLOWED = _("Only administrators can search for, export or erase a person's data")
ERROR_UNKNOWN_SOURCE = _("Choose the personal data to erase from the list")
ERROR_NO_SOURCE = _("Select the personal data to erase")


class PersonalDataError(Exception):
    """A request about personal data that is refused; the message is shown to staff."""


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of personal data an app holds (see the module's docstring for the contract)."""

    name: str
    label: str | Promise
    description: str | Promise
    export: Callable[[str], list[dict[str, Any]]]
    erase: Callable[..., int]
    expire: Callable[[datetime], int]


@dataclass(frozen=True)
class Holding:
    """What one source holds about one address."""

    source: PersonalDataSource
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


_SOURCES: dict[str, PersonalDataSource] = {}


def register_personal_data(source: PersonalDataSource) -> None:
    """Declare a source; registering the same name again replaces it (ready() may run twice)."""
    _SOURCES[source.name] = source


def personal_data_sources() -> list[PersonalDataSource]:
    """Every registered source, in the order they were registered."""
    return list(_SOURCES.values())


def retention_cutoff(kind: str, now: datetime) -> datetime:
    """The moment before which data of ``kind`` is past its retention period."""
    days = settings.PACT_RETENTION_DAYS.get(kind)
    if days is None or days < 1:
        raise ImproperlyConfigured(f"PACT_RETENTION_DAYS[{kind!r}] must be a whole number of days, at least 1")
    return now - timedelta(days=days)


def address_normalise(email: str) -> str:
    return email.strip().lower()


def address_hash(email: str) -> str:
    """A keyed hash of the address for the audit trail: it shows that the same address was
    handled again, and can be checked against an address someone gives, but never reveals it."""
    message = f"personal-data:{address_normalise(email)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def can_handle_personal_data(user: AnyUser) -> bool:
    """Subject access and erasure are the force's data protection work, done by administrators."""
    return is_administrator(user)


def _check(actor: AnyUser) -> None:
    if not can_handle_personal_data(actor):
        raise PersonalDataError(ERROR_NOT_ALLOWED)


def personal_data_holdings(*, email: str) -> list[Holding]:
    """What every source holds about ``email`` (not audited: callers that show it to someone do)."""
    email = address_normalise(email)
    return [Holding(source=source, items=source.export(email)) for source in personal_data_sources()]


def personal_data_find(*, actor: AnyUser, email: str) -> list[Holding]:
    """What every source holds about ``email``; audited with the counts and the address hashed."""
    _check(actor)
    email = address_normalise(email)
    holdings = personal_data_holdings(email=email)
    audit_record(
        actor=actor,
        action="pact.personal_data.searched",
        data={"address_hash": address_hash(email), "counts": {h.source.name: h.count for h in holdings}},
    )
    return holdings


def personal_data_export(*, actor: AnyUser, email: str) -> dict[str, Any]:
    """The JSON document of a subject access request: every source, with what it holds."""
    _check(actor)
    email = address_normalise(email)
    sources = []
    for source in personal_data_sources():
        items = source.export(email)
        sources.append(
            {
                "name": source.name,
                "label": str(source.label),
                "description": str(source.description),
                "count": len(items),
                "items": items,
            }
        )
    audit_record(
        actor=actor,
        action="pact.personal_data.exported",
        data={"address_hash": address_hash(email), "counts": {s["name"]: s["count"] for s in sources}},
    )
    return {
        "email": email,
        "generated_at": timezone.now().isoformat(),
        "generated_by": settings.PACT_SITE_NAME,
        "sources": sources,
    }


def personal_data_erase(*, actor: AnyUser, email: str, sources: list[str]) -> dict[str, int]:
    """Erase what the named sources hold about ``email``, all or nothing; returns rows per source.

    Audited once, with the sources, their counts and the address hashed.
    """
    _check(actor)
    if not sources:
        raise PersonalDataError(ERROR_NO_SOURCE)
    if any(name not in _SOURCES for name in sources):
        raise PersonalDataError(ERROR_UNKNOWN_SOURCE)
    email = address_normalise(email)
    with transaction.atomic():
        counts = {name: _SOURCES[name].erase(email, by=actor) for name in _SOURCES if name in sources}
        audit_record(
            actor=actor,
            action="pact.personal_data.erased",
            data={"address_hash": address_hash(email), "counts": counts},
        )
    return counts


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every source's retention period; returns rows deleted or anonymised per source.

    Each source runs in its own transaction, so one that fails (logged, and named in the
    audit event) neither undoes nor stops the others. Running it again changes nothing.
    One audit event per run records the counts, never personal data.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    failed: list[str] = []
    for source in personal_data_sources():
        try:
            with transaction.atomic():
                counts[source.name] = source.expire(now)
        except Exception:
            logger.exception("retention of %s failed", source.name)
            failed.append(source.name)
    audit_record(actor=None, action="pact.retention.applied", data={"counts": counts, "failed": failed})
    if failed:
        raise RetentionIncomplete(failed, counts)
    return counts


class RetentionIncomplete(Exception):
    """Some sources' retention failed (the others were applied and audited)."""

    def __init__(self, failed: list[str], counts: dict[str, int]) -> None:
        super().__init__(f"retention failed for {', '.join(failed)}")
        self.failed = failed
        self.counts = counts
