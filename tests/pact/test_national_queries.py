"""Every public page and police.uk method costs the same queries in a small force and a large one.

Both forces are made as make_national_force makes the national data set (wards.synthetic,
priorities.synthetic), so the large one has its shape: more wards, more postcodes per ward,
more wards per district, each ward with its three priorities, two meetings and crime figures. Each page is
counted with the public cache emptied first.
"""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from shapely.geometry import shape

from priorities.models import Event, Panel, Priority
from priorities.synthetic import make_cycle
from wards.models import CrimeMonth, District, NeighbourhoodTeam, Place, Postcode, Ward
from wards.synthetic import make_force

pytestmark = pytest.mark.django_db


def district_town() -> str:
    """The first town by name that names its district and no other place: its search lists its
    wards, then the district's others, as Ashford's does in Kent (bench/run.py picks the same)."""
    once = Place.objects.values("search_name").annotate(places=Count("id")).filter(places=1).values("search_name")
    towns = Place.objects.filter(kind=Place.Kind.TOWN, name=F("district__name"), search_name__in=once)
    return towns.order_by("name").values_list("name", flat=True).first()


def _targets() -> dict[str, str]:
    ward = Ward.objects.select_related("team").order_by("code").first()
    team = ward.team.slug
    postcode = ward.postcode_links.values_list("postcode__postcode", flat=True).first()
    inside = shape(ward.boundary).representative_point()
    return {
        "ward page": f"/wards/{ward.code}/",
        "team page": f"/teams/{team}/",
        "postcode search": f"/search/?q={quote(postcode)}",
        "place search": f"/search/?q={quote(district_town())}",
        "police.uk neighbourhood": f"/api/kent/{ward.code}",
        "police.uk boundary": f"/api/kent/{ward.code}/boundary",
        "police.uk people": f"/api/kent/{ward.code}/people",
        "police.uk events": f"/api/kent/{ward.code}/events",
        "police.uk priorities": f"/api/kent/{ward.code}/priorities",
        "police.uk locate": f"/api/locate-neighbourhood?q={inside.y:.6f},{inside.x:.6f}",
        "ward events.ics": f"/wards/{ward.code}/events.ics",
        "team events.ics": f"/teams/{team}/events.ics",
        "team Atom feed": f"/teams/{team}/updates/feed/",
    }


def _counts(client) -> dict[str, tuple[int, int]]:
    """Each target's (status, queries), with an empty cache."""
    counts = {}
    for name, path in _targets().items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[name] = (response.status_code, len(queries))
    return counts


def clear_force() -> None:
    Priority.objects.all().delete()
    Event.objects.all().delete()
    Panel.objects.all().delete()
    Postcode.objects.all().delete()
    Place.objects.all().delete()
    CrimeMonth.objects.all().delete()
    Ward.objects.all().delete()
    NeighbourhoodTeam.objects.all().delete()
    District.objects.all().delete()


def test_public_query_counts_are_flat_in_wards_postcodes_and_districts(client):
    # Twelve wards: enough that the town's search also lists other wards of its district.
    make_force(wards=12, postcodes=24, teams=4, districts=1)
    make_cycle()
    small = _counts(client)
    clear_force()
    make_force(wards=120, postcodes=6000, teams=60, districts=4)
    make_cycle()
    large = _counts(client)

    statuses = {name: status for name, (status, _) in small.items()}
    assert statuses == {**dict.fromkeys(small, 200), "postcode search": 302}  # to the ward page
    assert large == small
    assert all(queries > 0 for _, queries in small.values())  # counted on an empty cache
