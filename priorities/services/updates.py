"""Writes of the monthly "you said, we did" updates: publishing a team's month, correcting it.

One update per team per month, whatever happens (the task run twice, retried, two beat
firings, a worker killed mid-way): the database's unique constraint decides, and a repeated
run returns the update that is already there.
"""

import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.cache import public_cache_bump
from core.roles import AnyUser, Role, has_role, is_administrator
from priorities.errors import PrioritiesError
from priorities.models import MonthlyUpdate, MonthlyUpdateRevision
from priorities.scopes import team_id_for
from priorities.selectors import updates as selectors
from wards.models import NeighbourhoodTeam

ERROR_NOT_FIRST = _("An update covers a whole month: give the first day of the month")
ERROR_NOT_OVER = _("An update can only be made for a month that has ended")
ERROR_NO_TEAM = _("There is no such neighbourhood team")
ERROR_NOT_YOUR_TEAM = _("You can only correct the updates of your own team")
ERROR_SUMMARY_REQUIRED = _("Enter the corrected summary")
ERROR_REASON_REQUIRED = _("Enter the reason for the correction")
ERROR_UNCHANGED = _("The summary is unchanged: there is nothing to correct")


def _queue_emails(update_id: int) -> None:
    """Queue the update's emails once the transaction commits.

    Called whether the update was just made or already existed: the email task keys each
    email by update and subscriber, so queueing it again sends nobody a second copy.
    """
    # Imported here: priorities.tasks imports this module.
    from priorities.tasks import monthly_update_email_task

    monthly_update_email_task.delay_on_commit(update_id)


def _create(team: NeighbourhoodTeam, month: datetime.date) -> MonthlyUpdate:
    content = selectors.month_content(team=team, month=month)
    update = MonthlyUpdate(
        team=team,
        month=month,
        content=content,
        summary=selectors.month_summary(content, month),
        published_at=timezone.now(),
    )
    # The one-per-team-per-month constraint is left to the database, which alone can
    # decide between two concurrent runs.
    update.full_clean(exclude=["team"], validate_unique=False, validate_constraints=False)
    update.save()
    audit_record(
        actor=None,
        action="priorities.monthly_update.published",
        target=update,
        data={"team": team.pk, "month": month.isoformat(), "totals": content["totals"]},
    )
    return update


def monthly_update_create(*, team_id: int, month: datetime.date) -> tuple[MonthlyUpdate, bool]:
    """Publish ``team_id``'s update for ``month`` (its first day); (update, created).

    Rule: one update per team per month. If it exists already (a repeated, retried or
    concurrent run) that one is returned with ``created`` False and nothing is changed.
    Either way its emails are queued (idempotently) when the transaction commits.
    """
    if month.day != 1:
        raise PrioritiesError(ERROR_NOT_FIRST)
    if month >= selectors.now_month():
        raise PrioritiesError(ERROR_NOT_OVER)
    existing = MonthlyUpdate.objects.filter(team_id=team_id, month=month).first()
    if existing is None:
        team = NeighbourhoodTeam.objects.filter(pk=team_id).first()
        if team is None:
            raise PrioritiesError(ERROR_NO_TEAM)
        try:
            with transaction.atomic():
                update, created = _create(team, month), True
        except IntegrityError:
            # Another run published it between our look and our insert.
            update, created = MonthlyUpdate.objects.get(team_id=team_id, month=month), False
    else:
        update, created = existing, False
    if created:
        transaction.on_commit(public_cache_bump)
    _queue_emails(update.pk)
    return update, created


def can_correct_monthly_update(*, actor: AnyUser, update: MonthlyUpdate) -> bool:
    """Administrators, and the officers of the update's team (who manage its wards), correct it."""
    if is_administrator(actor):
        return True
    team_id = team_id_for(actor) if has_role(actor, Role.OFFICER) else None
    return team_id is not None and team_id == update.team_id


def monthly_update_correct(*, actor: User, update: MonthlyUpdate, summary: str, reason: str) -> MonthlyUpdate:
    """Correct a published update's summary, keeping the version it replaces as a revision.

    Rule: history is never overwritten. The old summary and content are stored as revision
    ``update.revision`` with the reason, and the update's revision number goes up by one.
    """
    if not can_correct_monthly_update(actor=actor, update=update):
        raise PrioritiesError(ERROR_NOT_YOUR_TEAM)
    summary, reason = summary.strip(), reason.strip()
    if not summary:
        raise PrioritiesError(ERROR_SUMMARY_REQUIRED)
    if not reason:
        raise PrioritiesError(ERROR_REASON_REQUIRED)
    with transaction.atomic():
        update = MonthlyUpdate.objects.select_for_update().get(pk=update.pk)
        if summary == update.summary:
            raise PrioritiesError(ERROR_UNCHANGED)
        before = {"summary": update.summary, "revision": update.revision}
        kept = MonthlyUpdateRevision(
            update=update,
            number=update.revision,
            summary=update.summary,
            content=update.content,
            reason=reason,
            corrected_by=actor,
        )
        kept.full_clean(exclude=["update", "corrected_by"], validate_constraints=False)
        kept.save()
        update.summary, update.revision = summary, update.revision + 1
        update.full_clean(exclude=["team"], validate_constraints=False)
        update.save(update_fields=["summary", "revision"])
        audit_record(
            actor=actor,
            action="priorities.monthly_update.corrected",
            target=update,
            data={"before": before, "after": {"summary": summary, "revision": update.revision}, "reason": reason},
        )
        transaction.on_commit(public_cache_bump)
    return update
