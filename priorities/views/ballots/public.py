"""Public ballot and priority pages: a ballot's result, a priority, and a ward's past priorities."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.cache import public_page
from priorities.models import Ballot
from priorities.selectors import ballots as selectors
from priorities.selectors import priorities as priority_selectors

PRIORITIES_PER_PAGE = 20


@require_GET
@public_page
def ballot_result(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = selectors.ballot_for_page(pk).first()
    if ballot is None:
        raise Http404("No ballot with that number")
    # While voting is under way no tally is shown: it could sway the votes still to come.
    result = selectors.ballot_result(ballot) if ballot.status == Ballot.Status.CLOSED else None
    return render(request, "priorities/ballots/result.html", {"ballot": ballot, "result": result})


@require_GET
@public_page
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    priority = priority_selectors.priority_for_page(pk).first()
    if priority is None:
        raise Http404("No priority with that number")
    return render(request, "priorities/priorities/detail.html", {"priority": priority})


@require_GET
@public_page
def ward_priorities(request: HttpRequest, code: str) -> HttpResponse:
    ward = priority_selectors.ward_for_archive(code).first()
    if ward is None:
        raise Http404("No ward with that code")
    page = Paginator(priority_selectors.past_priorities(ward), PRIORITIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/priorities/archive.html", {"ward": ward, "page": page})
