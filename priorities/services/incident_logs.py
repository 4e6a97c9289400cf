"""Residents' incident logs: a private link where a resident records repeated incidents.

A resident starts a log against the concern they raised, without an account. The link's
token is shown once (and emailed if they ask); only its SHA-256 hash is stored, so nobody,
staff included, can recover the link from the database. A revoked link stops working for
good. The ward's team sees the logs with the concern; they are never public.
"""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.personal_data import PersonalDataSource, retention_cutoff
from core.recipients import EmailRefused, email_queue_for_resident
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import Concern, IncidentLog, IncidentLogEntry
from priorities.scopes import can_manage_ward

ERROR_CONCERN_CLOSED = _("A log cannot be kept against a concern that was merged into another")
ERROR_REVOKED = _("This log's link has been turned off: entries can no longer be added")
ERROR_WHAT_REQUIRED = _("Enter what happened")
ERROR_WHAT_TOO_LONG = _("What happened must be 2000 characters or fewer")
ERROR_EFFECT_REQUIRED = _("Enter how it affected you")
ERROR_EFFECT_TOO_LONG = _("How it affected you must be 1000 characters or fewer")
ERROR_WHERE_TOO_LONG = _("Where it happened must be 200 characters or fewer")
ERROR_IN_FUTURE = _("The date and time it happened must be in the past")
ERROR_NOT_TEAM = _("Only the ward's neighbourhood officers can turn off a resident's log")
PURPOSE_LINK = _("the private link to the incident log you started")

WHAT_MAX_LENGTH = 2000
EFFECT_MAX_LENGTH = 1000
WHERE_MAX_LENGTH = 200
TOKEN_BYTES = 32


def incident_log_link(token: str) -> str:
    """The full private link of a log, for the page that shows it and the email."""
    return settings.PACT_SITE_URL + reverse("priorities:incident_log", args=[token])


def incident_log_start(*, concern: Concern, email: str = "") -> tuple[IncidentLog, str]:
    """Start a log against ``concern``; return it and its token (which is never stored).

    With an email address, the link is emailed once (held until the address is confirmed,
    core.recipients); the address is not kept. Over the address's daily cap nothing is kept.
    """
    if concern.status == Concern.Status.MERGED:
        raise PrioritiesError(ERROR_CONCERN_CLOSED)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        log = IncidentLog.objects.create(concern=concern, token_hash=IncidentLog.hash_token(token))
        if email:
            context = {"concern": concern, "url": incident_log_link(token)}
            try:
                email_queue_for_resident(
                    key=f"incident-log:{log.pk}",
                    to=email,
                    template="incident_log_link",
                    context=context,
                    purpose=str(PURPOSE_LINK),
                )
            except EmailRefused as refused:
                raise PrioritiesError(str(refused)) from refused
    return log, token


def _check_entry(happened_at: datetime.datetime, what_happened: str, effect: str, location_text: str) -> None:
    if not what_happened:
        raise PrioritiesError(ERROR_WHAT_REQUIRED)
    if len(what_happened) > WHAT_MAX_LENGTH:
        raise PrioritiesError(ERROR_WHAT_TOO_LONG)
    if not effect:
        raise PrioritiesError(ERROR_EFFECT_REQUIRED)
    if len(effect) > EFFECT_MAX_LENGTH:
        raise PrioritiesError(ERROR_EFFECT_TOO_LONG)
    if len(location_text) > WHERE_MAX_LENGTH:
        raise PrioritiesError(ERROR_WHERE_TOO_LONG)
    if happened_at > timezone.now():
        raise PrioritiesError(ERROR_IN_FUTURE)


def incident_log_entry_add(
    *, log: IncidentLog, happened_at: datetime.datetime, what_happened: str, effect: str, location_text: str = ""
) -> IncidentLogEntry:
    """Add an incident to a log whose link is still on."""
    what_happened, effect, location_text = what_happened.strip(), effect.strip(), location_text.strip()
    _check_entry(happened_at, what_happened, effect, location_text)
    with transaction.atomic():
        # Locked so an entry cannot slip in after a concurrent revocation.
        locked = IncidentLog.objects.select_for_update().get(pk=log.pk)
        if locked.is_revoked:
            raise PrioritiesError(ERROR_REVOKED)
        entry = IncidentLogEntry(
            log=locked,
            happened_at=happened_at,
            what_happened=what_happened,
            effect=effect,
            location_text=location_text,
            created_at=timezone.now(),
        )
        entry.full_clean()
        entry.save(force_insert=True)
    return entry


def incident_log_revoke(*, log: IncidentLog) -> IncidentLog:
    """The resident turns their link off; entries stay with the concern for the team."""
    if log.is_revoked:
        return log
    log.revoked_at = timezone.now()
    log.save(update_fields=["revoked_at"])
    return log


def incident_log_revoke_by_staff(*, actor: User, log: IncidentLog) -> IncidentLog:
    """The ward's team turns a log's link off (for example, if the resident says it was shared). Audited."""
    if not can_manage_ward(actor, log.concern.ward):
        raise PrioritiesError(ERROR_NOT_TEAM)
    if log.is_revoked:
        return log
    with transaction.atomic():
        log.revoked_at, log.revoked_by = timezone.now(), actor
        log.save(update_fields=["revoked_at", "revoked_by"])
        data = {"concern": log.concern.reference, "after": {"revoked_at": log.revoked_at.isoformat()}}
        audit_record(actor=actor, action="priorities.incident_log.revoked", target=log, data=data)
    return log


# Retention (core.personal_data): a log holds what a resident wrote about what happened to them,
# which may name neighbours. It is never linked to an email address, so subject access finds
# nothing by address; it is deleted, with its entries, a period after its last activity.


def incident_logs_export(email: str) -> list[dict[str, Any]]:
    """Nothing: an incident log is never linked to an address (see the source's description)."""
    return []


def incident_logs_erase(email: str, *, by: AnyUser) -> int:
    return 0


def incident_logs_expire(now: datetime.datetime) -> int:
    """Delete logs with no new entry for PACT_RETENTION_INCIDENT_LOG_DAYS (and empty logs started
    that long ago), entries included; returns the number of logs deleted."""
    cutoff = retention_cutoff("incident_log", now)
    stale = IncidentLog.objects.alias(last=Coalesce(Max("entries__created_at"), "created_at")).filter(last__lt=cutoff)
    # Collected first: a DELETE of an aggregated queryset is not portable.
    ids = list(stale.values_list("pk", flat=True))
    IncidentLog.objects.filter(pk__in=ids).delete()
    return len(ids)


INCIDENT_LOGS = PersonalDataSource(
    name="priorities.incident_logs",
    label=_("Residents' incident logs"),
    description=_(
        "Logs residents keep of repeated anti-social behaviour against their concern, through a private "
        "link. Never public and never linked to an email address, so nothing is found here by address. "
        "Deleted, with their entries, PACT_RETENTION_INCIDENT_LOG_DAYS after the last entry."
    ),
    export=incident_logs_export,
    erase=incident_logs_erase,
    expire=incident_logs_expire,
)
