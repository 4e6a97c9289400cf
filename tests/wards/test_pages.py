import pytest
from django.test import override_settings
from django.urls import reverse

from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(name="Rochester and Chatham")
    for name in ["Chatham Central", "Rochester East", "Rochester West"]:
        WardFactory(name=name, team=team, district=team.district)
    return team


@pytest.mark.parametrize("officer_count", [3, 30])
def test_ward_page_runs_fixed_queries_whatever_the_team_size(client, django_assert_num_queries, team, officer_count):
    OfficerFactory.create_batch(officer_count, team=team)
    ward = team.wards.get(name="Chatham Central")

    # 1 ward with district, team and generations, 2 the wards before and after it (successions);
    # then the sections in page order: 3 latest closed ballot, 4 current priorities (with their
    # latest public action as subqueries), 5 upcoming events (none here, so no prefetch of their
    # wards), 6 the next meetings with a published agenda, 7 the team's officers (the ward's own
    # first), 8 the team's other wards, 9 published concerns, 10 the crime months held (none here:
    # tests/wards/test_crime_pages.py counts the section with figures), 11 local news, 12 monthly
    # updates, 13 past priorities, 14 the district's open surveys
    with django_assert_num_queries(14):
        response = client.get(reverse("wards:detail", args=[ward.code]))

    assert response.status_code == 200
    assert response.content.decode().count('class="pact-officer"') == officer_count


def test_ward_page_shows_ward_district_team_officers_and_other_wards(client, team):
    OfficerFactory(team=team, rank="sergeant", first_name="Alex", last_name="Morgan", collar_number="4321")
    OfficerFactory(team=team, rank="pcso", first_name="Sam", last_name="Patel")
    ward = team.wards.get(name="Chatham Central")

    content = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert '<h1 class="govuk-heading-xl">Chatham Central</h1>' in content
    assert f'href="/wards/#{team.district.code}">{team.district.name}</a>' in content
    assert f'href="/teams/{team.slug}/"' in content
    assert "Sergeant Alex Morgan" in content
    assert "Collar number 4321" in content
    assert content.index("Sergeant Alex Morgan") < content.index("Police Community Support Officer Sam Patel")
    assert "Rochester East" in content
    assert "Rochester West" in content
    assert "These officers are fictional" in content


def test_ward_page_has_honest_empty_states(client, team):
    ward = team.wards.first()

    content = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert "The PACT panel has not yet agreed priorities for this ward" in content
    assert "No meetings or surgeries are planned" in content
    assert "There are no monthly updates for this ward yet" in content


def test_ward_page_draws_boundary_without_javascript(client, team):
    ward = team.wards.first()

    content = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert "<svg" in content
    assert 'id="ward-geojson"' in content


def test_ward_page_accepts_lower_case_code(client, team):
    ward = team.wards.first()

    assert client.get(f"/wards/{ward.code.lower()}/").status_code == 200


def test_ward_page_unknown_code_is_404(client):
    assert client.get("/wards/E05999999/").status_code == 404


def test_ward_page_without_team_says_so(client):
    ward = WardFactory(team=None)

    content = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert "No neighbourhood team has been assigned to this ward yet" in content


@pytest.mark.parametrize("officer_count", [3, 30])
def test_team_page_runs_fixed_queries(client, django_assert_num_queries, team, officer_count):
    OfficerFactory.create_batch(officer_count, team=team)

    # 1 team with district, 2 its wards, 3 the officers who cover each, 4 its officers, 5 upcoming
    # events (none, so no prefetch), 6 the next meetings with a published agenda, 7 local news,
    # 8 monthly updates
    with django_assert_num_queries(8):
        response = client.get(reverse("wards:team", args=[team.slug]))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="pact-officer"') == officer_count
    for ward in team.wards.all():
        assert f'href="/wards/{ward.code}/"' in content


def test_team_page_unknown_is_404(client):
    assert client.get("/teams/no-such-team/").status_code == 404


def test_ward_index_lists_every_ward_by_district_in_fixed_queries(client, django_assert_num_queries, team):
    other = WardFactory(name="Bearsted")

    # 1 districts, 2 their wards with teams
    with django_assert_num_queries(2):
        response = client.get(reverse("wards:index"))

    content = response.content.decode()
    for ward in [*team.wards.all(), other]:
        assert f'href="/wards/{ward.code}/"' in content
    assert f'id="{other.district.code}"' in content


def test_ward_index_empty_state(client):
    assert "No wards have been loaded yet" in client.get(reverse("wards:index")).content.decode()


def test_force_map_lists_teams_and_wards_as_text_in_fixed_queries(client, django_assert_num_queries, team):
    second = TeamFactory(name="Maidstone Town Centre")
    WardFactory(name="High Street", team=second, district=second.district)

    # 1 teams with districts, 2 their wards, 3 the officers who cover each
    with django_assert_num_queries(3):
        response = client.get(reverse("wards:map"))

    content = response.content.decode()
    assert "Rochester and Chatham" in content
    assert "Maidstone Town Centre" in content
    assert "High Street" in content
    assert "<svg" in content


@pytest.mark.parametrize("name", ["home", "accessibility", "privacy"])
def test_site_pages_render(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_healthz_reports_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() | {"redis": "-"} == {
        "status": "ok",
        "database": "ok",
        "redis": "-",
        "worker_last_seen": None,
    }


def test_healthz_reports_last_worker_heartbeat(client):
    from core.services import heartbeat_record

    beat = heartbeat_record(hostname="celery@worker-1")

    assert client.get("/healthz").json()["worker_last_seen"] == beat.last_seen.isoformat()


def test_ward_page_second_view_is_served_from_cache_without_queries(client, django_assert_num_queries, team):
    ward = team.wards.first()
    client.get(reverse("wards:detail", args=[ward.code]))

    # nothing: the rendered fragment comes from the cache
    with django_assert_num_queries(0):
        response = client.get(reverse("wards:detail", args=[ward.code]))

    assert ward.name in response.content.decode()


def test_ward_page_shows_a_change_straight_away(client, team):
    ward = team.wards.first()
    client.get(reverse("wards:detail", args=[ward.code]))

    OfficerFactory(team=team, first_name="Newly", last_name="Posted")

    assert "Newly Posted" in client.get(reverse("wards:detail", args=[ward.code])).content.decode()


def test_team_page_shows_a_renamed_ward_straight_away(client, team):
    client.get(reverse("wards:team", args=[team.slug]))
    ward = team.wards.first()
    ward.name = "Renamed Ward"
    ward.save(update_fields=["name"])

    assert "Renamed Ward" in client.get(reverse("wards:team", args=[team.slug])).content.decode()


def test_public_pages_answer_when_the_cache_is_down(client, team):
    ward = team.wards.first()
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    with override_settings(CACHES=unreachable):
        responses = [
            client.get(reverse("wards:detail", args=[ward.code])),
            client.get(reverse("wards:team", args=[team.slug])),
            client.get(reverse("wards:index")),
            client.get(reverse("wards:map")),
        ]

    assert [response.status_code for response in responses] == [200, 200, 200, 200]
    assert ward.name in responses[0].content.decode()


def test_ward_page_for_malformed_code_is_404_without_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/wards/not-a-ward-code/").status_code == 404


def test_ward_page_cached_for_anonymous_still_shows_staff_their_header(client, officer, team):
    ward = team.wards.first()
    assert "Staff sign in" in client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    client.force_login(officer)
    content = client.get(reverse("wards:detail", args=[ward.code])).content.decode()

    assert "Staff area" in content
    assert "Staff sign in" not in content


def test_ward_page_with_session_uses_fragment_without_queries(client, django_assert_num_queries, team):
    ward = team.wards.first()
    client.get(reverse("wards:detail", args=[ward.code]))
    client.cookies["sessionid"] = "not-a-session"

    # 1 the session lookup (an unknown key finds nothing); the fragment comes from the cache
    with django_assert_num_queries(1):
        response = client.get(reverse("wards:detail", args=[ward.code]))

    assert ward.name in response.content.decode()


def test_healthz_says_unavailable_when_the_database_fails(client, monkeypatch):
    from django.db import DatabaseError

    from core.models import WorkerHeartbeat

    def fail(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(WorkerHeartbeat.objects, "order_by", fail)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() | {"redis": "-"} == {"status": "error", "database": "unavailable", "redis": "-"}
