"""Public ballot pages: a closed ballot's result (no tally while voting is under way)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.cache import public_page
from priorities.models import Ballot
from priorities.selectors import ballots as selectors
from priorities.selectors.agendas import with_support


@require_GET
@public_page
def ballot_result(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = selectors.ballot_for_page(pk).first()
    if ballot is None:
        raise Http404("No ballot with that number")
    # While voting is under way no tally is shown: it could sway the votes still to come.
    result = selectors.ballot_result(ballot) if ballot.status == Ballot.Status.CLOSED else None
    if result is not None:
        with_support(result.options, ballot.meeting_id)
    context = {
        "ballot": ballot,
        "result": result,
        "reopenings": selectors.ballot_reopenings(ballot),
        # The new priorities as the chair named them after the vote.
        "adopted": list(selectors.adopted_priorities(ballot).prefetch_related(None)) if result else [],
    }
    return render(request, "priorities/ballots/result.html", context)
