"""Public priority pages: a priority, with its progress, and a ward's past priorities."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.cache import public_page
from priorities.selectors import priorities as selectors

PRIORITIES_PER_PAGE = 20


@require_GET
@public_page
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    priority = selectors.priority_for_page(pk).first()
    if priority is None:
        raise Http404("No priority with that number")
    return render(request, "priorities/priorities/detail.html", {"priority": priority})


@require_GET
@public_page
def ward_priorities(request: HttpRequest, code: str) -> HttpResponse:
    ward = selectors.ward_for_archive(code).first()
    if ward is None:
        raise Http404("No ward with that code")
    page = Paginator(selectors.past_priorities(ward), PRIORITIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/priorities/archive.html", {"ward": ward, "page": page})
