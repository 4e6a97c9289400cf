"""Reads for the police.uk-compatible API, each returning the documented JSON shape.

Shapes follow data.police.uk's documentation and its live answers: coordinates and the
population are strings, absent values are null (never omitted), text meant as HTML is
escaped HTML, and times are UK local time written ``YYYY-MM-DDTHH:MM:SS``.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from shapely.geometry import Point, shape

from wards import selectors
from wards.geometry import Geometry
from wards.models import Officer, Ward

FORCE_ID = "kent"
FORCE_URL = "https://www.kent.police.uk/"
# The force's non-emergency number, the one the ward pages give for every team.
FORCE_TELEPHONE = "101"
UK_TIME = ZoneInfo("Europe/London")
# data.police.uk writes "0" where it holds no population figure; we hold none.
UNKNOWN_POPULATION = "0"

JSON = dict[str, Any]


def coordinate(value: float) -> str:
    """A latitude or longitude as police.uk writes it: a decimal string, at most 10 places."""
    text = f"{value:.10f}".rstrip("0")
    text = text + "0" if text.endswith(".") else text
    return "0.0" if text == "-0.0" else text


def uk_datetime(moment: datetime.datetime) -> str:
    """An aware datetime as police.uk writes it: UK local time (GMT or BST), no offset."""
    return moment.astimezone(UK_TIME).strftime("%Y-%m-%dT%H:%M:%S")


def uk_date(day: datetime.date) -> str:
    """A date as police.uk writes a date-only value: midnight."""
    return f"{day:%Y-%m-%d}T00:00:00"


def site_url(path: str) -> str:
    return f"{settings.PACT_SITE_URL}{path}"


def force_summaries() -> list[JSON]:
    """The forces this API serves: ours alone."""
    return [{"id": FORCE_ID, "name": settings.PACT_FORCE_NAME}]


def force_detail() -> JSON:
    """Our force as police.uk's "specific force" method describes one."""
    return {
        "id": FORCE_ID,
        "name": settings.PACT_FORCE_NAME,
        "url": FORCE_URL,
        "telephone": FORCE_TELEPHONE,
        "description": None,
        "engagement_methods": [
            {
                "type": "website",
                "title": "PACT – Partners and Communities Together",
                "description": "Your ward's priorities, meetings and neighbourhood team.",
                "url": site_url("/"),
            }
        ],
    }


def neighbourhood_summaries() -> list[JSON]:
    """Every ward of the active generation as a police.uk neighbourhood (id and name), by name."""
    wards = Ward.objects.active().order_by("name", "code").values_list("code", "name")
    return [{"id": code, "name": name} for code, name in wards]


def _description(ward: Ward) -> str:
    if ward.team is None:
        return format_html("<p>{} ward, in {}.</p>", ward.name, ward.district.name)
    return format_html(
        "<p>{} ward, in {}, is policed by the {} neighbourhood team.</p>", ward.name, ward.district.name, ward.team.name
    )


def _links(ward: Ward) -> list[JSON]:
    links = [
        {"url": site_url(reverse("wards:detail", args=[ward.code])), "title": f"{ward.name} ward", "description": None}
    ]
    if ward.team is not None:
        links.append(
            {
                "url": site_url(reverse("wards:team", args=[ward.team.slug])),
                "title": ward.team.name,
                "description": None,
            }
        )
    return links


def _contact_details(ward: Ward) -> dict[str, str]:
    details = {"telephone": FORCE_TELEPHONE}
    if ward.team is not None and ward.team.email:
        details["email"] = ward.team.email
    return details


def neighbourhood_detail(code: str) -> JSON | None:
    """A ward as police.uk's "specific neighbourhood", or None when the active generation has no such ward.

    The centre is the ward's centroid, computed from its boundary at import. We hold no
    stations, population or welcome message: those are an empty list, "0" and null.
    """
    ward = Ward.objects.active().select_related("district", "team").defer("boundary").filter(code=code).first()
    if ward is None:
        return None
    return {
        "id": ward.code,
        "name": ward.name,
        "url_force": site_url(reverse("wards:detail", args=[ward.code])),
        "description": _description(ward),
        "welcome_message": None,
        "population": UNKNOWN_POPULATION,
        "contact_details": _contact_details(ward),
        "centre": {"latitude": coordinate(ward.centroid_lat), "longitude": coordinate(ward.centroid_lng)},
        "links": _links(ward),
        "locations": [],
    }


def _outer_rings(boundary: Geometry) -> list[list[list[float]]]:
    if boundary["type"] == "Polygon":
        return [boundary["coordinates"][0]]
    return [polygon[0] for polygon in boundary["coordinates"]]


def neighbourhood_boundary(code: str) -> list[JSON] | None:
    """A ward's boundary as police.uk's list of latitude/longitude strings, or None.

    police.uk's format is one ring with its first point repeated last. A ward in several
    parts (islands) gives each part's outer ring in turn, each closed; holes cannot be
    written in this format and are left out.
    """
    boundary = Ward.objects.active().filter(code=code).values_list("boundary", flat=True).first()
    if boundary is None:
        return None
    return [
        {"latitude": coordinate(lat), "longitude": coordinate(lng)}
        for ring in _outer_rings(boundary)
        for lng, lat, *_ in ring
    ]


def _bio(officer: Officer) -> str | None:
    sentences = []
    if officer.organisation:
        sentences.append(f"{officer.get_rank_display()} with {officer.organisation}, working with the team.")
    if officer.is_demo:
        sentences.append("A fictional officer, made up for this demonstration.")
    return format_html("<p>{}</p>", " ".join(sentences)) if sentences else None


def _person(officer: Officer) -> JSON:
    contact = {key: value for key, value in (("email", officer.email), ("telephone", officer.phone)) if value}
    return {
        "name": officer.full_name,
        "rank": officer.get_rank_display(),
        "bio": _bio(officer),
        "contact_details": contact,
    }


def neighbourhood_people(code: str) -> list[JSON] | None:
    """The people of the ward's neighbourhood team, or None with no such ward: the ward's own
    officers first, then the rest of the team, each group most senior first.

    A ward with no team has no people (an empty list).
    """
    ward = Ward.objects.active().filter(code=code).values("pk", "team_id").first()
    if ward is None:
        return None
    if ward["team_id"] is None:
        return []
    return [_person(officer) for officer in selectors.officers_of_ward(ward_id=ward["pk"], team_id=ward["team_id"])]


def neighbourhood_at_point(lat: float, lng: float) -> str | None:
    """The code of the active generation's ward whose boundary holds the point, or None outside every ward.

    The bounding boxes narrow the candidates in the database (one indexed query); the
    polygons decide. A point on a boundary shared by two wards goes to the lower code, as
    the postcode importer places it.
    """
    candidates = (
        Ward.objects.active()
        .filter(min_lat__lte=lat, max_lat__gte=lat, min_lng__lte=lng, max_lng__gte=lng)
        .order_by("code")
        .values_list("code", "boundary")
    )
    point = Point(lng, lat)
    for code, boundary in candidates:
        if shapely.intersects(shape(boundary), point):
            return code
    return None
