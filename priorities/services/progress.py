"""Writes of progress on priorities: what was done, when and by whom; reminders of stale priorities.

An officer of the ward's team (or an administrator) adds progress for the team or for a
partner agency named on the priority; a partner user adds it for their own agency, and only
on the priorities their agency is named on in the wards it works in (priorities.scopes).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.emails import email_queue
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import ConcernEvent, PartnerAgency, Priority, ProgressEntry
from priorities.scopes import can_manage_ward, can_partner_ward, can_supervise_ward, partner_agency_for
from priorities.selectors.progress import priorities_without_lead, stale_priorities
from priorities.services.concerns import concern_history_add
from priorities.services.updates import monthly_update_entry_revise
from wards.models import Officer

logger = logging.getLogger(__name__)

ERROR_NOT_ALLOWED = _("Only the ward's neighbourhood officers and the partners named on it can add progress")
ERROR_NOT_ACTIVE = _("This priority has ended: progress can no longer be added")
ERROR_TEXT_REQUIRED = _("Enter what was done")
ERROR_TEXT_TOO_LONG = _("What was done must be 2000 characters or fewer")
ERROR_IN_FUTURE = _("The date it was done must be today or in the past")
ERROR_BEFORE_AGREED = _("The date it was done must be on or after the date the priority was agreed")
ERROR_VISIBILITY = _("Choose whether the entry is public or internal")
ERROR_BY_REQUIRED = _("Choose the officer or agency who did it")
ERROR_BY_BOTH = _("Choose either an officer or an agency, not both")
ERROR_OFFICER_NOT_IN_TEAM = _("The officer must be an officer of the ward's neighbourhood team")
ERROR_AGENCY_NOT_NAMED = _("The agency must be one of the partners named on the priority")
ERROR_NOT_YOURS = _("Only the entry's author or a sergeant or inspector of the team can change it")
ERROR_WITHDRAWN = _("This entry has been withdrawn: it can no longer be changed")
ERROR_UNCHANGED = _("Change the date, what was done or who did it, or cancel")
REASON_EDITED = _("An action listed here was corrected by the team")
REASON_WITHDRAWN = _("An action listed here was withdrawn by the team")

TEXT_MAX_LENGTH = 2000


def _agency_named(priority: Priority, agency: PartnerAgency | None) -> bool:
    return agency is not None and priority.partners.filter(pk=agency.pk).exists()


def can_add_progress(*, actor: AnyUser, priority: Priority) -> bool:
    """Whether ``actor`` may add progress to ``priority``: the ward's officers, administrators,
    and partner users whose agency is named on it and still works in its ward."""
    if can_manage_ward(actor, priority.ward):
        return True
    return can_partner_ward(actor, priority.ward) and _agency_named(priority, partner_agency_for(actor))


def _own_officer(actor: AnyUser, priority: Priority) -> Officer | None:
    officer = getattr(actor, "officer", None)
    return officer if officer is not None and officer.team_id == priority.ward.team_id else None


def _by(
    actor: User, priority: Priority, officer: Officer | None, agency: PartnerAgency | None
) -> tuple[Officer | None, PartnerAgency | None]:
    """Who the entry is by: an officer of the team or an agency named on the priority."""
    if officer is not None and agency is not None:
        raise PrioritiesError(ERROR_BY_BOTH)
    if not can_manage_ward(actor, priority.ward):
        # A partner user writes for their own agency only.
        own = partner_agency_for(actor)
        if officer is not None or (agency is not None and agency != own):
            raise PrioritiesError(ERROR_NOT_ALLOWED)
        return None, own
    if officer is not None and officer.team_id != priority.ward.team_id:
        raise PrioritiesError(ERROR_OFFICER_NOT_IN_TEAM)
    if agency is not None and not _agency_named(priority, agency):
        raise PrioritiesError(ERROR_AGENCY_NOT_NAMED)
    officer = officer if officer is not None or agency is not None else _own_officer(actor, priority)
    if officer is None and agency is None:
        raise PrioritiesError(ERROR_BY_REQUIRED)
    return officer, agency


def _check_entry(priority: Priority, happened_on: datetime.date, text: str, visibility: str) -> None:
    if not text:
        raise PrioritiesError(ERROR_TEXT_REQUIRED)
    if len(text) > TEXT_MAX_LENGTH:
        raise PrioritiesError(ERROR_TEXT_TOO_LONG)
    if happened_on > timezone.localdate():
        raise PrioritiesError(ERROR_IN_FUTURE)
    if happened_on < priority.agreed_on:
        raise PrioritiesError(ERROR_BEFORE_AGREED)
    if visibility not in ProgressEntry.Visibility.values:
        raise PrioritiesError(ERROR_VISIBILITY)


def progress_add(
    *,
    actor: User,
    priority: Priority,
    happened_on: datetime.date,
    text: str,
    visibility: str,
    officer: Officer | None = None,
    agency: PartnerAgency | None = None,
) -> ProgressEntry:
    """Record what was done about an active priority, on a day from its agreement to today.

    The first entry moves a "current" priority to "in progress". Audited.
    """
    if not can_add_progress(actor=actor, priority=priority):
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    if not priority.is_active:
        raise PrioritiesError(ERROR_NOT_ACTIVE)
    text = text.strip()
    _check_entry(priority, happened_on, text, visibility)
    officer, agency = _by(actor, priority, officer, agency)
    with transaction.atomic():
        # Locked so a concurrent resolve cannot end the priority under the new entry.
        locked = Priority.objects.select_for_update().get(pk=priority.pk)
        if not locked.is_active:
            raise PrioritiesError(ERROR_NOT_ACTIVE)
        entry = ProgressEntry(
            priority=locked,
            happened_on=happened_on,
            text=text,
            visibility=visibility,
            officer=officer,
            agency=agency,
            author=actor,
        )
        entry.full_clean()
        entry.save()
        if locked.concern_id and entry.visibility == ProgressEntry.Visibility.PUBLIC:
            concern_history_add(
                concern=locked.concern_id, kind=ConcernEvent.Kind.PROGRESS, priority=locked, progress=entry
            )
        before = {"status": locked.status}
        if locked.status == Priority.Status.CURRENT:
            locked.status = Priority.Status.IN_PROGRESS
            locked.save(update_fields=["status"])
        priority.status = locked.status
        audit_record(
            actor=actor,
            action="priorities.progress.added",
            target=entry,
            data={"before": before, "after": {"status": locked.status, **_entry_snapshot(entry)}},
        )
    return entry


def can_change_progress(*, actor: AnyUser, entry: ProgressEntry) -> bool:
    """Whether ``actor`` may edit or withdraw ``entry``: its author while they may still add
    progress to the priority, or a sergeant or inspector of the ward's team."""
    priority = entry.priority
    if entry.author_id == actor.pk and can_add_progress(actor=actor, priority=priority):
        return True
    return can_supervise_ward(actor, priority.ward)


def _locked_for_change(actor: AnyUser, entry: ProgressEntry) -> ProgressEntry:
    if not can_change_progress(actor=actor, entry=entry):
        raise PrioritiesError(ERROR_NOT_YOURS)
    locked = ProgressEntry.objects.select_for_update().select_related("priority__ward").get(pk=entry.pk)
    if locked.is_withdrawn:
        raise PrioritiesError(ERROR_WITHDRAWN)
    return locked


def progress_edit(
    *,
    actor: User,
    entry: ProgressEntry,
    happened_on: datetime.date,
    text: str,
    officer: Officer | None = None,
    agency: PartnerAgency | None = None,
) -> ProgressEntry:
    """Put right the date, text or who did it of an entry, by its author or a supervisor of the team.

    The entry is marked edited (the public timeline says so) and the audit keeps the old and
    new versions; a published monthly update listing it is revised in the open. Its visibility
    stays: a public entry is taken down by withdrawing it, in the open. Nobody following the
    priority's concern is emailed again: a step not yet sent goes out once, with the new text.
    """
    text = text.strip()
    _check_entry(entry.priority, happened_on, text, entry.visibility)
    with transaction.atomic():
        locked = _locked_for_change(actor, entry)
        officer, agency = _by(actor, locked.priority, officer, agency)
        before = _entry_snapshot(locked)
        locked.happened_on, locked.text, locked.officer, locked.agency = happened_on, text, officer, agency
        after = _entry_snapshot(locked)
        if after == before:
            raise PrioritiesError(ERROR_UNCHANGED)
        locked.edited_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["happened_on", "text", "officer", "agency", "edited_at"])
        audit_record(
            actor=actor, action="priorities.progress.edited", target=locked, data={"before": before, "after": after}
        )
        _revise_update(actor, locked, datetime.date.fromisoformat(before["happened_on"]), text, str(REASON_EDITED))
    return locked


def _revise_update(actor: User, entry: ProgressEntry, happened_on: datetime.date, text: str, reason: str) -> None:
    # A published monthly update is a snapshot: an entry it lists is put right there too, as a
    # public revision, so the update never repeats what the team has corrected or withdrawn.
    team_id = entry.priority.ward.team_id
    if team_id is not None:
        monthly_update_entry_revise(
            actor=actor, entry_id=entry.pk, team_id=team_id, month=happened_on.replace(day=1), text=text, reason=reason
        )


def progress_withdraw(*, actor: User, entry: ProgressEntry) -> ProgressEntry:
    """Withdraw an entry posted by mistake, by its author or a supervisor of the team.

    The public timeline keeps its place and says "withdrawn on …" without its text; it leaves
    the monthly update (a published one listing it is revised in the open), the API and the
    latest action, and a step of a followed concern not yet
    emailed is never sent. The audit keeps what it said. Withdrawing twice is refused.
    """
    with transaction.atomic():
        locked = _locked_for_change(actor, entry)
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action="priorities.progress.withdrawn",
            target=locked,
            data={"before": _entry_snapshot(locked), "after": {"withdrawn_at": locked.withdrawn_at.isoformat()}},
        )
        _revise_update(actor, locked, locked.happened_on, "", str(REASON_WITHDRAWN))
    return locked


def _entry_snapshot(entry: ProgressEntry) -> dict:
    return {
        "priority": entry.priority_id,
        "happened_on": entry.happened_on.isoformat(),
        "text": entry.text,
        "visibility": entry.visibility,
        "officer": entry.officer_id,
        "agency": entry.agency_id,
    }


def _recipient(officer: Officer) -> str:
    user_email = officer.user.email if officer.user_id and officer.user else ""
    return user_email or officer.email


def stale_priorities_remind(*, today: datetime.date | None = None) -> int:
    """Queue one email per officer per ISO week listing the stale priorities they answer for.

    A priority's lead officer answers for it; a priority with no lead, the sergeants and
    inspectors of its ward's team (so every stale priority reaches someone). A priority with no
    lead reaches them every week until one is named, stale or not: the chair may leave the lead
    for the sergeant when the ballot adopts it. The outbox key
    (officer and week) makes a second run in the same week queue nothing. Officers with no
    address are logged by id and skipped. Returns how many were queued.
    """
    today = today or timezone.localdate()
    by_officer: dict[int, list[Priority]] = defaultdict(list)
    officers: dict[int, Officer] = {}
    unled: dict[int, list[Priority]] = defaultdict(list)
    stale = list(stale_priorities(today=today).select_related("lead_officer__user", "ward"))
    for priority in stale:
        priority.is_stale = True  # type: ignore[attr-defined]
    fresh_unled = priorities_without_lead().exclude(pk__in=[priority.pk for priority in stale])
    for priority in [*stale, *fresh_unled]:
        officer = priority.lead_officer
        if officer is not None:
            by_officer[officer.pk].append(priority)
            officers[officer.pk] = officer
        elif priority.ward.team_id is not None:
            unled[priority.ward.team_id].append(priority)
    if unled:
        supervisors = Officer.objects.filter(team_id__in=unled, rank__in=Officer.SUPERVISOR_RANKS).select_related(
            "user"
        )
        for supervisor in supervisors.order_by("pk"):
            by_officer[supervisor.pk].extend(unled[supervisor.team_id])
            officers[supervisor.pk] = supervisor
    year, week, _day = today.isocalendar()
    queued = 0
    for officer_id, priorities in by_officer.items():
        queued += _remind(officers[officer_id], priorities, f"stale:{officer_id}:{year}-W{week:02d}")
    return queued


def _remind(officer: Officer, priorities: list[Priority], key: str) -> int:
    to = _recipient(officer)
    if not to:
        logger.info("stale priority reminder skipped: officer %s has no email address", officer.pk)
        return 0
    # A priority with no lead is opened where its lead is named; one that has a lead, where progress is added.
    items = [
        {
            "priority": priority,
            "stale": getattr(priority, "is_stale", False),
            "url": settings.PACT_SITE_URL
            + reverse(
                "priorities:staff_progress_add" if priority.lead_officer_id else "priorities:staff_priority_edit",
                args=[priority.pk],
            ),
        }
        for priority in priorities
    ]
    led = [item for item, priority in zip(items, priorities, strict=True) if priority.lead_officer_id == officer.pk]
    unled = [item for item, priority in zip(items, priorities, strict=True) if priority.lead_officer_id is None]
    context = {
        "officer": officer,
        "items": items,
        "led": led,
        "unled": unled,
        "all_stale": all(item["stale"] for item in items),
        "days": settings.PACT_STALE_PRIORITY_DAYS,
    }
    email = email_queue(key=key, to=to, template="stale_priority", context=context)
    if email is not None:
        logger.info("stale priority reminder queued: officer %s, %s priorities", officer.pk, len(priorities))
    return 1 if email is not None else 0
