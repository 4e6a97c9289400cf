"""Reopening a closed ballot: the chair and a supervisor of the ward's team together.

A closed ballot is changed only by reopening it. One of the two asks, with a reason residents
read on the result page; the other confirms (or either withdraws the request). Confirming
undoes what the close did to the ward, without losing anything:

- the priorities the ballot adopted are *set aside*: closed on the day with an outcome that
  says why, so they stay in the ward's history with their progress; their concerns are
  shortlisted for the meeting again, as they were when the ballot opened;
- the ward's previous priorities the ballot closed are reinstated in their places;
- the tally's places are cleared and the ballot is open again, its votes kept.

Closing it again adopts afresh (services.ballots.ballot_close): a set-aside priority whose
concern wins again is reinstated, with its title, lead officer and progress, not made anew.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.emails import email_queue
from priorities.errors import PrioritiesError
from priorities.models import Ballot, BallotOption, BallotReopening, Concern, PanelMember, Priority
from priorities.scopes import can_supervise_ward, chaired_panel_ids
from wards.models import Officer, Ward

ERROR_NOT_ALLOWED = _("Only the chair of the ward's panel or a sergeant or inspector of its team can reopen a ballot")
ERROR_NOT_CLOSED = _("Only a closed ballot can be reopened")
ERROR_REASON = _("Enter the reason the ballot is reopened")
ERROR_PENDING = _("Reopening this ballot has already been asked for: it waits to be confirmed")
ERROR_NO_REQUEST = _("Nobody has asked to reopen this ballot, or the request was withdrawn")
ERROR_SAME_SIDE = _(
    "The request must be confirmed by the other side: a supervisor of the team confirms the chair's, "
    "the chair confirms a supervisor's"
)
ERROR_LATER_BALLOT = _("A later ballot of this ward has closed since: only the ward's latest ballot can be reopened")
ERROR_OPEN_BALLOT = _("This ward has an open ballot: close or cancel it before reopening this one")
ERROR_SLOT_TAKEN = _("A reinstated priority's place is taken: resolve the priority now in it first")

SET_ASIDE_OUTCOME = "Set aside on {date}: the ballot that adopted it was reopened. {reason}"


def reopen_side(user, ward: Ward) -> str | None:
    """Which side of a reopening ``user`` stands on for ``ward``: the chair of a panel serving it,
    a supervisor of its team, or neither (None). Administrators stand on neither."""
    if can_supervise_ward(user, ward):
        return BallotReopening.Side.SUPERVISOR
    panels = chaired_panel_ids(user)
    if panels and ward.panels.filter(pk__in=panels).exists():
        return BallotReopening.Side.CHAIR
    return None


def pending_reopening(ballot: Ballot) -> BallotReopening | None:
    return ballot.reopenings.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True).first()


def _check_reopenable(ballot: Ballot) -> None:
    if ballot.status != Ballot.Status.CLOSED:
        raise PrioritiesError(ERROR_NOT_CLOSED)
    later = Ballot.objects.filter(ward=ballot.ward_id, status=Ballot.Status.CLOSED, closed_at__gt=ballot.closed_at)
    if later.exists():
        raise PrioritiesError(ERROR_LATER_BALLOT)
    if Ballot.objects.filter(ward=ballot.ward_id, status=Ballot.Status.OPEN).exists():
        raise PrioritiesError(ERROR_OPEN_BALLOT)


def ballot_reopen_request(*, actor: User, ballot: Ballot, reason: str) -> BallotReopening:
    """Ask to reopen a closed ballot, with a reason; the other side is emailed to confirm."""
    side = reopen_side(actor, ballot.ward)
    if side is None:
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    reason = " ".join(reason.split())
    if not reason:
        raise PrioritiesError(ERROR_REASON)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("ward", "meeting").get(pk=ballot.pk)
        _check_reopenable(ballot)
        reopening = BallotReopening(ballot=ballot, reason=reason, requested_by=actor, requested_side=side)
        reopening.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                reopening.save()
        except IntegrityError as error:
            raise PrioritiesError(ERROR_PENDING) from error
        audit_record(
            actor=actor,
            action="priorities.ballot.reopen_requested",
            target=ballot,
            data={"after": {"reopening": reopening.pk, "side": side, "reason": reason}},
        )
        _tell_other_side(reopening)
    return reopening


def _other_side_addresses(reopening: BallotReopening) -> dict[str, str]:
    """Who confirms: the ward's panel chairs (for a supervisor's request) or its team's
    sergeants and inspectors (for the chair's), as key -> address."""
    ward = reopening.ballot.ward
    if reopening.requested_side == BallotReopening.Side.SUPERVISOR:
        chairs = PanelMember.objects.filter(
            panel__wards=ward, role=PanelMember.Role.CHAIR, ended_on__isnull=True, user__isnull=False
        ).select_related("user")
        return {f"user{chair.user_id}": chair.user.email for chair in chairs if chair.user and chair.user.email}
    supervisors = Officer.objects.filter(team_id=ward.team_id, rank__in=Officer.SUPERVISOR_RANKS).select_related("user")
    addresses = {}
    for officer in supervisors:
        address = (officer.user.email if officer.user else "") or officer.email
        if address:
            addresses[f"officer{officer.pk}"] = address
    return addresses


def _tell_other_side(reopening: BallotReopening) -> None:
    url = settings.PACT_SITE_URL + reverse("priorities:staff_ballot_reopen", args=[reopening.ballot_id])
    context = {"reopening": reopening, "ballot": reopening.ballot, "url": url}
    for key, address in _other_side_addresses(reopening).items():
        email_queue(key=f"ballot-reopen:{reopening.pk}:{key}", to=address, template="ballot_reopen", context=context)


def ballot_reopen_withdraw(*, actor: User, ballot: Ballot) -> BallotReopening:
    """Withdraw (or, for the other side, decline) the pending request; the ballot stays closed."""
    if reopen_side(actor, ballot.ward) is None:
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        reopening = pending_reopening(ballot)
        if reopening is None:
            raise PrioritiesError(ERROR_NO_REQUEST)
        reopening.withdrawn_at = timezone.now()
        reopening.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action="priorities.ballot.reopen_withdrawn",
            target=ballot,
            data={"before": {"reopening": reopening.pk, "reason": reopening.reason}},
        )
    return reopening


def ballot_reopen_confirm(*, actor: User, ballot: Ballot) -> Ballot:
    """Confirm the other side's request: the ballot is open again and the ward's priorities are
    as they were before it closed (see the module's docstring)."""
    side = reopen_side(actor, ballot.ward)
    if side is None:
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("ward", "meeting").get(pk=ballot.pk)
        reopening = pending_reopening(ballot)
        if reopening is None:
            raise PrioritiesError(ERROR_NO_REQUEST)
        if side == reopening.requested_side or actor.pk == reopening.requested_by_id:
            raise PrioritiesError(ERROR_SAME_SIDE)
        _check_reopenable(ballot)
        changes = _undo_close(ballot, reopening.reason)
        reopening.confirmed_by, reopening.confirmed_at = actor, timezone.now()
        closed_at = ballot.closed_at
        reopening.was_closed_at, reopening.changes = closed_at, changes
        reopening.full_clean(validate_constraints=False)
        reopening.save(update_fields=["confirmed_by", "confirmed_at", "was_closed_at", "changes"])
        ballot.status, ballot.closed_at, ballot.closed_by = Ballot.Status.OPEN, None, None
        ballot.full_clean(validate_constraints=False)
        ballot.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="priorities.ballot.reopened",
            target=ballot,
            data={
                "before": {"status": "closed", "closed_at": closed_at.isoformat() if closed_at else None},
                "after": {"status": "open", "reopening": reopening.pk, "reason": reopening.reason, **changes},
            },
        )
    return ballot


def _undo_close(ballot: Ballot, reason: str) -> dict[str, list[int]]:
    today = timezone.localdate()
    options = list(ballot.options.all())
    concern_ids = [option.concern_id for option in options if option.concern_id]
    priority_ids = [option.priority_id for option in options if option.priority_id]
    adopted = list(
        Priority.objects.select_for_update()
        .filter(ward=ballot.ward_id, agreed_at=ballot.meeting_id, concern_id__in=concern_ids)
        .filter(status__in=Priority.ACTIVE_STATUSES)
    )
    outcome = SET_ASIDE_OUTCOME.format(date=f"{today.day} {today:%B %Y}", reason=reason)
    for priority in adopted:
        priority.status, priority.ended_on, priority.outcome = Priority.Status.CLOSED, today, outcome
        priority.full_clean(validate_constraints=False)
        priority.save(update_fields=["status", "ended_on", "outcome"])
    Concern.objects.filter(pk__in=[p.concern_id for p in adopted]).update(
        status=Concern.Status.SHORTLISTED, shortlisted_for=ballot.meeting_id
    )
    closed = list(
        Priority.objects.select_for_update().filter(
            pk__in=priority_ids, status=Priority.Status.CLOSED, ended_at=ballot.meeting_id
        )
    )
    try:
        with transaction.atomic():
            for priority in closed:
                priority.status, priority.ended_on, priority.ended_at, priority.outcome = (
                    Priority.Status.CURRENT,
                    None,
                    None,
                    "",
                )
                priority.save(update_fields=["status", "ended_on", "ended_at", "outcome"])
    except IntegrityError as error:
        raise PrioritiesError(ERROR_SLOT_TAKEN) from error
    BallotOption.objects.filter(ballot=ballot).update(votes=None, position=None)
    return {"set_aside": [p.pk for p in adopted], "reinstated": [p.pk for p in closed]}
