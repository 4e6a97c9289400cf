"""Site-wide public pages: home, accessibility statement, privacy notice, the neutral page
"Exit this page" leads to, health check."""

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis.exceptions import RedisError

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
def neutral(request: HttpRequest) -> HttpResponse:
    """Where "Exit this page" leads: a plain page about the weather that says nothing of the
    police or of PACT, for a resident who must hide what they were writing. Served by us, so
    leaving makes no request to another site."""
    return render(request, "pact/neutral.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, and which dependency is down: the database (without it nothing works: 503)
    and Redis (without it pages are built uncached and emails wait: "degraded", still 200).

    Says when a Celery worker last ran a task (the beat schedule's heartbeat), for monitoring;
    a quiet worker does not make the web process unhealthy. Never says why a dependency is
    down (hosts, addresses, error text): this page is public.
    """
    redis = _redis_state()
    try:
        last_beat = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except DatabaseError:
        body = {"status": "error", "database": "unavailable", "redis": redis}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(settings.PACT_RETRY_AFTER_SECONDS)
        return response
    return JsonResponse(
        {
            "status": "ok" if redis != "unavailable" else "degraded",
            "database": "ok",
            "redis": redis,
            "worker_last_seen": last_beat.isoformat() if last_beat else None,
        }
    )


def _redis_state() -> str:
    if not isinstance(caches["default"], RedisCache):
        return "not used"
    try:
        cache.get("healthz")
    except (RedisError, ConnectionError, OSError):
        return "unavailable"
    return "ok"
