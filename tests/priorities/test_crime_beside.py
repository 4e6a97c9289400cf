"""Police.uk crime figures where staff decide: the officer's workspace, the concern being shortlisted, the ballot."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from priorities.models import Ballot
from priorities.services import ballots as ballot_services
from tests.priorities.factories import CategoryFactory, ConcernFactory, ballot_meeting
from tests.wards.factories import CrimeCategoryFactory, CrimeMonthFactory, WardCrimeCountFactory, WardFactory

pytestmark = pytest.mark.django_db

DECEMBER, JANUARY = datetime.date(2018, 12, 1), datetime.date(2019, 1, 1)
STAFF_HOME = reverse("staff:home")


@pytest.fixture(autouse=True)
def figures_are_fresh(monkeypatch):
    """Judge the figures as in March 2019, when January's were the newest published."""
    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2019, 3, 10))


@pytest.fixture
def categories():
    names = {"anti-social-behaviour": "Anti-social behaviour", "burglary": "Burglary", "drugs": "Drugs"}
    return {slug: CrimeCategoryFactory(slug=slug, name=name) for slug, name in names.items()}


def _held(ward, categories, month, **counts: int) -> None:
    held = CrimeMonthFactory(month=month)
    for slug, count in counts.items():
        WardCrimeCountFactory(ward=ward, month=held, category=categories[slug.replace("_", "-")], count=count)


def _crime_queries(queries) -> int:
    return sum(1 for query in queries if "wards_crime" in query["sql"] or "wards_wardcrimecount" in query["sql"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The officer's workspace.


@pytest.fixture
def team_wards(ward_a):
    """Ward A and a second ward of the same team, with two months of figures; ward B's stay out."""
    return [ward_a, WardFactory(name="Castle", team=ward_a.team, district=ward_a.district)]


def test_workspace_ranks_the_wards_categories_by_count_then_by_rise(client, officer, team_wards, ward_b, categories):
    abbey, castle = team_wards
    _held(abbey, categories, DECEMBER, burglary=2, drugs=1)
    _held(castle, categories, DECEMBER, anti_social_behaviour=12, drugs=7)
    _held(abbey, categories, JANUARY, burglary=8, drugs=4)
    _held(castle, categories, JANUARY, anti_social_behaviour=10, drugs=8)
    _held(ward_b, categories, JANUARY, burglary=99)
    client.force_login(officer)

    content = client.get(STAFF_HOME).content.decode()

    panel = content[content.index('id="crime"') :]
    highest = _text(panel[: panel.index("</table>")])
    rises = _text(panel[panel.index("Biggest rises") :].split("</table>")[0])
    order = ["Castle Anti-social behaviour 10 12 Down 2", "Abbey Burglary 8 2 Up 6", "Castle Drugs 8 7 Up 1"]
    assert [highest.index(row) for row in order] == sorted(highest.index(row) for row in order)
    order = ["Abbey Burglary 8 2 Up 6", "Abbey Drugs 4 1 Up 3", "Castle Drugs 8 7 Up 1"]
    assert [rises.index(row) for row in order] == sorted(rises.index(row) for row in order)
    assert "Anti-social behaviour" not in rises
    assert ward_b.name not in panel[: panel.index("<footer")]


def test_workspace_with_one_month_ranks_counts_and_says_there_is_no_change(client, officer, team_wards, categories):
    _held(team_wards[0], categories, JANUARY, burglary=3)
    client.force_login(officer)

    content = _text(client.get(STAFF_HOME).content.decode())

    assert "We hold no figures for the month before, so no change is shown." in content
    assert "Abbey Burglary 3" in content
    assert "Biggest rises" not in content


def test_workspace_without_figures_has_no_crime_panel(client, officer, team_wards):
    client.force_login(officer)

    assert "Crime in your wards" not in client.get(STAFF_HOME).content.decode()


@pytest.mark.parametrize("wards", [3, 30])
def test_workspace_crime_ranking_takes_two_queries_whatever_the_wards(client, officer, ward_a, categories, wards):
    for _ in range(wards):
        ward = WardFactory(team=ward_a.team, district=ward_a.district)
        _held(ward, categories, DECEMBER, burglary=1, drugs=2)
        _held(ward, categories, JANUARY, burglary=3, drugs=1)
    client.force_login(officer)
    client.get(STAFF_HOME)

    with CaptureQueriesContext(connection) as queries:
        content = client.get(STAFF_HOME).content.decode()

    # 1 the months held, 2 the wards' counts summed per ward, category and month
    assert _crime_queries(queries.captured_queries) == 2
    # Burglary rose by 2 in every ward: each is among the highest counts and the rises, ten at most.
    assert content.count("Up 2") == 2 * min(wards, 10)


# The concern a chair shortlists.


def test_concern_page_shows_its_categorys_figures_in_its_ward(client, officer, ward_a, ward_b, categories):
    concern = ConcernFactory(ward=ward_a, category=CategoryFactory(slug="burglary", name="Burglary"))
    _held(ward_a, categories, DECEMBER, burglary=1, drugs=5)
    _held(ward_a, categories, JANUARY, burglary=3)
    _held(ward_b, categories, JANUARY, burglary=40)
    client.force_login(officer)

    with CaptureQueriesContext(connection) as queries:
        content = _text(client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode())

    assert f"Police.uk figures in {ward_a.name} January 2019: 3; December 2018: 1 (up 2)" in content
    assert _crime_queries(queries.captured_queries) == 2


def test_concern_page_with_no_records_of_its_category_shows_zero(client, officer, ward_a, categories):
    concern = ConcernFactory(ward=ward_a)  # anti-social behaviour
    _held(ward_a, categories, JANUARY, burglary=3)
    client.force_login(officer)

    content = _text(client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode())

    assert "January 2019: 0; no earlier month held" in content


def test_concern_page_of_a_local_category_says_police_uk_does_not_count_it(client, officer, ward_a, categories):
    speeding = CategoryFactory(slug="speeding", name="Speeding", is_police_uk=False)
    concern = ConcernFactory(ward=ward_a, category=speeding)
    _held(ward_a, categories, JANUARY, burglary=3)
    client.force_login(officer)

    with CaptureQueriesContext(connection) as queries:
        content = _text(client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode())

    assert "Not a police.uk crime category" in content
    assert _crime_queries(queries.captured_queries) == 0


def test_concern_page_before_any_import_says_no_figures_are_held(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a)
    client.force_login(officer)

    content = _text(client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode())

    assert "No police.uk figures held yet" in content


# The ballot, whose options are the shortlisted concerns and the priorities up for review.


@pytest.mark.parametrize("concerns", [3, 12])
def test_ballot_page_shows_each_options_figures_in_fixed_queries(
    client, django_assert_num_queries, chair, ward_a, categories, concerns
):
    setup = ballot_meeting(ward_a, chair_user=chair, concerns=concerns)
    ballot = ballot_services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    _held(ward_a, categories, DECEMBER, anti_social_behaviour=6)
    _held(ward_a, categories, JANUARY, anti_social_behaviour=4)
    client.force_login(chair)
    url = reverse("priorities:staff_ballot", args=[ballot.pk])

    # 1 session, 2 user, 3 the user's roles, 4 ballot with meeting, panel, ward and votes, 5 the
    # panels they chair, 6 whether one serves the ward, 7 options counted, 8 crime months, 9 the
    # ward's counts of the options' categories, 10 members present, 11 votes (none, so no
    # prefetch), 12 current priorities, 13 members for the vote form, 14 how many options, 15 them;
    # before the first vote, options may change: 16 those on the ballot, 17 the ward's current
    # priorities and 18 its concerns that could be added; 19 residents' support for the options,
    # 20 the ballot's reopenings
    with django_assert_num_queries(20):
        content = _text(client.get(url).content.decode())

    assert content.count("January 2019: 4; December 2018: 6 (down 2)") == concerns


# Figures too old to weigh.


def test_stale_figures_are_left_out_of_the_concern(client, officer, ward_a, categories, monkeypatch):
    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2019, 5, 2))  # January is four months back
    concern = ConcernFactory(ward=ward_a, category=CategoryFactory(slug="burglary", name="Burglary"))
    _held(ward_a, categories, JANUARY, burglary=3)
    client.force_login(officer)

    content = _text(client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode())

    assert "Left out: the newest police.uk figures held are for January 2019 , more than three months old" in content
    assert "January 2019: 3" not in content


def test_figures_three_months_old_are_still_weighed(client, officer, ward_a, categories, monkeypatch):
    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2019, 4, 30))
    concern = ConcernFactory(ward=ward_a, category=CategoryFactory(slug="burglary", name="Burglary"))
    _held(ward_a, categories, JANUARY, burglary=3)
    client.force_login(officer)

    content = _text(client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode())

    assert "January 2019: 3" in content
    assert "Left out" not in content


def test_workspace_labels_its_month_and_says_when_it_is_stale(client, officer, team_wards, categories, monkeypatch):
    _held(team_wards[0], categories, JANUARY, burglary=3)
    client.force_login(officer)
    assert "Figures for January 2019" in _text(client.get(STAFF_HOME).content.decode())
    assert "more than three months ago" not in _text(client.get(STAFF_HOME).content.decode())

    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2026, 12, 6))
    content = _text(client.get(STAFF_HOME).content.decode())

    assert "they stop at January 2019: more than three months ago" in content


def test_stale_figures_are_left_out_of_the_ballot(client, chair, ward_a, categories, monkeypatch):
    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2026, 12, 6))
    setup = ballot_meeting(ward_a, chair_user=chair, concerns=3)
    ballot = ballot_services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    _held(ward_a, categories, JANUARY, anti_social_behaviour=4)
    client.force_login(chair)

    content = _text(client.get(reverse("priorities:staff_ballot", args=[ballot.pk])).content.decode())

    assert content.count("Left out: the newest police.uk figures held are for January 2019") == 3
    assert "January 2019: 4" not in content
