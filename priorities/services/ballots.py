"""Writes of ballots: open, record votes or a show of hands, the chair's casting vote, close.

A ballot runs at a PACT meeting for one ward, from its start. Closing it adopts the top three as the
ward's priorities in one transaction: previous priorities that won are carried over, those
that lost are closed, winning concerns become new priorities. A closed ballot changes only by
being reopened by the chair and a supervisor together (services.ballot_reopening).
"""

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from priorities.ballot_counting import PLACES, Tally, places_label, tally
from priorities.errors import PrioritiesError
from priorities.models import (
    Ballot,
    BallotOption,
    Concern,
    ConcernEvent,
    Event,
    EventAttendance,
    PanelMember,
    Priority,
    Vote,
)
from priorities.scopes import can_chair_ward
from priorities.selectors.ballots import ballot_votes
from priorities.services.concerns import concern_history_add
from wards.models import Ward

ERROR_NOT_CHAIR = _("Only the chair of a panel serving this ward can run its ballots")
ERROR_NOT_MEETING = _("Ballots are held at PACT meetings only")
ERROR_NOT_STARTED = _("A ballot can be opened once the meeting has started")
ERROR_MEETING_OFF = _("This meeting was cancelled or moved: open the ballot at the meeting that took place")
ERROR_WARD_NOT_SERVED = _("This meeting's panel does not serve that ward")
ERROR_BALLOT_EXISTS = _("A ballot for this ward has already been held at this meeting")
ERROR_BALLOT_OPEN_FOR_WARD = _("This ward already has an open ballot: close it before opening another")
ERROR_NO_OPTIONS = _(
    "There is nothing to vote on: shortlist concerns for this meeting, or the ward needs current priorities to review"
)
ERROR_CLOSED = _("This ballot is closed and cannot be changed")
ERROR_WRONG_METHOD = _("This ballot is not recorded that way")
ERROR_NOT_MEMBER = _("Only members of this panel can vote")
ERROR_NOT_ACTIVE_MEMBER = _("This person was not a member of the panel on the day of the meeting")
ERROR_NOT_PRESENT = _("Only members recorded as present at the meeting can vote")
ERROR_CHOICE_COUNT = _("Choose between 1 and 3 options")
ERROR_CHOICE_REPEATED = _("Choose each option only once")
ERROR_CHOICE_NOT_IN_BALLOT = _("Choose only options of this ballot")
ERROR_ALREADY_VOTED = _("This member has already voted in this ballot: each member votes once")
ERROR_PEOPLE_VOTING = _("Enter how many people voted, 1 or more")
ERROR_HANDS_MISSING = _("Enter a count for every option")
ERROR_HANDS_NEGATIVE = _("Counts cannot be negative")
ERROR_HANDS_OVER = _("No option can have more votes than the number of people voting")
ERROR_HANDS_TOTAL = _("The counts add up to more than 3 votes for each person voting")
ERROR_NO_TIE = _("There is no tie for a place to decide")
ERROR_CASTING_NOT_TIED = _("Choose only options that are tied")
ERROR_CASTING_COUNT = _("Choose {places} of the tied options")
ERROR_TIE_UNDECIDED = _(
    "There is a tie for the {places} between {options}: record the chair's casting vote before closing the ballot"
)
ERROR_NO_VOTES = _("Record the votes before closing the ballot")
ERROR_OPTIONS_AFTER_VOTE = _("The options can only be changed before the first vote is recorded")
ERROR_OPTION_NOT_ELIGIBLE = _(
    "Only the ward's accepted or shortlisted concerns and its current priorities can be added"
)
ERROR_OPTION_ALREADY = _("That is already an option of this ballot")
ERROR_LAST_OPTION = _("A ballot needs at least one option: cancel the ballot instead")
ERROR_CANCEL_REASON = _("Enter the reason the ballot is cancelled")

CLOSED_OUTCOME = "Not re-selected at the PACT meeting on {date}"


def _join(titles: Sequence[str]) -> str:
    quoted = [f"‘{title}’" for title in titles]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


# Opening


def _check_chair(actor: User, ward: Ward) -> None:
    if not can_chair_ward(actor, ward):
        raise PrioritiesError(ERROR_NOT_CHAIR)


def _check_meeting(meeting: Event, ward: Ward) -> None:
    panel = meeting.panel
    if meeting.kind != Event.Kind.PACT_MEETING or panel is None:
        raise PrioritiesError(ERROR_NOT_MEETING)
    # From the meeting's start (recorded as held or not yet), or afterwards from the paper record.
    if meeting.status not in (Event.Status.SCHEDULED, Event.Status.HELD):
        raise PrioritiesError(ERROR_MEETING_OFF)
    if meeting.starts_at > timezone.now():
        raise PrioritiesError(ERROR_NOT_STARTED)
    if not panel.wards.filter(pk=ward.pk).exists() or not meeting.wards.filter(pk=ward.pk).exists():
        raise PrioritiesError(ERROR_WARD_NOT_SERVED)
    if Ballot.objects.filter(meeting=meeting, ward=ward).exclude(status=Ballot.Status.CANCELLED).exists():
        raise PrioritiesError(ERROR_BALLOT_EXISTS)
    if Ballot.objects.filter(ward=ward, status=Ballot.Status.OPEN).exists():
        raise PrioritiesError(ERROR_BALLOT_OPEN_FOR_WARD)


def option_title(text: str) -> str:
    """A concern's description as an option or priority title: its first sentence, at most 200 characters."""
    text = " ".join(text.split())
    for end in (". ", "! ", "? "):
        if end in text:
            text = text[: text.index(end) + 1]
    return text if len(text) <= 200 else text[:199].rstrip() + "…"


def _options_for(ballot: Ballot) -> list[BallotOption]:
    concerns = Concern.objects.filter(
        ward=ballot.ward, status=Concern.Status.SHORTLISTED, shortlisted_for=ballot.meeting
    ).order_by("created_at", "pk")
    priorities = Priority.objects.filter(ward=ballot.ward, status__in=Priority.ACTIVE_STATUSES).order_by("slot")
    options = [
        BallotOption(ballot=ballot, priority=p, title=p.title, category_id=p.category_id) for p in priorities
    ] + [
        BallotOption(ballot=ballot, concern=c, title=option_title(c.description), category_id=c.category_id)
        for c in concerns
    ]
    return options


def ballot_open(*, actor: User, meeting: Event, ward: Ward, method: str) -> Ballot:
    """Open the ballot of ``ward`` at a PACT meeting of a panel serving it, once it has started
    (during the meeting, or afterwards from the paper record).

    Only its chair (or an administrator) may; one ballot per meeting and ward, one open ballot
    per ward. The options are the ward's concerns shortlisted for this meeting and its active
    priorities, which are up for review; with neither there is nothing to vote on.
    """
    _check_chair(actor, ward)
    _check_meeting(meeting, ward)
    with transaction.atomic():
        ballot = Ballot(meeting=meeting, ward=ward, method=method, opened_by=actor)
        ballot.full_clean(validate_constraints=False)
        options = _options_for(ballot)
        if not options:
            raise PrioritiesError(ERROR_NO_OPTIONS)
        try:
            with transaction.atomic():
                ballot.save()
        except IntegrityError as error:
            raise PrioritiesError(ERROR_BALLOT_EXISTS) from error
        BallotOption.objects.bulk_create(options)
        audit_record(
            actor=actor,
            action="priorities.ballot.opened",
            target=ballot,
            data={"after": {"meeting": meeting.pk, "ward": ward.code, "method": method, "options": len(options)}},
        )
    return ballot


# Putting an open ballot right


def _lock_before_votes(ballot: Ballot) -> Ballot:
    """The ballot, locked against a vote arriving at once, refused unless open with no vote yet."""
    locked = Ballot.objects.select_for_update().select_related("meeting", "ward").get(pk=ballot.pk)
    if locked.status != Ballot.Status.OPEN:
        raise PrioritiesError(ERROR_CLOSED)
    if locked.people_voting is not None or locked.votes.exists():
        raise PrioritiesError(ERROR_OPTIONS_AFTER_VOTE)
    return locked


def _new_option(ballot: Ballot, concern: Concern | None, priority: Priority | None) -> BallotOption:
    if concern is not None and priority is None:
        eligible = concern.ward_id == ballot.ward_id and concern.status in (
            Concern.Status.ACCEPTED,
            Concern.Status.SHORTLISTED,
        )
        if not eligible:
            raise PrioritiesError(ERROR_OPTION_NOT_ELIGIBLE)
        return BallotOption(
            ballot=ballot, concern=concern, title=option_title(concern.description), category_id=concern.category_id
        )
    if priority is not None and concern is None:
        if priority.ward_id != ballot.ward_id or priority.status not in Priority.ACTIVE_STATUSES:
            raise PrioritiesError(ERROR_OPTION_NOT_ELIGIBLE)
        return BallotOption(ballot=ballot, priority=priority, title=priority.title, category_id=priority.category_id)
    raise ValueError("add either a concern or a priority")


def ballot_option_add(
    *, actor: User, ballot: Ballot, concern: Concern | None = None, priority: Priority | None = None
) -> BallotOption:
    """Add an option to an open ballot before its first vote: one of the ward's accepted or
    shortlisted concerns (shortlisted for this meeting by being added) or a current priority."""
    _check_chair(actor, ballot.ward)
    with transaction.atomic():
        ballot = _lock_before_votes(ballot)
        option = _new_option(ballot, concern, priority)
        if ballot.options.filter(concern=concern, priority=priority).exists():
            raise PrioritiesError(ERROR_OPTION_ALREADY)
        option.full_clean(validate_constraints=False)
        option.save()
        if concern is not None:
            concern.status, concern.shortlisted_for = Concern.Status.SHORTLISTED, ballot.meeting
            concern.save(update_fields=["status", "shortlisted_for"])
        after = {"option": option.pk, "concern": option.concern_id, "priority": option.priority_id}
        audit_record(actor=actor, action="priorities.ballot.option_added", target=ballot, data={"after": after})
    return option


def ballot_option_remove(*, actor: User, ballot: Ballot, option: BallotOption) -> Ballot:
    """Remove an option from an open ballot before its first vote; at least one option stays.

    A removed concern stays shortlisted: it is simply not voted on in this ballot."""
    _check_chair(actor, ballot.ward)
    with transaction.atomic():
        ballot = _lock_before_votes(ballot)
        if option.ballot_id != ballot.pk:
            raise PrioritiesError(ERROR_CHOICE_NOT_IN_BALLOT)
        if ballot.options.count() <= 1:
            raise PrioritiesError(ERROR_LAST_OPTION)
        before = {
            "option": option.pk,
            "title": option.title,
            "concern": option.concern_id,
            "priority": option.priority_id,
        }
        option.delete()
        audit_record(actor=actor, action="priorities.ballot.option_removed", target=ballot, data={"before": before})
    return ballot


def ballot_cancel(*, actor: User, ballot: Ballot, reason: str) -> Ballot:
    """Cancel an open ballot with a reason shown on its public page; a new one can then be opened
    at the same meeting. Votes recorded in it are kept with it, and count for nothing."""
    _check_chair(actor, ballot.ward)
    reason = reason.strip()
    if not reason:
        raise PrioritiesError(ERROR_CANCEL_REASON)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("ward").get(pk=ballot.pk)
        if ballot.status != Ballot.Status.OPEN:
            raise PrioritiesError(ERROR_CLOSED)
        ballot.status, ballot.cancellation_reason = Ballot.Status.CANCELLED, reason
        ballot.cancelled_at, ballot.cancelled_by = timezone.now(), actor
        ballot.full_clean(validate_constraints=False)
        ballot.save(update_fields=["status", "cancellation_reason", "cancelled_at", "cancelled_by"])
        audit_record(
            actor=actor,
            action="priorities.ballot.cancelled",
            target=ballot,
            data={"before": {"status": "open"}, "after": {"status": "cancelled", "reason": reason}},
        )
    return ballot


# Recording votes


def _lock_open(ballot: Ballot, method: str) -> Ballot:
    """The ballot, locked against a concurrent close, refused unless open and run by ``method``."""
    locked = Ballot.objects.select_for_update().select_related("meeting", "ward").get(pk=ballot.pk)
    if locked.status != Ballot.Status.OPEN:
        raise PrioritiesError(ERROR_CLOSED)
    if locked.method != method:
        raise PrioritiesError(ERROR_WRONG_METHOD)
    return locked


def _check_voter(ballot: Ballot, member: PanelMember) -> None:
    if member.panel_id != ballot.meeting.panel_id:
        raise PrioritiesError(ERROR_NOT_MEMBER)
    day = timezone.localdate(ballot.meeting.starts_at)
    if member.started_on > day or (member.ended_on is not None and member.ended_on < day):
        raise PrioritiesError(ERROR_NOT_ACTIVE_MEMBER)
    if not EventAttendance.objects.filter(event=ballot.meeting_id, member=member).exists():
        raise PrioritiesError(ERROR_NOT_PRESENT)


def _check_choices(ballot: Ballot, options: Sequence[BallotOption]) -> None:
    if not 1 <= len(options) <= PLACES:
        raise PrioritiesError(ERROR_CHOICE_COUNT)
    if len({option.pk for option in options}) != len(options):
        raise PrioritiesError(ERROR_CHOICE_REPEATED)
    if any(option.ballot_id != ballot.pk for option in options):
        raise PrioritiesError(ERROR_CHOICE_NOT_IN_BALLOT)


def ballot_vote_record(*, actor: User, ballot: Ballot, member: PanelMember, options: Sequence[BallotOption]) -> Vote:
    """Record one panel member's vote: 1–3 distinct options of an open ballot.

    The member must be on the meeting's panel on its date and recorded present. The
    database's one-vote-per-member constraint refuses a second vote, however many
    submissions arrive at once; that refusal becomes a clear message.
    """
    _check_chair(actor, ballot.ward)
    with transaction.atomic():
        ballot = _lock_open(ballot, Ballot.Method.MEMBERS)
        _check_voter(ballot, member)
        _check_choices(ballot, options)
        vote = Vote(ballot=ballot, member=member, recorded_by=actor)
        # The unique constraint is left to the database: a check here would race with a twin request.
        vote.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                vote.save()
        except IntegrityError as error:
            raise PrioritiesError(ERROR_ALREADY_VOTED) from error
        vote.choices.bulk_create(
            [vote.choices.model(vote=vote, option=option, rank=rank) for rank, option in enumerate(options, start=1)]
        )
        audit_record(
            actor=actor,
            action="priorities.vote.recorded",
            target=vote,
            data={"after": {"ballot": ballot.pk, "member": member.pk, "options": [o.pk for o in options]}},
        )
    return vote


def _check_hands(options: list[BallotOption], people_voting: int, counts: Mapping[int, int]) -> None:
    if people_voting < 1:
        raise PrioritiesError(ERROR_PEOPLE_VOTING)
    if any(option.pk not in counts for option in options):
        raise PrioritiesError(ERROR_HANDS_MISSING)
    values = [counts[option.pk] for option in options]
    if any(value < 0 for value in values):
        raise PrioritiesError(ERROR_HANDS_NEGATIVE)
    if any(value > people_voting for value in values):
        raise PrioritiesError(ERROR_HANDS_OVER)
    if sum(values) > people_voting * PLACES:
        raise PrioritiesError(ERROR_HANDS_TOTAL)


def ballot_hands_record(*, actor: User, ballot: Ballot, people_voting: int, counts: Mapping[int, int]) -> Ballot:
    """Record a show of hands: how many people voted and a count for every option (by option id).

    No count can exceed the people voting. Recording again while the ballot is open replaces
    the counts (a recount); both are audited.
    """
    _check_chair(actor, ballot.ward)
    with transaction.atomic():
        ballot = _lock_open(ballot, Ballot.Method.SHOW_OF_HANDS)
        options = list(ballot.options.all())
        _check_hands(options, people_voting, counts)
        before = {"people_voting": ballot.people_voting, "counts": {o.pk: o.hands for o in options}}
        ballot.people_voting = people_voting
        ballot.full_clean(validate_constraints=False)
        ballot.save(update_fields=["people_voting"])
        for option in options:
            option.hands = counts[option.pk]
        BallotOption.objects.bulk_update(options, ["hands"])
        after = {"people_voting": people_voting, "counts": {o.pk: o.hands for o in options}}
        audit_record(
            actor=actor,
            action="priorities.ballot.hands_recorded",
            target=ballot,
            data={"before": before, "after": after},
        )
    return ballot


# Counting, the casting vote and closing


def ballot_casting_vote(*, actor: User, ballot: Ballot, options: Sequence[BallotOption]) -> Ballot:
    """Record the chair's casting vote: which of the options tied for the last places take them.

    Only while a tie for a place is undecided by the votes, and exactly as many options as
    there are places in dispute. A later recount that changes the tie makes it count no more.
    """
    _check_chair(actor, ballot.ward)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("ward").get(pk=ballot.pk)
        if ballot.status != Ballot.Status.OPEN:
            raise PrioritiesError(ERROR_CLOSED)
        tie = tally(ballot_votes(ballot)).tie
        if tie is None:
            raise PrioritiesError(ERROR_NO_TIE)
        chosen = {option.pk for option in options}
        if not chosen <= set(tie.options):
            raise PrioritiesError(ERROR_CASTING_NOT_TIED)
        if len(chosen) != len(tie.places):
            raise PrioritiesError(str(ERROR_CASTING_COUNT).format(places=len(tie.places)))
        before = list(ballot.options.filter(casting_vote=True).values_list("pk", flat=True))
        ballot.options.exclude(pk__in=chosen).update(casting_vote=False)
        ballot.options.filter(pk__in=chosen).update(casting_vote=True)
        ballot.casting_vote_by = actor
        ballot.save(update_fields=["casting_vote_by"])
        audit_record(
            actor=actor,
            action="priorities.ballot.casting_vote",
            target=ballot,
            data={"before": before, "after": sorted(chosen), "tied": list(tie.options)},
        )
    return ballot


def _has_votes(ballot: Ballot) -> bool:
    if ballot.method == Ballot.Method.SHOW_OF_HANDS:
        return ballot.people_voting is not None
    return ballot.votes.exists()


def _check_closable(ballot: Ballot, result: Tally, titles: Mapping[int, str]) -> None:
    if not _has_votes(ballot):
        raise PrioritiesError(ERROR_NO_VOTES)
    if result.tie is not None:
        names = _join([titles[pk] for pk in result.tie.options])
        raise PrioritiesError(str(ERROR_TIE_UNDECIDED).format(places=places_label(result.tie.places), options=names))


def _record_tally(ballot: Ballot, options: list[BallotOption], votes: Mapping[int, int], result: Tally) -> None:
    for option in options:
        option.votes = votes[option.pk]
        option.position = result.positions.get(option.pk)
        option.casting_vote = option.pk in result.casting_used
    BallotOption.objects.bulk_update(options, ["votes", "position", "casting_vote"])


def _adopt(ballot: Ballot, actor: User, winners: list[BallotOption]) -> dict[str, list[int]]:
    """Carry over the previous priorities that won, close the rest, adopt the winning concerns."""
    meeting, day = ballot.meeting, timezone.localdate(ballot.meeting.starts_at)
    active = list(Priority.objects.select_for_update().filter(ward=ballot.ward, status__in=Priority.ACTIVE_STATUSES))
    kept = {option.priority_id for option in winners if option.priority_id}
    for priority in active:
        if priority.pk in kept:
            priority.last_reviewed_at = meeting
            priority.save(update_fields=["last_reviewed_at"])
        else:
            priority.status, priority.ended_on, priority.ended_at = Priority.Status.CLOSED, day, meeting
            priority.outcome = CLOSED_OUTCOME.format(date=f"{day.day} {day:%B %Y}")
            priority.full_clean(validate_constraints=False)
            priority.save(update_fields=["status", "ended_on", "ended_at", "outcome"])
            if priority.concern_id:
                _history_once(
                    concern=priority.concern_id,
                    kind=ConcernEvent.Kind.CLOSED,
                    priority=priority,
                    text=priority.outcome,
                )
    free = [slot for slot in Priority.SLOTS if slot not in {p.slot for p in active if p.pk in kept}]
    adopted, chosen = [], set()
    set_aside = _set_aside_by_reopening(ballot)
    for option, slot in zip((o for o in winners if o.concern_id), free, strict=False):
        adopted.append(_adopt_concern(ballot, option, slot, day, set_aside).pk)
        chosen.add(option.pk)
    # The shortlisted concerns that lost (or won a place already held) hear they were not chosen.
    for option in ballot.options.exclude(pk__in=chosen):
        if option.concern_id is None:
            continue
        _history_once(
            concern=option.concern_id,
            kind=ConcernEvent.Kind.NOT_CHOSEN,
            ballot=ballot,
            meeting=meeting,
            votes=option.votes,
        )
    return {
        "carried_over": sorted(kept & {p.pk for p in active}),
        "closed": [p.pk for p in active if p.pk not in kept],
        "adopted": adopted,
    }


def _history_once(*, concern: int, kind: str, **fields) -> None:
    """A step of the concern's history, unless a reopened ballot's first close already told it."""
    keys = {name: fields[name] for name in ("ballot", "priority") if name in fields}
    if not ConcernEvent.objects.filter(concern_id=concern, kind=kind, **keys).exists():
        concern_history_add(concern=concern, kind=kind, **fields)


def _set_aside_by_reopening(ballot: Ballot) -> dict[int, Priority]:
    """The priorities this ballot adopted before it was reopened, by concern: adopted again, they come back."""
    ids = [pk for changes in ballot.reopenings.values_list("changes", flat=True) for pk in changes.get("set_aside", [])]
    found = Priority.objects.filter(pk__in=ids, status=Priority.Status.CLOSED).select_for_update()
    return {priority.concern_id: priority for priority in found if priority.concern_id}


def _adopt_concern(ballot: Ballot, option: BallotOption, slot: int, day, set_aside: Mapping[int, Priority]) -> Priority:
    """A new priority from a winning concern, titled for now by the option (the chair gives it a
    short title on the adoption page), with the resident's words as its description."""
    concern = option.concern
    if concern is None:
        raise ValueError("only a concern's option is adopted as a new priority")
    priority = set_aside.get(concern.pk)
    if priority is not None:
        priority.slot, priority.status, priority.ended_on, priority.outcome = slot, Priority.Status.CURRENT, None, ""
        priority.full_clean(validate_constraints=False)
        priority.save(update_fields=["slot", "status", "ended_on", "outcome"])
    else:
        priority = Priority(
            ward=ballot.ward,
            slot=slot,
            title=option.title,
            # The public words, as moderation left them (never original_description).
            description=concern.description,
            category_id=option.category_id,
            concern=concern,
            agreed_on=day,
            agreed_at=ballot.meeting,
        )
        priority.full_clean(validate_constraints=False)
        priority.save()
    concern.status = Concern.Status.ADOPTED
    concern.save(update_fields=["status"])
    _history_once(
        concern=concern.pk, kind=ConcernEvent.Kind.ADOPTED, priority=priority, ballot=ballot, meeting=ballot.meeting
    )
    return priority


def ballot_close(*, actor: User, ballot: Ballot) -> Ballot:
    """Close the ballot and adopt its top three as the ward's priorities, all in one transaction.

    Refused while a tie for a place is undecided (naming the tied options) and before any
    vote is recorded. Options without votes never win: fewer than three leaves places empty.
    """
    _check_chair(actor, ballot.ward)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("meeting", "ward").get(pk=ballot.pk)
        if ballot.status != Ballot.Status.OPEN:
            raise PrioritiesError(ERROR_CLOSED)
        options = list(ballot.options.select_related("concern").order_by("pk"))
        votes = ballot_votes(ballot)
        result = tally(votes, frozenset(option.pk for option in options if option.casting_vote))
        _check_closable(ballot, result, {option.pk: option.title for option in options})
        _record_tally(ballot, options, votes, result)
        winners = sorted((o for o in options if o.position), key=lambda o: o.position or 0)
        changes = _adopt(ballot, actor, winners)
        ballot.status, ballot.closed_at, ballot.closed_by = Ballot.Status.CLOSED, timezone.now(), actor
        if not result.casting_used:
            ballot.casting_vote_by = None
        ballot.full_clean(validate_constraints=False)
        ballot.save(update_fields=["status", "closed_at", "closed_by", "casting_vote_by"])
        after = {"votes": votes, "positions": result.positions, **changes}
        audit_record(
            actor=actor,
            action="priorities.ballot.closed",
            target=ballot,
            data={"before": {"status": "open"}, "after": after},
        )
    return ballot
