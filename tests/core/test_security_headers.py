"""The security headers on every kind of response, and `check --deploy` in production settings."""

import os
import secrets
import subprocess
import sys

import pytest
from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from core.security import ContentSecurityPolicyMiddleware, admin_style_hashes, tile_source
from tests.priorities.factories import EventFactory, NewsItemFactory, SurveyFactory, SurveyQuestionFactory
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


def directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: sources} (django-csp orders them freely)."""
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


@pytest.fixture
def place():
    ward = WardFactory(name="Abbey")
    EventFactory(wards=[ward])
    NewsItemFactory(team=ward.team)
    survey = SurveyFactory(slug="safer-streets")
    SurveyQuestionFactory(survey=survey)
    return ward


def public_addresses(ward) -> list[str]:
    """One address of each kind of public response: pages, forms, feeds, data and errors."""
    team = ward.team
    return [
        reverse("home"),
        reverse("wards:search") + "?q=Abb",  # a list of wards (the exact name goes to the ward)
        reverse("wards:index"),
        reverse("wards:detail", args=[ward.code]),
        reverse("wards:team", args=[team.slug]),
        reverse("wards:map"),
        reverse("wards:map_boundaries"),
        reverse("wards:map_boundaries_detail"),
        reverse("priorities:concern_new", args=[ward.code]),
        reverse("priorities:ward_concerns", args=[ward.code]),
        reverse("priorities:ward_subscribe", args=[ward.code]),
        reverse("priorities:ward_feed", args=[ward.code]),
        reverse("priorities:team_news", args=[team.slug]),
        reverse("priorities:update_feed", args=[team.slug]),
        reverse("feedback:start"),
        reverse("feedback:give", args=["complaint"]),
        reverse("feedback:survey", args=["safer-streets"]),
        reverse("accessibility"),
        reverse("healthz"),
        "/no-such-page/",
        "/api/forces",
    ]


def assert_secured(response, *, resource_policy: str = "same-origin") -> None:
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == resource_policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_kind_of_public_response_carries_the_security_headers(client, place):
    for address in public_addresses(place):
        response = client.get(address)
        assert response.status_code in {200, 404}, address
        assert_secured(response, resource_policy="cross-origin" if address.startswith("/api/") else "same-origin")


def test_static_files_carry_the_policy_headers(client):
    response = client.get("/static/js/init.js")
    response.close()

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_open_data_may_be_read_from_other_sites(client, place):
    response = client.get("/api/forces")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_staff_pages_carry_the_security_headers(client, officer):
    assert_secured(client.get(reverse("staff:login")))
    client.force_login(officer)
    assert_secured(client.get(reverse("staff:home")))


def test_the_admin_allows_its_one_inline_style_by_hash_and_nothing_else(client):
    response = client.get("/admin/")

    hashes = admin_style_hashes()
    assert len(hashes) == 1
    assert hashes[0].startswith("'sha256-")
    assert directives(response["Content-Security-Policy"]) == {**POLICY, "style-src": ["'self'", hashes[0]]}
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_map_tile_server_may_serve_images(client, settings, place):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"

    response = client.get(reverse("wards:detail", args=[place.code]))

    assert directives(response["Content-Security-Policy"])["img-src"] == [
        "'self'",
        "data:",
        "https://*.tiles.example.org",
    ]


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("", None),
        ("https://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("https://user:secret@tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org"),
        ("javascript:alert(1)", None),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_source_is_the_tile_server_origin(tile_url, source):
    assert tile_source(tile_url) == source


def test_policy_never_allows_inline_code(client, settings, admin_user):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    client.force_login(admin_user)
    for address in (reverse("home"), "/admin/", "/admin/auth/user/"):
        policy = client.get(address)["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, address
        assert "unsafe-eval" not in policy, address


def test_the_admin_style_hash_is_allowed_under_admin_only(client, admin_user):
    client.force_login(admin_user)
    hashes = admin_style_hashes()

    assert hashes[0] in client.get("/admin/")["Content-Security-Policy"]
    assert hashes[0] not in client.get(reverse("staff:home"))["Content-Security-Policy"]


def test_a_response_with_its_own_policy_is_left_alone(rf):
    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    middleware = ContentSecurityPolicyMiddleware(view)

    assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"


def test_a_views_own_additions_are_kept_beside_the_tile_server(rf, settings):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    view = csp_update({"img-src": "https://photos.example.org"})(lambda request: HttpResponse())

    policy = directives(ContentSecurityPolicyMiddleware(view)(rf.get("/"))["Content-Security-Policy"])

    assert policy["img-src"] == ["'self'", "data:", "https://photos.example.org", "https://tile.example.org"]


def test_https_requests_get_strict_transport_security(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(reverse("home"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    # A clean environment, as a server would have: nothing of the test run's own (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the check rightly refuses in deployment).
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment |= {"DJANGO_SETTINGS_MODULE": "pact.settings", "PACT_STATE_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = _check_deploy(tmp_path, DEBUG="false", PACT_HTTPS="true", SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https(tmp_path):
    result = _check_deploy(tmp_path, DEBUG="false", PACT_HTTPS="false", SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
