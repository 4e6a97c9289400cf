"""Demo data for the PACT cycle: every ward gets a realistic, fictional history.

For each neighbourhood team a PACT panel serves its wards, with a chair and members (all
fictional). Last month's meeting was held: concerns were shortlisted, the members voted and
the ballot closed, so every ward has its top three. Next month's meeting is scheduled.
Everything goes through the services, so the rules and the audit trail are the real ones.
Deterministic: the same team always gets the same people, concerns and votes.
"""

import datetime
import hashlib
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from priorities.models import (
    Ballot,
    Category,
    Concern,
    Event,
    Panel,
    PanelMember,
    PartnerAgency,
    PartnerUser,
    PlanPriority,
    ProgressEntry,
)
from priorities.selectors.ballots import ballot_tally
from priorities.services import ballots, concerns, events, priorities, progress
from wards.models import NeighbourhoodTeam, Officer, Ward

UK = ZoneInfo("Europe/London")
PLAN = "Making Kent Safer 2022–25"
# The seven priorities of the Kent Police and Crime Commissioner's plan for 2022–25.
PLAN_PRIORITIES = (
    "Prevent crime and anti-social behaviour",
    "Tackle violence against women and girls",
    "Protect people from exploitation and abuse",
    "Combat organised crime and county lines",
    "Be visible and responsive to the needs of communities",
    "Prevent road danger and support Vision Zero",
    "Deliver an efficient and accessible service",
)
PLAN_FOR_CATEGORY = {
    "speeding": 5,
    "parking": 5,
    "drugs": 3,
    "violent-crime": 1,
    "possession-of-weapons": 3,
    "other-theft": 0,
    "burglary": 0,
    "vehicle-crime": 0,
}
LOADER = "demo-data-loader"
FIRST_NAMES = (
    "Aisha", "Bernard", "Carol", "Deepak", "Eileen", "Frank", "Gurpreet", "Helen", "Ian", "Joyce",
    "Kwame", "Linda", "Malcolm", "Nadia", "Owen", "Pauline", "Rajesh", "Sandra", "Trevor", "Valerie",
)  # fmt: skip
LAST_NAMES = (
    "Ashdown", "Brennan", "Chowdhury", "Dunmore", "Elliott", "Fairweather", "Goodall", "Harker",
    "Iqbal", "Jennings", "Kettle", "Lowther", "Mensah", "Norbury", "Okafor", "Pickering",
)  # fmt: skip
CONCERNS = (
    (
        "anti-social-behaviour",
        "Nuisance at the play area at night",
        "Young people gathering at the play area late at night, shouting and leaving litter.",
    ),
    (
        "speeding",
        "Speeding past the primary school",
        "Cars speeding along the main road past the primary school at drop-off and pick-up times.",
    ),
    (
        "parking",
        "Pavement parking by the shops",
        "Vans parked on the pavement near the shops, forcing people with pushchairs into the road.",
    ),
    (
        "drugs",
        "Drug dealing behind the community centre",
        "Suspected drug dealing from cars in the car park behind the community centre.",
    ),
    (
        "street-drinking",
        "Street drinking by the church",
        "Street drinking on the benches by the church, with bottles left behind.",
    ),
    (
        "off-road-bikes",
        "Off-road bikes on the playing fields",
        "Off-road motorbikes ridden across the playing fields and along the footpaths.",
    ),
    (
        "burglary",
        "Shed and garage break-ins",
        "A run of shed and garage break-ins on the estate in recent weeks.",
    ),
    (
        "vehicle-crime",
        "Catalytic converter thefts",
        "Catalytic converters stolen from cars parked on the street overnight.",
    ),
    (
        "criminal-damage-arson",
        "Graffiti and damage by the station alleyway",
        "Graffiti and broken fences along the alleyway to the station.",
    ),
    (
        "fly-tipping",
        "Fly-tipping in the lay-by",
        "Rubbish and mattresses dumped in the lay-by on the edge of the village.",
    ),
)


@dataclass
class DemoResult:
    panels: int = 0
    ballots: int = 0
    priorities: int = 0
    skipped: int = 0


def _rng(*parts: str) -> random.Random:
    return random.Random(hashlib.sha256("|".join(parts).encode()).hexdigest())  # noqa: S311 - demo data, not security


def _loader() -> User:
    """The administrator the demo history is recorded as (it cannot sign in)."""
    user, created = User.objects.get_or_create(username=LOADER, defaults={"first_name": "Demo data"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
    return user


def plan_and_partners() -> None:
    """The plan's priorities, and one partner agency per district plus the county-wide ones."""
    for position, name in enumerate(PLAN_PRIORITIES):
        PlanPriority.objects.get_or_create(plan=PLAN, name=name, defaults={"position": position})
    for name, kind in (
        ("Kent Fire and Rescue Service", PartnerAgency.Kind.FIRE),
        ("Kent County Council Community Wardens", PartnerAgency.Kind.COUNCIL),
        ("Probation Service (Kent)", PartnerAgency.Kind.PROBATION),
    ):
        PartnerAgency.objects.get_or_create(name=name, defaults={"kind": kind})


def _meeting_time(months_from_now: int) -> datetime.datetime:
    """7pm UK time on the second Tuesday of a month relative to this one."""
    today = timezone.localdate()
    year, month = divmod(today.month - 1 + months_from_now, 12)
    first = datetime.date(today.year + year, month + 1, 1)
    second_tuesday = first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)
    return datetime.datetime.combine(second_tuesday, datetime.time(19), tzinfo=UK)


def _panel(team: NeighbourhoodTeam, chair_user: User) -> Panel:
    rng = _rng(team.slug, "panel")
    panel = Panel.objects.create(name=f"{team.name} PACT panel")
    panel.wards.set(team.wards.all())
    started = datetime.date(2024, rng.randint(1, 12), 1)
    PanelMember.objects.create(
        panel=panel, name=chair_user.get_full_name(), kind=PanelMember.Kind.RESIDENT,
        role=PanelMember.Role.CHAIR, user=chair_user, started_on=started,
    )  # fmt: skip
    kinds = [PanelMember.Kind.RESIDENT] * 3 + [PanelMember.Kind.COUNCILLOR, PanelMember.Kind.PARTNER]
    for kind in kinds[: rng.randint(4, 5)]:
        PanelMember.objects.create(
            panel=panel, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", kind=kind, started_on=started,
            organisation=f"{team.district.name} Council" if kind != PanelMember.Kind.RESIDENT else "",
        )  # fmt: skip
    return panel


def _chair_user(team: NeighbourhoodTeam, first: bool) -> User:
    """The demo chair account (of create_demo_staff) chairs the first panel; every other
    panel's chair has an account that cannot sign in."""
    rng = _rng(team.slug, "chair")
    demo_chair = User.objects.filter(username="demo-chair").first() if first else None
    user, created = (
        (demo_chair, False)
        if demo_chair
        else User.objects.get_or_create(
            username=f"chair-{team.slug}"[:150],
            defaults={"first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES)},
        )
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.first_name:
        user.first_name, user.last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user.save(update_fields=["first_name", "last_name"])
    user.groups.add(Group.objects.get_or_create(name=Role.CHAIR)[0])
    return user


def _schedule(loader: User, panel: Panel, team: NeighbourhoodTeam, months: int) -> Event:
    starts_at = _meeting_time(months)
    ward = team.wards.order_by("name").first()
    return events.event_schedule(
        actor=loader, system=True, kind=Event.Kind.PACT_MEETING, title=f"{team.name} PACT meeting",
        ward_ids=list(team.wards.values_list("pk", flat=True)), panel_id=panel.pk,
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=90),
        venue=f"{ward.name} Community Hall (demo venue)", address=f"Fictional address in {ward.name}",
        accessibility_notes="Step-free access and a hearing loop. Tell the team if you need anything else.",
    )  # fmt: skip


def _hold(loader: User, meeting: Event, panel: Panel) -> None:
    rng = _rng(str(panel.name), "held")
    events.event_record_held(
        actor=loader, system=True, event_id=meeting.pk, member_ids=list(panel.members.values_list("pk", flat=True)),
        residents_attending=rng.randint(8, 30),
        minutes="The panel heard residents' concerns and the team's report, then voted on the priorities.",
    )  # fmt: skip


def _shortlist(loader: User, meeting: Event, ward, categories: dict[str, Category]) -> None:
    rng = _rng(ward.code, "concerns")
    for slug, _title, description in rng.sample(CONCERNS, rng.randint(4, 5)):
        concern = concerns.concern_record(
            actor=loader, ward=ward, category=categories[slug], description=description,
            source=Concern.Source.MEETING, raised_at_event=meeting,
        )  # fmt: skip
        # Back-dated to the meeting it was raised at: this is history, made today.
        Concern.objects.filter(pk=concern.pk).update(created_at=meeting.starts_at)
        concerns.concern_shortlist(actor=loader, concern=concern, meeting=meeting)


def _vote(loader: User, meeting: Event, ward, chair: User) -> Ballot:
    rng = _rng(ward.code, "votes")
    ballot = ballots.ballot_open(actor=loader, meeting=meeting, ward=ward, method=Ballot.Method.MEMBERS)
    options = list(ballot.options.all())
    for member in meeting.panel.members.order_by("pk"):
        ballots.ballot_vote_record(actor=loader, ballot=ballot, member=member, options=rng.sample(options, 3))
    tie = ballot_tally(ballot).tie
    if tie is not None:
        tied = [option for option in options if option.pk in tie.options]
        ballots.ballot_casting_vote(actor=chair, ballot=ballot, options=rng.sample(tied, len(tie.places)))
    ballot = ballots.ballot_close(actor=loader, ballot=ballot)
    # Closed on the evening of the meeting: this is history, made today.
    Ballot.objects.filter(pk=ballot.pk).update(closed_at=meeting.ends_at)
    return ballot


def _assign(loader: User, ward, team: NeighbourhoodTeam) -> int:
    """Give each new priority a lead officer, the plan priority it serves and its district council."""
    officers = list(Officer.objects.filter(team=team, rank__in=[Officer.Rank.PC, Officer.Rank.PCSO]).order_by("pk"))
    plan = list(PlanPriority.objects.filter(plan=PLAN).order_by("position"))
    council, _ = PartnerAgency.objects.get_or_create(
        name=f"{team.district.name} Council", defaults={"kind": PartnerAgency.Kind.COUNCIL}
    )
    # A council works in its district's wards: only such an agency may be named on a priority.
    council.wards.add(*Ward.objects.filter(district_id=team.district_id))
    adopted = list(ward.priorities.filter(status__in=["current", "in_progress"]).select_related("category", "concern"))
    titles = {description: title for _slug, title, description in CONCERNS}
    for number, priority in enumerate(adopted):
        priorities.priority_update(
            actor=loader, priority=priority, title=titles.get(priority.concern.description, priority.title),
            lead_officer=officers[number % len(officers)] if officers else None,
            partners=[council], plan_priority=plan[PLAN_FOR_CATEGORY.get(priority.category.slug, 0)],
        )  # fmt: skip
        _progress(loader, priority, officers[number % len(officers)] if officers else None, council)
    return len(adopted)


ACTIONS = (
    "Extra patrols at the times residents reported, with {n} stop-and-account conversations.",
    "Met the {agency} to agree joint action; follow-up visits arranged.",
    "Leaflets delivered to {n} homes nearby with advice and how to report.",
    "Spoke to residents at a street briefing; {n} new reports passed to the team.",
    "CCTV footage reviewed and the information shared with the {agency}.",
)


def _progress(loader: User, priority, officer: Officer | None, council: PartnerAgency) -> None:
    """Two or three public actions since the meeting, by the lead officer or the council."""
    rng = _rng(str(priority.pk), "progress")
    days = max(1, (timezone.localdate() - priority.agreed_on).days)
    for step in range(rng.randint(2, 3)):
        by_council = officer is None or step == 2
        progress.progress_add(
            actor=loader, priority=priority, visibility=ProgressEntry.Visibility.PUBLIC,
            happened_on=priority.agreed_on + datetime.timedelta(days=min(days, 2 + step * rng.randint(5, 12))),
            text=rng.choice(ACTIONS).format(n=rng.randint(5, 60), agency=council.name),
            officer=None if by_council else officer, agency=council if by_council else None,
        )  # fmt: skip


def team_history(team: NeighbourhoodTeam, *, first: bool, loader: User, categories: dict[str, Category]) -> tuple:
    """One team's panel, last month's held meeting with a closed ballot per ward, next month's meeting."""
    with transaction.atomic():
        chair = _chair_user(team, first)
        panel = _panel(team, chair)
        meeting = _schedule(loader, panel, team, months=-1)
        _hold(loader, meeting, panel)
        meeting.refresh_from_db()
        adopted = 0
        for ward in team.wards.order_by("name"):
            _shortlist(loader, meeting, ward, categories)
            _vote(loader, meeting, ward, chair)
            adopted += _assign(loader, ward, team)
        _schedule(loader, panel, team, months=1)
    return team.wards.count(), adopted


def demo_history_create() -> DemoResult:
    """Create the demo history of every team that has no panel yet; re-running adds nothing."""
    result = DemoResult()
    plan_and_partners()
    loader = _loader()
    categories = {category.slug: category for category in Category.objects.all()}
    existing = set(Panel.objects.values_list("name", flat=True))
    for number, team in enumerate(NeighbourhoodTeam.objects.select_related("district").order_by("slug")):
        if f"{team.name} PACT panel" in existing or not team.wards.exists():
            result.skipped += 1
            continue
        ballots_made, adopted = team_history(team, first=number == 0, loader=loader, categories=categories)
        result.panels += 1
        result.ballots += ballots_made
        result.priorities += adopted
    demo_partner_link()
    return result


def demo_partner_link() -> None:
    """Each district council works in its district's wards, and the demo partner account (of
    create_demo_staff) acts for the first team's council, so it can send information."""
    first = NeighbourhoodTeam.objects.select_related("district").order_by("slug").first()
    if first is None:
        return
    with transaction.atomic():
        for council in PartnerAgency.objects.filter(kind=PartnerAgency.Kind.COUNCIL, name__endswith=" Council"):
            wards = Ward.objects.filter(district__name=council.name.removesuffix(" Council"))
            council.wards.add(*wards)
        user = User.objects.filter(username="demo-partner").first()
        council = PartnerAgency.objects.filter(name=f"{first.district.name} Council").first()
        if user is not None and council is not None:
            PartnerUser.objects.get_or_create(user=user, defaults={"agency": council})


AGENDA_WARDS_WITH_CONCERNS = 3
AGENDA_CONCERNS_PER_WARD = 2


def _agenda_shortlist(loader: User, meeting: Event, categories: dict[str, Category]) -> None:
    """A couple of concerns raised at a surgery and shortlisted for the meeting, in its first few wards."""
    for ward in meeting.wards.order_by("name")[:AGENDA_WARDS_WITH_CONCERNS]:
        rng = _rng(ward.code, "agenda")
        for slug, _title, description in rng.sample(CONCERNS, AGENDA_CONCERNS_PER_WARD):
            concern = concerns.concern_record(
                actor=loader, ward=ward, category=categories[slug], description=description,
                source=Concern.Source.SURGERY,
            )  # fmt: skip
            concerns.concern_shortlist(actor=loader, concern=concern, meeting=meeting)


def demo_agendas_publish() -> int:
    """Publish an agenda for every upcoming PACT meeting that has none, with a few concerns shortlisted
    (residents can support them); re-running adds nothing. Returns how many were published."""
    from priorities.selectors.agendas import last_meeting_of
    from priorities.services.agendas import agenda_publish

    loader = _loader()
    categories = {category.slug: category for category in Category.objects.all()}
    upcoming = Event.objects.filter(
        kind=Event.Kind.PACT_MEETING, status=Event.Status.SCHEDULED, starts_at__gt=timezone.now(), agenda__isnull=True
    ).order_by("starts_at", "pk")
    published = 0
    for meeting in upcoming:
        last = last_meeting_of(meeting)
        arising = (
            f"Actions from the meeting of {timezone.localtime(last.starts_at):%-d %B %Y}: the team reports on "
            "the patrols and the council's follow-up visits it promised."
            if last
            else ""
        )
        with transaction.atomic():
            if not meeting.shortlist.exists():
                _agenda_shortlist(loader, meeting, categories)
            agenda_publish(
                actor=loader, event_id=meeting.pk, matters_arising=arising,
                accessibility_notes=meeting.accessibility_notes, system=True,
            )  # fmt: skip
        published += 1
    return published
