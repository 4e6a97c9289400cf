"""A partner agency's pages: submit an information form and list the agency's own reports.

A partner user sees only their own agency's reports, and only about the wards the agency
works in (core.roles.partner_ward_ids_for); a partner account not linked to an agency is
told so. Other roles are refused by staff_view (403).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.forms.information import InformationReportForm
from priorities.scopes import partner_agency_for, partner_ward_ids_for
from priorities.selectors import information as selectors
from priorities.services import information as services

REPORTS_PER_PAGE = 25


def _no_agency(request: HttpRequest) -> HttpResponse:
    context = {"message": services.ERROR_NO_AGENCY}
    return render(request, "priorities/information/no_agency.html", context, status=403)


@staff_view(roles=(Role.PARTNER,))
def information_new(request: HttpRequest) -> HttpResponse:
    agency = partner_agency_for(request.user)
    if agency is None:
        return _no_agency(request)
    wards = list(selectors.wards_for_partner(ward_ids=partner_ward_ids_for(request.user)))
    form = InformationReportForm(request.POST or None, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            services.information_report_submit(actor=request.user, **form.cleaned_data_for_service())
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            ward = form.cleaned_data["ward"]
            messages.success(request, _("Information sent to the %(ward)s neighbourhood team") % {"ward": ward.name})
            return redirect("priorities:partner_information")
    return render(request, "priorities/information/partner_form.html", {"form": form, "agency": agency, "wards": wards})


@staff_view(roles=(Role.PARTNER,))
def information_list(request: HttpRequest) -> HttpResponse:
    agency = partner_agency_for(request.user)
    if agency is None:
        return _no_agency(request)
    reports = selectors.information_reports_for_agency(agency_id=agency.pk, ward_ids=partner_ward_ids_for(request.user))
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    services.information_reports_listed(actor=request.user, reports=list(page.object_list), scope="agency")
    return render(request, "priorities/information/partner_list.html", {"agency": agency, "page": page})
