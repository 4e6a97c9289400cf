"""Site-wide public pages: home, accessibility statement, privacy notice, health check."""

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.models import WorkerHeartbeat
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
    """Liveness: the process answers and its database does too.

    Also says when a Celery worker last ran a task (the beat schedule's heartbeat), for
    monitoring; a quiet worker does not make the web process unhealthy.
    """
    try:
        last_beat = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": "ok", "worker_last_seen": last_beat.isoformat() if last_beat else None}
    )
