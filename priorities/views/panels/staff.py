"""Staff pages of panel membership: the panel's chair, the sergeants and inspectors of its
team and administrators add, change and end memberships, hand the chair over and invite new
members by email (priorities.scopes.can_manage_panel); the team's other officers may look.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.forms import panels as forms
from priorities.models import Panel, PanelInvitation, PanelMember
from priorities.scopes import can_manage_panel, can_see_panel
from priorities.selectors import panels as selectors
from priorities.services import panels as services

ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
FORM_TEMPLATE = "priorities/panels/staff_form.html"


def _get_panel_for_user(request: HttpRequest, pk: int, *, manage: bool = True) -> Panel:
    """The panel, if the user may see its members (else 404) and, for a change, manage them (else 403)."""
    panel = get_object_or_404(Panel, pk=pk)
    if not can_see_panel(request.user, panel):
        raise Http404("No panel with that number")
    if manage and not can_manage_panel(request.user, panel):
        raise PermissionDenied
    return panel


def _get_member_for_user(request: HttpRequest, pk: int) -> PanelMember:
    member = get_object_or_404(PanelMember.objects.select_related("panel"), pk=pk)
    _get_panel_for_user(request, member.panel_id)
    return member


def _run(form: Form, call):
    """Call the service with the valid form; a refusal becomes an error on the form."""
    try:
        return call()
    except PrioritiesError as error:
        form.add_error(None, str(error))
        return None


def _form_page(request: HttpRequest, form: Form, panel: Panel, **context) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, "panel": panel, **context})


@staff_view(roles=ROLES)
def panel_list(request: HttpRequest) -> HttpResponse:
    panels = list(selectors.panels_for_staff(request.user))
    return render(request, "priorities/panels/staff_list.html", {"panels": panels})


@staff_view(roles=ROLES)
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _get_panel_for_user(request, pk, manage=False)
    current, ended = selectors.panel_memberships(panel)
    manage = can_manage_panel(request.user, panel)
    context = {"panel": panel, "current": current, "ended": ended, "manage": manage}
    context["invitations"] = selectors.open_invitations(panel) if manage else []
    context["wards"] = list(panel.wards.order_by("name"))
    return render(request, "priorities/panels/staff_detail.html", context)


@staff_view(roles=ROLES)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _get_panel_for_user(request, pk)
    form = forms.MemberForm(request.POST or None, adding=True)
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        member = _run(form, lambda: services.panel_member_add(actor=request.user, panel=panel, **values))
        if member is not None:
            messages.success(request, f"{member.name} has been added to {panel.name}")
            return redirect("priorities:staff_panel", pk=panel.pk)
    return _form_page(request, form, panel, heading=f"Add a member to {panel.name}", button="Add member")


@staff_view(roles=ROLES)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    if member.ended_on is not None:
        messages.error(request, str(services.ERROR_ENDED))
        return redirect("priorities:staff_panel", pk=member.panel_id)
    is_chair = member.role == PanelMember.Role.CHAIR
    initial = {name: getattr(member, name) for name in ("name", "organisation", "kind", "role", "started_on")}
    form = forms.MemberForm(request.POST or None, initial=initial, chair=is_chair)
    if form.is_bound and form.is_valid():
        values = {"role": member.role, **form.cleaned_data}
        updated = _run(form, lambda: services.panel_member_update(actor=request.user, member=member, **values))
        if updated is not None:
            messages.success(request, f"{updated.name}'s membership has been updated")
            return redirect("priorities:staff_panel", pk=member.panel_id)
    heading = f"Change {member.name}'s membership"
    return _form_page(request, form, member.panel, heading=heading, button="Save changes", member=member)


@staff_view(roles=ROLES)
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    if member.ended_on is not None:
        messages.error(request, str(services.ERROR_ENDED))
        return redirect("priorities:staff_panel", pk=member.panel_id)
    form = forms.MemberEndForm(request.POST or None)
    if form.is_bound and form.is_valid():
        ended_on = form.cleaned_data["ended_on"]
        ended = _run(form, lambda: services.panel_member_end(actor=request.user, member=member, ended_on=ended_on))
        if ended is not None:
            messages.success(request, f"{ended.name}'s membership has ended; it stays in the panel's history")
            return redirect("priorities:staff_panel", pk=member.panel_id)
    heading = f"End {member.name}'s membership"
    context = {"member": member, "ending": True}
    return _form_page(request, form, member.panel, heading=heading, button="End membership", **context)


@staff_view(roles=ROLES)
def chair_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _get_panel_for_user(request, pk)
    candidates = selectors.handover_candidates(panel)
    chair = panel.members.filter(role=PanelMember.Role.CHAIR, ended_on__isnull=True).first()
    form = forms.HandoverForm(request.POST or None, candidates=candidates, has_chair=chair is not None)
    if candidates and form.is_bound and form.is_valid():
        successor = next(member for member in candidates if member.pk == form.cleaned_data["successor"])
        keep = form.cleaned_data.get("keep_old_chair", False)
        new_chair = _run(
            form,
            lambda: services.panel_chair_hand_over(
                actor=request.user, panel=panel, successor=successor, keep_old_chair=keep
            ),
        )
        if new_chair is not None:
            messages.success(request, f"{new_chair.name} is now the chair of {panel.name}")
            if chair is not None and chair.user_id == request.user.pk:
                return redirect(_after_own_handover(request))
            return redirect("priorities:staff_panel", pk=panel.pk)
    context = {"candidates": candidates, "chair": chair, "handover": True}
    return _form_page(
        request, form, panel, heading=f"Hand over the chair of {panel.name}", button="Hand over", **context
    )


def _after_own_handover(request: HttpRequest) -> str:
    """Where an old chair goes once their access to the panel has ended: the staff home while
    they keep a role (another panel's chair, say), else the public home."""
    keeps_a_role = request.user.is_superuser or request.user.groups.filter(name__in=Role.values).exists()
    return "staff:home" if keeps_a_role else "home"


@staff_view(roles=ROLES)
def invitation_issue(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _get_panel_for_user(request, pk)
    form = forms.InvitationForm(request.POST or None)
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        if _run(form, lambda: services.panel_invitation_issue(actor=request.user, panel=panel, **values)):
            days = max(1, settings.PACT_PANEL_INVITATION_SECONDS // 86400)
            messages.success(request, f"An invitation has been sent to {values['email']}. It works for {days} days")
            return redirect("priorities:staff_panel", pk=panel.pk)
    heading = f"Invite a new member to {panel.name}"
    return _form_page(request, form, panel, heading=heading, button="Send invitation", inviting=True)


@require_POST
@staff_view(roles=ROLES)
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(PanelInvitation.objects.select_related("panel"), pk=pk)
    _get_panel_for_user(request, invitation.panel_id)
    if services.panel_invitation_revoke(actor=request.user, invitation=invitation):
        messages.success(request, f"The invitation to {invitation.email} has been withdrawn")
    else:
        messages.error(request, "That invitation had already been accepted or withdrawn")
    return redirect("priorities:staff_panel", pk=invitation.panel_id)
