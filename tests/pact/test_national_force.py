"""make_national_force: a synthetic force area of realistic shape, consistent at any size (issue 17)."""

from io import StringIO

import numpy as np
import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from shapely.geometry import shape

from priorities.models import Event, Priority
from tests.pact.test_national_queries import clear_force, district_town
from tests.wards.factories import WardFactory
from wards.models import (
    District,
    NeighbourhoodTeam,
    Place,
    PlaceWard,
    Postcode,
    PostcodeWard,
    Ward,
    WardCrimeCount,
)
from wards.places import place_key
from wards.postcodes import normalise_postcode, outward_of
from wards.synthetic import EXTENT, make_force, postcode_name

pytestmark = pytest.mark.django_db


def _make(*args: str) -> str:
    out = StringIO()
    call_command("make_national_force", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def force() -> str:
    return _make("--wards", "20", "--postcodes", "2000", "--teams", "10", "--districts", "3", "--any-database")


def test_makes_the_asked_numbers(force):
    places = Place.objects.count()
    assert f"20 wards, 10 teams, 2000 postcodes, {places} places; 10 panels, 40 meetings, 60 priorities" in force
    assert Ward.objects.active().count() == 20
    assert NeighbourhoodTeam.objects.count() == 10
    assert District.objects.count() == 3
    assert Postcode.objects.count() == PostcodeWard.objects.count() == 2000
    assert WardCrimeCount.objects.count() == 20 * 2 * 6  # wards × months × categories


def test_every_ward_has_a_team_of_its_own_district_and_every_team_wards(force):
    assert not Ward.objects.filter(team__isnull=True).exists()
    for ward in Ward.objects.select_related("team"):
        assert ward.team.district_id == ward.district_id
    sizes = [team.wards.count() for team in NeighbourhoodTeam.objects.all()]
    assert sum(sizes) == 20
    assert set(sizes) <= {1, 2, 3}  # about two each, within a district


def test_wards_tile_the_area_without_gaps_or_overlaps(force):
    polygons = [shape(boundary) for boundary in Ward.objects.values_list("boundary", flat=True)]
    assert all(polygon.is_valid for polygon in polygons)
    union = shapely.union_all(polygons)
    assert union.area == pytest.approx(sum(polygon.area for polygon in polygons))  # no overlaps
    west, south, east, _ = EXTENT
    assert union.bounds[:3] == pytest.approx((west, south, east))
    assert shapely.get_num_interior_rings(union) == 0  # no holes


def test_centroid_bbox_and_every_postcode_lie_inside_their_ward(force):
    for ward in Ward.objects.all():
        polygon = shape(ward.boundary)
        assert polygon.contains(shapely.Point(ward.centroid_lng, ward.centroid_lat))
        assert polygon.bounds == pytest.approx((ward.min_lng, ward.min_lat, ward.max_lng, ward.max_lat))
        points = list(ward.postcode_links.values_list("postcode__longitude", "postcode__latitude"))
        assert points, ward.code
        lngs, lats = np.array(points).T
        assert shapely.contains_xy(polygon, lngs, lats).all(), ward.code


def test_postcodes_look_real_and_a_ward_shares_outward_codes(force):
    for postcode in Postcode.objects.all():
        assert normalise_postcode(postcode.postcode) == postcode.postcode
        assert postcode.outward == outward_of(postcode.postcode)
    outwards = [
        len(set(ward.postcode_links.values_list("postcode__outward", flat=True))) for ward in Ward.objects.all()
    ]
    assert max(outwards) <= 2


def test_postcode_names_run_through_sectors_districts_and_areas():
    assert [postcode_name(n) for n in (0, 1, 399, 400, 4000, 396_000)] == [
        "ME1 0AA", "ME1 0AB", "ME1 0ZZ", "ME1 1AA", "ME2 0AA", "CT1 0AA",
    ]  # fmt: skip


def test_the_same_seed_makes_the_same_area():
    _make("--wards", "6", "--postcodes", "60", "--teams", "3", "--any-database", "--seed", "4")
    first = list(Ward.objects.order_by("code").values_list("code", "name", "boundary"))
    first_places = list(Place.objects.order_by("os_id").values_list("name", "kind", "latitude", "longitude"))
    clear_force()
    _make("--wards", "6", "--postcodes", "60", "--teams", "3", "--any-database", "--seed", "4")
    again = list(Ward.objects.order_by("code").values_list("code", "name", "boundary"))
    assert [row[1:] for row in again] == [row[1:] for row in first]
    assert list(Place.objects.order_by("os_id").values_list("name", "kind", "latitude", "longitude")) == first_places


def test_refuses_a_database_not_named_for_benchmarks():
    with pytest.raises(CommandError, match="_bench"):
        _make("--wards", "4", "--postcodes", "40", "--teams", "2")
    assert not Ward.objects.exists()


def test_refuses_a_database_that_holds_wards():
    WardFactory()
    with pytest.raises(CommandError, match="already holds wards"):
        _make("--wards", "4", "--postcodes", "40", "--teams", "2", "--any-database")


def test_every_ward_has_three_priorities_agreed_at_its_held_meeting_and_a_next_one(force):
    for ward in Ward.objects.all():
        priorities = list(Priority.objects.filter(ward=ward).select_related("agreed_at"))
        assert sorted(priority.slot for priority in priorities) == [1, 2, 3]
        assert {priority.agreed_at.status for priority in priorities} == {Event.Status.HELD}
        meetings = Event.objects.filter(wards=ward, kind=Event.Kind.PACT_MEETING)
        assert sorted(meetings.values_list("status", flat=True)) == [Event.Status.HELD, Event.Status.SCHEDULED]
        assert meetings.filter(panel__wards=ward).count() == 2


@pytest.fixture
def larger_force() -> None:
    make_force(wards=120, postcodes=120, teams=60, districts=4)


def test_places_are_named_towns_suburbs_villages_and_hamlets_of_their_districts(force):
    kinds = set(Place.objects.values_list("kind", flat=True))
    assert {Place.Kind.TOWN, Place.Kind.SUBURB, Place.Kind.VILLAGE, Place.Kind.HAMLET} <= kinds
    assert kinds <= {Place.Kind.TOWN, Place.Kind.SUBURB, Place.Kind.VILLAGE, Place.Kind.HAMLET, Place.Kind.OTHER}
    for district in District.objects.all():
        # A district's first town bears its name, as Ashford, Dartford and Maidstone do.
        assert district.places.filter(kind=Place.Kind.TOWN, name=district.name).count() == 1
    for place in Place.objects.all():
        assert place.search_name == place_key(place.name)
        assert place.min_lat <= place.latitude <= place.max_lat
        assert place.min_lng <= place.longitude <= place.max_lng
        assert Postcode.objects.filter(outward=place.postcode_district).exists()


def test_places_are_about_as_dense_as_kents(larger_force):
    # Kent and Medway: 4.4 places a ward, towns spanning 7.8 wards, villages in 46 % of the wards.
    wards = Ward.objects.count()
    assert 3 * wards <= Place.objects.count() <= 6 * wards
    towns = Place.objects.filter(kind=Place.Kind.TOWN).annotate(wards=Count("ward_links"))
    spans = list(towns.values_list("wards", flat=True))
    assert 5 <= sum(spans) / len(spans) <= 11
    villages = Place.objects.filter(kind__in=[Place.Kind.VILLAGE, Place.Kind.HAMLET, Place.Kind.OTHER])
    with_villages = Ward.objects.filter(place_links__place__in=villages).distinct().count()
    assert 0.3 * wards <= with_villages <= 0.6 * wards


def test_towns_span_several_wards_and_villages_lie_in_one_of_the_active_generation(force):
    assert set(PlaceWard.objects.values_list("generation_id", flat=True)) == {settings.PACT_WARD_GENERATION}
    active = set(Ward.objects.active().values_list("pk", flat=True))
    for place in Place.objects.prefetch_related("ward_links__ward"):
        links = list(place.ward_links.all())
        assert links, place.name
        assert {link.ward_id for link in links} <= active
        if place.kind == Place.Kind.TOWN:
            assert len(links) >= 3, place.name
        if place.is_area:
            box = shapely.box(place.min_lng, place.min_lat, place.max_lng, place.max_lat)
            assert all(shape(link.ward.boundary).intersects(box) for link in links)
            assert 0.9 <= sum(link.share for link in links) <= 1.0 + 1e-9
        else:
            [link] = links
            assert link.share == 1.0
            assert shape(link.ward.boundary).contains(shapely.Point(place.longitude, place.latitude))


def test_a_name_places_in_several_districts_share_lists_them_all(larger_force, client):
    shared = Place.objects.values("search_name").annotate(districts=Count("district", distinct=True))
    key = shared.filter(districts__gt=1).order_by("search_name").values_list("search_name", flat=True).first()
    assert key  # real names are shared too: Kent alone has four New Towns and four Hook Greens
    places = list(Place.objects.filter(search_name=key).select_related("district"))
    response = client.get("/search/", {"q": places[0].name})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Places called {places[0].name}" in content
    assert all(place.district.name in content for place in places)


def test_a_place_search_finds_the_town_and_its_wards_then_its_districts_others(larger_force, client):
    town = Place.objects.get(name=district_town(), kind=Place.Kind.TOWN)
    response = client.get("/search/", {"q": town.name.upper()})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Wards in {town.name}" in content
    assert f"Other wards whose name, district or team matches {town.name.upper()}" in content
    for link in town.ward_links.select_related("ward"):
        assert f"/wards/{link.ward.code}/" in content
