"""The staff feedback triage queue and one item's page: assign, note, reply and move status.

Complaints are seen only by professional standards and administrators, other feedback by the
officers of the ward's team (feedback.services.feedback.can_handle_feedback). Seeing an item
and handling it are the same right, so an item the user may not handle is simply not found (404).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.intake import concern_intake
from core.roles import Role
from feedback.errors import FeedbackError
from feedback.forms.feedback import FeedbackFilterForm, FeedbackNoteForm, FeedbackOfficerForm, FeedbackStatusForm
from feedback.models import Feedback
from feedback.selectors import feedback as selectors
from feedback.services import feedback as services

STAFF_ROLES = (Role.OFFICER, Role.PROFESSIONAL_STANDARDS, Role.ADMINISTRATOR)
FEEDBACK_PER_PAGE = 25


def _get_feedback_for_user(request: HttpRequest, reference: str) -> Feedback:
    feedback = selectors.feedback_for_staff(reference=reference.upper())
    if feedback is None or not services.can_handle_feedback(request.user, feedback):
        raise Http404("No feedback with that reference")
    return feedback


@staff_view(roles=STAFF_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    form = FeedbackFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    items = selectors.feedback_queue_for(user=request.user, status=status or None)
    page = Paginator(items, FEEDBACK_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/staff/queue.html", {"form": form, "page": page, "status": status})


def _render_detail(request: HttpRequest, feedback: Feedback, status: int = 200, **bound) -> HttpResponse:
    # The officer the person named in their words is offered ready to record (and, for a
    # compliment, to send it to): nobody retypes a collar number the page already knows.
    named = None if feedback.officer_id else selectors.officer_named_in(feedback)
    initial = {"collar_number": named.collar_number} if named else {}
    context = {
        "feedback": feedback,
        "status_form": FeedbackStatusForm(initial={"status": feedback.status}),
        "note_form": FeedbackNoteForm(label=_("Add a note for staff"), prefix="note"),
        "reply_form": FeedbackNoteForm(label=_("Reply by email"), prefix="reply"),
        "officer_form": FeedbackOfficerForm(prefix="officer", initial=initial),
        "named_officer": named,
        # Satisfaction after a concern: the concern's staff page (core.intake).
        "concern_url": concern_intake().staff_url(feedback.concern_reference) if feedback.concern_reference else "",
        **bound,
    }
    return render(request, "feedback/staff/detail.html", context, status=status)


@staff_view(roles=STAFF_ROLES)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_detail(request, _get_feedback_for_user(request, reference))


@require_POST
@staff_view(roles=STAFF_ROLES)
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    feedback = _get_feedback_for_user(request, reference)
    services.feedback_assign(actor=request.user, feedback=feedback)
    messages.success(request, _("You own %(reference)s") % {"reference": feedback.reference})
    return redirect("feedback:staff_detail", reference=feedback.reference)


@require_POST
@staff_view(roles=STAFF_ROLES)
def status(request: HttpRequest, reference: str) -> HttpResponse:
    feedback = _get_feedback_for_user(request, reference)
    form = FeedbackStatusForm(request.POST)
    if form.is_valid():
        services.feedback_status_set(actor=request.user, feedback=feedback, status=form.cleaned_data["status"])
        messages.success(request, _("Status changed to %(status)s") % {"status": feedback.get_status_display()})
        return redirect("feedback:staff_detail", reference=feedback.reference)
    return _render_detail(request, feedback, status=400, status_form=form)


def _text_action(request: HttpRequest, reference: str, *, prefix: str, label: str, service, done: str):
    feedback = _get_feedback_for_user(request, reference)
    form = FeedbackNoteForm(request.POST, label=label, prefix=prefix)
    if form.is_valid():
        try:
            service(actor=request.user, feedback=feedback, text=form.cleaned_data["text"])
        except FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("feedback:staff_detail", reference=feedback.reference)
    return _render_detail(request, feedback, status=400, **{f"{prefix}_form": form})


@require_POST
@staff_view(roles=STAFF_ROLES)
def note(request: HttpRequest, reference: str) -> HttpResponse:
    label = _("Add a note for staff")
    return _text_action(
        request, reference, prefix="note", label=label, service=services.feedback_note_add, done=_("Note added")
    )


@require_POST
@staff_view(roles=STAFF_ROLES)
def reply(request: HttpRequest, reference: str) -> HttpResponse:
    label = _("Reply by email")
    return _text_action(
        request, reference, prefix="reply", label=label, service=services.feedback_reply, done=_("Reply sent")
    )


@require_POST
@staff_view(roles=STAFF_ROLES)
def officer(request: HttpRequest, reference: str) -> HttpResponse:
    feedback = _get_feedback_for_user(request, reference)
    form = FeedbackOfficerForm(request.POST, prefix="officer")
    if form.is_valid():
        try:
            services.feedback_officer_set(
                actor=request.user, feedback=feedback, collar_number=form.cleaned_data["collar_number"]
            )
        except FeedbackError as error:
            form.add_error("collar_number", str(error))
        else:
            done = _("Recorded as about %(officer)s") % {"officer": feedback.officer}
            if feedback.kind == Feedback.Kind.COMPLIMENT:
                done = _("Recorded as about %(officer)s, who has been sent the compliment") % {
                    "officer": feedback.officer
                }
            messages.success(request, done)
            return redirect("feedback:staff_detail", reference=feedback.reference)
    return _render_detail(request, feedback, status=400, officer_form=form)
