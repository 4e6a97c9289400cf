"""Partner information reports: sending one, the team's notification, viewing (always audited),
reviewing, turning one into a concern, the lists' queries, and retention."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from core.personal_data import retention_apply
from core.tasks import retention_apply_task
from priorities.errors import PrioritiesError
from priorities.models import Concern, InformationReport
from priorities.services import information as services
from tests.priorities.factories import (
    CategoryFactory,
    InformationReportFactory,
    PartnerAgencyFactory,
    PartnerUserFactory,
)
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def category():
    return CategoryFactory()


@pytest.fixture
def agency(ward_a):
    agency = PartnerAgencyFactory(name="Safer Medway Partnership")
    agency.wards.add(ward_a)
    return agency


@pytest.fixture
def partner_user(agency):
    return PartnerUserFactory(agency=agency, user__username="medway").user


def _form(ward, **changes) -> dict:
    data = {
        "ward": ward.code,
        "kind": "sighting",
        "category": "anti-social-behaviour",
        "happened_on_0": "18",
        "happened_on_1": "3",
        "happened_on_2": "2026",
        "happened_time": "21:30",
        "what_happened": "A group drinking and shouting at shoppers by the cash machine.",
        "location_text": "High Street, by the bank",
        "people_description": "Four adults, one with a white dog.",
    }
    return {**data, **changes}


# Sending a report


@time_machine.travel(NOW, tick=False)
def test_partner_sends_report_with_message_audit_and_team_email(client, partner_user, ward_a, category, officer):
    OfficerFactory(team=ward_a.team, email="pcso.abbey@kent.police.invalid", user=None)
    client.force_login(partner_user)

    response = client.post(reverse("priorities:partner_information_new"), _form(ward_a))

    assert response.url == reverse("priorities:partner_information")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Information sent to the Abbey neighbourhood team"]
    report = InformationReport.objects.get()
    assert (report.agency.name, report.ward, report.kind, report.submitted_by) == (
        "Safer Medway Partnership",
        ward_a,
        "sighting",
        partner_user,
    )
    assert timezone.localtime(report.happened_at).strftime("%Y-%m-%d %H:%M") == "2026-03-18 21:30"
    audit = AuditEvent.objects.get(action="priorities.information.submitted")
    assert audit.actor == partner_user
    assert "white dog" not in str(audit.data)
    emails = OutboundEmail.objects.order_by("to")
    assert [email.to for email in emails] == sorted([officer.email, "pcso.abbey@kent.police.invalid"])
    for email in emails:
        assert email.subject == "New information from a partner about Abbey"
        assert reverse("priorities:staff_information_detail", args=[report.pk]) in email.body_text
        for private in ("white dog", "drinking", "High Street"):
            assert private not in email.body_text
            assert private not in email.body_html


def test_officer_without_an_address_is_skipped(partner_user, ward_a, category):
    OfficerFactory(team=ward_a.team, email="", user=None)
    services.information_report_submit(
        actor=partner_user,
        ward=ward_a,
        category=category,
        kind="incident",
        what_happened="Shoplifting",
        location_text="Co-op",
        happened_at=timezone.now() - datetime.timedelta(hours=1),
    )

    assert not OutboundEmail.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_partner_form_offers_only_the_agencys_wards(client, partner_user, ward_a, ward_b, category):
    client.force_login(partner_user)

    content = client.get(reverse("priorities:partner_information_new")).content.decode()
    response = client.post(reverse("priorities:partner_information_new"), _form(ward_b))

    assert f'value="{ward_a.code}"' in content
    assert f'value="{ward_b.code}"' not in content
    assert "That choice is no longer available: select another" in response.content.decode()
    assert not InformationReport.objects.exists()


def test_service_refuses_a_ward_the_agency_does_not_work_in(partner_user, ward_b, category):
    with pytest.raises(PrioritiesError, match="Your organisation does not work in this ward"):
        services.information_report_submit(
            actor=partner_user,
            ward=ward_b,
            category=category,
            kind="incident",
            what_happened="x",
            location_text="y",
            happened_at=timezone.now(),
        )


def test_service_refuses_a_partner_with_no_agency(partner, ward_a, category):
    with pytest.raises(PrioritiesError, match="not linked to a partner agency"):
        services.information_report_submit(
            actor=partner,
            ward=ward_a,
            category=category,
            kind="incident",
            what_happened="x",
            location_text="y",
            happened_at=timezone.now(),
        )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"happened_on_0": "21"}, "The date and time it happened must be in the past"),
        ({"happened_time": "25:00"}, "Enter the time it happened, like 21:30"),
        ({"what_happened": ""}, "Enter what happened"),
        ({"location_text": ""}, "Enter where it happened"),
        ({"kind": ""}, "Select whether it was an incident or a sighting"),
        ({"what_happened": "x" * 2001}, "What happened must be 2000 characters or fewer"),
        ({"people_description": "x" * 1001}, "The description of people involved must be 1000 characters or fewer"),
    ],
)
def test_partner_form_errors(client, partner_user, ward_a, category, changes, message):
    client.force_login(partner_user)

    response = client.post(reverse("priorities:partner_information_new"), _form(ward_a, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InformationReport.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_service_refuses_a_future_time(partner_user, ward_a, category):
    with pytest.raises(PrioritiesError, match="must be in the past"):
        services.information_report_submit(
            actor=partner_user,
            ward=ward_a,
            category=category,
            kind="incident",
            what_happened="x",
            location_text="y",
            happened_at=NOW + datetime.timedelta(minutes=1),
        )


def test_database_refuses_a_report_dated_after_it_was_made(agency, ward_a, category):
    with pytest.raises(IntegrityError):
        InformationReportFactory(
            agency=agency, ward=ward_a, created_at=NOW, happened_at=NOW + datetime.timedelta(seconds=1)
        )


def test_database_refuses_turned_into_concern_without_a_concern(agency, ward_a):
    with pytest.raises(IntegrityError):
        InformationReportFactory(agency=agency, ward=ward_a, status="concern", reviewed_at=timezone.now())


def test_partner_with_agency_but_no_wards_is_told(client, ward_a):
    user = PartnerUserFactory(agency=PartnerAgencyFactory(name="Kent Fire and Rescue")).user
    client.force_login(user)

    content = client.get(reverse("priorities:partner_information_new")).content.decode()

    assert "Kent Fire and Rescue is not set up for any wards yet" in content


def test_partner_without_agency_is_told(client, partner):
    client.force_login(partner)

    response = client.get(reverse("priorities:partner_information_new"))

    assert response.status_code == 403
    assert "not linked to a partner agency" in response.content.decode()


# Viewing: every view is audited; nothing is cacheable


def test_detail_view_is_audited_every_time_and_never_cached(client, officer, agency, ward_a):
    report = InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(officer)
    url = reverse("priorities:staff_information_detail", args=[report.pk])

    first, second = client.get(url), client.get(url)

    assert "Both in their twenties, one in a red jacket." in first.content.decode()
    assert "no-cache" in first["Cache-Control"]
    assert "private" in second["Cache-Control"] or "no-store" in second["Cache-Control"]
    views = AuditEvent.objects.filter(action="priorities.information.viewed", object_id=str(report.pk))
    assert views.count() == 2
    assert {event.actor for event in views} == {officer}


def test_partner_detail_view_is_audited_and_offers_no_team_actions(client, partner_user, agency, ward_a):
    report = InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(partner_user)

    content = client.get(reverse("priorities:staff_information_detail", args=[report.pk])).content.decode()

    assert "Turn into a PACT concern" not in content
    assert AuditEvent.objects.filter(action="priorities.information.viewed", actor=partner_user).count() == 1


def test_lists_record_the_reports_shown(client, officer, partner_user, agency, ward_a):
    reports = [InformationReportFactory(agency=agency, ward=ward_a) for _ in range(3)]
    ids = sorted(report.pk for report in reports)
    client.force_login(officer)
    client.get(reverse("priorities:staff_information"))
    client.force_login(partner_user)
    client.get(reverse("priorities:partner_information"))

    listed = AuditEvent.objects.filter(action="priorities.information.listed").order_by("pk")
    assert [(event.actor, event.data["scope"], sorted(event.data["reports"])) for event in listed] == [
        (officer, "team", ids),
        (partner_user, "agency", ids),
    ]


def test_team_list_empty_and_filters(client, officer, agency, ward_a):
    client.force_login(officer)
    assert "No new information from partners." in client.get(reverse("priorities:staff_information")).content.decode()

    report = InformationReportFactory(agency=agency, ward=ward_a, status="reviewed", reviewed_at=timezone.now())
    new_only = client.get(reverse("priorities:staff_information")).content.decode()
    everything = client.get(reverse("priorities:staff_information"), {"status": "all"}).content.decode()

    assert f"Report {report.pk}<" not in new_only
    assert f"Report {report.pk}<" in everything
    assert not AuditEvent.objects.filter(action="priorities.information.listed", data__reports=[]).exists()


def test_team_list_queries_do_not_grow_with_rows(client, officer, agency, ward_a, django_assert_num_queries):
    for _ in range(4):
        InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(officer)
    client.get(reverse("priorities:staff_information"))  # warm the session

    # session, user, roles, officer, team's wards, wards for the filter, count, page of reports
    # (with ward, category, agency), the audit event.
    with django_assert_num_queries(9):
        response = client.get(reverse("priorities:staff_information"))
    assert response.content.decode().count('href="/staff/information/') == 4


def test_partner_list_queries_do_not_grow_with_rows(client, partner_user, agency, ward_a, django_assert_num_queries):
    for _ in range(4):
        InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(partner_user)

    # session, user, roles, partner's agency (with its link), agency's wards, count, page of reports, audit event.
    with django_assert_num_queries(8):
        response = client.get(reverse("priorities:partner_information"))
    assert response.content.decode().count('href="/staff/information/') == 4


def test_lists_are_paginated(client, officer, agency, ward_a):
    for _ in range(26):
        InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(officer)

    first = client.get(reverse("priorities:staff_information")).content.decode()
    second = client.get(reverse("priorities:staff_information"), {"page": 2}).content.decode()

    assert first.count('href="/staff/information/') == 25
    assert second.count('href="/staff/information/') == 1
    assert "26 reports" in first


# Reviewing and turning into a concern


def test_officer_marks_report_reviewed(client, officer, agency, ward_a):
    report = InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_information_review", args=[report.pk]))
    again = client.post(reverse("priorities:staff_information_review", args=[report.pk]), follow=True)

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Information report {report.pk} marked as reviewed"
    ]
    assert "This report has already been reviewed" in again.content.decode()
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == ("reviewed", officer)
    assert AuditEvent.objects.filter(action="priorities.information.reviewed", actor=officer).count() == 1


def test_officer_turns_report_into_concern(client, officer, agency, ward_a, category):
    report = InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(officer)
    url = reverse("priorities:staff_information_concern", args=[report.pk])
    form_page = client.get(url).content.decode()

    response = client.post(
        url,
        {"category": category.slug, "description": "Street drinking by the bank.", "location_text": "High Street"},
    )

    concern = Concern.objects.get()
    assert response.url == reverse("priorities:staff_concern", args=[concern.reference])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Concern {concern.reference} recorded from the report"
    ]
    assert (concern.source, concern.status, concern.ward, concern.description) == (
        "partner",
        "received",
        ward_a,
        "Street drinking by the bank.",
    )
    assert 'value="Car park behind the High Street"' in form_page
    report.refresh_from_db()
    assert (report.status, report.concern) == ("concern", concern)
    assert AuditEvent.objects.filter(action="priorities.information.turned_into_concern", actor=officer).exists()
    assert AuditEvent.objects.filter(action="priorities.concern.recorded", actor=officer).exists()
    assert AuditEvent.objects.filter(action="priorities.information.viewed", actor=officer).count() == 1


def test_report_cannot_be_turned_into_a_concern_twice(officer, agency, ward_a, category):
    report = InformationReportFactory(agency=agency, ward=ward_a)
    services.information_report_to_concern(
        actor=officer, report=report, category=category, description="One", location_text=""
    )

    with pytest.raises(PrioritiesError, match="already been turned into a concern"):
        services.information_report_to_concern(
            actor=officer, report=report, category=category, description="Two", location_text=""
        )
    assert Concern.objects.count() == 1


def test_concern_needs_a_description(client, officer, agency, ward_a, category):
    report = InformationReportFactory(agency=agency, ward=ward_a)
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_information_concern", args=[report.pk]), {"category": category.slug}
    )

    assert "Enter a description of the concern" in response.content.decode()
    assert not Concern.objects.exists()


# Retention


@pytest.fixture
def aged_reports(agency, ward_a):
    old_at, recent_at = NOW - datetime.timedelta(days=366), NOW - datetime.timedelta(days=364)
    old = InformationReportFactory(agency=agency, ward=ward_a, created_at=old_at, happened_at=old_at)
    recent = InformationReportFactory(agency=agency, ward=ward_a, created_at=recent_at, happened_at=recent_at)
    return old, recent


def test_retention_deletes_old_reports_once(aged_reports):
    old, recent = aged_reports

    assert retention_apply(now=NOW)["priorities.information"] == 1
    assert retention_apply(now=NOW)["priorities.information"] == 0

    assert list(InformationReport.objects.values_list("pk", flat=True)) == [recent.pk]
    audits = AuditEvent.objects.filter(action="pact.retention.applied").order_by("pk")
    assert [event.data["counts"]["priorities.information"] for event in audits] == [1, 0]


def test_retention_period_is_configurable(aged_reports, settings):
    settings.PACT_RETENTION_DAYS = {**settings.PACT_RETENTION_DAYS, "information": 30}

    assert services.information_reports_expire(NOW) == 2


def test_retention_runs_in_the_daily_task(aged_reports, celery_eager):
    with time_machine.travel(NOW, tick=False):
        counts = retention_apply_task.delay().get()

    assert counts["priorities.information"] == 1
    assert InformationReport.objects.count() == 1


def test_subject_access_finds_reports_by_the_senders_address_without_the_people(partner_user, agency, ward_a):
    InformationReportFactory(agency=agency, ward=ward_a, submitted_by=partner_user)
    InformationReportFactory(agency=agency, ward=ward_a)

    items = services.information_reports_export(partner_user.email.upper())

    assert len(items) == 1
    assert "red jacket" not in str(items)
    assert items[0]["agency"] == "Safer Medway Partnership"
    assert services.information_reports_erase(partner_user.email, by=None) == 1
    assert services.information_reports_export(partner_user.email) == []
    assert InformationReport.objects.count() == 2
