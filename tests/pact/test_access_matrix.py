"""The access-control matrix: every address of PACT, tried by every persona with every method,
for an object of ward A and one of ward B, against the answer the matrix expects.

The personas (tests/pact/access_matrix.py): anonymous; an officer of ward A's team and one of
ward B's; the chair of ward A's panel; a partner whose agency works in ward A; professional
standards; and one administrator signed in twice, with the password only and with the second
factor too. Objects are built once per entry, and each request runs in a savepoint that is
rolled back, so every persona finds the same state.

POSTs carry no data and no CSRF token: the test client does not enforce CSRF (it has tests of
its own), and the aim is the permission answer. A refused persona is refused before any form is
read; an allowed one may get the form back with errors, a redirect, or the action done.

test_every_address_has_an_entry fails for an address nobody has decided about, or an entry
whose address is gone. The per-view tests go deeper; this is the net under them.
"""

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.recipients import recipient_confirm_token
from priorities.services.concern_follow import concern_stop_token
from priorities.services.meeting_support import support_token
from tests.pact.access_matrix import (
    ADMIN,
    ADMINISTRATOR,
    CHAIR,
    EVERY_ROLE,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OFFICER,
    OK,
    PARTNER,
    PERSONAS,
    PUBLIC,
    PUBLIC_FORM,
    SIGN_IN,
    STANDARDS,
    TWO_FACTOR,
    World,
    admin_row,
    admin_site,
    build_world,
    public,
    staff,
    table,
)

pytestmark = pytest.mark.django_db

GET_POST = ("GET", "POST")
API_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE")

Address = Callable[[World, str], Any]


class Entry:
    """Who may reach one address. ``args(world, ward)``: the arguments to reverse the entry's
    name with, for an object of that ward; ``path(world, ward)``: the whole address instead (for
    a pattern without a name). An entry that names an object is tried in ward A and ward B,
    unless its rule answers the same in every ward (public pages, the admin) or ``wards`` is
    False (an object of no ward: a survey)."""

    def __init__(
        self,
        rule,
        args: Address | None = None,
        *,
        path: Address | None = None,
        methods=GET_POST,
        wards: bool | None = None,
    ):
        self.rule, self.args, self.path, self.methods = rule, args, path, methods
        if wards is None:
            wards = (args is not None or path is not None) and not getattr(rule, "ward_blind", False)
        self.scopes: tuple[str | None, ...] = ("A", "B") if wards else (None,)

    def address(self, key: str, world: World, scope: str | None) -> str:
        ward = scope or "A"
        if self.path is not None:
            return self.path(world, ward)
        return reverse(key, args=self.args(world, ward) if self.args else None)


def api(args: Address | None = None, *, path: Address | None = None, rule=None) -> Entry:
    return Entry(rule or public(), args, path=path, methods=API_METHODS)


def fixed(value: Any) -> Address:
    """The same address (or address arguments) in every ward."""
    return lambda world, ward: value


def of(kind: str, attribute: str = "pk") -> Address:
    """The address arguments of the ward's object of ``kind`` (tests/pact/access_matrix.BUILD)."""
    return lambda world, ward: [getattr(world.make(kind, ward), attribute)]


def ward_code(world: World, ward: str) -> list:
    return [world.wards[ward].code]


def team_slug(world: World, ward: str) -> list:
    return [world.wards[ward].team.slug]


def team_id(world: World, ward: str) -> list:
    return [world.wards[ward].team_id]


def survey_slug(world: World, ward: str) -> list:
    return [world.make("survey", None).slug]


def panel_pk(world: World, ward: str) -> list:
    return [world.panels[ward].pk]


def update_month(world: World, ward: str) -> list:
    update = world.make("update", ward)
    return [update.team.slug, f"{update.month:%Y}", f"{update.month:%m}"]


def progress_of(world: World, ward: str) -> list:
    entry = world.make("progress", ward)
    return [entry.priority_id, entry.pk]


def log_token(world: World, ward: str) -> list:
    world.make("incident_log", ward)
    return [f"matrix-log-{ward}"]


def log_of_concern(world: World, ward: str) -> list:
    log = world.make("incident_log", ward)
    return [log.concern.reference, log.pk]


def written_answer(world: World, ward: str) -> list:
    answer = world.make("written_answer", ward)
    return [answer.response.survey.slug, answer.pk]


def ward_on_site(world: World, ward: str) -> list:
    from django.contrib.contenttypes.models import ContentType

    return [ContentType.objects.get_for_model(world.wards[ward]).pk, world.wards[ward].pk]


def locate(world: World, ward: str) -> str:
    centre = world.wards[ward]
    return reverse("policeuk:locate") + f"?q={centre.centroid_lat},{centre.centroid_lng}"


# Who the staff pages are for.
RUN_WARD = (OFFICER, CHAIR, ADMINISTRATOR)  # the ward's team's officers and its panel's chair
BALLOT = (CHAIR, ADMINISTRATOR)
TEAM_ONLY = (OFFICER, ADMINISTRATOR)
TRIAGE = (OFFICER, STANDARDS, ADMINISTRATOR)
ADMIN_ONLY = (ADMINISTRATOR,)

# An object of another ward (or team) than one's own is simply not found.
RUNS_WARD = staff(*RUN_WARD, other=NOT_FOUND)
RUNS_WARD_POST = staff(*RUN_WARD, only="POST", other=NOT_FOUND)
CHAIRS_WARD = staff(*BALLOT, other=NOT_FOUND)
CHAIRS_WARD_POST = staff(*BALLOT, only="POST", other=NOT_FOUND)
TEAMS_WARD = staff(*TEAM_ONLY, other=NOT_FOUND)
TEAMS_WARD_POST = staff(*TEAM_ONLY, only="POST", other=NOT_FOUND)
TRIAGES_WARD_POST = staff(*TRIAGE, only="POST", other=NOT_FOUND)
# A panel's members: its chair and its team's supervisors change them; a PC of the team may only look.
PCS_LOOK = {"officer_a": (FORBIDDEN, NOT_FOUND), "officer_b": (NOT_FOUND, FORBIDDEN)}
MANAGES_PANEL = staff(*RUN_WARD, other=NOT_FOUND, exceptions=PCS_LOOK)
MANAGES_PANEL_POST = staff(*RUN_WARD, only="POST", other=NOT_FOUND, exceptions=PCS_LOOK)
PUTS_RIGHT = staff(
    *TEAM_ONLY,
    PARTNER,
    other=NOT_FOUND,
    exceptions={"partner_a": (FORBIDDEN, NOT_FOUND), ADMIN: (FORBIDDEN, FORBIDDEN)},
)
# A complaint is for professional standards, never the team it is about.
NOT_THE_TEAM = {"officer_a": (NOT_FOUND, NOT_FOUND), "officer_b": (NOT_FOUND, NOT_FOUND)}

MATRIX: dict[str, Entry] = {
    # Site pages.
    "home": Entry(PUBLIC),
    "accessibility": Entry(PUBLIC),
    "privacy": Entry(PUBLIC),
    # Where "Exit this page" leads: a neutral page about the weather.
    "neutral": Entry(PUBLIC),
    "healthz": Entry(PUBLIC),
    # A resident confirms their email address from the link in a confirmation request.
    "address_confirm": Entry(PUBLIC_FORM, lambda world, ward: [recipient_confirm_token("resident@example.org")]),
    # Staff sign-in and the second factor: reached before the second factor, and without a role.
    "staff:login": Entry(PUBLIC_FORM),
    "staff:logout": Entry(public(get=NOT_ALLOWED, post=OK)),
    "staff:two_factor_setup": Entry(table(OK, anonymous=SIGN_IN, admin_password_only=TWO_FACTOR)),
    "staff:two_factor_check": Entry(table(OK, anonymous=SIGN_IN)),
    # A set-up link: remembered in the session, then on to the set-up page (anonymous people
    # through the password first). A link that does not work is 404 for everyone
    # (tests/core/test_two_factor_enrolment.py).
    "staff:two_factor_enrol": Entry(
        table(OK, ("GET",), anonymous=SIGN_IN), lambda world, ward: [world.make("enrolment_link", None)], wards=False
    ),
    "staff:home": Entry(staff(*EVERY_ROLE)),
    "staff:two_factor": Entry(staff(*EVERY_ROLE)),
    "staff:two_factor_backup_codes": Entry(staff(*EVERY_ROLE, only="POST")),
    "staff:personal_data": Entry(staff(*ADMIN_ONLY)),
    "staff:personal_data_export": Entry(staff(*ADMIN_ONLY, only="POST")),
    "staff:personal_data_erase": Entry(staff(*ADMIN_ONLY, only="POST")),
    # The read APIs: public, GET and HEAD only.
    "api_docs": api(),
    "api_schema": api(),
    "api:district_list": api(),
    "api:ward_list": api(),
    "api:ward_detail": api(ward_code),
    "api:team_list": api(),
    "api:team_detail": api(team_id),
    "api:priority_list": api(),
    "api:priority_detail": api(of("priority")),
    "api:event_list": api(),
    "api:update_list": api(),
    "api/v1/^(?P<rest>.*)$": api(path=fixed("/api/v1/no-such-thing/"), rule=table(NOT_FOUND, API_METHODS)),
    "policeuk:forces": api(),
    "policeuk:force": api(fixed(["kent"])),
    "policeuk:neighbourhoods": api(),
    "policeuk:neighbourhood": api(ward_code),
    "policeuk_unknown": api(path=fixed("/api/kent/E05NOPE"), rule=public(get=NOT_FOUND, head=NOT_FOUND)),
    "policeuk:boundary": api(ward_code),
    "policeuk:people": api(ward_code),
    "policeuk:locate": api(path=locate),
    "policeuk_priorities:events": api(ward_code),
    "policeuk_priorities:priorities": api(ward_code),
    # Wards, teams and search.
    "wards:search": Entry(PUBLIC, path=fixed("/search/?q=Abbey")),
    "wards:place_suggestions": Entry(PUBLIC, path=fixed("/search/places.json?q=Abbey")),
    "wards:index": Entry(PUBLIC),
    "wards:detail": Entry(PUBLIC, ward_code),
    "wards:team": Entry(PUBLIC, team_slug),
    "wards:map": Entry(PUBLIC),
    "wards:map_boundaries": Entry(PUBLIC),
    "wards:map_boundaries_detail": Entry(PUBLIC),
    # Events.
    "priorities:event_detail": Entry(PUBLIC, of("meeting", "uid")),
    "priorities:ward_events": Entry(PUBLIC, ward_code),
    "priorities:ward_feed": Entry(PUBLIC, ward_code),
    "priorities:team_feed": Entry(PUBLIC, team_slug),
    "priorities:staff_event_list": Entry(staff(*RUN_WARD)),
    "priorities:staff_event_schedule": Entry(staff(*RUN_WARD)),
    "priorities:staff_event_record_past": Entry(staff(*RUN_WARD)),
    "priorities:staff_event_edit": Entry(RUNS_WARD, of("meeting")),
    "priorities:staff_event_cancel": Entry(RUNS_WARD, of("meeting")),
    "priorities:staff_event_move": Entry(RUNS_WARD, of("meeting")),
    "priorities:staff_event_held": Entry(RUNS_WARD, of("meeting")),
    "priorities:staff_event_agenda": Entry(RUNS_WARD, of("agenda_meeting")),
    # Residents' support for shortlisted concerns before a meeting (no account: a link emailed).
    "priorities:meeting_support": Entry(PUBLIC_FORM, of("agenda_meeting", "uid")),
    "priorities:meeting_support_sent": Entry(PUBLIC, of("agenda_meeting", "uid")),
    "priorities:meeting_support_confirm": Entry(
        PUBLIC_FORM, lambda world, ward: [support_token(world.make("meeting_support", ward))]
    ),
    # Concerns.
    "priorities:ward_concerns": Entry(PUBLIC, ward_code),
    "priorities:concern_new": Entry(PUBLIC_FORM, ward_code),
    "priorities:concern_raised": Entry(PUBLIC, of("concern", "follow_code")),
    "priorities:concern_status": Entry(PUBLIC, of("concern", "follow_code")),
    "priorities:concern_satisfaction": Entry(PUBLIC_FORM, of("concern", "follow_code")),
    "priorities:concern_follow_lookup": Entry(PUBLIC),
    "priorities:concern_follow_stop": Entry(
        PUBLIC_FORM, lambda world, ward: [concern_stop_token(world.make("concern", ward))]
    ),
    "priorities:staff_concerns": Entry(staff(*RUN_WARD)),
    "priorities:staff_concern_new": Entry(staff(*RUN_WARD)),
    "priorities:staff_concern": Entry(RUNS_WARD, of("concern", "reference")),
    "priorities:staff_concern_accept": Entry(RUNS_WARD_POST, of("concern", "reference")),
    "priorities:staff_concern_shortlist": Entry(RUNS_WARD_POST, of("concern", "reference")),
    "priorities:staff_concern_reject": Entry(RUNS_WARD_POST, of("concern", "reference")),
    "priorities:staff_concern_merge": Entry(RUNS_WARD_POST, of("concern", "reference")),
    # Ballots (the chair's) and priorities.
    "priorities:ballot_result": Entry(PUBLIC, of("closed_ballot")),
    "priorities:priority_detail": Entry(PUBLIC, of("priority")),
    "priorities:ward_priorities": Entry(PUBLIC, ward_code),
    "priorities:staff_ballots": Entry(staff(*BALLOT)),
    "priorities:staff_ballot_open": Entry(CHAIRS_WARD, of("ballot_meeting")),
    "priorities:staff_ballot": Entry(CHAIRS_WARD, of("ballot")),
    "priorities:staff_ballot_vote": Entry(CHAIRS_WARD_POST, of("ballot")),
    "priorities:staff_ballot_hands": Entry(CHAIRS_WARD_POST, of("ballot")),
    "priorities:staff_ballot_casting_vote": Entry(CHAIRS_WARD_POST, of("ballot")),
    "priorities:staff_ballot_close": Entry(CHAIRS_WARD, of("ballot")),
    "priorities:staff_ballot_option_add": Entry(CHAIRS_WARD_POST, of("ballot")),
    "priorities:staff_ballot_option_remove": Entry(CHAIRS_WARD_POST, of("ballot")),
    "priorities:staff_ballot_cancel": Entry(CHAIRS_WARD, of("ballot")),
    # After the close: the ward's officers and chair name the new priorities; the chair and a
    # sergeant or inspector of the team reopen it (the officer personas are constables: not found).
    "priorities:staff_ballot_adopt": Entry(RUNS_WARD, of("closed_ballot")),
    "priorities:staff_ballot_reopen": Entry(
        staff(
            *RUN_WARD,
            other=NOT_FOUND,
            exceptions={"officer_a": (NOT_FOUND, NOT_FOUND), "officer_b": (NOT_FOUND, NOT_FOUND)},
        ),
        of("closed_ballot"),
    ),
    "priorities:staff_priority_edit": Entry(RUNS_WARD, of("priority")),
    "priorities:staff_priority_resolve": Entry(RUNS_WARD, of("priority")),
    # Progress: the ward's officers and chair see it, and partners named on the priority (ward
    # A's names the partner's agency); the chair may look but not add.
    "priorities:staff_progress": Entry(staff(*RUN_WARD, PARTNER, other=NOT_FOUND), of("priority")),
    "priorities:staff_progress_add": Entry(staff(*TEAM_ONLY, PARTNER, other=NOT_FOUND), of("priority")),
    # Panel membership: the team's officers and the panel's chair see a panel's members; its
    # chair and the team's sergeants and inspectors change them (the officer personas are PCs:
    # they may look, not change). Accepting an invitation needs no account.
    "priorities:staff_panels": Entry(staff(*RUN_WARD)),
    "priorities:staff_panel": Entry(RUNS_WARD, panel_pk),
    "priorities:staff_panel_member_add": Entry(MANAGES_PANEL, panel_pk),
    "priorities:staff_panel_chair": Entry(MANAGES_PANEL, panel_pk),
    "priorities:staff_panel_invite": Entry(MANAGES_PANEL, panel_pk),
    "priorities:staff_panel_member_edit": Entry(MANAGES_PANEL, of("panel_member")),
    "priorities:staff_panel_member_end": Entry(MANAGES_PANEL, of("panel_member")),
    "priorities:staff_panel_invitation_revoke": Entry(MANAGES_PANEL_POST, of("panel_invitation")),
    "priorities:panel_invitation_accept": Entry(
        table(OK, admin_password_only=TWO_FACTOR),
        lambda world, ward: [world.make("panel_invitation_token", None)],
        wards=False,
    ),
    # An entry is put right by its author (each ward's officer persona wrote its ward's) or a
    # sergeant or inspector of the team: a partner who may read it, or an administrator, may not.
    "priorities:staff_progress_edit": Entry(PUTS_RIGHT, progress_of),
    "priorities:staff_progress_withdraw": Entry(PUTS_RIGHT, progress_of),
    # A team's news.
    "priorities:news_detail": Entry(PUBLIC, of("news")),
    "priorities:team_news": Entry(PUBLIC, team_slug),
    "priorities:staff_news": Entry(staff(*TEAM_ONLY)),
    "priorities:staff_news_new": Entry(staff(*TEAM_ONLY)),
    "priorities:staff_news_edit": Entry(TEAMS_WARD, of("news")),
    "priorities:staff_news_delete": Entry(TEAMS_WARD, of("news")),
    # The team's people: its officers see it (another team's is not found); only a sergeant or
    # inspector of the team says who covers which ward (the officer personas are PCs).
    "priorities:staff_team": Entry(staff(*TEAM_ONLY)),
    "priorities:staff_team_officers": Entry(staff(*TEAM_ONLY, other=NOT_FOUND), team_slug),
    "priorities:staff_officer_wards": Entry(
        staff(
            OFFICER,
            ADMINISTRATOR,
            other=NOT_FOUND,
            exceptions={"officer_a": (FORBIDDEN, NOT_FOUND), "officer_b": (NOT_FOUND, FORBIDDEN)},
        ),
        of("team_member"),
    ),
    # Monthly updates. A syndication feed answers every method alike.
    "priorities:update_archive": Entry(PUBLIC, team_slug),
    "priorities:update_feed": Entry(PUBLIC, team_slug),
    "priorities:update_detail": Entry(PUBLIC, update_month),
    "priorities:update_revisions": Entry(PUBLIC, update_month),
    "priorities:staff_update_list": Entry(staff(*TEAM_ONLY)),
    "priorities:staff_update_correct": Entry(TEAMS_WARD, of("update")),
    # The team's officers write its draft (administrators may read and preview it, not save);
    # only a sergeant or inspector of the team approves (the officer personas are not).
    "priorities:staff_draft_edit": Entry(TEAMS_WARD, of("draft")),
    "priorities:staff_draft_approve": Entry(
        staff(
            OFFICER,
            only="POST",
            other=NOT_FOUND,
            exceptions={"officer_a": (FORBIDDEN, NOT_FOUND), "officer_b": (NOT_FOUND, FORBIDDEN)},
        ),
        of("draft"),
    ),
    # Subscriptions.
    "priorities:ward_subscribe": Entry(PUBLIC_FORM, ward_code),
    "priorities:ward_subscribe_sent": Entry(PUBLIC, ward_code),
    "priorities:team_subscribe": Entry(PUBLIC_FORM, team_slug),
    "priorities:team_subscribe_sent": Entry(PUBLIC, team_slug),
    "priorities:subscription_confirm": Entry(PUBLIC_FORM, of("subscription", "token")),
    "priorities:subscription_unsubscribe": Entry(PUBLIC_FORM, of("subscription", "token")),
    # Partner information: partners send it about their agency's wards and read their agency's
    # own (ward B's report is another agency's); the ward's team reads and acts on it.
    "priorities:partner_information": Entry(staff(PARTNER)),
    "priorities:partner_information_new": Entry(staff(PARTNER)),
    "priorities:staff_information": Entry(staff(*TEAM_ONLY)),
    "priorities:staff_information_detail": Entry(staff(*TEAM_ONLY, PARTNER, other=NOT_FOUND), of("report")),
    "priorities:staff_information_review": Entry(TEAMS_WARD_POST, of("report")),
    "priorities:staff_information_concern": Entry(TEAMS_WARD, of("report")),
    # Residents' incident logs: the private link is the key; the ward's team can turn one off.
    "priorities:incident_log_start": Entry(PUBLIC_FORM, of("concern", "reference")),
    "priorities:incident_log": Entry(PUBLIC_FORM, log_token),
    "priorities:incident_log_revoke": Entry(PUBLIC_FORM, log_token),
    "priorities:staff_incident_log_revoke": Entry(TEAMS_WARD_POST, log_of_concern),
    # The partnership report: every staff role, for the districts their work ties them to.
    "priorities:staff_partnership_report": Entry(staff(*EVERY_ROLE, only="GET")),
    "priorities:staff_partnership_report_csv": Entry(staff(*EVERY_ROLE, only="GET")),
    # Feedback: given by anyone; a suggestion is handled by the ward's officers (a complaint by
    # professional standards: COMPLAINTS below).
    "feedback:start": Entry(PUBLIC),
    "feedback:sent": Entry(PUBLIC, of("suggestion", "reference")),
    "feedback:give": Entry(PUBLIC_FORM, fixed(["suggestion"])),
    "feedback:staff_queue": Entry(staff(*TRIAGE)),
    "feedback:staff_detail": Entry(staff(*TRIAGE, other=NOT_FOUND), of("suggestion", "reference")),
    "feedback:staff_assign": Entry(TRIAGES_WARD_POST, of("suggestion", "reference")),
    "feedback:staff_status": Entry(TRIAGES_WARD_POST, of("suggestion", "reference")),
    "feedback:staff_note": Entry(TRIAGES_WARD_POST, of("suggestion", "reference")),
    "feedback:staff_reply": Entry(TRIAGES_WARD_POST, of("suggestion", "reference")),
    "feedback:staff_officer": Entry(TRIAGES_WARD_POST, of("suggestion", "reference")),
    # Consultation surveys: the export is the administrators'; written answers go to the staff
    # who run the answer's ward.
    "feedback:surveys": Entry(PUBLIC),
    "feedback:survey": Entry(PUBLIC_FORM, survey_slug),
    "feedback:survey_answered": Entry(PUBLIC, survey_slug),
    "feedback:survey_results": Entry(PUBLIC, survey_slug),
    "feedback:staff_surveys": Entry(staff(*RUN_WARD)),
    "feedback:staff_survey_export": Entry(staff(*ADMIN_ONLY), survey_slug, wards=False),
    "feedback:staff_survey_create": Entry(staff(*ADMIN_ONLY)),
    "feedback:staff_survey_edit": Entry(staff(*ADMIN_ONLY), survey_slug, wards=False),
    "feedback:staff_survey_preview": Entry(staff(*ADMIN_ONLY, only="GET"), survey_slug, wards=False),
    "feedback:staff_survey_open": Entry(staff(*ADMIN_ONLY), survey_slug, wards=False),
    "feedback:staff_survey_close": Entry(staff(*ADMIN_ONLY), survey_slug, wards=False),
    "feedback:staff_survey_comments": Entry(staff(*RUN_WARD), survey_slug, wards=False),
    "feedback:staff_survey_comment_concern": Entry(RUNS_WARD, written_answer),
    # Equality monitoring.
    "feedback:meeting_about_you": Entry(PUBLIC_FORM, of("meeting", "uid")),
    "feedback:meeting_about_you_done": Entry(PUBLIC, of("meeting", "uid")),
    "feedback:panel_about_you": Entry(PUBLIC_FORM, panel_pk),
    "feedback:panel_about_you_done": Entry(PUBLIC, panel_pk),
    "feedback:feedback_about_you": Entry(PUBLIC_FORM, of("suggestion", "reference")),
    "feedback:feedback_about_you_done": Entry(PUBLIC, of("suggestion", "reference")),
    "feedback:staff_equality_paper": Entry(RUNS_WARD, of("meeting")),
    "feedback:staff_equality_report": Entry(staff(*ADMIN_ONLY, only="GET")),
    "feedback:staff_equality_export": Entry(staff(*ADMIN_ONLY, only="GET")),
    "feedback:staff_satisfaction_report": Entry(staff(*ADMIN_ONLY, only="GET")),
    # The Django admin's own pages (its models' pages follow, from ADMIN_MODELS).
    "admin:index": Entry(admin_site()),
    # The admin has no sign-in of its own: it sends people to the staff sign-in, and refuses a
    # verified member of staff who is not an administrator.
    "admin:login": Entry(table(FORBIDDEN, anonymous=SIGN_IN, admin_password_only=SIGN_IN)),
    # Sign-out is a POST; anyone but a signed-in administrator is sent to the admin's index.
    "admin:logout": Entry(table(OK, admin={"GET": NOT_ALLOWED})),
    "admin:password_change": Entry(admin_site()),
    "admin:password_change_done": Entry(admin_site(POST=NOT_ALLOWED)),
    # Asked without a model it refuses; what it answers when asked well is Django's to test.
    "admin:autocomplete": Entry(admin_site(GET=FORBIDDEN, POST=NOT_ALLOWED)),
    "admin:jsi18n": Entry(admin_site(POST=NOT_ALLOWED)),
    # No model has a page of its own on the site, so "view on site" finds none.
    "admin:view_on_site": Entry(admin_site(GET=NOT_FOUND, POST=NOT_FOUND), ward_on_site),
    "admin:app_list": Entry(admin_site(), fixed(["wards"])),
    "admin/(?P<url>.*)$": Entry(admin_site(GET=NOT_FOUND, POST=NOT_FOUND), path=fixed("/admin/no-such-page/")),
    "admin:auth_user_password_change": Entry(admin_site(), lambda world, ward: [world.admin.pk]),
}

# Cases of an address the matrix tries once more with another object (the key's prefix names
# it): the feedback pages with a complaint.
COMPLAINTS = {
    "complaint:feedback:staff_detail": Entry(staff(*TRIAGE, exceptions=NOT_THE_TEAM), of("complaint", "reference")),
    "complaint:feedback:staff_note": Entry(
        staff(*TRIAGE, only="POST", exceptions=NOT_THE_TEAM), of("complaint", "reference")
    ),
}

FULL = "full"  # administrators add, change and delete (each audited)
READ_ONLY = "read-only"  # administrators look; changes go through the services
ADMIN_MODELS = {
    "pact.auditevent": READ_ONLY,
    "pact.secondfactor": READ_ONLY,
    "pact.enrolmentlink": READ_ONLY,
    "pact.signinlockout": READ_ONLY,
    "auth.user": FULL,
    "auth.group": FULL,
    "wards.district": FULL,
    "wards.neighbourhoodteam": FULL,
    "wards.ward": FULL,
    "wards.postcode": FULL,
    "wards.officer": FULL,
    "priorities.panel": FULL,
    "priorities.category": FULL,
    "priorities.planpriority": FULL,
    "priorities.partneragency": FULL,
    "priorities.event": READ_ONLY,
    "priorities.concern": READ_ONLY,
    "priorities.priority": READ_ONLY,
    "priorities.ballot": READ_ONLY,
    "priorities.partneruser": FULL,
    "priorities.monthlyupdate": READ_ONLY,
    "feedback.survey": FULL,
    "feedback.surveyquestion": FULL,
}


def _admin_model_entries(label: str, kind: str) -> dict[str, Entry]:
    """The six pages the admin makes for a model; a read-only model shows its rows, and adding,
    changing (a POST) and deleting are refused."""
    app, model = label.split(".")
    refused = {"GET": FORBIDDEN, "POST": FORBIDDEN} if kind == READ_ONLY else {}

    def row(world: World, ward: str) -> list:
        return [admin_row(world, label)]

    name = f"admin:{app}_{model}"
    return {
        f"{name}_changelist": Entry(admin_site()),
        f"{name}_add": Entry(admin_site(**refused)),
        f"{name}_history": Entry(admin_site(), row),
        f"{name}_delete": Entry(admin_site(**refused), row),
        f"{name}_change": Entry(admin_site(POST=refused.get("POST", OK)), row),
        # The bare address of a row redirects to its change page.
        f"admin/{app}/{model}/<path:object_id>/": Entry(
            admin_site(), path=lambda world, ward: f"/admin/{app}/{model}/{admin_row(world, label)}/"
        ),
    }


for _label, _kind in ADMIN_MODELS.items():
    MATRIX |= _admin_model_entries(_label, _kind)


# The addresses of the project.


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace))) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or route), route


def project_addresses() -> dict[str, str]:
    """Every URL pattern of the project, the admin's included: its name (or its route when it has
    none) -> its route."""
    found: dict[str, str] = {}
    for key, route in _walk(get_resolver().url_patterns):
        assert key not in found, f"two patterns share the name {key}: {found[key]} and {route}"
        found[key] = route
    return found


def test_every_address_has_an_entry():
    addresses = project_addresses()
    missing = sorted(f"{key}  ({route})" for key, route in addresses.items() if key not in MATRIX)
    stale = sorted(key for key in MATRIX if key not in addresses)
    message = "Decide who may reach these addresses and add them to the matrix:\n" + "\n".join(missing)
    message += "\nThese matrix entries have no address any more:\n" + "\n".join(stale)
    assert (missing, stale) == ([], []), message


def test_the_admin_models_are_the_registered_ones():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.fixture
def _quiet_refusals(caplog):
    # Thousands of 403s and 404s would each be logged, with a traceback: only errors are kept.
    caplog.set_level(logging.ERROR, logger="django.request")


@pytest.fixture
def world(_quiet_refusals, ward_a, ward_b, officer, other_officer, chair, partner, admin_user) -> World:
    return build_world(
        ward_a=ward_a,
        ward_b=ward_b,
        officer=officer,
        other_officer=other_officer,
        chair=chair,
        partner=partner,
        admin_user=admin_user,
    )


def _try(key: str, entry: Entry, world: World) -> list[str]:
    """Every persona, method and ward of the entry: a line for each answer not as expected."""
    rows = []
    for scope in entry.scopes:
        url = entry.address(key.removeprefix("complaint:"), world, scope)
        for persona in PERSONAS:
            for method in entry.methods:
                expected = entry.rule(persona, scope, method)
                got, detail = world.ask(persona, method, url)
                if got != expected:
                    where = f"ward {scope}" if scope else "-"
                    rows.append(f"{persona:<20} {method:<6} {where:<7} {expected:<8} {got:<8} {url} {detail}")
    return rows


@pytest.mark.parametrize("key", sorted(MATRIX | COMPLAINTS))
def test_access(key, world):
    entry = (MATRIX | COMPLAINTS)[key]
    rows = _try(key, entry, world)
    header = f"{'persona':<20} {'method':<6} {'ward':<7} {'expected':<8} {'got':<8} address"
    assert not rows, f"{key}: answers not as the matrix expects\n{header}\n" + "\n".join(rows)
