"""Writes of the monthly "you said, we did" updates: publishing a team's month, correcting it.

One update per team per month, whatever happens (the task run twice, retried, two beat
firings, a worker killed mid-way): the database's unique constraint decides, and a repeated
run returns the update that is already there.
"""

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, audit_record_many
from core.cache import public_cache_bump
from core.emails import email_queue
from core.roles import AnyUser, Role, has_role, is_administrator
from priorities.errors import PrioritiesError
from priorities.models import MonthlyUpdate, MonthlyUpdateDraft, MonthlyUpdateRevision
from priorities.scopes import can_supervise_team, team_id_for
from priorities.selectors import updates as selectors
from wards.models import NeighbourhoodTeam, Officer

ERROR_NOT_FIRST = _("An update covers a whole month: give the first day of the month")
ERROR_NOT_OVER = _("An update can only be made for a month that has ended")
ERROR_NO_TEAM = _("There is no such neighbourhood team")
ERROR_NOT_YOUR_TEAM = _("You can only correct the updates of your own team")
ERROR_SUMMARY_REQUIRED = _("Enter the corrected summary")
ERROR_REASON_REQUIRED = _("Enter the reason for the correction")
ERROR_UNCHANGED = _("The summary is unchanged: there is nothing to correct")


def _queue_emails(update_id: int, kind: str = "published") -> None:
    """Queue the update's emails once the transaction commits.

    Called whether the update was just made or already existed: the email task keys each
    email by update and subscriber, so queueing it again sends nobody a second copy.
    """
    # Imported here: priorities.tasks imports this module.
    from priorities.tasks import monthly_update_email_task

    if kind == "published":
        monthly_update_email_task.delay_on_commit(update_id)
    else:
        monthly_update_email_task.delay_on_commit(update_id, kind)


def _queue_emails_of(update_ids: list[int]) -> None:
    """Queue the emails of many updates in one task once the transaction commits (idempotent, as above)."""
    from priorities.tasks import monthly_updates_email_task

    monthly_updates_email_task.delay_on_commit(update_ids)


def _check_month(month: datetime.date) -> None:
    if month.day != 1:
        raise PrioritiesError(ERROR_NOT_FIRST)
    if month >= selectors.now_month():
        raise PrioritiesError(ERROR_NOT_OVER)


def _new_update(
    team: NeighbourhoodTeam, month: datetime.date, content: dict[str, Any], draft: MonthlyUpdateDraft | None
) -> MonthlyUpdate:
    """The update with the facts of the whole month, in the team's words if a supervisor approved them (validated)."""
    update = MonthlyUpdate(
        team=team,
        month=month,
        content=content,
        summary=draft.message if draft else selectors.month_summary(content, month),
        notes=_notes_for(draft.notes, content) if draft else {},
        report_pending=draft is None,
        published_at=timezone.now(),
    )
    # The one-per-team-per-month constraint is left to the database, which alone can
    # decide between two concurrent runs.
    update.full_clean(exclude=["team"], validate_unique=False, validate_constraints=False)
    return update


def _approved_drafts(team_ids: list[int], month: datetime.date) -> dict[int, MonthlyUpdateDraft]:
    drafts = MonthlyUpdateDraft.objects.filter(team_id__in=team_ids, month=month, approved_at__isnull=False)
    return {draft.team_id: draft for draft in drafts}


def _published(update: MonthlyUpdate, draft: MonthlyUpdateDraft | None) -> dict[str, Any]:
    """The audit record's data of a published update."""
    return {
        "team": update.team_id,
        "month": update.month.isoformat(),
        "totals": update.content["totals"],
        "approved_draft": draft.pk if draft else None,
    }


def _insert(update: MonthlyUpdate, draft: MonthlyUpdateDraft | None) -> tuple[MonthlyUpdate, bool]:
    """Insert and audit ``update``; (the update, True), or (theirs, False) if another run published it first."""
    try:
        with transaction.atomic():
            update.save()
            audit_record(
                actor=None, action="priorities.monthly_update.published", target=update, data=_published(update, draft)
            )
    except IntegrityError:
        # Another run published it between our look and our insert.
        return MonthlyUpdate.objects.get(team_id=update.team_id, month=update.month), False
    return update, True


def monthly_update_create(*, team_id: int, month: datetime.date) -> tuple[MonthlyUpdate, bool]:
    """Publish ``team_id``'s update for ``month`` (its first day); (update, created).

    Rule: one update per team per month. If it exists already (a repeated, retried or
    concurrent run) that one is returned with ``created`` False and nothing is changed.
    Either way its emails are queued (idempotently) when the transaction commits.
    """
    _check_month(month)
    existing = MonthlyUpdate.objects.filter(team_id=team_id, month=month).first()
    if existing is None:
        team = NeighbourhoodTeam.objects.filter(pk=team_id).first()
        if team is None:
            raise PrioritiesError(ERROR_NO_TEAM)
        content = selectors.month_content(team=team, month=month)
        draft = _approved_drafts([team.pk], month).get(team.pk)
        update, created = _insert(_new_update(team, month, content, draft), draft)
    else:
        update, created = existing, False
    if created:
        transaction.on_commit(public_cache_bump)
    _queue_emails(update.pk)
    return update, created


@dataclasses.dataclass
class MonthlyUpdatesPublished:
    """What ``monthly_updates_create`` did, by team id: each update (made now or before) and each refusal."""

    update_ids: dict[int, int] = dataclasses.field(default_factory=dict)
    created: set[int] = dataclasses.field(default_factory=set)
    failed: dict[int, str] = dataclasses.field(default_factory=dict)


def monthly_updates_create(*, team_ids: Sequence[int], month: datetime.date) -> MonthlyUpdatesPublished:
    """Publish the update for ``month`` of each of ``team_ids``, as ``monthly_update_create`` does for one.

    The same rules: one update per team per month (the teams that have one keep it), each
    audited, and the emails of every team's update queued either way. A team that breaks a
    rule is listed in ``failed`` and the others go on. The queries are a fixed number for the
    batch, whatever the number and size of its teams: the new updates go in by one insert in
    one transaction, or each in its own if another run published some of them meanwhile.
    """
    _check_month(month)
    result = MonthlyUpdatesPublished()
    result.update_ids.update(
        MonthlyUpdate.objects.filter(team_id__in=team_ids, month=month).values_list("team_id", "pk")
    )
    missing = [team_id for team_id in dict.fromkeys(team_ids) if team_id not in result.update_ids]
    teams = NeighbourhoodTeam.objects.in_bulk(missing)
    result.failed.update((team_id, str(ERROR_NO_TEAM)) for team_id in missing if team_id not in teams)
    new = _new_updates([teams[team_id] for team_id in missing if team_id in teams], month, result)
    _insert_all(new, result)
    if result.created:
        transaction.on_commit(public_cache_bump)
    if result.update_ids:
        _queue_emails_of(sorted(result.update_ids.values()))
    return result


def _new_updates(
    teams: list[NeighbourhoodTeam], month: datetime.date, result: MonthlyUpdatesPublished
) -> list[tuple[MonthlyUpdate, MonthlyUpdateDraft | None]]:
    """The validated new updates of ``teams`` with their approved drafts; a team whose update is invalid fails."""
    contents = selectors.months_content(teams=teams, month=month)
    drafts = _approved_drafts([team.pk for team in teams], month)
    new = []
    for team in teams:
        try:
            new.append((_new_update(team, month, contents[team.pk], drafts.get(team.pk)), drafts.get(team.pk)))
        except ValidationError as error:
            result.failed[team.pk] = "; ".join(error.messages)
    return new


def _insert_all(new: list[tuple[MonthlyUpdate, MonthlyUpdateDraft | None]], result: MonthlyUpdatesPublished) -> None:
    if not new:
        return
    try:
        with transaction.atomic():
            MonthlyUpdate.objects.bulk_create([update for update, _ in new])
            audit_record_many(
                actor=None,
                action="priorities.monthly_update.published",
                targets=[(update, _published(update, draft)) for update, draft in new],
            )
    except IntegrityError:
        # Another run published some of them between our look and our insert: the database
        # decides each one on its own.
        for update, draft in new:
            update.pk, update._state.adding = None, True
            made, created = _insert(update, draft)
            result.update_ids[made.team_id] = made.pk
            if created:
                result.created.add(made.team_id)
        return
    result.update_ids.update((update.team_id, update.pk) for update, _ in new)
    result.created.update(update.team_id for update, _ in new)


def can_correct_monthly_update(*, actor: AnyUser, update: MonthlyUpdate) -> bool:
    """Administrators, and the officers of the update's team (who manage its wards), correct it."""
    if is_administrator(actor):
        return True
    team_id = team_id_for(actor) if has_role(actor, Role.OFFICER) else None
    return team_id is not None and team_id == update.team_id


NOTE_FIELDS = ("said", "did", "next")
ERROR_NOT_A_SUPERVISOR = _("Only a sergeant or inspector of the team can approve its update")
ERROR_DRAFT_EMPTY = _("Write the team's overall message before approving")
ERROR_NOT_TWENTIETH = _("A month's draft is prepared from the 20th of that month")


def _notes_for(notes: dict[str, Any], content: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The notes of priorities that are in ``content``, each with only the known fields, trimmed and non-empty."""
    ids = {str(priority["id"]) for ward in content.get("wards", []) for priority in ward["priorities"]}
    kept: dict[str, dict[str, str]] = {}
    for key, note in (notes or {}).items():
        if str(key) not in ids or not isinstance(note, dict):
            continue
        clean = {field: str(note.get(field, "")).strip() for field in NOTE_FIELDS}
        if any(clean.values()):
            kept[str(key)] = clean
    return kept


def _revise(
    *, actor: User | None, update: MonthlyUpdate, after: dict[str, Any], reason: str, action: str
) -> MonthlyUpdate:
    """Keep ``update`` as it stands as a revision, then apply ``after`` (summary/notes/content/report_pending).

    Call inside a transaction holding the update's row lock. History is never overwritten.
    """
    # The audit keeps what changed, before and after (the revision keeps the whole version).
    before = {**{field: getattr(update, field) for field in after}, "revision": update.revision}
    kept = MonthlyUpdateRevision(
        update=update,
        number=update.revision,
        summary=update.summary,
        content=update.content,
        notes=update.notes,
        reason=reason,
        corrected_by=actor,
    )
    kept.full_clean(exclude=["update", "corrected_by"], validate_constraints=False)
    kept.save()
    for field, value in after.items():
        setattr(update, field, value)
    update.revision += 1
    update.full_clean(exclude=["team"], validate_constraints=False)
    update.save(update_fields=[*after, "revision"])
    audit_record(
        actor=actor,
        action=action,
        target=update,
        data={"before": before, "after": {**after, "revision": update.revision}, "reason": reason},
    )
    transaction.on_commit(public_cache_bump)
    return update


def _content_with_entries(content: dict[str, Any], entries: dict[int, str]) -> dict[str, Any]:
    """``content`` with listed actions rewritten (id -> new text) or removed (id -> "")."""
    wards = []
    for ward in content.get("wards", []):
        priorities = []
        for priority in ward["priorities"]:
            kept = []
            for entry in priority["entries"]:
                text = entries.get(entry["id"], entry["text"]).strip()
                if text:
                    kept.append({**entry, "text": text})
            priorities.append({**priority, "entries": kept})
        wards.append({**ward, "priorities": priorities})
    new = {**content, "wards": wards}
    new["totals"] = {
        **content.get("totals", {}),
        "actions": sum(len(p["entries"]) for w in wards for p in w["priorities"]),
    }
    return new


def monthly_update_correct(
    *,
    actor: User,
    update: MonthlyUpdate,
    summary: str,
    reason: str,
    notes: dict[str, Any] | None = None,
    entries: dict[int, str] | None = None,
) -> MonthlyUpdate:
    """Correct any part of a published update: its summary, the team's notes, the listed actions.

    Rule: history is never overwritten. The update as it stood is stored as revision
    ``update.revision`` with the reason (public), and the revision number goes up by one.
    ``entries`` maps a listed action's id to its new text ("" removes it from the update).
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
        after: dict[str, Any] = {}
        if summary != update.summary:
            after["summary"] = summary
        if notes is not None and _notes_for(notes, update.content) != update.notes:
            after["notes"] = _notes_for(notes, update.content)
        if entries:
            content = _content_with_entries(update.content, entries)
            if content != update.content:
                after["content"] = content
        if not after:
            raise PrioritiesError(ERROR_UNCHANGED)
        return _revise(
            actor=actor, update=update, after=after, reason=reason, action="priorities.monthly_update.corrected"
        )


def monthly_update_entry_revise(
    *, actor: User, entry_id: int, team_id: int, month: datetime.date, text: str, reason: str
) -> MonthlyUpdate | None:
    """Carry a progress entry put right into the published update of ``month`` that lists it:
    its new ``text``, or "" when it was withdrawn (then it leaves the update).

    A revision like any correction (the version it replaces stays public, with ``reason``); no
    email is sent again. None when no published update lists the entry as it was.
    """
    with transaction.atomic():
        update = MonthlyUpdate.objects.select_for_update().filter(team_id=team_id, month=month).first()
        if update is None:
            return None
        content = _content_with_entries(update.content, {entry_id: text})
        if content == update.content:
            return None
        return _revise(
            actor=actor,
            update=update,
            after={"content": content},
            reason=reason,
            action="priorities.monthly_update.entry_corrected",
        )


# The team's own words: a draft prepared on the 20th, written by the team's officers,
# approved by one of its supervisors, published on the 1st (or as a revision when late).


def can_edit_monthly_draft(*, actor: AnyUser, draft: MonthlyUpdateDraft) -> bool:
    """The officers of the draft's team write it."""
    return has_role(actor, Role.OFFICER) and team_id_for(actor) == draft.team_id


def monthly_draft_prepare(*, team_id: int, month: datetime.date) -> tuple[MonthlyUpdateDraft, bool]:
    """Prepare ``team_id``'s draft of the update for ``month`` (the current month, from the 20th); (draft, created).

    One draft per team per month: a repeated, retried or concurrent run returns the one there.
    """
    if month.day != 1:
        raise PrioritiesError(ERROR_NOT_FIRST)
    existing = MonthlyUpdateDraft.objects.filter(team_id=team_id, month=month).first()
    if existing is not None:
        return existing, False
    team = NeighbourhoodTeam.objects.filter(pk=team_id).first()
    if team is None:
        raise PrioritiesError(ERROR_NO_TEAM)
    try:
        with transaction.atomic():
            draft = MonthlyUpdateDraft(team=team, month=month, content=selectors.month_content(team=team, month=month))
            draft.full_clean(exclude=["team"], validate_unique=False, validate_constraints=False)
            draft.save()
            audit_record(
                actor=None,
                action="priorities.monthly_update.draft_prepared",
                target=draft,
                data={"team": team.pk, "month": month.isoformat()},
            )
    except IntegrityError:
        return MonthlyUpdateDraft.objects.get(team_id=team_id, month=month), False
    return draft, True


def monthly_draft_edit(
    *, actor: User, draft: MonthlyUpdateDraft, message: str, notes: dict[str, Any]
) -> MonthlyUpdateDraft:
    """Save the team's words; a change after approval withdraws the approval (audited both ways)."""
    if not can_edit_monthly_draft(actor=actor, draft=draft):
        raise PrioritiesError(ERROR_NOT_YOUR_TEAM)
    with transaction.atomic():
        draft = MonthlyUpdateDraft.objects.select_for_update().get(pk=draft.pk)
        message, notes = message.strip(), _notes_for(notes, draft.content)
        if message == draft.message and notes == draft.notes:
            return draft
        before = {"message": draft.message, "notes": draft.notes, "approved": draft.is_approved}
        draft.message, draft.notes = message, notes
        draft.approved_by, draft.approved_at = None, None
        draft.full_clean(exclude=["team", "approved_by"], validate_constraints=False)
        draft.save()
        audit_record(
            actor=actor,
            action="priorities.monthly_update.draft_edited",
            target=draft,
            data={"before": before, "after": {"message": message, "notes": notes}},
        )
    return draft


def monthly_draft_approve(*, actor: User, draft: MonthlyUpdateDraft) -> MonthlyUpdateDraft:
    """A supervisor of the team approves its words.

    If the month's update was already published as generated (the team was late), the
    approved words are published now as a revision of it, and its subscribers are sent it
    once (keyed per update and address under "approved").
    """
    if not can_supervise_team(actor, draft.team_id):
        raise PrioritiesError(ERROR_NOT_A_SUPERVISOR)
    with transaction.atomic():
        draft = MonthlyUpdateDraft.objects.select_for_update().get(pk=draft.pk)
        if not draft.message.strip():
            raise PrioritiesError(ERROR_DRAFT_EMPTY)
        if draft.is_approved:
            return draft
        draft.approved_by, draft.approved_at = actor, timezone.now()
        draft.save(update_fields=["approved_by", "approved_at", "updated_at"])
        audit_record(
            actor=actor,
            action="priorities.monthly_update.draft_approved",
            target=draft,
            data={
                "team": draft.team_id,
                "month": draft.month.isoformat(),
                "message": draft.message,
                "notes": draft.notes,
            },
        )
        update = MonthlyUpdate.objects.select_for_update().filter(team_id=draft.team_id, month=draft.month).first()
        if update is not None and update.report_pending:
            after = {
                "summary": draft.message,
                "notes": _notes_for(draft.notes, update.content),
                "report_pending": False,
            }
            _revise(
                actor=actor,
                update=update,
                after=after,
                reason="The team's own report, approved after the update was first published",
                action="priorities.monthly_update.report_published",
            )
            _queue_emails(update.pk, "report")
    return draft


def monthly_drafts_to_remind() -> QuerySet[MonthlyUpdate]:
    """Published updates still waiting for the team's report."""
    return MonthlyUpdate.objects.filter(report_pending=True).select_related("team").order_by("month", "team_id")


def monthly_draft_remind(*, today: datetime.date | None = None) -> int:
    """Remind the supervisors of each team whose report is pending, once a day each; return how many queued."""
    today = today or timezone.localdate()
    queued = 0
    for update in monthly_drafts_to_remind():
        supervisors = Officer.objects.filter(
            team_id=update.team_id, rank__in=Officer.SUPERVISOR_RANKS, user__isnull=False
        ).select_related("user")
        draft = MonthlyUpdateDraft.objects.filter(team_id=update.team_id, month=update.month).first()
        for officer in supervisors:
            address = officer.email or (officer.user.email if officer.user else "")
            if not address:
                continue
            context = {
                "update": update,
                "team": update.team,
                "officer": officer,
                "draft": draft,
                "url": _draft_url(draft),
            }
            key = f"update-report-reminder:{update.pk}:{officer.pk}:{today.isoformat()}"
            if email_queue(key=key, to=address, template="monthly_update_report_reminder", context=context):
                queued += 1
    return queued


def _draft_url(draft: MonthlyUpdateDraft | None) -> str:
    if draft is None:
        return settings.PACT_SITE_URL + reverse("priorities:staff_update_list")
    return settings.PACT_SITE_URL + reverse("priorities:staff_draft_edit", args=[draft.pk])
