"""Site-wide public pages: home, accessibility statement, privacy notice, health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wards.forms import SearchForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pact/home.html", {"form": SearchForm()})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pact/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pact/privacy.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers and its database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not healthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
