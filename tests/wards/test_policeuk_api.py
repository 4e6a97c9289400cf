"""Contract tests of the data.police.uk-compatible API: force, neighbourhoods, boundary, people, locate.

The schemas below are data.police.uk's documented example shapes (docs/method/forces,
force, neighbourhoods, neighbourhood, neighbourhood-boundary, neighbourhood-team and
neighbourhood-locate): every documented field present, under its exact name, with its
type (numbers as strings) and nulls only where police.uk gives them. Every response of
these tests is checked against them.
"""

import datetime
import json

import jsonschema
import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from shapely.geometry import shape

from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory, square
from wards.models import Officer, OfficerWard, Ward

pytestmark = pytest.mark.django_db

DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]+$"}
NULLABLE_STRING = {"type": ["string", "null"]}
LINK = {
    "type": "object",
    "required": ["url", "title", "description"],
    "additionalProperties": False,
    "properties": {"url": {"type": "string"}, "title": {"type": "string"}, "description": NULLABLE_STRING},
}
LOCATION = {
    "type": "object",
    "required": ["name", "latitude", "longitude", "postcode", "address", "type", "description"],
    "properties": {
        "name": NULLABLE_STRING,
        "latitude": {"anyOf": [DECIMAL, {"type": "null"}]},
        "longitude": {"anyOf": [DECIMAL, {"type": "null"}]},
        "postcode": NULLABLE_STRING,
        "address": NULLABLE_STRING,
        "type": NULLABLE_STRING,
        "description": NULLABLE_STRING,
    },
}
CONTACT_DETAILS = {"type": "object", "additionalProperties": {"type": "string"}}
SUMMARY = {
    "type": "object",
    "required": ["id", "name"],
    "additionalProperties": False,
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
FORCES = {"type": "array", "items": SUMMARY}
FORCE = {
    "type": "object",
    "required": ["id", "name", "url", "telephone", "description", "engagement_methods"],
    "additionalProperties": False,
    "properties": {
        "id": {"const": "kent"},
        "name": {"type": "string"},
        "url": {"type": "string"},
        "telephone": {"type": "string"},
        "description": NULLABLE_STRING,
        "engagement_methods": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "title", "description", "url"],
                "additionalProperties": False,
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "description": NULLABLE_STRING,
                    "url": {"type": "string"},
                },
            },
        },
    },
}
NEIGHBOURHOODS = {"type": "array", "items": SUMMARY}
NEIGHBOURHOOD = {
    "type": "object",
    "required": [
        "id",
        "name",
        "url_force",
        "description",
        "welcome_message",
        "population",
        "contact_details",
        "centre",
        "links",
        "locations",
    ],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": r"^E05[0-9]{6}$"},
        "name": {"type": "string"},
        "url_force": {"type": "string"},
        "description": NULLABLE_STRING,
        "welcome_message": NULLABLE_STRING,
        "population": {"type": "string", "pattern": r"^[0-9]+$"},
        "contact_details": CONTACT_DETAILS,
        "centre": {
            "type": "object",
            "required": ["latitude", "longitude"],
            "additionalProperties": False,
            "properties": {"latitude": DECIMAL, "longitude": DECIMAL},
        },
        "links": {"type": "array", "items": LINK},
        "locations": {"type": "array", "items": LOCATION},
    },
}
BOUNDARY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["latitude", "longitude"],
        "additionalProperties": False,
        "properties": {"latitude": DECIMAL, "longitude": DECIMAL},
    },
}
PEOPLE = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name", "rank", "bio", "contact_details"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "rank": {"type": "string"},
            "bio": NULLABLE_STRING,
            "contact_details": CONTACT_DETAILS,
        },
    },
}
LOCATE = {
    "type": "object",
    "required": ["force", "neighbourhood"],
    "additionalProperties": False,
    "properties": {"force": {"const": "kent"}, "neighbourhood": {"type": "string"}},
}

# Westminster, as in data.police.uk's own locate example: a point well outside Kent.
LONDON = "51.500617,-0.124629"


def get_json(client, path, schema):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    jsonschema.validate(data, schema)
    return data


def assert_not_found(response):
    """data.police.uk's own 404: plain text "Not Found", with the CORS header all answers carry."""
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"Not Found"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.fixture
def team():
    return TeamFactory(name="Maidstone Central", slug="maidstone-central", email="maidstone@example.invalid")


@pytest.fixture
def ward(team):
    return WardFactory(name="High Street", team=team, district=team.district)


# --- forces -------------------------------------------------------------------------


def test_forces_lists_our_force_alone(client):
    assert get_json(client, "/api/forces", FORCES) == [{"id": "kent", "name": "Kent Police"}]


def test_force_kent_describes_the_force(client):
    data = get_json(client, "/api/forces/kent", FORCE)

    assert data["name"] == "Kent Police"
    assert data["telephone"] == "101"
    assert data["description"] is None


@pytest.mark.parametrize("force_id", ["leicestershire", "KENT", "metropolitan"])
def test_force_other_than_ours_is_not_found(client, force_id):
    assert_not_found(client.get(f"/api/forces/{force_id}"))


# --- neighbourhoods -----------------------------------------------------------------


def test_neighbourhoods_lists_every_ward_by_name(client, django_assert_num_queries):
    wards = [WardFactory(name=name) for name in ("Tunbridge", "Allington", "Marden")]

    # 1 the wards' codes and names
    with django_assert_num_queries(1):
        data = get_json(client, "/api/kent/neighbourhoods", NEIGHBOURHOODS)

    by_name = sorted(wards, key=lambda ward: ward.name)
    assert data == [{"id": ward.code, "name": ward.name} for ward in by_name]


def test_neighbourhoods_empty_when_no_wards_are_held(client):
    assert get_json(client, "/api/kent/neighbourhoods", NEIGHBOURHOODS) == []


def test_neighbourhoods_second_request_comes_from_the_cache(client, django_assert_num_queries):
    WardFactory.create_batch(3)
    first = client.get("/api/kent/neighbourhoods").content

    with django_assert_num_queries(0):
        assert client.get("/api/kent/neighbourhoods").content == first


def test_neighbourhoods_change_when_a_ward_is_added(client):
    WardFactory(name="Allington")
    assert len(get_json(client, "/api/kent/neighbourhoods", NEIGHBOURHOODS)) == 1

    WardFactory(name="Bearsted")

    assert len(get_json(client, "/api/kent/neighbourhoods", NEIGHBOURHOODS)) == 2


# --- a neighbourhood ----------------------------------------------------------------


def test_neighbourhood_maps_the_ward(client, ward, team, settings, django_assert_num_queries):
    settings.PACT_SITE_URL = "https://pact.example"

    # 1 the ward with its district and team
    with django_assert_num_queries(1):
        data = get_json(client, f"/api/kent/{ward.code}", NEIGHBOURHOOD)

    assert data["id"] == ward.code
    assert data["name"] == "High Street"
    assert data["url_force"] == f"https://pact.example/wards/{ward.code}/"
    assert float(data["centre"]["latitude"]) == pytest.approx(ward.centroid_lat)
    assert float(data["centre"]["longitude"]) == pytest.approx(ward.centroid_lng)
    assert data["population"] == "0"
    assert data["welcome_message"] is None
    assert data["locations"] == []
    assert data["contact_details"] == {"telephone": "101", "email": "maidstone@example.invalid"}
    assert "Maidstone Central" in data["description"]
    assert [link["url"] for link in data["links"]] == [
        f"https://pact.example/wards/{ward.code}/",
        "https://pact.example/teams/maidstone-central/",
    ]


def test_neighbourhood_without_a_team_has_only_the_force_telephone(client):
    ward = WardFactory(team=None)

    data = get_json(client, f"/api/kent/{ward.code}", NEIGHBOURHOOD)

    assert data["contact_details"] == {"telephone": "101"}
    assert len(data["links"]) == 1


def test_neighbourhood_escapes_names_in_its_html_description(client):
    ward = WardFactory(name="Fant <b>& Barming</b>", team=None)

    data = get_json(client, f"/api/kent/{ward.code}", NEIGHBOURHOOD)

    assert "Fant &lt;b&gt;&amp; Barming&lt;/b&gt;" in data["description"]


def test_neighbourhood_second_request_costs_no_query(client, ward, django_assert_num_queries):
    client.get(f"/api/kent/{ward.code}")

    with django_assert_num_queries(0):
        get_json(client, f"/api/kent/{ward.code}", NEIGHBOURHOOD)


@pytest.mark.parametrize("suffix", ["", "/boundary", "/people", "/events", "/priorities"])
def test_neighbourhood_methods_are_cached_by_ward_whatever_the_query_string(
    client, ward, suffix, django_assert_num_queries
):
    # Keyed by the method and the checked ward code only (issue 12, finding 11): added
    # parameters reach neither the key nor the answer.
    first = client.get(f"/api/kent/{ward.code}{suffix}")

    with django_assert_num_queries(0):
        again = client.get(f"/api/kent/{ward.code}{suffix}?cachebuster=1&q=x")

    assert again.content == first.content


@pytest.mark.parametrize("suffix", ["", "/boundary", "/people", "/events", "/priorities"])
def test_unknown_neighbourhood_is_not_found(client, suffix):
    assert_not_found(client.get(f"/api/kent/E05999999{suffix}"))


@pytest.mark.parametrize("code", ["not-a-ward", "e05004867", "E0500486", "E06000035"])
def test_malformed_neighbourhood_id_is_not_found_without_a_query(client, code, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_not_found(client.get(f"/api/kent/{code}"))


def test_neighbourhood_id_is_case_sensitive_as_on_police_uk(client, ward):
    assert_not_found(client.get(f"/api/kent/{ward.code.lower()}"))


@pytest.mark.parametrize("suffix", ["", "/boundary", "/people", "/events", "/priorities"])
def test_a_kept_ward_method_is_answered_with_the_rate_limit_alone(client, ward, suffix, monkeypatch):
    from core import cache as public_cache

    first = client.get(f"/api/kent/{ward.code}{suffix}")
    built = []
    monkeypatch.setattr(public_cache, "_lookup", lambda key: built.append(key) or (None, None))

    again = client.get(f"/api/kent/{ward.code}{suffix}")

    # The kept JSON came with the rate limit's read: the cache was not asked again.
    assert again.content == first.content
    assert built == []
    # Even kept, a code typed in lower case is not police.uk's id.
    assert_not_found(client.get(f"/api/kent/{ward.code.lower()}{suffix}"))


def test_a_kept_ward_method_changes_the_moment_the_ward_does(client, ward):
    client.get(f"/api/kent/{ward.code}")
    Ward.objects.filter(pk=ward.pk).update(name="Renamed")
    from core.cache import public_cache_bump

    public_cache_bump()

    assert json.loads(client.get(f"/api/kent/{ward.code}").content)["name"] == "Renamed"


def test_neighbourhood_of_another_force_is_not_served(client, ward):
    assert client.get(f"/api/leicestershire/{ward.code}").status_code == 404


# --- boundary -----------------------------------------------------------------------


def test_boundary_is_the_ring_as_latitude_longitude_strings(client, django_assert_num_queries):
    ward = WardFactory(boundary=square(0.5, 51.2, size=0.25))

    # 1 the ward's boundary
    with django_assert_num_queries(1):
        data = get_json(client, f"/api/kent/{ward.code}/boundary", BOUNDARY)

    assert data == [
        {"latitude": "51.2", "longitude": "0.5"},
        {"latitude": "51.2", "longitude": "0.75"},
        {"latitude": "51.45", "longitude": "0.75"},
        {"latitude": "51.45", "longitude": "0.5"},
        {"latitude": "51.2", "longitude": "0.5"},
    ]


def test_boundary_writes_whole_degrees_with_a_decimal_point(client):
    ward = WardFactory(boundary=square(1.0, 51.0, size=1.0))

    data = get_json(client, f"/api/kent/{ward.code}/boundary", BOUNDARY)

    assert data[0] == {"latitude": "51.0", "longitude": "1.0"}


def test_boundary_of_a_ward_in_parts_gives_each_closed_outer_ring(client):
    mainland, island = square(0.5, 51.2)["coordinates"], square(0.9, 51.4)["coordinates"]
    hole = [[0.502, 51.202], [0.503, 51.202], [0.503, 51.203], [0.502, 51.202]]
    ward = WardFactory(boundary={"type": "MultiPolygon", "coordinates": [[mainland[0], hole], island]})

    data = get_json(client, f"/api/kent/{ward.code}/boundary", BOUNDARY)

    assert len(data) == 10
    assert data[0] == data[4] == {"latitude": "51.2", "longitude": "0.5"}
    assert data[5] == data[9] == {"latitude": "51.4", "longitude": "0.9"}


# --- people -------------------------------------------------------------------------


def test_people_are_the_team_officers_most_senior_first(client, ward, team, django_assert_num_queries):
    OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Pat", last_name="Able", phone="", is_demo=False)
    OfficerFactory(
        team=team, rank=Officer.Rank.SERGEANT, first_name="Sam", last_name="Baker", email="sam@example.invalid"
    )
    OfficerFactory(team=team, rank=Officer.Rank.PC, first_name="Jo", last_name="Cole")
    OfficerFactory(team=TeamFactory(), rank=Officer.Rank.INSPECTOR)

    # 1 the ward's team, 2 its officers by rank
    with django_assert_num_queries(2):
        data = get_json(client, f"/api/kent/{ward.code}/people", PEOPLE)

    assert [(person["rank"], person["name"]) for person in data] == [
        ("Sergeant", "Sam Baker"),
        ("Police Constable", "Jo Cole"),
        ("Police Community Support Officer", "Pat Able"),
    ]
    assert data[0]["contact_details"] == {"email": "sam@example.invalid", "telephone": "101"}
    assert "telephone" not in data[2]["contact_details"]


def test_people_list_the_wards_own_officers_first(client, ward, team, django_assert_num_queries):
    OfficerFactory(team=team, rank=Officer.Rank.SERGEANT, first_name="Sam", last_name="Baker")
    own_pcso = OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Pat", last_name="Able")
    own_special = OfficerFactory(team=team, rank=Officer.Rank.SPECIAL, first_name="Kim", last_name="Dale")
    OfficerFactory(team=team, rank=Officer.Rank.PC, first_name="Jo", last_name="Cole")
    other_ward = WardFactory(team=team, district=team.district)
    for officer in (own_pcso, own_special):
        OfficerWard.objects.create(officer=officer, ward=ward)
    OfficerWard.objects.create(officer=own_pcso, ward=other_ward)

    # 1 the ward and its team, 2 the team's officers, the ward's own first
    with django_assert_num_queries(2):
        data = get_json(client, f"/api/kent/{ward.code}/people", PEOPLE)

    assert [(person["rank"], person["name"]) for person in data] == [
        ("Special Constable", "Kim Dale"),
        ("Police Community Support Officer", "Pat Able"),
        ("Sergeant", "Sam Baker"),
        ("Police Constable", "Jo Cole"),
    ]


def test_people_say_whom_a_warden_works_for(client, ward, team):
    OfficerFactory(team=team, rank=Officer.Rank.WARDEN, organisation="Maidstone Borough Council", is_demo=False)

    [warden] = get_json(client, f"/api/kent/{ward.code}/people", PEOPLE)

    assert warden["rank"] == "Community Warden"
    assert warden["bio"] == "<p>Community Warden with Maidstone Borough Council, working with the team.</p>"


def test_people_mark_demo_officers_fictional_and_real_ones_have_no_bio(client, ward, team):
    OfficerFactory(team=team, first_name="Demo", is_demo=True)
    OfficerFactory(team=team, first_name="Real", is_demo=False)

    data = {person["name"].split()[0]: person for person in get_json(client, f"/api/kent/{ward.code}/people", PEOPLE)}

    assert "fictional" in data["Demo"]["bio"]
    assert data["Real"]["bio"] is None


def test_people_empty_for_a_team_with_no_officers(client, ward):
    assert get_json(client, f"/api/kent/{ward.code}/people", PEOPLE) == []


def test_people_empty_for_a_ward_with_no_team(client, django_assert_num_queries):
    ward = WardFactory(team=None)

    # 1 the ward's team (none)
    with django_assert_num_queries(1):
        assert get_json(client, f"/api/kent/{ward.code}/people", PEOPLE) == []


# --- locate -------------------------------------------------------------------------


def test_locate_finds_the_ward_holding_the_point(client, django_assert_num_queries):
    wards = [WardFactory(boundary=square(0.5 + i * 0.01, 51.2), min_lng=0.5 + i * 0.01, min_lat=51.2) for i in range(3)]

    # 1 the wards whose bounding box holds the point, with their boundaries
    with django_assert_num_queries(1):
        data = get_json(client, "/api/locate-neighbourhood?q=51.205,0.515", LOCATE)

    assert data == {"force": "kent", "neighbourhood": wards[1].code}


def test_locate_tests_the_polygon_not_only_the_bounding_box(client):
    triangle = {"type": "Polygon", "coordinates": [[[0.5, 51.2], [0.6, 51.2], [0.5, 51.3], [0.5, 51.2]]]}
    WardFactory(boundary=triangle, min_lng=0.5, min_lat=51.2, max_lng=0.6, max_lat=51.3)

    assert_not_found(client.get("/api/locate-neighbourhood?q=51.29,0.59"))


def test_locate_on_a_shared_edge_goes_to_the_lower_code(client):
    west = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    WardFactory(boundary=square(0.51, 51.2), min_lng=0.51, min_lat=51.2)

    assert get_json(client, "/api/locate-neighbourhood?q=51.205,0.51", LOCATE)["neighbourhood"] == west.code


def test_locate_a_point_outside_kent_is_not_found(client, ward):
    assert_not_found(client.get(f"/api/locate-neighbourhood?q={LONDON}"))


@pytest.mark.parametrize("q", ["", "51.2", "51.2,", "abc,def", "51.2;0.5", "91,0.5", "51.2,181", "51.2,0.5,3", "0x1,2"])
def test_locate_with_a_malformed_q_answers_as_police_uk_does(client, q, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_not_found(client.get("/api/locate-neighbourhood", {"q": q}))


def test_locate_without_q_is_not_found(client):
    assert_not_found(client.get("/api/locate-neighbourhood"))


# The polygons are kept in the worker's memory (wards.boundary_index): whatever changes the
# wards must show at once, and the cost must not grow with the number of wards.


def locate(client, q: str) -> str | None:
    response = client.get(f"/api/locate-neighbourhood?q={q}")
    return json.loads(response.content)["neighbourhood"] if response.status_code == 200 else None


@pytest.mark.parametrize("wards", [1, 12])
def test_locate_costs_one_query_then_none_whatever_the_number_of_wards(client, django_assert_num_queries, wards):
    held = [
        WardFactory(boundary=square(0.5 + i * 0.01, 51.2), min_lng=0.5 + i * 0.01, min_lat=51.2) for i in range(wards)
    ]

    with django_assert_num_queries(1):
        assert locate(client, "51.205,0.505") == held[0].code
    with django_assert_num_queries(0):
        assert locate(client, "51.205,0.505") == held[0].code
        assert locate(client, "51.205,0.4") is None


def test_locate_finds_a_ward_added_after_it_answered(client):
    assert locate(client, "51.205,0.505") is None

    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)

    assert locate(client, "51.205,0.505") == ward.code


def test_locate_follows_a_boundary_changed_after_it_answered(client):
    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    assert locate(client, "51.205,0.505") == ward.code

    ward.boundary = square(0.6, 51.2)
    ward.save()

    assert locate(client, "51.205,0.505") is None
    assert locate(client, "51.205,0.605") == ward.code


def test_locate_forgets_a_deleted_ward(client):
    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    assert locate(client, "51.205,0.505") == ward.code

    ward.delete()

    assert locate(client, "51.205,0.505") is None


def test_locate_builds_again_when_the_cache_lost_the_version(client):
    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    assert locate(client, "51.205,0.505") == ward.code
    # A change no signal saw, then a cache that was flushed: a new version, so the new rows.
    Ward.objects.filter(pk=ward.pk).update(boundary=square(0.6, 51.2))
    cache.clear()

    assert locate(client, "51.205,0.605") == ward.code


def test_locate_reads_the_database_when_the_cache_is_down(client):
    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    assert locate(client, "51.205,0.505") == ward.code
    Ward.objects.filter(pk=ward.pk).update(boundary=square(0.6, 51.2), min_lng=0.6, max_lng=0.61)
    unreachable = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    with override_settings(CACHES=unreachable):
        assert locate(client, "51.205,0.605") == ward.code


@pytest.mark.usefixtures("local_cache")
def test_locate_keeps_its_polygons_with_the_local_cache_too(client, django_assert_num_queries):
    ward = WardFactory(boundary=square(0.5, 51.2), min_lng=0.5, min_lat=51.2)
    assert locate(client, "51.205,0.505") == ward.code

    with django_assert_num_queries(0):
        assert locate(client, "51.205,0.505") == ward.code


# --- the HTTP surface ---------------------------------------------------------------


def test_head_answers_like_get_without_a_body(client, ward):
    get = client.get(f"/api/kent/{ward.code}")
    head = client.head(f"/api/kent/{ward.code}")

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == "application/json"
    assert head["Access-Control-Allow-Origin"] == "*"
    assert int(head["Content-Length"]) == len(get.content)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_not_allowed(client, ward, method):
    response = getattr(client, method)(f"/api/kent/{ward.code}")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_answers_when_the_cache_is_down(client, ward):
    unreachable = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    with override_settings(CACHES=unreachable):
        data = get_json(client, f"/api/kent/{ward.code}", NEIGHBOURHOOD)

    assert data["id"] == ward.code


# --- rate limit ---------------------------------------------------------------------


def burst(client, n, path="/api/forces", **extra):
    return [client.get(path, **extra) for _ in range(n)]


@pytest.fixture
def local_cache():
    """The local-memory cache of the embedded mode, whose clock time-machine can stop (Redis keeps its own)."""
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "policeuk-tests"}}
    with override_settings(CACHES=local):
        cache.clear()
        yield
        cache.clear()


@pytest.mark.usefixtures("local_cache")
def test_rate_limit_allows_the_burst_then_answers_429(client):
    # The clock stands still, so no place in the bucket frees up during the burst.
    with time_machine.travel(datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC), tick=False):
        responses = burst(client, 32)

    assert [r.status_code for r in responses] == [200] * 30 + [429, 429]
    refused = responses[30]
    assert refused["Retry-After"] == "1"
    assert refused["Access-Control-Allow-Origin"] == "*"


@pytest.mark.usefixtures("local_cache")
def test_rate_limit_lets_a_client_go_on_at_the_average_rate(client):
    start = datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert all(r.status_code == 200 for r in burst(client, 30))
        assert client.get("/api/forces").status_code == 429
        clock.shift(datetime.timedelta(seconds=1))
        after_a_second = burst(client, 16)

    # 15 places free up in one second: 15 more requests, then the 16th is refused.
    assert [r.status_code for r in after_a_second] == [200] * 15 + [429]


@pytest.mark.usefixtures("local_cache")
def test_rate_limit_counts_each_client_apart(client):
    with time_machine.travel(datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC), tick=False):
        burst(client, 31, REMOTE_ADDR="203.0.113.9")
        other = client.get("/api/forces", REMOTE_ADDR="203.0.113.10")

    assert other.status_code == 200


@pytest.mark.usefixtures("local_cache")
def test_rate_limit_is_configurable(client, settings):
    settings.PACT_API_BURST = 3
    with time_machine.travel(datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC), tick=False):
        assert [r.status_code for r in burst(client, 4)] == [200, 200, 200, 429]


def test_rate_limit_fails_open_when_the_cache_is_down(client):
    unreachable = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable):
        assert {r.status_code for r in burst(client, 35)} == {200}


@pytest.mark.redis
def test_rate_limit_in_redis_allows_the_burst_then_answers_429(client, settings):
    # A bucket that refills once in 100 s: the burst is all this test can spend, however slow the machine.
    settings.PACT_API_RATE = 0.01

    responses = burst(client, 32)

    assert [r.status_code for r in responses] == [200] * 30 + [429, 429]
    assert 1 <= int(responses[30]["Retry-After"]) <= 100


@pytest.mark.redis
def test_rate_limit_in_redis_is_shared_by_every_api_method(client, settings, ward):
    settings.PACT_API_RATE = 0.01
    paths = [
        "/api/forces",
        "/api/kent/neighbourhoods",
        f"/api/kent/{ward.code}",
        f"/api/kent/{ward.code}/priorities",
        "/api/locate-neighbourhood?q={1},{0}".format(*shape(ward.boundary).representative_point().coords[0]),
    ]

    statuses = [client.get(paths[i % len(paths)]).status_code for i in range(31)]

    assert statuses == [200] * 30 + [429]
