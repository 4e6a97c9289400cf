"""Staff ballot pages: open a ballot, record votes or a show of hands, the casting vote, close.

Ballots are run by the chair of a panel serving the ward (priorities.scopes.can_chair_ward);
officers do not run them. A ballot of a ward one does not chair is not found (404).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.roles import Role
from priorities.ballot_counting import places_label
from priorities.errors import PrioritiesError
from priorities.forms.ballots import (
    BallotCancelForm,
    BallotOpenForm,
    CastingVoteForm,
    HandsForm,
    OptionAddForm,
    VoteForm,
)
from priorities.models import Ballot, BallotOption, Concern, Event, Priority
from priorities.scopes import can_chair_ward
from priorities.selectors import ballots as selectors
from priorities.selectors import priorities as priority_selectors
from priorities.selectors.agendas import with_support
from priorities.services import ballots as services
from wards.crime import crime_beside

BALLOT_ROLES = (Role.CHAIR, Role.ADMINISTRATOR)
MEETINGS_PER_PAGE = 20


def _get_ballot_for_user(request: HttpRequest, pk: int) -> Ballot:
    ballot = selectors.ballot_for_page(pk).first()
    if ballot is None or not can_chair_ward(request.user, ballot.ward):
        raise Http404("No ballot with that number")
    return ballot


def _get_meeting_for_user(request: HttpRequest, pk: int) -> tuple[Event, list]:
    """The held meeting and the wards of it the user chairs that have no ballot there yet."""
    meeting = selectors.meeting_for_ballot(pk).first()
    wards = [ward for ward in meeting.wards.all() if can_chair_ward(request.user, ward)] if meeting else []
    if not wards:
        raise Http404("No meeting with that number")
    held = set(meeting.ballots.values_list("ward_id", flat=True))
    return meeting, [ward for ward in wards if ward.pk not in held]


@staff_view(roles=BALLOT_ROLES)
def ballot_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_for_ballots(request.user)
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/ballots/staff/list.html", {"page": page})


@staff_view(roles=BALLOT_ROLES)
def ballot_open(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting, wards = _get_meeting_for_user(request, meeting_pk)
    form = BallotOpenForm(request.POST if request.method == "POST" else None, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            ballot = services.ballot_open(
                actor=request.user, meeting=meeting, ward=form.cleaned_data["ward"], method=form.cleaned_data["method"]
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ballot opened for %(ward)s") % {"ward": ballot.ward.name})
            return redirect("priorities:staff_ballot", pk=ballot.pk)
    return render(request, "priorities/ballots/staff/open.html", {"meeting": meeting, "wards": wards, "form": form})


def _vote_form(ballot: Ballot, data=None) -> VoteForm:
    options = BallotOption.objects.filter(ballot=ballot).order_by("pk")
    return VoteForm(data, members=selectors.members_present(ballot), options=options)


def _render_ballot(request: HttpRequest, ballot: Ballot, **forms) -> HttpResponse:
    options = with_support(selectors.ballot_options_counted(ballot), ballot.meeting_id)
    members = list(selectors.members_present(ballot))
    counting = selectors.ballot_counting(ballot, members)
    # A tie is announced only once every vote is in (or on the close page, where the chair says
    # counting is finished): with three of five votes counted it is not a tie yet.
    tie = selectors.current_tie(options) if ballot.status == Ballot.Status.OPEN and counting.complete else None
    # Each option's police.uk figures in the ward, shown beside it in the tally.
    pairs = [(ballot.ward_id, option.category.slug if option.category.is_police_uk else None) for option in options]
    for option, beside in zip(options, crime_beside(pairs), strict=True):
        option.crime = beside  # type: ignore[attr-defined]
    context = {
        "ballot": ballot,
        "options": options,
        "members": members,
        "counting": counting,
        "votes": list(selectors.votes_recorded(ballot)),
        "tie": tie,
        "tie_places": places_label(tie.places) if tie else "",
        "current": list(priority_selectors.current_priorities(ballot.ward)),
        "reopenings": selectors.ballot_reopenings(ballot),
    }
    if ballot.status == Ballot.Status.OPEN:
        if ballot.method == Ballot.Method.MEMBERS:
            context["vote_form"] = forms.get("vote_form") or _vote_form(ballot)
        else:
            context["hands_form"] = forms.get("hands_form") or HandsForm(
                options=options, initial=_hands_initial(ballot)
            )
        if counting.recorded == 0 and ballot.people_voting is None:
            context["add_form"] = forms.get("add_form") or OptionAddForm(candidates=selectors.option_candidates(ballot))
        if tie:
            tied = [option for option in options if option.pk in tie.options]
            context["casting_form"] = forms.get("casting_form") or CastingVoteForm(tied=tied, places=len(tie.places))
    context.update(forms)
    context["has_errors"] = any(form.errors for form in forms.values())
    return render(request, "priorities/ballots/staff/ballot.html", context)


def _hands_initial(ballot: Ballot) -> dict:
    return {"people_voting": ballot.people_voting}


@staff_view(roles=BALLOT_ROLES)
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_ballot(request, _get_ballot_for_user(request, pk))


@require_POST
@staff_view(roles=BALLOT_ROLES)
def ballot_vote(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    form = _vote_form(ballot, request.POST)
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.ballot_vote_record(
                actor=request.user, ballot=ballot, member=member, options=form.cleaned_data["options"]
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Vote of %(member)s recorded") % {"member": member.name})
            return redirect("priorities:staff_ballot", pk=ballot.pk)
    return _render_ballot(request, ballot, vote_form=form)


@require_POST
@staff_view(roles=BALLOT_ROLES)
def ballot_hands(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    form = HandsForm(request.POST, options=list(ballot.options.order_by("pk")))
    if form.is_valid():
        try:
            services.ballot_hands_record(
                actor=request.user,
                ballot=ballot,
                people_voting=form.cleaned_data["people_voting"],
                counts=form.counts(),
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Show of hands recorded"))
            return redirect("priorities:staff_ballot", pk=ballot.pk)
    return _render_ballot(request, ballot, hands_form=form)


@require_POST
@staff_view(roles=BALLOT_ROLES)
def ballot_casting_vote(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    tie = selectors.current_tie(selectors.ballot_options_counted(ballot))
    if tie is None or ballot.status != Ballot.Status.OPEN:
        messages.info(request, _("There is no tie for a place to decide"))
        return redirect("priorities:staff_ballot", pk=ballot.pk)
    form = CastingVoteForm(request.POST, tied=list(ballot.options.filter(pk__in=tie.options)), places=len(tie.places))
    if form.is_valid():
        try:
            services.ballot_casting_vote(actor=request.user, ballot=ballot, options=form.cleaned_data["options"])
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Casting vote recorded"))
            back = "priorities:staff_ballot_close" if request.POST.get("next") == "close" else "priorities:staff_ballot"
            return redirect(back, pk=ballot.pk)
    return _render_ballot(request, ballot, casting_form=form)


def _option_source(ballot: Ballot, kind: str, pk: int) -> dict:
    """The concern or priority of the ballot's ward chosen to add (404 for anything else)."""
    model = {"concern": Concern, "priority": Priority}.get(kind)
    found = model.objects.filter(pk=pk, ward=ballot.ward_id).first() if model else None
    if found is None:
        raise Http404("No such concern or priority in the ward")
    return {kind: found}


@require_POST
@staff_view(roles=BALLOT_ROLES)
def ballot_option_add(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    form = OptionAddForm(request.POST, candidates=selectors.option_candidates(ballot))
    if form.is_valid():
        try:
            option = services.ballot_option_add(
                actor=request.user, ballot=ballot, **_option_source(ballot, *form.chosen())
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Option added: %(title)s") % {"title": option.title})
            return redirect("priorities:staff_ballot", pk=ballot.pk)
    return _render_ballot(request, ballot, add_form=form)


@require_POST
@staff_view(roles=BALLOT_ROLES)
def ballot_option_remove(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    chosen = request.POST.get("option", "")
    option = ballot.options.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if option is None:
        messages.error(request, _("That option is no longer on the ballot"))
        return redirect("priorities:staff_ballot", pk=ballot.pk)
    try:
        services.ballot_option_remove(actor=request.user, ballot=ballot, option=option)
    except PrioritiesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Option removed: %(title)s") % {"title": option.title})
    return redirect("priorities:staff_ballot", pk=ballot.pk)


@staff_view(roles=BALLOT_ROLES)
def ballot_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    form = BallotCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cancel(actor=request.user, ballot=ballot, reason=form.cleaned_data["reason"])
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ballot cancelled: you can open a new one at this meeting"))
            return redirect("priorities:staff_ballots")
    return render(request, "priorities/ballots/staff/cancel.html", {"ballot": ballot, "form": form})


def _close_context(ballot: Ballot) -> dict:
    """The close page: votes recorded against members present, and the tie to decide now that
    the chair says counting is finished."""
    counting = selectors.ballot_counting(ballot, list(selectors.members_present(ballot)))
    context = {"ballot": ballot, "counting": counting}
    if ballot.status == Ballot.Status.OPEN:
        tie = selectors.ballot_tally(ballot).tie
        if tie is not None:
            tied = list(ballot.options.filter(pk__in=tie.options).order_by("pk"))
            context |= {
                "tie": tie,
                "tie_places": places_label(tie.places),
                "casting_form": CastingVoteForm(tied=tied, places=len(tie.places)),
                "casting_next": "close",
            }
    return context


@staff_view(roles=BALLOT_ROLES)
def ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot_for_user(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.ballot_close(actor=request.user, ballot=ballot)
        except PrioritiesError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Ballot closed: the ward's priorities are updated"))
            # The new priorities are named next, while the meeting is still in the room.
            if selectors.adopted_priorities(ballot).exists():
                return redirect("priorities:staff_ballot_adopt", pk=ballot.pk)
            return redirect("priorities:staff_ballot", pk=ballot.pk)
    context = _close_context(ballot) | {"error": error}
    return render(request, "priorities/ballots/staff/close.html", context)
