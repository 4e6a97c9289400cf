"""Public event pages and the iCalendar feeds of wards and teams."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from core.cache import public_page
from priorities.calendar import calendar_build
from priorities.errors import PrioritiesError
from priorities.forms.agendas import SupportForm
from priorities.models import Event
from priorities.selectors import agendas as agenda_selectors
from priorities.selectors import events as selectors
from priorities.services import meeting_support as support_services
from wards.models import NeighbourhoodTeam, Ward

ERROR_RATE_LIMITED = _(
    "You have sent this form 10 times in the last hour, the most we take from one person. Wait an hour and try again."
)
SUPPORT_LIMIT = FormLimit(scope="meeting-support", per_person=10, per_address=100, person_refusal=ERROR_RATE_LIMITED)
EVENTS_PER_PAGE = 20
FEED_MAX_AGE = 15 * 60


@require_GET
@public_page
def event_detail(request: HttpRequest, uid: str) -> HttpResponse:
    event = selectors.event_for_page(uid).first()
    if event is None:
        raise Http404("No event with that id")
    wards = list(event.wards.all())
    agenda = agenda_selectors.agenda_content(event) if event.kind == Event.Kind.PACT_MEETING else None
    context = {"event": event, "wards": wards, "agenda": agenda, "support_open": _support_open(event, agenda)}
    return render(request, "priorities/events/detail.html", context)


def _support_open(event: Event, agenda) -> bool:
    return bool(
        agenda and agenda.concerns and event.status == Event.Status.SCHEDULED and event.starts_at > timezone.now()
    )


def _meeting_for_support(uid) -> tuple[Event, agenda_selectors.AgendaContent]:
    event = selectors.event_for_page(str(uid)).first()
    agenda = agenda_selectors.agenda_content(event) if event and event.kind == Event.Kind.PACT_MEETING else None
    if event is None or agenda is None:
        raise Http404("No meeting with a published agenda")
    return event, agenda


@require_http_methods(["GET", "POST"])
def meeting_support(request: HttpRequest, uid) -> HttpResponse:
    """Residents support up to three shortlisted concerns before the meeting (the link emailed confirms)."""
    event, agenda = _meeting_for_support(uid)
    if not _support_open(event, agenda):
        return render(request, "priorities/events/support_closed.html", {"event": event})
    form = SupportForm(request.POST or None, concerns=agenda.concerns)
    status = 200
    if request.method == "POST" and form.is_valid():
        if refusal := form_limit_refusal(request, SUPPORT_LIMIT, email=form.cleaned_data["email"]):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                # The same page follows whether or not this person had supported already.
                support_services.meeting_support_start(
                    meeting_id=event.pk,
                    email=form.cleaned_data["email"],
                    postcode=form.cleaned_data["postcode"],
                    concern_ids=form.cleaned_data["concerns"],
                )
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return redirect("priorities:meeting_support_sent", uid=event.uid)
    context = {"event": event, "form": form, "wards": list(event.wards.all())}
    return render(request, "priorities/events/support.html", context, status=status)


@require_GET
def meeting_support_sent(request: HttpRequest, uid) -> HttpResponse:
    event, _agenda = _meeting_for_support(uid)
    return render(request, "priorities/events/support_sent.html", {"event": event})


@require_http_methods(["GET", "POST"])
def meeting_support_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: GET shows a button (link scanners only GET), POST counts the support."""
    try:
        support = support_services.meeting_support_for_link(token=token[:100])
    except PrioritiesError as error:
        raise Http404(str(error)) from error
    error = None
    if request.method == "POST":
        try:
            support = support_services.meeting_support_confirm(token=token)
        except PrioritiesError as refused:
            error = str(refused)
        else:
            return redirect(request.path)
    context = {"support": support, "event": support.meeting, "error": error}
    return render(request, "priorities/events/support_confirm.html", context)


@require_GET
@public_page
def ward_events(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_object_or_404(Ward.objects.only("code", "name"), code=code.upper())
    page = Paginator(selectors.events_of_ward(ward), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/events/ward_events.html", {"ward": ward, "page": page})


def _feed(name: str, events) -> HttpResponse:
    # Absolute on PACT_SITE_URL, not on the request's host: a calendar is read away from the
    # site, and a kept feed is the same for every visitor.
    def url_for(event) -> str:
        return f"{settings.PACT_SITE_URL}{reverse('priorities:event_detail', args=[event.uid])}"

    body = calendar_build(name=name, events=events, url_for=url_for)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@require_GET
@cache_control(public=True, max_age=FEED_MAX_AGE)
@public_page
def ward_feed(request: HttpRequest, code: str) -> HttpResponse:
    ward = get_object_or_404(Ward.objects.only("code", "name"), code=code.upper())
    return _feed(f"PACT: {ward.name} ward", selectors.events_for_feed(pk=ward.pk))


@require_GET
@cache_control(public=True, max_age=FEED_MAX_AGE)
@public_page
def team_feed(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_object_or_404(NeighbourhoodTeam.objects.only("slug", "name"), slug=slug)
    return _feed(f"PACT: {team.name} neighbourhood team", selectors.events_for_feed(team_id=team.pk))
