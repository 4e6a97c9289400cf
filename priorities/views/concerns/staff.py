"""Staff concerns pages: the moderation queue, entering a concern, and moderating one.

Officers of a ward's team and chairs of its panel (core.roles.can_run_ward) see and moderate
its concerns; seeing a concern and moderating it are the same right, so a concern of
another ward is simply not found (404). Other roles are refused by staff_view (403).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.roles import Role
from core.text_checks import kinds_found
from priorities.errors import PrioritiesError
from priorities.forms.concerns import (
    ConcernFilterForm,
    ConcernMergeForm,
    ConcernPublishForm,
    ConcernRecordForm,
    ConcernRejectForm,
    ConcernShortlistForm,
)
from priorities.models import Concern
from priorities.scopes import can_manage_ward, can_run_ward, ward_ids_for
from priorities.selectors import concerns as selectors
from priorities.selectors.evidence import evidence_for_concern, evidence_since
from priorities.selectors.incident_logs import incident_logs_for_concern
from priorities.services import concerns as services
from wards.crime import crime_beside

STAFF_ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
CONCERNS_PER_PAGE = 25


def _get_concern_for_user(request: HttpRequest, reference: str) -> Concern:
    concern = selectors.concern_for_staff(reference=reference.upper())
    if concern is None or not can_run_ward(request.user, concern.ward):
        raise Http404("No concern with that reference")
    return concern


@staff_view(roles=STAFF_ROLES)
def concern_queue(request: HttpRequest) -> HttpResponse:
    ward_ids = ward_ids_for(request.user)
    form = ConcernFilterForm(request.GET or None, wards=selectors.wards_for_staff(ward_ids=ward_ids))
    filters = form.filters()
    ward = filters["ward"]
    concerns = selectors.concerns_for_moderation(
        ward_ids=ward_ids, status=filters["status"], ward_id=ward.pk if ward else None
    )
    page = Paginator(concerns, CONCERNS_PER_PAGE).get_page(request.GET.get("page"))
    query_string = urlencode({"status": filters["status"] or "all", "ward": ward.code if ward else ""})
    context = {"form": form, "page": page, "query_string": query_string, "status": filters["status"]}
    return render(request, "priorities/concerns/staff/queue.html", context)


@staff_view(roles=STAFF_ROLES)
def concern_new(request: HttpRequest) -> HttpResponse:
    ward_ids = ward_ids_for(request.user)
    form = ConcernRecordForm(
        request.POST or None,
        wards=selectors.wards_for_staff(ward_ids=ward_ids),
        events=selectors.events_for_staff_entry(ward_ids=ward_ids),
    )
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_record(actor=request.user, **form.cleaned_data_for_service())
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Concern %(reference)s recorded") % {"reference": concern.reference})
            return redirect("priorities:staff_concern", reference=concern.reference)
    return render(request, "priorities/concerns/staff/new.html", {"form": form})


def _render_detail(request: HttpRequest, concern: Concern, **bound) -> HttpResponse:
    """The concern's page with its moderation forms; ``bound`` holds a form that failed, to show its errors."""
    is_open = concern.status in (Concern.Status.RECEIVED, Concern.Status.ACCEPTED, Concern.Status.SHORTLISTED)
    forms = {
        "publish_form": ConcernPublishForm(concern=concern) if concern.status == Concern.Status.RECEIVED else None,
        "shortlist_form": ConcernShortlistForm(meetings=selectors.meetings_for_shortlist(concern=concern)),
        "reject_form": ConcernRejectForm(),
        "merge_form": ConcernMergeForm(targets=selectors.concerns_to_merge_into(concern=concern)),
    }
    forms.update(bound)
    failed = next((form for form in bound.values() if form.errors), None)
    context = {
        "concern": concern,
        "can_accept": concern.status == Concern.Status.RECEIVED,
        "is_open": is_open,
        "failed_form": failed,
        "personal_data": (
            kinds_found(f"{concern.description}\n{concern.location_text}")
            if concern.status == Concern.Status.RECEIVED
            else []
        ),
        # The police.uk figures of the concern's category in its ward, for deciding to shortlist it.
        "crime": crime_beside([(concern.ward_id, concern.category.slug if concern.category.is_police_uk else None)])[0],
        **(forms if is_open else {}),
        "evidence": evidence_for_concern(concern=concern, since=evidence_since()),
        # Residents' logs are for the ward's team, not the panel's chair.
        "incident_logs": (
            incident_logs_for_concern(concern_id=concern.pk) if can_manage_ward(request.user, concern.ward) else None
        ),
    }
    return render(request, "priorities/concerns/staff/detail.html", context)


@staff_view(roles=STAFF_ROLES)
def concern_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_detail(request, _get_concern_for_user(request, reference))


def _done(request: HttpRequest, concern: Concern, message: str) -> HttpResponse:
    messages.success(request, message % {"reference": concern.reference})
    return redirect("priorities:staff_concern", reference=concern.reference)


def _publish_form(request: HttpRequest, concern: Concern) -> ConcernPublishForm | None:
    """The text to publish that came with a moderation, when the concern awaited it (None: as written)."""
    if concern.status != Concern.Status.RECEIVED or "publish-public_text" not in request.POST:
        return None
    return ConcernPublishForm(request.POST, concern=concern)


def _publish_error(form: ConcernPublishForm | None, error: PrioritiesError) -> bool:
    """Put a refusal about the published text next to its field; False when it is about something else."""
    field = {
        str(services.ERROR_NOTE_REQUIRED): "note",
        str(services.ERROR_NOTE_TOO_LONG): "note",
        str(services.ERROR_PUBLIC_TEXT_REQUIRED): "public_text",
        str(services.ERROR_PUBLIC_TEXT_TOO_LONG): "public_text",
        str(services.ERROR_LOCATION_TOO_LONG): "public_location",
    }.get(str(error))
    if form is None or field is None:
        return False
    form.add_error(field, str(error))
    return True


@require_POST
@staff_view(roles=STAFF_ROLES)
def concern_accept(request: HttpRequest, reference: str) -> HttpResponse:
    concern = _get_concern_for_user(request, reference)
    publish = _publish_form(request, concern)
    if publish is not None and not publish.is_valid():
        return _render_detail(request, concern, publish_form=publish)
    try:
        services.concern_accept(actor=request.user, concern=concern, **(publish.for_service() if publish else {}))
    except PrioritiesError as error:
        if _publish_error(publish, error):
            return _render_detail(request, concern, publish_form=publish)
        messages.error(request, str(error))
        return redirect("priorities:staff_concern", reference=concern.reference)
    return _done(request, concern, _("Concern %(reference)s accepted and published"))


@require_POST
@staff_view(roles=STAFF_ROLES)
def concern_shortlist(request: HttpRequest, reference: str) -> HttpResponse:
    concern = _get_concern_for_user(request, reference)
    form = ConcernShortlistForm(request.POST, meetings=selectors.meetings_for_shortlist(concern=concern))
    publish = _publish_form(request, concern)
    bound = {"shortlist_form": form, **({"publish_form": publish} if publish is not None else {})}
    if form.is_valid() and (publish is None or publish.is_valid()):
        text = publish.for_service() if publish else {}
        try:
            services.concern_shortlist(
                actor=request.user, concern=concern, meeting=form.cleaned_data["meeting"], **text
            )
        except PrioritiesError as error:
            if not _publish_error(publish, error):
                form.add_error(None, str(error))
        else:
            return _done(request, concern, _("Concern %(reference)s shortlisted"))
    return _render_detail(request, concern, **bound)


@require_POST
@staff_view(roles=STAFF_ROLES)
def concern_reject(request: HttpRequest, reference: str) -> HttpResponse:
    concern = _get_concern_for_user(request, reference)
    form = ConcernRejectForm(request.POST)
    if form.is_valid():
        try:
            services.concern_reject(actor=request.user, concern=concern, reason=form.cleaned_data["reason"])
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, concern, _("Concern %(reference)s not taken forward"))
    return _render_detail(request, concern, reject_form=form)


@require_POST
@staff_view(roles=STAFF_ROLES)
def concern_merge(request: HttpRequest, reference: str) -> HttpResponse:
    concern = _get_concern_for_user(request, reference)
    form = ConcernMergeForm(request.POST, targets=selectors.concerns_to_merge_into(concern=concern))
    if form.is_valid():
        try:
            services.concern_merge(actor=request.user, concern=concern, into=form.cleaned_data["into"])
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, concern, _("Concern %(reference)s merged"))
    return _render_detail(request, concern, merge_form=form)
