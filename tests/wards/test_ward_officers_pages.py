"""Who covers which ward, as the public sees it, and the ward page built phone first."""

import json

import pytest
from django.urls import reverse

from tests.priorities.factories import ConcernFactory, PriorityFactory
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory
from wards.models import Officer, OfficerWard

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Rochester and Chatham", email="rochester@example.invalid")


@pytest.fixture
def ward(team):
    return WardFactory(name="Chatham Central", team=team, district=team.district)


@pytest.fixture
def other_ward(team):
    return WardFactory(name="Rochester East", team=team, district=team.district)


def _page(client, ward) -> str:
    response = client.get(reverse("wards:detail", args=[ward.code]))
    assert response.status_code == 200
    return response.content.decode()


def _cover(officer, *wards):
    for ward in wards:
        OfficerWard.objects.create(officer=officer, ward=ward)


def test_ward_page_lists_its_own_officers_first_and_the_rest_of_the_team_after(client, team, ward, other_ward):
    OfficerFactory(team=team, rank=Officer.Rank.SERGEANT, first_name="Alex", last_name="Morgan")
    pcso = OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Sam", last_name="Patel")
    special = OfficerFactory(team=team, rank=Officer.Rank.SPECIAL, first_name="Kim", last_name="Dale")
    elsewhere = OfficerFactory(team=team, rank=Officer.Rank.PC, first_name="Jo", last_name="Cole")
    _cover(pcso, ward)
    _cover(special, ward, other_ward)
    _cover(elsewhere, other_ward)

    content = _page(client, ward)

    own = content.index('id="officers"')
    rest = content.index("The rest of the Rochester and Chatham team (2 more people)")
    assert (
        own < content.index("Special Constable Kim Dale") < content.index("Police Community Support Officer Sam Patel")
    )
    assert content.index("Police Community Support Officer Sam Patel") < rest
    assert rest < content.index("Sergeant Alex Morgan") < content.index("Police Constable Jo Cole")


def test_ward_officers_can_be_called_and_emailed_with_a_tap(client, team, ward):
    pcso = OfficerFactory(team=team, rank=Officer.Rank.PCSO, email="sam.patel@example.invalid", phone="01634 792 000")
    _cover(pcso, ward)

    content = _page(client, ward)

    assert 'href="mailto:sam.patel@example.invalid"' in content
    assert 'href="tel:01634792000">01634 792 000</a>' in content
    assert 'href="mailto:rochester@example.invalid"' in content
    assert 'href="tel:101"' in content
    assert 'href="tel:999"' in content


def test_a_ward_with_no_officer_of_its_own_says_the_whole_team_covers_it(client, team, ward):
    OfficerFactory(team=team, rank=Officer.Rank.PC, first_name="Jo", last_name="Cole")

    content = _page(client, ward)

    assert (
        "No officer has been named for Chatham Central yet: the whole Rochester and Chatham team covers it." in content
    )
    assert "The rest of the" not in content
    assert content.index("the whole Rochester and Chatham team covers it") < content.index("Police Constable Jo Cole")


def test_partner_staff_are_shown_with_the_team_and_whom_they_work_for(client, team, ward):
    warden = OfficerFactory(
        team=team, rank=Officer.Rank.WARDEN, first_name="Lee", last_name="Hart", organisation="Medway Council"
    )
    _cover(warden, ward)

    content = _page(client, ward)

    assert "Community Warden Lee Hart" in content
    assert "Medway Council" in content
    assert f"Staff number {warden.collar_number}" in content


@pytest.mark.parametrize("officer_count", [3, 30])
def test_ward_page_queries_stay_flat_with_ward_officers(client, django_assert_num_queries, team, ward, officer_count):
    for officer in OfficerFactory.create_batch(officer_count, team=team):
        _cover(officer, ward)
    OfficerFactory.create_batch(officer_count, team=team)

    # the same 14 as tests/wards/test_pages.py: the ward's own officers come in the team's one query
    with django_assert_num_queries(14):
        response = client.get(reverse("wards:detail", args=[ward.code]))

    assert response.content.decode().count('class="pact-officer"') == 2 * officer_count


def test_ward_page_puts_what_a_resident_came_for_first_and_folds_the_rest(client, team, ward):
    content = _page(client, ward)

    order = [
        content.index('aria-label="Contents"'),
        content.index('id="priorities"'),
        content.index('id="meetings"'),
        content.index('id="officers"'),
        content.index('id="concerns"'),
        content.index('id="crime"'),
        content.index('id="news"'),
        content.index('id="updates"'),
        content.index('id="past-priorities"'),
    ]
    assert order == sorted(order)
    anchors = ("priorities", "meetings", "officers", "concerns", "crime", "news", "updates", "past-priorities")
    for anchor in (*anchors, "subscribe"):
        assert f'href="#{anchor}"' in content
    folded = content.split('<details class="govuk-details pact-fold">')
    assert len(folded) == 5  # crime, news, updates and past priorities
    assert "Show local news" in content
    # A folded section's heading is the page's, not a second one inside the fold.
    assert content.count('id="news"') == 1


def test_ward_page_folds_past_priorities_with_their_outcome(client, ward):
    for day in (1, 2, 3, 4):
        PriorityFactory(
            ward=ward, title=f"Past {day}", status="closed", ended_on=f"2026-09-0{day}", outcome=f"Outcome {day}."
        )

    content = _page(client, ward)

    fold = content.split('id="past-priorities"')[1].split("</details>")[0]
    assert [f"Past {day}" in fold for day in (4, 3, 2, 1)] == [True, True, True, False]
    assert "Closed at review on 4 September 2026" in fold
    assert "Outcome 4." in fold


def test_concern_list_shows_the_state_of_the_priority_it_became(client, ward):
    resolved = ConcernFactory(ward=ward, status="adopted", description="Speeding on the High Street")
    PriorityFactory(ward=ward, concern=resolved, status="resolved", ended_on="2026-11-01", outcome="Camera")
    current = ConcernFactory(ward=ward, status="adopted", description="Litter by the shops")
    PriorityFactory(ward=ward, concern=current, slot=2)

    content = client.get(reverse("priorities:ward_concerns", args=[ward.code])).content.decode()

    speeding = content.split("Speeding on the High Street")[0].rsplit("pact-concern", 1)[1]
    litter = content.split("Litter by the shops")[0].rsplit("pact-concern", 1)[1]
    assert ">Resolved</strong>" in speeding
    assert "Adopted as a priority" not in speeding
    assert "Adopted as a priority" in litter


def test_team_page_says_who_covers_each_ward(client, team, ward, other_ward):
    pcso = OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Sam", last_name="Patel")
    _cover(pcso, ward)

    content = client.get(reverse("wards:team", args=[team.slug])).content.decode()

    assert "covered by Police Community Support Officer Sam Patel" in content
    assert "the whole team" in content
    geojson = json.loads(content.split('id="team-geojson" type="application/json">')[1].split("</script>")[0])
    covers = {feature["properties"]["name"]: feature["properties"].get("officers") for feature in geojson["features"]}
    assert covers == {"Chatham Central": "Police Community Support Officer Sam Patel", "Rochester East": None}


def test_force_map_says_who_covers_each_ward(client, team, ward):
    pcso = OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Sam", last_name="Patel")
    _cover(pcso, ward)

    content = client.get(reverse("wards:map")).content.decode()
    wards = {entry["name"]: entry for entry in client.get(reverse("wards:map_boundaries")).json()["wards"]}

    assert "Chatham Central</a>: covered by Police Community Support Officer Sam Patel" in content
    assert wards["Chatham Central"]["officers"] == "Police Community Support Officer Sam Patel"


def test_assigning_a_ward_refreshes_the_cached_ward_page(client, team, ward, sergeant_of):
    from priorities.services.team import officer_wards_set

    pcso = OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Sam", last_name="Patel")
    assert "No officer has been named for Chatham Central yet" in _page(client, ward)

    officer_wards_set(actor=sergeant_of(team), officer=pcso, wards=[ward])

    assert "No officer has been named for Chatham Central yet" not in _page(client, ward)


@pytest.fixture
def sergeant_of(django_capture_on_commit_callbacks):
    from tests.core.factories import UserFactory

    def make(team):
        user = UserFactory(username="sergeant_here", roles=["officer"])
        OfficerFactory(team=team, user=user, rank=Officer.Rank.SERGEANT)
        return user

    return make
