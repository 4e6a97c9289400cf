"""The ward's team turning off a resident's log link (the logs themselves are on the concern's page).

Only the ward's officers and administrators (core.roles.can_manage_ward); a log of another
ward, or of another concern, is not found (404). Audited by the service.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.scopes import can_manage_ward
from priorities.selectors import incident_logs as selectors
from priorities.services import incident_logs as services


@require_POST
@staff_view(roles=(Role.OFFICER, Role.ADMINISTRATOR))
def incident_log_revoke(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    log = selectors.incident_log_for_staff(reference=reference.upper(), pk=pk)
    if log is None or not can_manage_ward(request.user, log.concern.ward):
        raise Http404("No log with that number")
    try:
        services.incident_log_revoke_by_staff(actor=request.user, log=log)
    except PrioritiesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The resident's log link is turned off"))
    return redirect("priorities:staff_concern", reference=log.concern.reference)
