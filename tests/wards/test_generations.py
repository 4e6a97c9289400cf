"""Boundary generations: the active one drives search, lists, maps and the police.uk API; every ward keeps its page."""

import pytest
from django.urls import reverse

from tests.wards.factories import (
    GenerationFactory,
    PlaceFactory,
    PostcodeFactory,
    PostcodeWardFactory,
    TeamFactory,
    WardFactory,
    WardSuccessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def boundaries():
    """Chatham Central (2014) split between two wards of May 2025, and Westgate kept by both."""
    team = TeamFactory(name="Rochester and Chatham")
    old = WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)
    gen_2025 = GenerationFactory(id=2025)
    both = WardFactory(name="Westgate", generation_high=gen_2025, team=team, district=team.district)
    chatham = WardFactory(name="Chatham Central and Brompton", generation_low=gen_2025, district=team.district)
    fort = WardFactory(name="Fort Pitt", generation_low=gen_2025, district=team.district)
    WardSuccessionFactory(predecessor=old, successor=chatham, share=0.62)
    WardSuccessionFactory(predecessor=old, successor=fort, share=0.38)
    postcode = PostcodeFactory(postcode="ME4 4TR", ward=old)
    PostcodeWardFactory(postcode=postcode, ward=chatham, generation=gen_2025, placement="code_current")
    kept = PostcodeFactory(postcode="ME4 4TS", ward=both)
    PostcodeWardFactory(postcode=kept, ward=both, generation=gen_2025, placement="code_current")
    PostcodeWardFactory(postcode__postcode="ME4 4TT", ward=fort)
    return {"old": old, "both": both, "chatham": chatham, "fort": fort}


def _page(client, ward) -> str:
    response = client.get(reverse("wards:detail", args=[ward.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_ward_of_the_active_generation_links_to_the_wards_that_replaced_it(client, boundaries):
    content = _page(client, boundaries["old"])

    assert "not one of the wards PACT works with now" not in content
    assert "Chatham Central was replaced in May 2025 by:" in content
    assert f'href="/wards/{boundaries["chatham"].code}/">Chatham Central and Brompton</a>' in content
    assert "which took 62% of its area" in content
    assert "which took 38% of its area" in content


def test_ward_of_another_generation_says_so_and_links_back(client, boundaries):
    content = _page(client, boundaries["chatham"])

    assert "This ward is one of the 279 wards of May 2025, not one of the wards PACT works with now." in content
    assert "replaces parts of:" in content
    assert f'href="/wards/{boundaries["old"].code}/">Chatham Central</a>' in content
    assert "(62% of its area)" in content


def test_ward_kept_by_both_generations_has_no_notice(client, boundaries):
    assert 'id="boundary-changes"' not in _page(client, boundaries["both"])


def test_active_generation_drives_search_index_map_team_and_api(client, boundaries, settings):
    old, both, chatham, fort = (boundaries[key] for key in ("old", "both", "chatham", "fort"))
    team = old.team

    def listed(address: str) -> set[str]:
        content = client.get(address).content.decode()
        return {ward.code for ward in (old, both, chatham, fort) if f"/wards/{ward.code}/" in content}

    def neighbourhoods() -> set[str]:
        return {item["id"] for item in client.get("/api/kent/neighbourhoods").json()}

    assert client.get("/search/", {"q": "ME4 4TR"})["Location"] == f"/wards/{old.code}/"
    assert listed("/wards/") == listed("/map/") == listed(f"/teams/{team.slug}/") == {old.code, both.code}
    assert neighbourhoods() == {old.code, both.code}
    assert listed("/search/?q=ME4") == {old.code, both.code}

    settings.PACT_WARD_GENERATION = 2025
    chatham.team = fort.team = team
    chatham.save(update_fields=["team"])
    fort.save(update_fields=["team"])

    assert client.get("/search/", {"q": "ME4 4TR"})["Location"] == f"/wards/{chatham.code}/"
    assert (
        listed("/wards/") == listed("/map/") == listed(f"/teams/{team.slug}/") == {both.code, chatham.code, fort.code}
    )
    assert neighbourhoods() == {both.code, chatham.code, fort.code}
    assert listed("/search/?q=ME4") == {both.code, chatham.code, fort.code}
    assert client.get(f"/api/kent/{old.code}").status_code == 404
    assert "not one of the wards PACT works with now" in _page(client, old)


def test_place_search_uses_the_active_generations_wards(client, boundaries, settings):
    place = PlaceFactory(name="Brompton", wards=[boundaries["old"]])
    place.ward_links.create(generation_id=2025, ward=boundaries["chatham"], share=1.0)

    assert client.get("/search/", {"q": "Brompton"})["Location"] == f"/wards/{boundaries['old'].code}/"
    settings.PACT_WARD_GENERATION = 2025
    assert client.get("/search/", {"q": "Brompton"})["Location"] == f"/wards/{boundaries['chatham'].code}/"


@pytest.mark.parametrize("generations", [1, 3])
def test_ward_page_query_count_does_not_grow_with_generations(client, django_assert_num_queries, generations):
    team = TeamFactory()
    wards = [WardFactory(team=team, district=team.district)]
    for year in (2019, 2025)[: generations - 1]:
        later = GenerationFactory(id=year)
        successors = [WardFactory(generation_low=later, team=team, district=team.district) for _ in range(3)]
        for successor in successors:
            WardSuccessionFactory(predecessor=wards[-1], successor=successor, share=0.33)
        wards.append(successors[0])
    middle = wards[len(wards) // 2]

    # the same 14 as tests/wards/test_pages.py (the successions both ways are one query)
    with django_assert_num_queries(14):
        _page(client, middle)


@pytest.mark.parametrize("generations", [1, 3])
def test_postcode_search_query_count_does_not_grow_with_generations(client, django_assert_num_queries, generations):
    postcode = PostcodeFactory(postcode="ME4 4TR")
    for year in (2019, 2025)[: generations - 1]:
        PostcodeWardFactory(postcode=postcode, ward=WardFactory(generation_low=GenerationFactory(id=year)))

    # 1 the postcode's ward in the active generation
    with django_assert_num_queries(1):
        response = client.get("/search/", {"q": "ME4 4TR"})

    assert response.status_code == 302


@pytest.mark.parametrize("generations", [1, 3])
def test_place_search_query_count_does_not_grow_with_generations(client, django_assert_num_queries, generations):
    place = PlaceFactory(name="Faversham", wards=[WardFactory(), WardFactory()])
    for year in (2019, 2025)[: generations - 1]:
        later = GenerationFactory(id=year)
        for _ in range(3):
            place.ward_links.create(generation=later, ward=WardFactory(generation_low=later), share=0.3)

    # 1 places by name, 2 their active wards, 3 the count of wards matching by name
    with django_assert_num_queries(3):
        response = client.get("/search/", {"q": "Faversham"})

    assert "Wards in Faversham" in response.content.decode()
