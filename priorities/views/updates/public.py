"""Public pages of the monthly updates: one month's update, its earlier versions, a team's archive."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.cache import public_page
from priorities.models import MonthlyUpdate
from priorities.selectors import updates as selectors
from wards.models import NeighbourhoodTeam

UPDATES_PER_PAGE = 12


def _get_update(slug: str, year: str, month: str) -> MonthlyUpdate:
    try:
        first = datetime.date(int(year), int(month), 1)
    except ValueError as error:
        raise Http404("No such month") from error
    update = selectors.update_for_page(slug=slug, month=first).first()
    if update is None:
        raise Http404("No update for that team and month")
    return update


@require_GET
@public_page
def update_detail(request: HttpRequest, slug: str, year: str, month: str) -> HttpResponse:
    update = _get_update(slug, year, month)
    context = {"update": update, "wards": selectors.content_for_display(update.content, update.notes)}
    return render(request, "priorities/updates/detail.html", context)


@require_GET
@public_page
def update_revisions(request: HttpRequest, slug: str, year: str, month: str) -> HttpResponse:
    update = _get_update(slug, year, month)
    versions = [
        {"revision": revision, "wards": selectors.content_for_display(revision.content, revision.notes)}
        for revision in update.revisions.all()
    ]
    current = selectors.content_for_display(update.content, update.notes)
    return render(
        request, "priorities/updates/revisions.html", {"update": update, "versions": versions, "current": current}
    )


@require_GET
@public_page
def update_archive(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(NeighbourhoodTeam.objects.only("slug", "name"), slug=slug)
    page = Paginator(selectors.updates_of_team(team), UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/updates/archive.html", {"team": team, "page": page})
