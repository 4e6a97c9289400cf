"""The optional "about you" questions for people taking part in PACT: one page per meeting for
those attending it, one per panel for its members, and one after sending feedback (a separate
step, so the feedback form itself stays short).

No account and no tracking: the browser is given a random token in a signed cookie that is
sent back only to the page that set it, and only a keyed hash of it is stored, to refuse an
obvious second set of answers. The answers are stored apart, with the district and month only.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from core.meetings import MeetingFacts, PanelFacts, meeting_facts, panel_facts
from feedback.errors import FeedbackError
from feedback.forms.equality import AboutYouForm
from feedback.models import EqualityResponse
from feedback.repeat import RepeatToken
from feedback.selectors.equality import equality_already_answered
from feedback.selectors.feedback import FeedbackFacts, feedback_for_equality
from feedback.services.equality import equality_answer, meeting_answer_window_error

ERROR_RATE_LIMITED = _("You have sent these questions 10 times in the last hour. Wait an hour and try again.")
# Generous per address: answered by everyone at a meeting, on the venue's wifi.
ANSWER_LIMIT = FormLimit(scope="equality", per_person=10, per_address=200, person_refusal=ERROR_RATE_LIMITED)
MESSAGE_ANSWERED = _("Thank you: your answers have been sent")
TOKEN = RepeatToken(cookie="pact_about_you", salt="feedback.equality.repeat")


@dataclass(frozen=True)
class _Subject:
    """What the questions are asked for: a meeting's attendees or a panel's members."""

    context: str
    scope: str
    district_id: int | None
    meeting: MeetingFacts | None = None
    panel: PanelFacts | None = None
    feedback: FeedbackFacts | None = None


def _meeting(uid) -> MeetingFacts:
    meeting = meeting_facts(uid=str(uid))
    if meeting is None:
        raise Http404("No meeting with that id")
    return meeting


def _panel(pk: int) -> PanelFacts:
    panel = panel_facts(pk=pk)
    if panel is None:
        raise Http404("No panel with that id")
    return panel


def _answer(request: HttpRequest, form: AboutYouForm, subject: _Subject, token: str) -> int:
    """Record valid answers; the HTTP status of the page to show again when they are refused."""
    if refusal := form_limit_refusal(request, ANSWER_LIMIT):
        form.add_error(None, refusal)
        return 429
    try:
        equality_answer(
            context=subject.context,
            district_id=subject.district_id,
            answers=form.answers(),
            scope=subject.scope,
            token=token,
        )
    except FeedbackError as error:
        form.add_error(None, str(error))
        return 400
    return 0


def _about_you(request: HttpRequest, subject: _Subject, done: HttpResponse) -> HttpResponse:
    token = TOKEN.read(request)
    context = {
        "meeting": subject.meeting,
        "panel": subject.panel,
        "feedback": subject.feedback,
        "minimum": settings.PACT_EQUALITY_MINIMUM,
    }
    if request.method == "GET" and equality_already_answered(scope=subject.scope, token=token):
        return render(request, "feedback/equality/already.html", context)
    form = AboutYouForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _answer(request, form, subject, token)
        if not status:
            messages.success(request, MESSAGE_ANSWERED)
            return TOKEN.attach(request, done, token, path=request.path)
    response = render(request, "feedback/equality/about_you.html", {"form": form, **context}, status=status)
    # Scoped to this page's own path: the token travels nowhere else on the site.
    return TOKEN.attach(request, response, token, path=request.path)


@require_http_methods(["GET", "POST"])
def meeting_about_you(request: HttpRequest, uid) -> HttpResponse:
    meeting = _meeting(uid)
    closed = meeting_answer_window_error(meeting)
    if closed:
        status = 403 if request.method == "POST" else 200
        return render(request, "feedback/equality/closed.html", {"meeting": meeting, "reason": closed}, status=status)
    subject = _Subject(
        context=EqualityResponse.Context.MEETING_ATTENDEE,
        scope=f"meeting:{meeting.uid}",
        district_id=meeting.district_id,
        meeting=meeting,
    )
    return _about_you(request, subject, redirect("feedback:meeting_about_you_done", uid=meeting.uid))


@require_http_methods(["GET", "POST"])
def panel_about_you(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _panel(pk)
    subject = _Subject(
        context=EqualityResponse.Context.PANEL_MEMBER,
        scope=f"panel:{panel.pk}",
        district_id=panel.district_id,
        panel=panel,
    )
    return _about_you(request, subject, redirect("feedback:panel_about_you_done", pk=panel.pk))


@require_GET
def meeting_about_you_done(request: HttpRequest, uid) -> HttpResponse:
    return render(request, "feedback/equality/done.html", {"meeting": _meeting(uid)})


@require_GET
def panel_about_you_done(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "feedback/equality/done.html", {"panel": _panel(pk)})


def _feedback(reference: str) -> FeedbackFacts:
    feedback = feedback_for_equality(reference=reference.upper()[:20])
    if feedback is None:
        raise Http404("No recent feedback with that reference")
    return feedback


@require_http_methods(["GET", "POST"])
def feedback_about_you(request: HttpRequest, reference: str) -> HttpResponse:
    feedback = _feedback(reference)
    subject = _Subject(
        context=EqualityResponse.Context.FEEDBACK,
        scope=f"feedback:{feedback.reference}",
        district_id=feedback.district_id,
        feedback=feedback,
    )
    return _about_you(request, subject, redirect("feedback:feedback_about_you_done", reference=feedback.reference))


@require_GET
def feedback_about_you_done(request: HttpRequest, reference: str) -> HttpResponse:
    return render(request, "feedback/equality/done.html", {"feedback": _feedback(reference)})
