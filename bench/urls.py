"""PACT's URLs plus /bench/bare/: the cheapest Django response behind the same middleware.

The bare view is the yardstick the real pages are measured against; it exists only when
PACT_BENCH is on.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("", include("pact.urls"))]
if settings.PACT_BENCH:
    urlpatterns.insert(0, path("bench/bare/", bare, name="bench-bare"))
