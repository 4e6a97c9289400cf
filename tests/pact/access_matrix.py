"""The pieces of the access-control matrix (tests/pact/test_access_matrix.py): the personas and
their sessions, the objects each address needs in ward A and ward B, and the few kinds of rule
the matrix states its expectations with.

An answer is reduced to an *outcome*, so that a rule says what matters for access and not how
a page happens to answer a form: ``ok`` (the page did its work: 2xx, a redirect elsewhere, or a
400/410 page about the request itself), ``sign-in`` (a redirect to the staff sign-in or the
admin's sign-in), ``2fa`` (a redirect to the second-factor step), or the refusal's status code
(``403``, ``404``, ``405``; anything else, a 500 above all, is shown as its code).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

OK, SIGN_IN, TWO_FACTOR = "ok", "sign-in", "2fa"
FORBIDDEN, NOT_FOUND, NOT_ALLOWED = "403", "404", "405"

ANONYMOUS, PASSWORD_ONLY, ADMIN = "anonymous", "admin_password_only", "admin"
PERSONAS = (ANONYMOUS, "officer_a", "officer_b", "chair_a", "partner_a", "standards", PASSWORD_ONLY, ADMIN)
# The role each signed-in persona holds, and the ward its work ties it to (administrators: every
# ward; professional standards: none).
ROLE = {
    "officer_a": "officer",
    "officer_b": "officer",
    "chair_a": "chair",
    "partner_a": "partner",
    "standards": "professional_standards",
    PASSWORD_ONLY: "administrator",
    ADMIN: "administrator",
}
HOME_WARD = {"officer_a": "A", "officer_b": "B", "chair_a": "A", "partner_a": "A"}

OFFICER, CHAIR, PARTNER, STANDARDS, ADMINISTRATOR = (
    "officer",
    "chair",
    "partner",
    "professional_standards",
    "administrator",
)
EVERY_ROLE = (OFFICER, CHAIR, PARTNER, STANDARDS, ADMINISTRATOR)

REDIRECTS = {301, 302, 303, 307, 308}


def outcome(response) -> str:
    """The outcome of an answer (see the module docstring)."""
    code = response.status_code
    if code in REDIRECTS:
        path = urlsplit(response["Location"]).path
        if path in (reverse("staff:login"), reverse("admin:login")):
            return SIGN_IN
        if path == reverse("staff:two_factor_check"):
            return TWO_FACTOR
        return OK
    if code < 300 or code in (400, 410):
        return OK
    return str(code)


# Rules: (persona, ward scope or None, method) -> the expected outcome.

Rule = Callable[[str, str | None, str], str]


def public(**methods: str) -> Rule:
    """The same answer for everyone, whoever they are: GET works, other methods as given (405 by default)."""
    expected = {"GET": OK, "HEAD": OK} | {name.upper(): value for name, value in methods.items()}

    def rule(persona: str, scope: str | None, method: str) -> str:
        return expected.get(method, NOT_ALLOWED)

    rule.ward_blind = True  # type: ignore[attr-defined]
    return rule


PUBLIC = public()
PUBLIC_FORM = public(post=OK)


def staff(
    *roles: str,
    only: str | None = None,
    other: str | None = None,
    exceptions: dict[str, tuple[str, str]] | None = None,
) -> Rule:
    """A staff page (core.access.staff_view): anonymous people are sent to sign in, an administrator
    without their second factor to it, roles outside ``roles`` get 403.

    ``only``: the one method the page takes; others get 405 from a decorator in front of
    staff_view, for anonymous people too (the staff area's middleware still sends an
    unverified user to the second factor first).
    ``other``: for a page about one ward's object, what a role holder gets for the object of a
    ward their work does not tie them to (administrators reach every ward).
    ``exceptions``: persona -> (outcome in ward A, outcome in ward B), for a role holder whose
    answer the ward alone does not decide (a chair who may look but not add).
    """
    exceptions = exceptions or {}

    def rule(persona: str, scope: str | None, method: str) -> str:
        wrong_method = only is not None and method != only
        if persona == PASSWORD_ONLY:
            return TWO_FACTOR
        if wrong_method:
            return NOT_ALLOWED
        if persona == ANONYMOUS:
            return SIGN_IN
        if ROLE[persona] not in roles:
            return FORBIDDEN
        if persona in exceptions:
            return exceptions[persona][0 if scope == "A" else 1]
        if scope is None or other is None or persona == ADMIN:
            return OK
        return OK if HOME_WARD.get(persona) == scope else other

    return rule


def table(default: str, methods: tuple[str, ...] = ("GET", "POST"), **personas: str | dict[str, str]) -> Rule:
    """An explicit answer per persona (one for every method, or a method -> answer dict), ``default``
    for the rest; methods outside ``methods`` get 405."""

    def rule(persona: str, scope: str | None, method: str) -> str:
        if method not in methods:
            return NOT_ALLOWED
        answer = personas.get(persona, default)
        return answer.get(method, default) if isinstance(answer, dict) else answer

    return rule


def admin_site(**answers: str) -> Rule:
    """A page of the Django admin (core.admin_site): administrators with their second factor only.
    Other signed-in staff are sent to the admin's sign-in, which refuses them with 403 (the
    ``admin:login`` entry shows it). ``answers``: method -> the administrator's answer where it
    is not ``ok`` (403 where the model is read-only there, 405 for a method the page never takes)."""

    def rule(persona: str, scope: str | None, method: str) -> str:
        if persona == PASSWORD_ONLY:
            return TWO_FACTOR
        if persona != ADMIN:
            return SIGN_IN
        return answers.get(method, OK)

    rule.ward_blind = True  # type: ignore[attr-defined]
    return rule


# The world each entry is tried in.


@dataclass
class World:
    wards: dict[str, Any]
    panels: dict[str, Any]
    agency: Any
    admin: Any
    sessions: dict[str, str]
    made: dict[tuple[str, str | None], Any] = field(default_factory=dict)
    # One client for every request: each new one would load the middleware (and WhiteNoise's files) again.
    client: Client = field(default_factory=lambda: Client(raise_request_exception=False))

    def make(self, kind: str, scope: str | None = "A") -> Any:
        """The object of ``kind`` in ward ``scope``, built on first use by BUILD[kind]."""
        key = (kind, scope)
        if key not in self.made:
            self.made[key] = BUILD[kind](self, scope)
        return self.made[key]

    def ask(self, persona: str, method: str, url: str) -> tuple[str, str]:
        """One request as ``persona``, undone afterwards so that the next persona finds the same
        state (a POST that works changes things; one that deletes would hide the object)."""
        cache.clear()  # rate limits and cached pages start afresh for each request
        client = self.client
        # Only the persona's session cookie: whatever the last answer set (a sign-out) is gone.
        client.cookies = SimpleCookie()
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        call = getattr(client, method.lower())
        with transaction.atomic():
            response = call(url, {}) if method == "POST" else call(url)
            transaction.set_rollback(True)
        detail = ""
        if response.status_code in REDIRECTS:
            detail = response["Location"]
        elif response.status_code >= 500 and getattr(response, "exc_info", None):
            detail = repr(response.exc_info[1])
        return outcome(response), detail


def _session(user, *, second_factor: bool = True) -> str:
    client = Client()
    client.force_login(user, second_factor=second_factor)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build_world(*, ward_a, ward_b, officer, other_officer, chair, partner, admin_user) -> World:
    """Ward A and ward B, each with its panel and chair; a partner agency working in ward A; and a
    signed-in session for every persona but the anonymous one."""
    from tests.core.factories import UserFactory
    from tests.priorities.factories import ChairFactory, PanelFactory, PartnerAgencyFactory, PartnerUserFactory

    panels = {"A": PanelFactory(wards=[ward_a]), "B": PanelFactory(wards=[ward_b])}
    ChairFactory(panel=panels["A"], user=chair)
    ChairFactory(panel=panels["B"])
    agency = PartnerAgencyFactory(name="Maidstone Borough Council")
    agency.wards.add(ward_a)
    PartnerUserFactory(user=partner, agency=agency)
    standards = UserFactory(username="standards", roles=[STANDARDS])
    users = {
        "officer_a": officer,
        "officer_b": other_officer,
        "chair_a": chair,
        "partner_a": partner,
        "standards": standards,
    }
    sessions = {name: _session(user) for name, user in users.items()}
    # The same administrator twice: once signed in with the password only, once with the code too.
    sessions[PASSWORD_ONLY] = _session(admin_user, second_factor=False)
    sessions[ADMIN] = _session(admin_user)
    return World(wards={"A": ward_a, "B": ward_b}, panels=panels, agency=agency, admin=admin_user, sessions=sessions)


# Builders: one object of a kind in a ward.


def _meeting(world: World, scope: str):
    """A PACT meeting of the ward's panel, held yesterday (open for equality answers, ballots and edits)."""
    from priorities.models import Event
    from tests.priorities.factories import MeetingFactory

    starts_at = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    return MeetingFactory(panel=world.panels[scope], status=Event.Status.HELD, starts_at=starts_at)


def _agenda_meeting(world: World, scope: str):
    """A PACT meeting of the ward's panel next week, its agenda published and a concern shortlisted."""
    from priorities.models import Concern
    from priorities.services.agendas import agenda_publish
    from tests.priorities.factories import ConcernFactory, MeetingFactory

    meeting = MeetingFactory(panel=world.panels[scope])
    ConcernFactory(ward=world.wards[scope], status=Concern.Status.SHORTLISTED, shortlisted_for=meeting)
    agenda_publish(actor=None, event_id=meeting.pk, matters_arising="", accessibility_notes="", system=True)
    return meeting


def _meeting_support(world: World, scope: str):
    from priorities.models import MeetingSupport

    return MeetingSupport.objects.create(meeting=world.make("agenda_meeting", scope), address_hash=f"matrix-{scope}")


def _ballot_meeting(world: World, scope: str):
    from tests.priorities.factories import ballot_meeting

    return ballot_meeting(world.wards[scope]).meeting


def _ballot(world: World, scope: str):
    from priorities.models import Ballot
    from priorities.services import ballots

    meeting = _ballot_meeting(world, scope)
    return ballots.ballot_open(
        actor=world.admin, meeting=meeting, ward=world.wards[scope], method=Ballot.Method.MEMBERS
    )


def _closed_ballot(world: World, scope: str):
    from priorities.services import ballots

    ballot = _ballot(world, scope)
    options = list(ballot.options.order_by("pk"))
    for n, member in enumerate(ballot.meeting.attendance.select_related("member")):
        ballots.ballot_vote_record(actor=world.admin, ballot=ballot, member=member.member, options=[options[n]])
    return ballots.ballot_close(actor=world.admin, ballot=ballot)


def _priority(world: World, scope: str):
    """A ward's priority; ward A's names the partner's agency (it works on it), ward B's does not."""
    from tests.priorities.factories import PriorityFactory

    priority = PriorityFactory(ward=world.wards[scope])
    if scope == "A":
        priority.partners.add(world.agency)
    return priority


def _progress(world: World, scope: str):
    """A public progress entry on the ward's priority, written by the ward's officer persona
    (officer_a in ward A, officer_b in ward B): its author may put it right."""
    from django.contrib.auth.models import User

    from tests.priorities.factories import ProgressEntryFactory

    author = User.objects.get(username="officer" if scope == "A" else "other_officer")
    return ProgressEntryFactory(priority=world.make("priority", scope), author=author, officer=author.officer)


def _concern(world: World, scope: str):
    from tests.priorities.factories import ConcernFactory

    return ConcernFactory(ward=world.wards[scope], reference=f"PACT-MX{scope}001")


def _news(world: World, scope: str):
    from tests.priorities.factories import NewsItemFactory

    return NewsItemFactory(team=world.wards[scope].team, ward=world.wards[scope])


def _update(world: World, scope: str):
    from tests.priorities.test_updates_services import publish

    return publish(world.wards[scope].team)[0]


def _team_member(world: World, scope: str):
    from tests.wards.factories import OfficerFactory

    return OfficerFactory(team=world.wards[scope].team, rank="pcso")


def _draft(world: World, scope: str):
    from priorities.selectors.updates import now_month
    from priorities.services.updates import monthly_draft_prepare

    return monthly_draft_prepare(team_id=world.wards[scope].team_id, month=now_month())[0]


def _report(world: World, scope: str):
    """Information about the ward: ward A's from the partner's agency, ward B's from another agency."""
    from tests.priorities.factories import InformationReportFactory, PartnerAgencyFactory

    agency = world.agency if scope == "A" else PartnerAgencyFactory(name="Kent Fire and Rescue")
    return InformationReportFactory(ward=world.wards[scope], agency=agency)


def _incident_log(world: World, scope: str):
    from tests.priorities.factories import IncidentLogFactory

    return IncidentLogFactory(concern=world.make("concern", scope), token=f"matrix-log-{scope}")


def _feedback(kind: str, **answers: Any) -> Callable[[World, str], Any]:
    def build(world: World, scope: str):
        from feedback.services import feedback as services

        return services.feedback_give(kind=kind, ward=world.wards[scope], **answers)

    return build


def _survey(world: World, scope: str | None):
    from tests.priorities.factories import SurveyFactory

    return SurveyFactory(slug="matrix-survey")


def _written_answer(world: World, scope: str):
    from feedback.models import SurveyAnswer, SurveyResponse
    from tests.priorities.factories import SurveyQuestionFactory

    question = SurveyQuestionFactory(survey=world.make("survey", None), kind="text", text="Anything else?")
    ward = world.wards[scope]
    response = SurveyResponse.objects.create(survey=question.survey, ward=ward, district=ward.district)
    return SurveyAnswer.objects.create(response=response, question=question, text="Cars race past the school.")


def _subscription(world: World, scope: str):
    from tests.priorities.factories import SubscriptionFactory

    return SubscriptionFactory(ward=world.wards[scope], token=f"matrix-subscription-{scope}")


def _enrolment_link(world: World, scope: str | None) -> str:
    """The token of an unopened set-up link, for a new member of staff with no second factor."""
    from core.two_factor import enrolment_link_issue
    from tests.core.factories import UserFactory

    return enrolment_link_issue(actor=world.admin, user=UserFactory(username="newcomer", roles=[OFFICER]))


def _panel_member(world: World, scope: str):
    from tests.priorities.factories import PanelMemberFactory

    return PanelMemberFactory(panel=world.panels[scope], name=f"Matrix member {scope}")


def _panel_invitation(world: World, scope: str):
    from priorities.models import PanelInvitation
    from priorities.services.panels import panel_invitation_issue

    panel = world.panels[scope]
    panel_invitation_issue(
        actor=world.admin, panel=panel, email=f"invitee-{scope.lower()}@example.org", name="Ina Vitee", kind="resident"
    )
    return PanelInvitation.objects.get(panel=panel, accepted_at=None, revoked_at=None)


def _panel_invitation_token(world: World, scope: str | None) -> str:
    """The token of a working invitation to join ward A's panel."""
    from priorities.services.panels import panel_invitation_issue

    panel = world.panels["A"]
    return panel_invitation_issue(
        actor=world.admin, panel=panel, email="matrix-invitee@example.org", name="Ina Vitee", kind="resident"
    )


BUILD: dict[str, Callable[[World, Any], Any]] = {
    "enrolment_link": _enrolment_link,
    "meeting": _meeting,
    "agenda_meeting": _agenda_meeting,
    "meeting_support": _meeting_support,
    "ballot_meeting": _ballot_meeting,
    "ballot": _ballot,
    "closed_ballot": _closed_ballot,
    "priority": _priority,
    "progress": _progress,
    "concern": _concern,
    "news": _news,
    "update": _update,
    "draft": _draft,
    "team_member": _team_member,
    "report": _report,
    "incident_log": _incident_log,
    "suggestion": _feedback("suggestion", description="More patrols near the school, please."),
    "complaint": _feedback("complaint", description="The officer was rude to me."),
    "survey": _survey,
    "written_answer": _written_answer,
    "subscription": _subscription,
    "panel_member": _panel_member,
    "panel_invitation": _panel_invitation,
    "panel_invitation_token": _panel_invitation_token,
}


# Rows for the admin's pages of models the world has none of to start with.


def _lockout(world: World) -> None:
    from core.models import SignInLockout

    soon = timezone.now() + datetime.timedelta(minutes=1)
    SignInLockout.objects.create(kind=SignInLockout.Kind.ADDRESS, key="matrix-not-a-real-key", locked_until=soon)


def _audit_event(world: World) -> None:
    from core.audit import audit_record

    audit_record(actor=world.admin, action="pact.matrix.tried")


def _plan_priority(world: World) -> None:
    from tests.priorities.factories import PlanPriorityFactory

    PlanPriorityFactory()


def _postcode(world: World) -> None:
    from tests.wards.factories import PostcodeFactory

    PostcodeFactory(ward=world.wards["A"])


ADMIN_ROWS: dict[str, Callable[[World], Any]] = {
    "pact.enrolmentlink": lambda world: world.make("enrolment_link", None),
    "pact.auditevent": _audit_event,
    "pact.signinlockout": _lockout,
    "wards.postcode": _postcode,
    "priorities.planpriority": _plan_priority,
    "priorities.category": lambda world: world.make("concern"),
    "priorities.event": lambda world: world.make("meeting"),
    "priorities.concern": lambda world: world.make("concern"),
    "priorities.priority": lambda world: world.make("priority"),
    "priorities.ballot": lambda world: world.make("ballot"),
    "priorities.monthlyupdate": lambda world: world.make("update"),
    "feedback.survey": lambda world: world.make("survey", None),
    "feedback.surveyquestion": lambda world: world.make("written_answer"),
}


def admin_row(world: World, label: str) -> str:
    """The primary key of a row of model ``label`` for its admin pages to open."""
    from django.apps import apps

    if label in ADMIN_ROWS and (label, None) not in world.made:
        world.made[label, None] = ADMIN_ROWS[label](world)
    row = apps.get_model(label)._default_manager.order_by("pk").first()
    assert row is not None, f"the matrix builds no {label} for its admin pages"
    return str(row.pk)
