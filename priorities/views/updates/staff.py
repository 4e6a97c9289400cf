"""Staff pages of the monthly updates: the team's updates, correcting one, writing and approving drafts.

Officers correct their own team's updates; administrators any team's. The officers of a team
write its draft; a sergeant or inspector of the team approves it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.emails import email_render
from core.roles import Role, is_administrator
from priorities.errors import PrioritiesError
from priorities.forms.updates import DraftForm, UpdateCorrectForm
from priorities.models import MonthlyUpdate, MonthlyUpdateDraft
from priorities.scopes import can_supervise_team, team_id_for
from priorities.selectors import updates as selectors
from priorities.services import updates as services

ROLES = (Role.OFFICER, Role.ADMINISTRATOR)
UPDATES_PER_PAGE = 24
DRAFTS_LISTED = 6


def _team_of(request: HttpRequest) -> int | None:
    """The team whose updates the user sees (None: every team, for administrators); 404 if none."""
    if is_administrator(request.user):
        return None
    team_id = team_id_for(request.user)
    if team_id is None:
        raise Http404("You are not a member of a neighbourhood team")
    return team_id


def _get_update_for_user(request: HttpRequest, pk: int) -> MonthlyUpdate:
    """The update, if it is of the user's team (else 404) and they may correct it (else 403)."""
    update = selectors.update_for_staff(pk).first()
    team_id = _team_of(request)
    if update is None or (team_id is not None and update.team_id != team_id):
        raise Http404("No update with that number")
    if not services.can_correct_monthly_update(actor=request.user, update=update):
        raise PermissionDenied
    return update


@staff_view(roles=ROLES)
def update_list(request: HttpRequest) -> HttpResponse:
    team_id = _team_of(request)
    updates = selectors.updates_for_staff(team_id)
    page = Paginator(updates, UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    drafts = list(selectors.drafts_for_staff(team_id)[:DRAFTS_LISTED])
    return render(request, "priorities/updates/staff_list.html", {"page": page, "drafts": drafts})


def _correctable(update: MonthlyUpdate) -> list[dict]:
    """Each priority of the update with the team's note on it and its listed actions."""
    notes = update.notes or {}
    return [
        {
            "id": priority["id"],
            "title": priority["title"],
            "ward": ward["name"],
            "note": notes.get(str(priority["id"]), {}),
            "entries": [
                {"id": entry["id"], "text": entry["text"], "happened_on": entry["happened_on"]}
                for entry in priority["entries"]
            ],
        }
        for ward in update.content.get("wards", [])
        for priority in ward["priorities"]
    ]


@staff_view(roles=ROLES)
def update_correct(request: HttpRequest, pk: int) -> HttpResponse:
    update = _get_update_for_user(request, pk)
    data = request.POST if request.method == "POST" else None
    form = UpdateCorrectForm(data, initial={"summary": update.summary}, priorities=_correctable(update))
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        try:
            services.monthly_update_correct(
                actor=request.user,
                update=update,
                summary=values["summary"],
                reason=values["reason"],
                notes=form.notes(),
                entries=form.changed_entries(),
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The {update.month:%B %Y} update of {update.team.name} has been corrected")
            return redirect("priorities:staff_update_list")
    return render(request, "priorities/updates/staff_correct.html", {"form": form, "update": update})


def _get_draft_for_user(request: HttpRequest, pk: int) -> MonthlyUpdateDraft:
    """The draft, if it is of the user's own team (else 404); administrators only read."""
    draft = selectors.draft_for_staff(pk).first()
    team_id = _team_of(request)
    if draft is None or (team_id is not None and draft.team_id != team_id):
        raise Http404("No draft with that number")
    return draft


def _preview(draft: MonthlyUpdateDraft, message: str, notes: dict) -> dict:
    """The public page and the email as they would be with ``message`` and ``notes`` (server-rendered)."""
    update = MonthlyUpdate(
        team=draft.team,
        month=draft.month,
        summary=message,
        notes=notes,
        content=draft.content,
        published_at=draft.created_at,
    )
    wards = selectors.content_for_display(draft.content, notes)
    context = {
        "update": update,
        "team": draft.team,
        "wards": wards,
        "update_url": "(the link to the update)",
        "unsubscribe_url": "(the link to unsubscribe)",
    }
    subject, text, _html = email_render("monthly_update", context)
    return {"update": update, "wards": wards, "email_subject": subject, "email_text": text.strip()}


@staff_view(roles=ROLES)
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the team's words with a preview of the page and the email; "Save" keeps them."""
    draft = _get_draft_for_user(request, pk)
    may_edit = services.can_edit_monthly_draft(actor=request.user, draft=draft)
    priorities = selectors.draft_priorities(draft)
    data = request.POST if request.method == "POST" else None
    if data is not None and "save" in data and not may_edit:
        raise PermissionDenied
    form = DraftForm(data, priorities=priorities, initial={"message": draft.message})
    message, notes = draft.message, draft.notes
    if form.is_bound and form.is_valid():
        message, notes = form.cleaned_data["message"], form.notes()
        if "save" in request.POST:
            try:
                services.monthly_draft_edit(actor=request.user, draft=draft, message=message, notes=notes)
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"The {draft.month:%B %Y} draft has been saved")
                return redirect(reverse("priorities:staff_draft_edit", args=[draft.pk]) + "#preview")
    context = {
        "draft": draft,
        "form": form,
        "may_edit": may_edit,
        "may_approve": can_supervise_team(request.user, draft.team_id),
        "preview": _preview(draft, message, notes),
        "previewing": form.is_bound and "save" not in request.POST,
    }
    return render(request, "priorities/updates/staff_draft.html", context)


@require_POST
@staff_view(roles=(Role.OFFICER,))
def draft_approve(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _get_draft_for_user(request, pk)
    if not can_supervise_team(request.user, draft.team_id):
        raise PermissionDenied
    try:
        services.monthly_draft_approve(actor=request.user, draft=draft)
    except PrioritiesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The {draft.month:%B %Y} update of {draft.team.name} is approved")
    return redirect("priorities:staff_draft_edit", pk=draft.pk)
