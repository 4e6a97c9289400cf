import datetime
import hashlib

import factory
from django.utils import timezone

from priorities import models
from tests.core.factories import UserFactory
from tests.wards.factories import WardFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Category
        django_get_or_create = ["slug"]

    slug = "anti-social-behaviour"
    name = "Anti-social behaviour"
    is_police_uk = True


class PlanPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanPriority
        django_get_or_create = ["plan", "name"]

    plan = "Making Kent Safer 2022–25"
    name = "Prevent crime and anti-social behaviour"


class PartnerAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PartnerAgency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = models.PartnerAgency.Kind.COUNCIL


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Panel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"PACT panel {n}")

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        for ward in extracted if extracted is not None else [WardFactory()]:
            self.wards.add(ward)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PanelMember

    panel = factory.SubFactory(PanelFactory)
    name = factory.Faker("name")
    kind = models.PanelMember.Kind.RESIDENT
    role = models.PanelMember.Role.MEMBER
    started_on = datetime.date(2025, 1, 1)


class ChairFactory(PanelMemberFactory):
    """A panel's chair, with a staff account in the chair role."""

    role = models.PanelMember.Role.CHAIR
    user = factory.SubFactory(UserFactory, roles=["chair"])


def _next_week():
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event
        skip_postgeneration_save = True

    kind = models.Event.Kind.SURGERY
    title = "Street surgery"
    starts_at = factory.LazyFunction(_next_week)
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + datetime.timedelta(hours=1))
    venue = "Community centre"
    address = "1 High Street"

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        for ward in extracted if extracted is not None else [WardFactory()]:
            self.wards.add(ward)


class MeetingFactory(EventFactory):
    """A PACT meeting of a panel, for the panel's wards unless wards are given."""

    kind = models.Event.Kind.PACT_MEETING
    title = "PACT meeting"
    panel = factory.SubFactory(PanelFactory)

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        for ward in extracted if extracted is not None else self.panel.wards.all():
            self.wards.add(ward)


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Concern

    reference = factory.Sequence(lambda n: f"PC{n:06d}")
    ward = factory.SubFactory(WardFactory)
    category = factory.SubFactory(CategoryFactory)
    description = "Groups gathering late at night by the shops and leaving litter."
    source = models.Concern.Source.ONLINE


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Priority

    ward = factory.SubFactory(WardFactory)
    slot = 1
    title = "Anti-social behaviour by the shops"
    category = factory.SubFactory(CategoryFactory)
    agreed_on = datetime.date(2026, 10, 1)
    agreed_at = factory.LazyAttribute(lambda priority: held_meeting(priority.ward))


def held_meeting(ward, **kwargs):
    """A PACT meeting of a panel serving ``ward``, held a month ago."""
    starts_at = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
    return MeetingFactory(
        panel=PanelFactory(wards=[ward]), status=models.Event.Status.HELD, starts_at=starts_at, **kwargs
    )


class EventAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EventAttendance

    event = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(PanelMemberFactory)


def ballot_meeting(ward, *, chair_user=None, members=3, concerns=4):
    """A held PACT meeting for ``ward`` with its chair, ``members`` members present and
    ``concerns`` of the ward's concerns shortlisted for it (the state a ballot opens in)."""
    from types import SimpleNamespace

    meeting = held_meeting(ward)
    chair_extra = {"user": chair_user} if chair_user is not None else {}
    chair = ChairFactory(panel=meeting.panel, name="Pat Okafor", **chair_extra)
    present = [PanelMemberFactory(panel=meeting.panel, name=f"Member {n}") for n in range(1, members + 1)]
    for member in present:
        EventAttendanceFactory(event=meeting, member=member)
    shortlisted = [
        ConcernFactory(
            ward=ward,
            status=models.Concern.Status.SHORTLISTED,
            shortlisted_for=meeting,
            description=f"Concern {n}. Reported by residents near the shops.",
        )
        for n in range(1, concerns + 1)
    ]
    return SimpleNamespace(meeting=meeting, panel=meeting.panel, chair=chair, members=present, concerns=shortlisted)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription to a ward's updates (pass team=... and ward=None for a team's)."""

    class Meta:
        model = models.Subscription

    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    ward = factory.SubFactory(WardFactory)
    token = factory.Sequence(lambda n: f"token-{n:040d}")
    confirmed_at = factory.LazyFunction(timezone.now)


class PartnerUserFactory(factory.django.DjangoModelFactory):
    """A staff account in the partner role acting for a partner agency."""

    class Meta:
        model = models.PartnerUser

    user = factory.SubFactory(UserFactory, roles=["partner"])
    agency = factory.SubFactory(PartnerAgencyFactory)


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressEntry

    priority = factory.SubFactory(PriorityFactory)
    happened_on = factory.LazyAttribute(lambda entry: entry.priority.agreed_on)
    text = "Patrols at the shops on Friday and Saturday evenings."
    officer = factory.SubFactory(
        "tests.wards.factories.OfficerFactory", team=factory.SelfAttribute("..priority.ward.team")
    )
    visibility = models.ProgressEntry.Visibility.PUBLIC
    author = factory.SubFactory(UserFactory)


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NewsItem

    team = factory.SubFactory("tests.wards.factories.TeamFactory")
    kind = models.NewsItem.Kind.APPEAL
    title = "Witness appeal after a burglary"
    body = "Did you see anything unusual near the High Street on Tuesday night?"
    published_at = factory.LazyFunction(timezone.now)
    author = factory.SubFactory(UserFactory)


# Consultation surveys (feedback app).


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.Survey"

    title = factory.Sequence(lambda n: f"Community safety survey {n}")
    slug = factory.Sequence(lambda n: f"community-safety-{n}")
    introduction = "Tell us how safe you feel where you live."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.SurveyQuestion"

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "scale"
    text = factory.Sequence(lambda n: f"How safe do you feel, question {n}?")


class SurveyChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.SurveyChoice"

    question = factory.SubFactory(SurveyQuestionFactory, kind="single")
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Issue {n}")


# Partner information and residents' incident logs.


class InformationReportFactory(factory.django.DjangoModelFactory):
    """A partner's report about a ward (the agency is not scoped to it unless the test says so)."""

    class Meta:
        model = models.InformationReport

    agency = factory.SubFactory(PartnerAgencyFactory)
    ward = factory.SubFactory(WardFactory)
    category = factory.SubFactory(CategoryFactory)
    kind = models.InformationReport.Kind.INCIDENT
    what_happened = "Two men selling counterfeit cigarettes from a car boot."
    location_text = "Car park behind the High Street"
    happened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    people_description = "Both in their twenties, one in a red jacket."


class IncidentLogFactory(factory.django.DjangoModelFactory):
    """A resident's log; pass ``token="..."`` to know its private link (only the hash is stored)."""

    class Meta:
        model = models.IncidentLog

    class Params:
        token = factory.Sequence(lambda n: f"token-{n:08d}")

    concern = factory.SubFactory(ConcernFactory)
    token_hash = factory.LazyAttribute(lambda log: hashlib.sha256(log.token.encode()).hexdigest())


class IncidentLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IncidentLogEntry

    log = factory.SubFactory(IncidentLogFactory)
    happened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    what_happened = "Motorbikes on the footpath again, revving outside the flats."
    effect = "Woke the children; I was afraid to go out."
    location_text = "Footpath by the flats"
