"""The wards part of the read API: districts, wards, teams; and what every endpoint shares
(pagination, errors, caching, read-only, rate limit), tested here on the wards list."""

import json

import pytest

from tests.wards.factories import DistrictFactory, OfficerFactory, TeamFactory, WardFactory
from wards.models import Officer

pytestmark = pytest.mark.django_db


def _get(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_ward_list_gives_wards_by_name_with_district_team_and_links(client):
    ward = WardFactory(name="Barming")
    WardFactory(name="Allington")

    body = _get(client, "/api/v1/wards/")

    assert body["count"] == 2
    assert [item["name"] for item in body["results"]] == ["Allington", "Barming"]
    item = body["results"][1]
    assert item["code"] == ward.code
    assert item["district"] == {"code": ward.district.code, "name": ward.district.name}
    assert item["team"] == {"id": ward.team.pk, "slug": ward.team.slug, "name": ward.team.name}
    assert item["centroid"] == {"lat": ward.centroid_lat, "lng": ward.centroid_lng}
    assert item["url"] == f"http://testserver/api/v1/wards/{ward.code}/"
    assert item["page_url"] == f"http://testserver/wards/{ward.code}/"
    assert "boundary" not in item


def test_ward_list_filters_by_district_and_team(client):
    district = DistrictFactory()
    team = TeamFactory(district=district)
    in_team = WardFactory(district=district, team=team)
    in_district = WardFactory(district=district)
    WardFactory()

    by_district = _get(client, f"/api/v1/wards/?district={district.code}")
    by_team = _get(client, f"/api/v1/wards/?team={team.pk}")

    assert {item["code"] for item in by_district["results"]} == {in_team.code, in_district.code}
    assert [item["code"] for item in by_team["results"]] == [in_team.code]


def test_ward_list_with_a_well_formed_district_we_do_not_hold_is_empty(client):
    WardFactory()

    body = _get(client, "/api/v1/wards/?district=E07999999")

    assert body["count"] == 0
    assert body["results"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("district=Maidstone", "district"), ("team=abc", "team"), ("team=0", "team"), ("district=", "district")],
)
def test_ward_list_bad_filter_is_400_naming_the_parameter(client, query, parameter):
    body = _get(client, f"/api/v1/wards/?{query}", status=400)

    assert body["detail"] == f"Bad value for the query parameter {parameter}."
    assert list(body["errors"]) == [parameter]


def test_ward_detail_gives_boundary_bbox_and_links_to_priorities_and_events(client):
    ward = WardFactory(old_code="45UH01")

    body = _get(client, f"/api/v1/wards/{ward.code}/")

    assert body["boundary"] == ward.boundary
    assert body["bbox"] == [ward.min_lng, ward.min_lat, ward.max_lng, ward.max_lat]
    assert body["old_code"] == "45UH01"
    assert body["links"] == {
        "priorities": f"http://testserver/api/v1/priorities/?ward={ward.code}",
        "events": f"http://testserver/api/v1/events/?ward={ward.code}",
    }


@pytest.mark.parametrize("code", ["E05999999", "e05999999", "nowhere"])
def test_ward_detail_of_an_unknown_code_is_a_json_404(client, code):
    WardFactory()

    body = _get(client, f"/api/v1/wards/{code}/", status=404)

    assert body == {"detail": f"There is no ward with the code {code}."}


def test_district_list_gives_districts_by_name_linking_to_their_wards(client):
    DistrictFactory(name="Swale", code="E07000113")
    DistrictFactory(name="Medway", code="E06000035", former_name="")

    body = _get(client, "/api/v1/districts/")

    assert [item["name"] for item in body["results"]] == ["Medway", "Swale"]
    assert body["results"][0]["wards_url"] == "http://testserver/api/v1/wards/?district=E06000035"
    assert "boundary" not in body["results"][0]


def test_team_list_gives_each_team_with_its_wards_and_filters_by_district(client):
    ward = WardFactory(name="Allington")
    WardFactory(name="Bridge", team=ward.team, district=ward.district)
    other = WardFactory()

    body = _get(client, f"/api/v1/teams/?district={ward.district.code}")

    assert body["count"] == 1
    team = body["results"][0]
    assert team["id"] == ward.team.pk
    assert [item["name"] for item in team["wards"]] == ["Allington", "Bridge"]
    assert team["page_url"] == f"http://testserver/teams/{ward.team.slug}/"
    assert _get(client, "/api/v1/teams/")["count"] == 2
    assert other.team.pk in {item["id"] for item in _get(client, "/api/v1/teams/")["results"]}


def test_team_detail_lists_officers_most_senior_first_without_contact_details(client):
    ward = WardFactory()
    team = ward.team
    team.email = "team-inbox@demo.pact.invalid"
    team.save()
    OfficerFactory(team=team, rank=Officer.Rank.PCSO, last_name="Adams", email="adams@demo.pact.invalid", phone="0700")
    OfficerFactory(team=team, rank=Officer.Rank.SERGEANT, last_name="Zed", email="zed@demo.pact.invalid")

    response = client.get(f"/api/v1/teams/{team.pk}/")

    body = json.loads(response.content)
    assert [(item["rank"], item["name"].split()[-1]) for item in body["officers"]] == [
        ("sergeant", "Zed"),
        ("pcso", "Adams"),
    ]
    assert body["officers"][0]["rank_label"] == "Sergeant"
    content = response.content.decode()
    for secret in ("team-inbox@", "adams@", "zed@", "0700", "email", "phone"):
        assert secret not in content


@pytest.mark.parametrize("team_id", ["999999", "9223372036854775808", "0"])
def test_team_detail_of_an_unknown_id_is_a_json_404(client, team_id):
    body = _get(client, f"/api/v1/teams/{team_id}/", status=404)

    assert body == {"detail": f"There is no neighbourhood team with the id {team_id}."}


def test_unknown_address_under_the_api_is_a_json_404_pointing_to_the_list(client):
    body = _get(client, "/api/v1/constables/", status=404)

    assert "/api/" in body["detail"]


# Pagination


def test_ward_list_pages_link_to_each_other_in_a_stable_order(client):
    for name in ["Cedar", "Ash", "Birch", "Ash"]:
        WardFactory(name=name)

    first = _get(client, "/api/v1/wards/?page_size=3")
    second = _get(client, first["next"].removeprefix("http://testserver"))

    assert (first["count"], first["pages"], first["page"], first["page_size"]) == (4, 2, 1, 3)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/wards/?page_size=3&page=2"
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/wards/?page_size=3&page=1"
    names = [item["name"] for item in first["results"] + second["results"]]
    assert names == ["Ash", "Ash", "Birch", "Cedar"]
    codes = [item["code"] for item in first["results"][:2]]
    assert codes == sorted(codes)


def test_page_zero_is_400_naming_page(client):
    body = _get(client, "/api/v1/wards/?page=0", status=400)

    assert body["errors"] == {"page": ["Ensure this value is greater than or equal to 1."]}


def test_page_beyond_the_last_is_404_saying_which_is_last(client):
    WardFactory()

    body = _get(client, "/api/v1/wards/?page=3", status=404)

    assert body == {"detail": "There is no page 3: the last page is 1."}


def test_first_page_of_an_empty_list_is_an_empty_page(client):
    body = _get(client, "/api/v1/wards/")

    assert (body["count"], body["pages"], body["results"]) == (0, 1, [])


def test_page_size_over_the_maximum_is_400_naming_page_size(client):
    body = _get(client, "/api/v1/wards/?page_size=101", status=400)

    assert body["detail"] == "Bad value for the query parameter page_size."
    assert body["errors"] == {"page_size": ["Ensure this value is less than or equal to 100."]}
    assert _get(client, "/api/v1/wards/?page_size=100")["page_size"] == 100


# Queries: a fixed number per response, whatever the page size.


@pytest.mark.parametrize("rows", [1, 20])
def test_ward_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, rows):
    WardFactory.create_batch(rows)

    # 1 count, 2 the page of wards with their districts and teams
    with django_assert_num_queries(2):
        body = _get(client, "/api/v1/wards/")

    assert len(body["results"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_district_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, rows):
    DistrictFactory.create_batch(rows)

    # 1 count, 2 the page of districts
    with django_assert_num_queries(2):
        body = _get(client, "/api/v1/districts/")

    assert len(body["results"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_team_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, rows):
    for ward in WardFactory.create_batch(rows):
        WardFactory(team=ward.team, district=ward.district)

    # 1 count, 2 the page of teams with their districts, 3 their wards
    with django_assert_num_queries(3):
        body = _get(client, "/api/v1/teams/")

    assert len(body["results"]) == rows
    assert all(len(team["wards"]) == 2 for team in body["results"])


@pytest.mark.parametrize("rows", [1, 20])
def test_team_detail_queries_do_not_grow_with_its_wards_and_officers(client, django_assert_num_queries, rows):
    team = TeamFactory()
    WardFactory.create_batch(rows, team=team, district=team.district)
    OfficerFactory.create_batch(rows, team=team)

    # 1 the team with its district, 2 its wards, 3 its officers
    with django_assert_num_queries(3):
        body = _get(client, f"/api/v1/teams/{team.pk}/")

    assert (len(body["wards"]), len(body["officers"])) == (rows, rows)


def test_ward_detail_is_one_query(client, django_assert_num_queries):
    ward = WardFactory()

    # 1 the ward with its district and team
    with django_assert_num_queries(1):
        _get(client, f"/api/v1/wards/{ward.code}/")


# Caching


def test_a_repeated_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    WardFactory.create_batch(3)
    first = client.get("/api/v1/wards/")

    with django_assert_num_queries(0):
        again = client.get("/api/v1/wards/")

    assert again.content == first.content
    assert again["Cache-Control"] == "public, max-age=60"
    assert again["ETag"] == first["ETag"]


def test_finding_11_unknown_query_parameters_neither_fill_the_cache_nor_reach_a_response(
    client, django_assert_num_queries
):
    WardFactory.create_batch(3)
    first = client.get("/api/v1/wards/?page_size=2")

    # An outsider adding parameters of their own gets the entry already kept: no new one, no query.
    with django_assert_num_queries(0):
        again = client.get("/api/v1/wards/?page_size=2&cachebuster=1&page_size=2&x=%00")
    body = json.loads(again.content)

    assert again.content == first.content
    assert body["next"] == "http://testserver/api/v1/wards/?page_size=2&page=2"


def test_finding_11_the_links_of_a_list_carry_only_its_own_parameters(client):
    WardFactory.create_batch(3)

    body = _get(client, "/api/v1/wards/?utm_source=x&page_size=2")

    assert body["next"] == "http://testserver/api/v1/wards/?page_size=2&page=2"


def test_a_public_change_is_seen_at_once(client):
    ward = WardFactory(name="Allington")
    _get(client, "/api/v1/wards/")

    ward.name = "Allington and Bridge"
    ward.save()

    assert _get(client, "/api/v1/wards/")["results"][0]["name"] == "Allington and Bridge"


def test_a_matching_etag_is_answered_304_without_a_body(client):
    WardFactory()
    etag = client.get("/api/v1/wards/")["ETag"]

    response = client.get("/api/v1/wards/", headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get("/api/v1/wards/", headers={"if-none-match": '"other"'}).status_code == 200


def test_errors_are_not_cached(client):
    _get(client, "/api/v1/wards/?page=2", status=404)
    WardFactory.create_batch(21)

    assert _get(client, "/api/v1/wards/?page=2")["page"] == 2


# Read-only, anonymous, JSON only


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_405_without_asking_for_csrf(method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)("/api/v1/wards/", data="{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.content) == {"detail": f'Method "{method.upper()}" not allowed.'}


def test_json_is_given_whatever_the_client_accepts(client):
    WardFactory()

    body = _get(client, "/api/v1/wards/", accept="text/html")

    assert body["count"] == 1


def test_a_signed_in_user_gets_the_same_public_answer(client, officer):
    client.force_login(officer)

    body = _get(client, "/api/v1/wards/")

    assert [item["name"] for item in body["results"]] == ["Abbey"]
    assert "csrftoken" not in client.cookies


def test_head_answers_like_get_without_a_body(client):
    WardFactory()

    response = client.head("/api/v1/wards/")

    assert response.status_code == 200
    assert response.content == b""


# Rate limit: the one the read APIs share (core.abuse.api_rate_limit_wait).


def test_a_client_past_the_rate_limit_is_answered_429_with_retry_after(client, settings):
    settings.PACT_API_RATE = 1
    settings.PACT_API_BURST = 2
    for _ in range(2):
        _get(client, "/api/v1/districts/")

    response = client.get("/api/v1/districts/")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert json.loads(response.content)["detail"].startswith("Too many requests: try again in ")
