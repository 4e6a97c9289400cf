"""Residents' concerns pages: raise a concern, its confirmation, and a ward's published concerns.

Only moderated concerns are ever listed, and never with the contact email or who raised it.
"""

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from core.cache import public_page
from priorities.errors import PrioritiesError
from priorities.forms.concerns import ConcernRaiseForm
from priorities.selectors import concerns as selectors
from priorities.services.concerns import concern_raise
from wards.models import Ward

ERROR_RATE_LIMITED = _(
    "You have sent 5 concerns in the last hour, the most we take from one person. "
    "Wait an hour before sending another, or call 101."
)
RAISE_LIMIT = FormLimit(scope="concern", per_person=5, per_address=50, person_refusal=ERROR_RATE_LIMITED)
CONCERNS_PER_PAGE = 20
_REFERENCE = re.compile(r"^PACT-[A-Z0-9]{6}$")


def _get_ward(code: str) -> Ward:
    ward = selectors.ward_for_concerns(code=code)
    if ward is None:
        raise Http404("No ward with that code")
    return ward


@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, code: str) -> HttpResponse:
    ward = _get_ward(code)
    form = ConcernRaiseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # Only complete submissions count towards the limit: a person correcting mistakes is not refused.
        if refusal := form_limit_refusal(request, RAISE_LIMIT, email=form.cleaned_data.get("contact_email", "")):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                concern = concern_raise(ward=ward, **form.cleaned_data_for_service())
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return redirect("priorities:concern_raised", reference=concern.reference)
    return render(request, "priorities/concerns/new.html", {"form": form, "ward": ward}, status=status)


@require_GET
@public_page
def concern_raised(request: HttpRequest, reference: str) -> HttpResponse:
    reference = reference.upper()
    concern = selectors.concern_for_confirmation(reference=reference) if _REFERENCE.match(reference) else None
    if concern is None:
        raise Http404("No concern with that reference")
    return render(request, "priorities/concerns/raised.html", {"concern": concern, "ward": concern.ward})


@require_GET
@public_page
def ward_concerns(request: HttpRequest, code: str) -> HttpResponse:
    ward = _get_ward(code)
    page = Paginator(selectors.concerns_public_for_ward(ward=ward), CONCERNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/concerns/list.html", {"ward": ward, "page": page})
