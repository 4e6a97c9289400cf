"""A resident confirms their email address from the link in a confirmation request.

Confirming happens only on POST: mail scanners and link previews fetch links with GET and
must not act for the resident. The page never shows the address (the link holds only a
signed keyed hash of it).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.recipients import ConfirmationError, recipient_confirm, recipient_token_is_confirmed


@never_cache
@require_http_methods(["GET", "POST"])
def address_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            released = recipient_confirm(token=token)
            return render(request, "pact/address_confirm.html", {"confirmed": True, "released": released})
        confirmed = recipient_token_is_confirmed(token=token)
    except ConfirmationError as error:
        return render(request, "pact/address_confirm.html", {"error": str(error)}, status=404)
    return render(request, "pact/address_confirm.html", {"confirmed": confirmed, "released": None})
