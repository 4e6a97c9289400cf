"""Local evidence: partner reports and residents' log entries counted per ward and category,
in the officer's workspace and beside a concern when shortlisting."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from priorities.selectors.evidence import (
    EvidenceRow,
    evidence_for_concern,
    evidence_for_wards,
    evidence_since,
    workspace_information_for,
)
from tests.priorities.factories import (
    CategoryFactory,
    ChairFactory,
    ConcernFactory,
    IncidentLogEntryFactory,
    IncidentLogFactory,
    InformationReportFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=datetime.UTC)
SINCE = datetime.date(2026, 1, 1)


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


@pytest.fixture
def evidence(ward_a, ward_b):
    asb = CategoryFactory()
    drink = CategoryFactory(slug="street-drinking", name="Street drinking", is_police_uk=False)
    for happened in (_at(2026, 1, 2), _at(2026, 3, 1), _at(2025, 12, 31)):
        InformationReportFactory(ward=ward_a, category=asb, happened_at=happened, created_at=NOW)
    InformationReportFactory(ward=ward_a, category=drink, happened_at=_at(2026, 2, 1), created_at=NOW)
    InformationReportFactory(ward=ward_b, category=asb, happened_at=_at(2026, 2, 1), created_at=NOW)
    concern = ConcernFactory(ward=ward_a, category=asb)
    log = IncidentLogFactory(concern=concern)
    for happened in (_at(2026, 2, 10), _at(2026, 2, 11), _at(2025, 11, 1)):
        IncidentLogEntryFactory(log=log, happened_at=happened, created_at=NOW)
    return concern


def test_evidence_since_counts_this_month_and_the_two_before():
    assert evidence_since(today=datetime.date(2026, 3, 20)) == SINCE
    assert evidence_since(today=datetime.date(2026, 1, 5)) == datetime.date(2025, 11, 1)
    assert evidence_since(months=1, today=datetime.date(2026, 1, 5)) == datetime.date(2026, 1, 1)


def test_evidence_for_wards_counts_per_ward_and_category(evidence, ward_a, ward_b, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = evidence_for_wards(ward_ids={ward_a.pk}, since=SINCE)

    assert rows == [
        EvidenceRow(ward_a.code, "Abbey", "Anti-social behaviour", reports=2, log_entries=2),
        EvidenceRow(ward_a.code, "Abbey", "Street drinking", reports=1, log_entries=0),
    ]
    assert evidence_for_wards(ward_ids={ward_b.pk}, since=SINCE) == [
        EvidenceRow(ward_b.code, "Barming", "Anti-social behaviour", reports=1, log_entries=0),
    ]


def test_evidence_for_concern_counts_its_ward_and_category(evidence):
    counts = evidence_for_concern(concern=evidence, since=SINCE)

    assert (counts.reports, counts.log_entries) == (2, 2)


@time_machine.travel(NOW, tick=False)
def test_concern_page_shows_evidence_beside_shortlisting(client, officer, evidence):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_concern", args=[evidence.reference])).content.decode()

    assert "Since 1 January 2026, about anti-social behaviour in Abbey:" in content
    assert "2 reports from partners and" in content
    assert "2 entries in residents" in content


@time_machine.travel(NOW, tick=False)
def test_chair_sees_evidence_counts_but_not_the_logs(client, chair, evidence, ward_a):
    ChairFactory(user=chair, panel__wards=[ward_a])
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_concern", args=[evidence.reference])).content.decode()

    assert "2 reports from partners" in content
    assert "Motorbikes on the footpath" not in content


@time_machine.travel(NOW, tick=False)
def test_officer_workspace_shows_reports_logs_and_evidence(client, officer, evidence, ward_a):
    client.force_login(officer)

    content = client.get(reverse("staff:home")).content.decode()

    assert "5 new reports from partners" not in content  # ward B's report is not the team's
    assert "4 new reports from partners" in content
    assert f"{evidence.reference}</a>" in content
    assert "3 entries, latest added" in content
    assert "Local evidence since 1 January 2026" in content


@time_machine.travel(NOW, tick=False)
def test_workspace_information_queries(officer, evidence, django_assert_num_queries):
    # roles, the team's wards, new reports, logs, evidence: reports and log entries.
    with django_assert_num_queries(6):
        information = workspace_information_for(officer)

    assert information is not None
    assert [log.entry_count for log in information.logs] == [3]


def test_workspace_information_is_for_officers_and_administrators(chair, partner, admin_user, evidence):
    assert workspace_information_for(chair) is None
    assert workspace_information_for(partner) is None
    everything = workspace_information_for(admin_user)
    assert everything is not None
    assert (everything.new_reports, everything.logs, everything.evidence) == (5, None, None)
