"""Staff pages for subject access and erasure: find what PACT holds about an email address,
download it as JSON, and erase it after a confirmation.

Administrators only (core.personal_data.can_handle_personal_data): subject access and erasure
are the force's data protection work, done for every ward at once. Professional standards
handle complaints in the feedback queue and see their contact details there; a force-wide
search of everything held about anyone is more than that work needs.

The address only travels in POST bodies, never in a URL (URLs are kept in server and proxy
logs), and is not kept in the session. Every search, export and erasure is audited with the
address hashed (core.personal_data).
"""

import datetime
import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import staff_view
from core.personal_data import (
    Holding,
    PersonalDataError,
    personal_data_erase,
    personal_data_export,
    personal_data_find,
    personal_data_holdings,
    personal_data_sources,
)
from core.personal_data_forms import AddressForm, EraseForm
from core.roles import Role

ROLES = (Role.ADMINISTRATOR,)
# A page shows this many items of a source; the export holds them all.
ITEMS_SHOWN = 50
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _text(value: Any) -> str:
    if value is None or value == "":
        return _("Not given")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        return dateformat.format(moment, "j F Y, g:i a")
    if isinstance(value, dict):
        return "; ".join(f"{_label(key)}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return " | ".join(_text(item) for item in value) if value else _("None")
    return str(value)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _for_display(holding: Holding) -> dict[str, Any]:
    """A source's items as (label, text) rows for the page."""
    items = [[(_label(key), _text(value)) for key, value in item.items()] for item in holding.items[:ITEMS_SHOWN]]
    return {"source": holding.source, "count": holding.count, "items": items, "more": holding.count - len(items)}


def _search_page(request: HttpRequest, form: AddressForm, status: int = 200) -> HttpResponse:
    sources = personal_data_sources()
    return render(request, "staff/personal_data/search.html", {"form": form, "sources": sources}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(roles=ROLES)
def search(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _search_page(request, AddressForm())
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _search_page(request, form, status=400)
    email = form.cleaned_data["email"]
    holdings = personal_data_find(actor=request.user, email=email)
    context = {
        "email": email,
        "holdings": [_for_display(holding) for holding in holdings],
        "total": sum(holding.count for holding in holdings),
    }
    return render(request, "staff/personal_data/results.html", context)


@require_POST
@staff_view(roles=ROLES)
def export(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _search_page(request, form, status=400)
    document = personal_data_export(actor=request.user, email=form.cleaned_data["email"])
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    # The file name holds no address: downloads are listed, synced and shared by name.
    name = f"pact-personal-data-{timezone.localtime():%Y-%m-%d-%H%M}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _erase_page(request: HttpRequest, form: EraseForm, email: str, status: int = 200) -> HttpResponse:
    holdings = [holding for holding in personal_data_holdings(email=email) if holding.count]
    context = {"form": form, "email": email, "holdings": holdings}
    return render(request, "staff/personal_data/erase.html", context, status=status)


@require_POST
@staff_view(roles=ROLES)
def erase(request: HttpRequest) -> HttpResponse:
    """Two steps, both POST: from the results page to the confirmation, then the erasure."""
    if "confirm_email" not in request.POST:
        return _erase_start(request)
    form = EraseForm(request.POST)
    if not form.is_valid():
        email = form.cleaned_data.get("email")
        if not email:
            return _search_page(request, AddressForm(request.POST), status=400)
        return _erase_page(request, form, email, status=400)
    try:
        counts = personal_data_erase(
            actor=request.user, email=form.cleaned_data["email"], sources=form.cleaned_data["sources"]
        )
    except PersonalDataError as error:
        form.add_error(None, str(error))
        return _erase_page(request, form, form.cleaned_data["email"], status=400)
    messages.success(request, _erased_message(counts))
    return redirect("staff:personal_data")


def _erase_start(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _search_page(request, form, status=400)
    email = form.cleaned_data["email"]
    held = [holding.source.name for holding in personal_data_holdings(email=email) if holding.count]
    if not held:
        messages.info(request, _("PACT holds nothing about this address, so there is nothing to erase."))
        return redirect("staff:personal_data")
    return _erase_page(request, EraseForm(initial={"email": email, "sources": held}), email)


def _erased_message(counts: dict[str, int]) -> str:
    labels = {source.name: source.label for source in personal_data_sources()}
    parts = [f"{labels[name]}: {count}" for name, count in counts.items()]
    return _("Personal data erased (records changed: %(parts)s). The audit trail keeps no copy of the address.") % {
        "parts": "; ".join(parts)
    }
