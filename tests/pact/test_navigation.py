"""Find your way: the service navigation on every public page, the home page's plain account of
what a resident can do, and the ward page's open consultations (issue 13, item 8)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.priorities.factories import SurveyFactory
from tests.wards.factories import DistrictFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

NAV_LABELS = ["Find your area", "Have your say", "Surveys", "Open data"]


def _nav(html: str) -> str:
    start = html.index('<ul class="govuk-service-navigation__list"')
    return html[start : html.index("</ul>", start)]


@pytest.fixture
def ward():
    team = TeamFactory()
    return WardFactory(name="Chatham Central", team=team, district=team.district)


@pytest.mark.parametrize(
    ("url_name", "args", "current_label", "current"),
    [
        ("home", [], "Find your area", "page"),
        ("wards:index", [], "Find your area", "true"),
        ("wards:map", [], "Find your area", "true"),
        ("feedback:start", [], "Have your say", "page"),
        ("feedback:give", ["compliment"], "Have your say", "true"),
        ("feedback:surveys", [], "Surveys", "page"),
        ("api_docs", [], "Open data", "page"),
        ("accessibility", [], None, None),
        ("privacy", [], None, None),
    ],
)
def test_every_public_page_carries_the_service_navigation_with_the_current_page_marked(
    client, url_name, args, current_label, current
):
    html = client.get(reverse(url_name, args=args)).content.decode()
    nav = _nav(html)

    for label in NAV_LABELS:
        assert label in nav
    marked = nav.count("aria-current=")
    if current_label is None:
        assert marked == 0
    else:
        assert marked == 1
        item = nav[nav.index("aria-current=") :]
        assert item.startswith(f'aria-current="{current}"')
        assert current_label in item[: item.index("</a>")]


def test_ward_page_is_within_find_your_area(client, ward):
    nav = _nav(client.get(reverse("wards:detail", args=[ward.code])).content.decode())

    assert 'aria-current="true"' in nav
    assert nav.count("aria-current=") == 1


def test_home_page_says_what_pact_is_and_links_to_what_a_resident_can_do(client):
    html = client.get(reverse("home")).content.decode()

    assert "Partners and Communities Together" in html
    main = html[html.index("<main") :]
    for url in [reverse("feedback:start"), reverse("feedback:surveys"), reverse("api_docs"), reverse("wards:index")]:
        assert f'href="{url}' in main


def test_ward_page_lists_the_open_surveys_of_its_district_and_force_wide(client, ward):
    now = timezone.now()
    own = SurveyFactory(title="Chatham night-time safety")
    own.districts.add(ward.district)
    SurveyFactory(title="Kent-wide survey")
    elsewhere = SurveyFactory(title="Dover seafront survey")
    elsewhere.districts.add(DistrictFactory())
    SurveyFactory(title="Closed survey", opens_at=now - datetime.timedelta(days=30), closes_at=now)
    SurveyFactory(title="Future survey", opens_at=now + datetime.timedelta(days=1))

    html = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert "Surveys you can answer" in html
    assert "Chatham night-time safety" in html
    assert "Kent-wide survey" in html
    assert html.count("Kent-wide survey") == 1
    for absent in ["Dover seafront survey", "Closed survey", "Future survey"]:
        assert absent not in html
    assert reverse("feedback:survey", args=[own.slug]) in html


def test_ward_page_says_when_no_survey_is_open(client, ward):
    html = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert f"No consultation is open in {ward.district.name} at the moment" in html
