"""Satisfaction after a concern as feedback: the item in the team's queue, and the report by
team and district and month, with small numbers hidden as the equality report hides them."""

import datetime
import itertools

import pytest
import time_machine
from django.urls import reverse

from core.satisfaction import ConcernSatisfaction, satisfaction_answered, satisfaction_record
from feedback.models import Feedback
from feedback.selectors.satisfaction import BY_DISTRICT, FORCE_WIDE, satisfaction_report
from tests.wards.factories import DistrictFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

URL = "/staff/satisfaction/"
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)
_references = itertools.count(1)


def _answer(ward, *, score=4, fixed="yes", comment=""):
    reference = f"PACT-{next(_references):06d}"
    satisfaction_record(
        ConcernSatisfaction(concern_reference=reference, ward_id=ward.pk, score=score, fixed=fixed, comment=comment)
    )
    return reference


def _answers(ward, scores: dict[int, int], fixed: dict[str, int]):
    fixes = [value for value, count in fixed.items() for _ in range(count)]
    answers = [score for score, count in scores.items() for _ in range(count)]
    assert len(fixes) == len(answers)
    for score, fix in zip(answers, fixes, strict=True):
        _answer(ward, score=score, fixed=fix)


def _row(month, name):
    row = next(row for row in month.rows if row.name == name)
    return row.answers, row.satisfaction, row.fixed, row.satisfied_share


def test_report_address():
    assert reverse("feedback:staff_satisfaction_report") == URL


def test_an_answer_is_an_item_in_its_teams_queue_only(client, officer, other_officer, ward_a):
    reference = _answer(ward_a, score=2, fixed="no", comment="Still happening every night.")
    item = Feedback.objects.get(concern_reference=reference)

    assert satisfaction_answered(reference)
    assert not satisfaction_answered("PACT-NOPE00")
    client.force_login(officer)
    queue = client.get(reverse("feedback:staff_queue")).content.decode()
    assert item.reference in queue
    assert "Satisfaction after a concern" in queue
    detail = client.get(reverse("feedback:staff_detail", args=[item.reference])).content.decode()
    assert "2 out of 5: Dissatisfied" in detail
    assert "Still happening every night." in detail
    assert reverse("priorities:staff_concern", args=[reference]) in detail
    client.force_login(other_officer)
    assert item.reference not in client.get(reverse("feedback:staff_queue")).content.decode()
    assert client.get(reverse("feedback:staff_detail", args=[item.reference])).status_code == 404


@pytest.fixture
def teams():
    """Three teams: A and B in Ashford, C in Medway, each with a ward."""
    ashford, medway = DistrictFactory(name="Ashford"), DistrictFactory(name="Medway")
    team_a = TeamFactory(name="Ashford Central", district=ashford)
    team_b = TeamFactory(name="Ashford Rural", district=ashford)
    team_c = TeamFactory(name="Medway Towns", district=medway)
    return [WardFactory(team=team, district=team.district) for team in (team_a, team_b, team_c)]


def test_small_numbers_are_hidden_and_cannot_be_worked_out(teams):
    ward_a, ward_b, ward_c = teams
    with time_machine.travel(NOW, tick=False):
        _answers(ward_a, {5: 8, 3: 3, 1: 1}, {"yes": 12})
        _answers(ward_b, {4: 4}, {"partly": 4})
        _answers(ward_c, {5: 15, 2: 5}, {"yes": 10, "no": 10})
        report = satisfaction_report(minimum=5)

    (month,) = report.months
    assert month.month == datetime.date(2026, 11, 1)
    assert [row.name for row in month.rows] == [FORCE_WIDE, "Ashford Central", "Ashford Rural", "Medway Towns"]
    # Force-wide: "neither" (3) is small, so "dissatisfied" goes too, or 36 - 27 would give it.
    assert _row(month, FORCE_WIDE) == (36, [27, None, None], [22, None, None], 75)
    # Ashford Rural is too small to show; Ashford Central then hides too, or 36 - 20 - 12 would give it.
    assert _row(month, "Ashford Rural") == (None, [None] * 3, [None] * 3, None)
    assert _row(month, "Ashford Central") == (None, [None] * 3, [None] * 3, None)
    # Medway's "fixed: yes" would give away the hidden areas' (22 - 10 = 12), so it hides, and "no" with it.
    assert _row(month, "Medway Towns") == (20, [15, 0, 5], [None, 0, None], 75)


def test_by_district_and_by_month(teams):
    ward_a, ward_b, ward_c = teams
    with time_machine.travel(NOW - datetime.timedelta(days=31), tick=False):
        _answers(ward_c, {5: 6}, {"yes": 6})
    with time_machine.travel(NOW, tick=False):
        _answers(ward_a, {5: 6}, {"yes": 6})
        _answers(ward_b, {1: 6}, {"no": 6})
        _answers(ward_c, {4: 6}, {"partly": 6})
        report = satisfaction_report(by=BY_DISTRICT, minimum=5)

    november, october = report.months
    assert (november.month, october.month) == (datetime.date(2026, 11, 1), datetime.date(2026, 10, 1))
    assert _row(november, "Ashford") == (12, [6, 0, 6], [6, 0, 6], 50)
    assert _row(november, "Medway") == (6, [6, 0, 0], [0, 6, 0], 100)
    assert _row(october, FORCE_WIDE) == (6, [6, 0, 0], [6, 0, 0], 100)


def test_answers_older_than_a_year_are_left_out(teams):
    with time_machine.travel(NOW - datetime.timedelta(days=400), tick=False):
        _answers(teams[0], {5: 6}, {"yes": 6})
    with time_machine.travel(NOW, tick=False):
        assert satisfaction_report(minimum=5).months == []


def test_the_report_page_for_administrators(client, admin_user, teams, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        for ward in teams:
            _answers(ward, {5: 11}, {"yes": 11})
        client.force_login(admin_user)
        # session, user, roles (groups), the grouped answers, the teams' names
        with django_assert_num_queries(5):
            response = client.get(URL)
        content = response.content.decode()
        assert response.status_code == 200
        assert "November 2026" in content
        assert "Medway Towns" in content
        assert client.get(URL + "?by=district").status_code == 200
        assert client.get(URL + "?by=ward").status_code == 404


def test_the_report_page_when_nobody_has_answered(client, admin_user):
    client.force_login(admin_user)

    assert "No resident has answered in the last 12 months." in client.get(URL).content.decode()
