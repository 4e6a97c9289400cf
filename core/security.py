"""The security headers Django does not send itself.

Django's SecurityMiddleware already sends HSTS (under PACT_HTTPS), X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware sends
X-Frame-Options. Here:

- Content-Security-Policy, by django-csp from settings.CONTENT_SECURITY_POLICY (no
  'unsafe-inline' anywhere: every script and stylesheet is a file of our own, and
  static/js/govuk-supported.js exists for that reason). Our subclass of its middleware adds
  what depends on the request and the tile setting: images from the configured map tile
  server (MAP_TILE_URL), and under /admin/ only the hash of the admin's one inline style.
- Permissions-Policy turning off the powerful browser features PACT never uses (geolocation
  only for its own pages).
- Cross-Origin-Resource-Policy: same-origin, except the open data under /api/, which any site
  may use (the police.uk-compatible API also sends Access-Control-Allow-Origin: *).

A view that needs something else sets the header itself (or uses django-csp's decorators);
it is then left alone.
"""

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

# Geolocation is allowed to our own pages only: the search box's "use my location" asks for it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}={'(self)' if feature == 'geolocation' else '()'}"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
OPEN_DATA_PREFIX = "/api/"
ADMIN_PREFIX = "/admin/"
_STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def tile_source(tile_url: str) -> str | None:
    """The CSP source expression for a Leaflet tile URL template, or None when there is none.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` becomes ``https://*.tile.example.org``:
    Leaflet fills {s} with a subdomain, so the policy allows them all.
    """
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.netloc.rsplit("@", 1)[-1].replace("tiles-subdomain", "*")
    return f"{parts.scheme}://{host}"


@cache
def policy_additions(*, tile_url: str, admin: bool) -> dict[str, tuple[str, ...]]:
    """The sources a page adds to the settings' policy; cached per tile server and area, as both
    come from settings."""
    additions: dict[str, tuple[str, ...]] = {}
    tiles = tile_source(tile_url)
    if tiles:
        additions["img-src"] = (tiles,)
    hashes = admin_style_hashes() if admin else ()
    if hashes:
        additions["style-src"] = hashes
    return additions


def admin_style_hashes() -> tuple[str, ...]:
    """Hashes of the inline <style> elements of Django's admin templates.

    Django 5.2's admin has exactly one: the change list writes a one-line <style> when a
    ModelAdmin hides its actions at both top and bottom. Allowing that element by its hash
    (read from the template in use, so it follows Django upgrades) keeps 'unsafe-inline' out
    of the admin too, and the hash is allowed under /admin/ only. The admin's scripts are all
    files (its data travels in data- attributes), so script-src needs nothing more.
    """
    try:
        source = get_template("admin/change_list.html").template.source
    except TemplateDoesNotExist:
        return ()
    digests = (hashlib.sha256(body.encode()).digest() for body in _STYLE_ELEMENT.findall(source))
    return tuple(f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the tile server and the admin's style hash to its policy."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        additions = policy_additions(tile_url=settings.MAP_TILE_URL or "", admin=request.path.startswith(ADMIN_PREFIX))
        if additions:
            update = dict(parts.update or {})
            for directive, sources in additions.items():
                update[directive] = (*_as_tuple(update.get(directive)), *sources)
            parts.update = update
        return parts


def _as_tuple(sources: Any) -> tuple[str, ...]:
    if sources is None:
        return ()
    return tuple(sources) if isinstance(sources, list | tuple | set) else (sources,)


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and Cross-Origin-Resource-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        open_data = request.path.startswith(OPEN_DATA_PREFIX)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if open_data else "same-origin")
        return response
