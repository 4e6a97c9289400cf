"""The partnership report: every ward's priorities per district (or force-wide), filtered,
paginated and exported as CSV, for the districts each staff member's work ties them to."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from priorities.models import Priority
from priorities.views.reports.forms import ERROR_STALE_DAYS
from tests.core.factories import UserFactory
from tests.priorities.factories import (
    CategoryFactory,
    ChairFactory,
    PanelFactory,
    PartnerUserFactory,
    PlanPriorityFactory,
    PriorityFactory,
    ProgressEntryFactory,
)
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

URL = "/staff/reports/priorities/"
CSV_URL = "/staff/reports/priorities.csv"


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _priority(ward, title, *, slot=1, agreed=40, **extra) -> Priority:
    return PriorityFactory(ward=ward, slot=slot, title=title, agreed_on=_days_ago(agreed), **extra)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_report_addresses():
    assert reverse("priorities:staff_partnership_report") == URL
    assert reverse("priorities:staff_partnership_report_csv") == CSV_URL


def test_officer_sees_the_priorities_of_their_own_district(client, officer, ward_a, ward_b):
    neighbour = WardFactory(name="Allington", district=ward_a.district, team=None)
    _priority(ward_a, "Speeding on the London Road")
    _priority(neighbour, "Drug dealing in the park")
    _priority(ward_b, "Parking on the pavements")
    client.force_login(officer)

    page = client.get(URL).content.decode()

    assert "Speeding on the London Road" in page
    assert "Drug dealing in the park" in page
    assert "Parking on the pavements" not in page
    assert "All your districts" in page


def test_officer_asking_for_another_district_is_refused(client, officer, ward_b):
    _priority(ward_b, "Parking on the pavements")
    client.force_login(officer)

    assert client.get(URL, {"district": ward_b.district.code}).status_code == 403
    assert client.get(CSV_URL, {"district": ward_b.district.code}).status_code == 403


def test_administrator_sees_every_district_and_may_choose_one(client, admin_user, ward_a, ward_b):
    _priority(ward_a, "Speeding on the London Road")
    _priority(ward_b, "Parking on the pavements")
    client.force_login(admin_user)

    everything = client.get(URL).content.decode()
    one = client.get(URL, {"district": ward_b.district.code}).content.decode()

    assert "Kent and Medway (every district)" in everything
    assert "Speeding on the London Road" in everything
    assert "Parking on the pavements" in everything
    assert "Parking on the pavements" in one
    assert "Speeding on the London Road" not in one


def test_chair_sees_the_districts_of_their_panels(client, ward_a, ward_b):
    chair = ChairFactory(panel=PanelFactory(wards=[ward_b])).user
    _priority(ward_a, "Speeding on the London Road")
    _priority(ward_b, "Parking on the pavements")
    client.force_login(chair)

    page = client.get(URL).content.decode()

    assert "Parking on the pavements" in page
    assert "Speeding on the London Road" not in page


def test_partner_sees_the_districts_of_the_priorities_their_agency_is_named_on(client, ward_a, ward_b):
    partner = PartnerUserFactory()
    named = _priority(ward_a, "Speeding on the London Road")
    named.partners.add(partner.agency)
    _priority(ward_b, "Parking on the pavements")
    client.force_login(partner.user)

    page = client.get(URL).content.decode()

    assert "Speeding on the London Road" in page
    assert "Parking on the pavements" not in page


def test_partner_sees_the_districts_of_the_wards_their_agency_works_in(client, ward_a, ward_b):
    partner = PartnerUserFactory()
    partner.agency.wards.add(ward_b)
    _priority(ward_a, "Speeding on the London Road")
    _priority(ward_b, "Parking on the pavements")
    client.force_login(partner.user)

    page = client.get(URL).content.decode()

    assert "Parking on the pavements" in page
    assert "Speeding on the London Road" not in page


def test_staff_with_no_district_are_told_why_and_shown_nothing(client, ward_a):
    _priority(ward_a, "Speeding on the London Road")
    client.force_login(UserFactory(username="standards", roles=["professional_standards"]))

    response = client.get(URL)

    assert response.status_code == 200
    assert "No district is linked to your account" in response.content.decode()
    assert "Speeding on the London Road" not in response.content.decode()


def test_report_is_refused_to_signed_in_users_without_a_role(client, outsider):
    client.force_login(outsider)

    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_report_sends_anonymous_visitors_to_sign_in(client):
    assert client.get(URL).url.startswith(reverse("staff:login"))
    assert client.get(CSV_URL).url.startswith(reverse("staff:login"))


def test_report_shows_days_open_and_last_progress(client, admin_user, ward_a):
    priority = _priority(ward_a, "Speeding on the London Road", agreed=40)
    ProgressEntryFactory(priority=priority, happened_on=_days_ago(30))
    ProgressEntryFactory(priority=priority, happened_on=_days_ago(12), visibility="internal")
    client.force_login(admin_user)

    response = client.get(URL)
    row = response.context["rows"][0]

    assert (row.days_open, row.last_progress_on, row.days_without_progress) == (40, _days_ago(12), 12)
    assert "(12 days ago)" in response.content.decode()


def test_filters_by_category_plan_priority_and_status(client, admin_user, ward_a, ward_b):
    speeding = CategoryFactory(slug="speeding", name="Speeding")
    plan = PlanPriorityFactory(name="Protect people from harm")
    _priority(ward_a, "Speeding on the London Road", category=speeding, plan_priority=plan)
    _priority(ward_b, "Anti-social behaviour at the shops")
    _priority(ward_b, "Burglaries last winter", slot=2, status="resolved", ended_on=_days_ago(5), category=speeding)
    client.force_login(admin_user)

    def titles(**query) -> set[str]:
        return {row.priority.title for row in client.get(URL, query).context["rows"]}

    assert titles(category="speeding") == {"Speeding on the London Road"}
    assert titles(plan_priority=plan.pk) == {"Speeding on the London Road"}
    assert titles(status="resolved") == {"Burglaries last winter"}
    assert titles() == {"Speeding on the London Road", "Anti-social behaviour at the shops"}


def test_no_progress_filter_counts_from_the_last_entry_or_the_day_agreed(client, admin_user, ward_a, ward_b):
    quiet = _priority(ward_a, "Quiet for a month", agreed=90)
    ProgressEntryFactory(priority=quiet, happened_on=_days_ago(31))
    busy = _priority(ward_a, "Worked on last week", slot=2, agreed=90)
    ProgressEntryFactory(priority=busy, happened_on=_days_ago(7))
    _priority(ward_b, "Never worked on", agreed=45)
    _priority(ward_b, "Agreed a week ago", slot=2, agreed=7)
    client.force_login(admin_user)

    rows = client.get(URL, {"stale_days": 30}).context["rows"]

    assert {row.priority.title for row in rows} == {"Quiet for a month", "Never worked on"}


@pytest.mark.parametrize("value", ["0", "-3", "lots", "3651"])
def test_no_progress_filter_refuses_nonsense(client, admin_user, value):
    client.force_login(admin_user)

    response = client.get(URL, {"stale_days": value})

    assert response.status_code == 400
    assert response.context["form"].errors["stale_days"] == [ERROR_STALE_DAYS]
    assert "<title>Error: " in response.content.decode()


def test_report_counts_priorities_by_category(client, admin_user, ward_a, ward_b):
    speeding = CategoryFactory(slug="speeding", name="Speeding")
    _priority(ward_a, "Speeding on the London Road", category=speeding)
    _priority(ward_b, "Speeding by the school", category=speeding)
    _priority(ward_b, "Anti-social behaviour at the shops", slot=2)
    client.force_login(admin_user)

    counts = client.get(URL).context["counts"]

    assert counts == [
        {"category__name": "Speeding", "count": 2},
        {"category__name": "Anti-social behaviour", "count": 1},
    ]


def test_report_is_paginated(client, admin_user):
    for number in range(51):
        _priority(WardFactory(), f"Priority {number:02d}")
    client.force_login(admin_user)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 1
    assert "Priorities 51 to 51 of 51" in " ".join(second.content.decode().split())


def _many(count: int, district_ward) -> None:
    for number in range(count):
        ward = WardFactory(district=district_ward.district, team=district_ward.team)
        priority = _priority(ward, f"Priority {number}", plan_priority=PlanPriorityFactory())
        ProgressEntryFactory(priority=priority)


@pytest.mark.parametrize("count", [3, 9])
def test_report_page_runs_the_same_queries_whatever_the_number(
    client, officer, ward_a, count, django_assert_num_queries
):
    _many(count, ward_a)
    client.force_login(officer)

    # session, user, roles, the officer and their team, their team's district, the page's
    # priorities count, the page of priorities (with ward, district, category, plan priority,
    # lead officer and last progress), the counts by category, then the filter's districts,
    # categories and plan priorities as the form is drawn
    with django_assert_num_queries(11):
        response = client.get(URL)

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [3, 9])
def test_csv_runs_the_same_queries_whatever_the_number(client, admin_user, ward_a, count, django_assert_num_queries):
    _many(count, ward_a)
    client.force_login(admin_user)

    # session, user, roles, then the priorities (streamed in chunks of 500)
    with django_assert_num_queries(4):
        rows = _csv(client.get(CSV_URL))

    assert len(rows) == count + 1


def test_csv_holds_the_filtered_set(client, officer, ward_a, ward_b):
    speeding = CategoryFactory(slug="speeding", name="Speeding")
    plan = PlanPriorityFactory(name="Protect people from harm")
    lead = ward_a.team.officers.get()
    priority = _priority(
        ward_a, "Speeding on the London Road", agreed=40, category=speeding, plan_priority=plan, lead_officer=lead
    )
    ProgressEntryFactory(priority=priority, happened_on=_days_ago(10))
    _priority(ward_a, "Anti-social behaviour at the shops", slot=2)
    _priority(ward_b, "Speeding by the school", category=speeding)
    client.force_login(officer)

    response = client.get(CSV_URL, {"category": "speeding"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="priorities-your-districts-{today}.csv"'
    header, *rows = _csv(response)
    assert header[:4] == ["District", "Ward", "Ward code", "Place"]
    assert rows == [
        [
            ward_a.district.name,
            ward_a.name,
            ward_a.code,
            "1",
            "Speeding on the London Road",
            "Speeding",
            "Protect people from harm",
            "Current",
            _days_ago(40).isoformat(),
            "40",
            _days_ago(10).isoformat(),
            "10",
            str(lead),
        ]
    ]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, admin_user, ward_a):
    _priority(ward_a, '=HYPERLINK("http://example.com")')
    client.force_login(admin_user)

    rows = _csv(client.get(CSV_URL))

    assert rows[1][4] == '\'=HYPERLINK("http://example.com")'


def test_csv_with_bad_filters_is_refused(client, admin_user):
    client.force_login(admin_user)

    assert client.get(CSV_URL, {"stale_days": "lots"}).status_code == 400


@pytest.mark.parametrize("persona", ["officer", "chair", "partner", "admin_user"])
def test_staff_home_offers_the_report(client, request, persona, ward_a):
    client.force_login(request.getfixturevalue(persona))

    names = {link.url_name for link in client.get(reverse("staff:home")).context["links"]}

    assert "priorities:staff_partnership_report" in names
