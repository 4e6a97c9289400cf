"""The monthly "you said, we did" updates: beat starts them on the 1st, a task per batch of teams."""

import datetime
import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from priorities.selectors import updates as selectors
from priorities.services.updates import (
    monthly_draft_prepare,
    monthly_draft_remind,
    monthly_update_create,
    monthly_updates_create,
)

__all__ = [
    "monthly_draft_prepare_task",
    "monthly_draft_reminders_task",
    "monthly_drafts_start_task",
    "monthly_update_create_task",
    "monthly_updates_create_task",
    "monthly_updates_start_task",
]

logger = logging.getLogger(__name__)

# Lost connections and deadlocks pass; rule breaks (PrioritiesError) never do, so are not retried.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# How the update tasks run: acknowledged only when done, so a worker killed mid-way leaves the
# task to be run again, which is safe because publishing is idempotent (one update per team
# per month).
_PUBLISHING: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
    "ignore_result": True,
}


def _per_team(task: Any, month: datetime.date, what: str) -> int:
    """Queue ``task(team_id, month)`` for every team; returns how many."""
    team_ids = selectors.team_ids()
    for team_id in team_ids:
        task.delay(team_id, month.isoformat())
    logger.info("%s for %s started for %s teams", what, month.isoformat(), len(team_ids))
    return len(team_ids)


def _per_batch(task: Any, month: datetime.date, what: str) -> int:
    """Queue ``task([team_id, …], month)`` for every team, PACT_MONTHLY_TEAMS_PER_TASK at a time; returns the teams."""
    team_ids, size = selectors.team_ids(), settings.PACT_MONTHLY_TEAMS_PER_TASK
    for start in range(0, len(team_ids), size):
        task.delay(team_ids[start : start + size], month.isoformat())
    logger.info("%s for %s started for %s teams", what, month.isoformat(), len(team_ids))
    return len(team_ids)


@shared_task(name="priorities.tasks.monthly_updates_start_task", ignore_result=True)
def monthly_updates_start_task() -> int:
    """Start the update of every team for the month just ended in UK time (beat, 06:00 on the 1st).

    One task per batch of teams (the workers share the batches), each team in it on its own:
    one team failing does not stop the others. Firing twice is harmless: each team's update
    is found already there.
    """
    return _per_batch(monthly_updates_create_task, selectors.month_before(timezone.now()), "monthly updates")


@shared_task(name="priorities.tasks.monthly_updates_create_task", **_PUBLISHING)
def monthly_updates_create_task(team_ids: list[int], month: str) -> int:
    """Publish the update for ``month`` ("YYYY-MM-01") of each of ``team_ids``; returns how many were made.

    A team that breaks a rule is logged as an error and the others are published.
    """
    result = monthly_updates_create(team_ids=team_ids, month=datetime.date.fromisoformat(month))
    for team_id, error in sorted(result.failed.items()):
        logger.error("monthly update of team %s for %s failed: %s", team_id, month, error)
    existed = len(result.update_ids) - len(result.created)
    logger.info("monthly updates for %s: %s created, %s existed", month, len(result.created), existed)
    return len(result.created)


@shared_task(name="priorities.tasks.monthly_update_create_task", **_PUBLISHING)
def monthly_update_create_task(team_id: int, month: str) -> int:
    """Publish one team's update for ``month`` ("YYYY-MM-01"); returns the update's id.

    The monthly job sends batches (``monthly_updates_create_task``); this one is for a single team.
    """
    update, created = monthly_update_create(team_id=team_id, month=datetime.date.fromisoformat(month))
    logger.info("monthly update %s of team %s for %s %s", update.pk, team_id, month, "created" if created else "exists")
    return update.pk


@shared_task(name="priorities.tasks.monthly_drafts_start_task", ignore_result=True)
def monthly_drafts_start_task() -> int:
    """Prepare every team's draft of this month's update (beat, the 20th); firing twice is harmless."""
    return _per_team(monthly_draft_prepare_task, selectors.now_month(), "monthly drafts")


@shared_task(
    name="priorities.tasks.monthly_draft_prepare_task",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    ignore_result=True,
)
def monthly_draft_prepare_task(team_id: int, month: str) -> int:
    """Prepare one team's draft for ``month`` ("YYYY-MM-01"); idempotent; returns the draft's id."""
    draft, created = monthly_draft_prepare(team_id=team_id, month=datetime.date.fromisoformat(month))
    logger.info("monthly draft %s of team %s for %s %s", draft.pk, team_id, month, "created" if created else "exists")
    return draft.pk


@shared_task(
    name="priorities.tasks.monthly_draft_reminders_task",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def monthly_draft_reminders_task() -> int:
    """Remind supervisors of teams whose report is still pending (beat, daily); once a day per person."""
    queued = monthly_draft_remind()
    logger.info("monthly report reminders: %s queued", queued)
    return queued
