"""The OpenAPI description of /api/v1/ and the API held to it by schemathesis, in-process."""

import datetime
import gzip
import json
import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings

from priorities.models import MonthlyUpdate, ProgressEntry
from tests.priorities.factories import EventFactory, PartnerAgencyFactory, PriorityFactory, ProgressEntryFactory
from tests.wards.factories import OfficerFactory, WardFactory

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1/"


def _schema(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _api_routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every route under /api/v1/ as an OpenAPI path (``<int:id>``, ``<ward:code>`` → ``{id}``, ``{code}``),
    the catch-all left out."""
    routes = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _api_routes(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/") and "(?P<rest>" not in route:
            routes.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return routes


def test_openapi_is_valid_openapi_3(client):
    schema = _schema(client)

    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_openapi_generates_without_warnings(tmp_path):
    # --fail-on-warn: a serializer field drf-spectacular cannot type would be a warning.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/priorities/" in (tmp_path / "schema.yml").read_text()


def test_openapi_documents_every_api_path_and_no_other(client):
    documented = set(_schema(client)["paths"])

    routes = set(_api_routes(get_resolver()))

    assert routes == documented
    assert {"/api/v1/wards/", "/api/v1/wards/{code}/", "/api/v1/districts/", "/api/v1/teams/"} <= routes
    assert {"/api/v1/teams/{id}/", "/api/v1/priorities/", "/api/v1/priorities/{id}/"} <= routes
    assert {"/api/v1/events/", "/api/v1/updates/"} <= routes


def test_openapi_documents_only_reads_and_their_errors(client):
    for path, operations in _schema(client)["paths"].items():
        assert set(operations) == {"get"}, path
        operation = operations["get"]
        assert {"200", "404", "429"} <= set(operation["responses"]), path
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        assert ("400" in operation["responses"]) == has_query, path
        assert operation["summary"], path
        assert operation["description"], path


def test_openapi_describes_filters_with_their_constraints(client):
    parameters = {p["name"]: p["schema"] for p in _schema(client)["paths"]["/api/v1/priorities/"]["get"]["parameters"]}

    assert set(parameters) == {"district", "team", "ward", "category", "status", "page", "page_size"}
    assert parameters["status"]["enum"] == ["active", "current", "in_progress", "resolved", "closed"]
    assert parameters["ward"]["pattern"] == "^E05[0-9]{6}$"
    assert parameters["page_size"]["maximum"] == 100


def test_openapi_page_links_to_the_description_and_lists_every_endpoint(client):
    response = client.get("/api/")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="/api/openapi.json"' in content
    for path in _schema(client)["paths"]:
        assert f"GET {path}" in content
    assert "<caption" in content


# schemathesis: the whole API, generated requests (valid and invalid) against the description.


def _seed() -> None:
    """A little of everything, so generated requests meet real rows as well as empty answers."""
    priority = PriorityFactory(plan_priority=None)
    priority.partners.add(PartnerAgencyFactory())
    ProgressEntryFactory(priority=priority)
    ProgressEntryFactory(priority=priority, visibility=ProgressEntry.Visibility.INTERNAL, text="Internal only")
    OfficerFactory(team=priority.ward.team)
    EventFactory(wards=[priority.ward, WardFactory()])
    MonthlyUpdate.objects.create(
        team=priority.ward.team,
        month=datetime.date(2026, 9, 1),
        content={
            "wards": [],
            "totals": dict.fromkeys(["wards", "priorities", "actions", "meetings_held", "adopted", "ended"], 0),
        },
        summary="Nothing was recorded.",
        published_at=timezone.now(),
    )


@pytest.fixture
def seeded(db, settings):
    # One client makes every generated request: lift the rate limit it would otherwise meet.
    settings.PACT_API_RATE = 1_000_000
    settings.PACT_API_BURST = 1_000_000
    _seed()
    # As Django's test client does: the application must not close the test's connection (inside
    # the test's transaction) at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the module is collected: the description is made from the code alone (no database).
# One test per operation, each making its requests to the Django application in-process.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_openapi_description(case, seeded):
    # Every check: no server error, only documented status codes and content types, bodies that
    # match their schemas, valid input accepted and invalid input rejected, 405 for other methods.
    # In-process there is no HTTP client to undo gzip (test_api_gzip below checks it is offered).
    case.call_and_validate(headers={"Accept-Encoding": "identity"})


@pytest.mark.django_db
def test_api_gzip_is_offered_to_clients_that_accept_it(client, seeded):
    response = client.get("/api/v1/wards/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["results"]
