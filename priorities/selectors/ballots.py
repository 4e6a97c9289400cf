"""Reads of ballots: the chair's ballot page, the meetings a ballot can be opened at, the public result."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.roles import AnyUser, is_administrator
from priorities.ballot_counting import Tally, Tie, places_label, tally
from priorities.models import Ballot, BallotOption, BallotReopening, Concern, Event, PanelMember, Priority, Vote
from priorities.scopes import chaired_panel_ids

# What the public result says in place of a concern's words once the concern is not taken forward.
WITHHELD_OPTION = _("A concern the neighbourhood team later did not take forward")


def meetings_for_ballots(user: AnyUser) -> QuerySet[Event]:
    """PACT meetings of the panels the user chairs (every panel for administrators) that have
    started and were not cancelled or moved, latest first."""
    meetings = Event.objects.filter(
        kind=Event.Kind.PACT_MEETING,
        status__in=(Event.Status.SCHEDULED, Event.Status.HELD),
        starts_at__lte=timezone.now(),
    )
    if not is_administrator(user):
        meetings = meetings.filter(panel_id__in=chaired_panel_ids(user))
    ballots = Ballot.objects.select_related("ward").order_by("ward__name")
    return (
        meetings.select_related("panel")
        .prefetch_related("wards", Prefetch("ballots", queryset=ballots))
        .order_by("-starts_at")
    )


def meeting_for_ballot(pk: int) -> QuerySet[Event]:
    return Event.objects.filter(pk=pk, kind=Event.Kind.PACT_MEETING).select_related("panel")


def ballot_for_page(pk: int) -> QuerySet[Ballot]:
    """The ballot with its meeting, panel and ward, and how many members have voted."""
    return (
        Ballot.objects.filter(pk=pk)
        .select_related("meeting__panel", "ward", "casting_vote_by")
        .annotate(members_voting=Count("votes"))
    )


def _options_counted(ballot: Ballot) -> QuerySet[BallotOption]:
    """The ballot's options in order, each with its votes so far as ``count``: how many members
    chose it, or its show-of-hands count. The one place votes per option are counted."""
    count = Count("choices") if ballot.method == Ballot.Method.MEMBERS else Coalesce("hands", 0)
    return BallotOption.objects.filter(ballot=ballot).annotate(count=count).order_by("pk")


def ballot_options_counted(ballot: Ballot) -> list[BallotOption]:
    """The options with their category and their votes so far as ``count``, for the chair's page."""
    return list(_options_counted(ballot).select_related("category"))


def ballot_votes(ballot: Ballot) -> dict[int, int]:
    """Votes so far per option id, in the options' order, for counting (see ballot_counting.tally)."""
    # django-stubs does not carry the ``count`` annotation through the helper's return type.
    return dict(_options_counted(ballot).values_list("pk", "count"))  # type: ignore[misc]


def ballot_tally(ballot: Ballot) -> Tally:
    """The ballot's current tally, applying the chair's casting vote where it settles a tie."""
    casting = frozenset(ballot.options.filter(casting_vote=True).values_list("pk", flat=True))
    return tally(ballot_votes(ballot), casting)


def current_tie(options: list[BallotOption]) -> Tie | None:
    """The tie for a place the chair must decide now, from counted options (see ballot_options_counted)."""
    return tally({option.pk: option.count for option in options}).tie  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Counting:
    """How far counting has gone: votes recorded (people voting, for a show of hands) against
    members present, and whether every vote is in, so a tie is only announced once it is real."""

    recorded: int
    present: int
    complete: bool

    @property
    def differs(self) -> bool:
        return self.recorded != self.present


def ballot_counting(ballot: Ballot, members: Sequence[PanelMember]) -> Counting:
    """Votes recorded against ``members`` (members_present): complete once every member present
    has voted, or once a show of hands is counted."""
    if ballot.method == Ballot.Method.SHOW_OF_HANDS:
        hands = ballot.people_voting
        return Counting(recorded=hands or 0, present=len(members), complete=hands is not None)
    voted = sum(1 for member in members if getattr(member, "has_voted", False))
    # ballot_for_page annotates the count; another ballot is counted here.
    annotated: int | None = getattr(ballot, "members_voting", None)
    recorded = ballot.votes.count() if annotated is None else annotated
    return Counting(recorded=recorded, present=len(members), complete=bool(members) and voted == len(members))


def option_candidates(ballot: Ballot) -> list[tuple[str, str]]:
    """What the chair may add to the ballot before its first vote, as (value, label): the ward's
    accepted or shortlisted concerns and its current priorities not on the ballot yet."""
    on_ballot = ballot.options.values_list("concern_id", "priority_id")
    concern_ids = {concern for concern, _priority in on_ballot if concern}
    priority_ids = {priority for _concern, priority in on_ballot if priority}
    priorities = Priority.objects.filter(ward=ballot.ward_id, status__in=Priority.ACTIVE_STATUSES)
    concerns = Concern.objects.filter(
        ward=ballot.ward_id, status__in=(Concern.Status.ACCEPTED, Concern.Status.SHORTLISTED)
    )
    return [
        (f"priority:{p.pk}", f"Current priority: {p.title}")
        for p in priorities.exclude(pk__in=priority_ids).order_by("slot")
    ] + [
        (f"concern:{c.pk}", f"{c.reference}: {Truncator(' '.join(c.description.split())).chars(100)}")
        for c in concerns.exclude(pk__in=concern_ids).order_by("created_at", "pk")
    ]


def members_present(ballot: Ballot) -> QuerySet[PanelMember]:
    """Members of the panel on the meeting's date recorded present, each with whether they have voted."""
    day = timezone.localdate(ballot.meeting.starts_at)
    return (
        PanelMember.objects.filter(panel=ballot.meeting.panel_id, attendance__event=ballot.meeting_id)
        .filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .annotate(has_voted=Exists(Vote.objects.filter(ballot=ballot, member=OuterRef("pk"))))
        .order_by("name")
    )


def votes_recorded(ballot: Ballot) -> QuerySet[Vote]:
    """The votes recorded, each with the member and their choices in rank order."""
    return (
        Vote.objects.filter(ballot=ballot)
        .select_related("member")
        .prefetch_related("choices__option")
        .order_by("member__name")
    )


@dataclass(frozen=True)
class Result:
    options: list[BallotOption]
    adopted: list[BallotOption]
    tie_places: str
    casting_chair: str


def _chair_name(ballot: Ballot, user: User | None) -> str:
    if user is None:
        return ""
    name = (
        PanelMember.objects.filter(panel=ballot.meeting.panel_id, user=user, role=PanelMember.Role.CHAIR)
        .order_by("-started_on")
        .values_list("name", flat=True)
        .first()
    )
    return name or user.get_full_name() or "the chair"


def ballot_result(ballot: Ballot) -> Result:
    """A closed ballot's public result: every option with votes and place, and who decided a tie."""
    options: list[BallotOption] = list(
        BallotOption.objects.filter(ballot=ballot)
        .select_related("category")
        .annotate(concern_status=F("concern__status"))
        .order_by(F("position").asc(nulls_last=True), "-votes", "pk")
    )
    for option in options:
        # A concern that lost the vote may later be rejected (it stays shortlisted until then):
        # its words, which the option's title repeats, are then never shown again (issue 13).
        if getattr(option, "concern_status", None) == Concern.Status.REJECTED:
            option.title = str(WITHHELD_OPTION)
    tie = tally({option.pk: option.votes or 0 for option in options}).tie
    decided = tie is not None and ballot.casting_vote_by_id is not None
    return Result(
        options=options,
        adopted=[option for option in options if option.position],
        tie_places=places_label(tie.places) if decided and tie else "",
        casting_chair=_chair_name(ballot, ballot.casting_vote_by) if decided else "",
    )


def adopted_priorities(ballot: Ballot) -> QuerySet[Priority]:
    """The ward's active priorities this ballot adopted from its concerns, for the adoption page."""
    concerns = BallotOption.objects.filter(ballot=ballot, concern__isnull=False).values("concern_id")
    return (
        Priority.objects.filter(
            ward=ballot.ward_id,
            agreed_at=ballot.meeting_id,
            concern__in=concerns,
            status__in=Priority.ACTIVE_STATUSES,
        )
        .select_related("concern", "lead_officer", "plan_priority")
        .prefetch_related("partners")
        .order_by("slot")
    )


@dataclass(frozen=True)
class Reopened:
    """A confirmed reopening as the public result tells it."""

    reopening: BallotReopening
    asked_by: str
    confirmed_by: str


def _person(ballot: Ballot, user: User | None, side: str) -> str:
    if user is None:
        return ""
    if side == BallotReopening.Side.CHAIR:
        return f"the chair, {_chair_name(ballot, user)}"
    officer = getattr(user, "officer", None)
    return str(officer) if officer is not None else user.get_full_name() or "a supervisor of the team"


def ballot_reopenings(ballot: Ballot) -> list[Reopened]:
    """The ballot's confirmed reopenings, oldest first, each with who asked and who confirmed."""
    confirmed = (
        BallotReopening.objects.filter(ballot=ballot, confirmed_at__isnull=False)
        .select_related("requested_by__officer", "confirmed_by__officer")
        .order_by("confirmed_at")
    )
    rows = []
    for reopening in confirmed:
        other = (
            BallotReopening.Side.SUPERVISOR
            if reopening.requested_side == BallotReopening.Side.CHAIR
            else BallotReopening.Side.CHAIR
        )
        rows.append(
            Reopened(
                reopening=reopening,
                asked_by=_person(ballot, reopening.requested_by, reopening.requested_side),
                confirmed_by=_person(ballot, reopening.confirmed_by, other),
            )
        )
    return rows
