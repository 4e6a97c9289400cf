"""Error pages: what a visitor gets when something fails, and what /healthz tells a monitor."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ERROR_PAGE = "Sorry, there is a problem with the service"
WARD_PAGE = "/wards/E05000001/"


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped or unreachable."""

    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" (10.1.2.3), port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refused)


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


# Finding 14 of issue 12: a database outage answered 500, as if the site were broken for good.


def test_finding_14_a_database_outage_answers_503_with_retry_after_and_the_error_page(visitor, database_down):
    response = visitor.get(WARD_PAGE)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert ERROR_PAGE in content
    assert "db.internal" not in content


def test_finding_14_healthz_says_the_database_is_down_and_no_more(visitor, database_down):
    response = visitor.get(reverse("healthz"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "error"
    assert "db.internal" not in response.content.decode()
    assert "10.1.2.3" not in response.content.decode()


def test_finding_14_healthz_says_redis_is_down_while_the_site_still_answers(client, settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() | {"worker_last_seen": None} == {
        "status": "degraded",
        "database": "ok",
        "redis": "unavailable",
        "worker_last_seen": None,
    }


def test_healthz_with_everything_up(client, settings):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not used")


def test_any_other_failure_is_still_a_500_without_retry_after(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(connection, "cursor", broken)

    response = visitor.get(WARD_PAGE)

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert ERROR_PAGE in response.content.decode()
