"""Public event pages and the iCalendar feeds of wards and teams."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.cache import public_page
from priorities.calendar import calendar_build
from priorities.selectors import events as selectors
from wards.models import NeighbourhoodTeam, Ward

EVENTS_PER_PAGE = 20
FEED_MAX_AGE = 15 * 60


@require_GET
@public_page
def event_detail(request: HttpRequest, uid: str) -> HttpResponse:
    event = selectors.event_for_page(uid).first()
    if event is None:
        raise Http404("No event with that id")
    wards = list(event.wards.all())
    return render(request, "priorities/events/detail.html", {"event": event, "wards": wards})


@require_GET
@public_page
def ward_events(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_object_or_404(Ward.objects.only("code", "name"), code=code.upper())
    page = Paginator(selectors.events_of_ward(ward), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/events/ward_events.html", {"ward": ward, "page": page})


def _feed(name: str, events) -> HttpResponse:
    # Absolute on PACT_SITE_URL, not on the request's host: a calendar is read away from the
    # site, and a kept feed is the same for every visitor.
    def url_for(event) -> str:
        return f"{settings.PACT_SITE_URL}{reverse('priorities:event_detail', args=[event.uid])}"

    body = calendar_build(name=name, events=events, url_for=url_for)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@require_GET
@cache_control(public=True, max_age=FEED_MAX_AGE)
@public_page
def ward_feed(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_object_or_404(Ward.objects.only("code", "name"), code=code.upper())
    return _feed(f"PACT: {ward.name} ward", selectors.events_for_feed(pk=ward.pk))


@require_GET
@cache_control(public=True, max_age=FEED_MAX_AGE)
@public_page
def team_feed(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(NeighbourhoodTeam.objects.only("slug", "name"), slug=slug)
    return _feed(f"PACT: {team.name} neighbourhood team", selectors.events_for_feed(team_id=team.pk))
