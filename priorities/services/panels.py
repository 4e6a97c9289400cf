"""Writes of panel membership: chairs and sergeants run their panels from the staff area.

A membership is one person's time on a panel in one role, from ``started_on`` up to, not
including, ``ended_on``. Ending one sets its end date and keeps the row (the panel's
history); handing the chair over ends the old chair's membership and starts the new one's
on the same day, so chair access (priorities.scopes.chaired_panel_ids) moves at once. The
chair role (core.roles) follows: granted to a new chair, withdrawn from an old one who chairs
no other panel, so an old chair's pages answer 403 at their next request.

An invitation (the pattern of core.two_factor's set-up links: single use, expiring, only a
hash of its token kept) lets a new member create a staff account; accepting it starts their
membership, and the view leads them on to set up their authenticator app.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.emails import email_queue
from core.personal_data import PersonalDataSource, retention_cutoff
from core.roles import AnyUser, Role
from priorities.errors import PrioritiesError
from priorities.models import Panel, PanelInvitation, PanelMember
from priorities.scopes import can_manage_panel

ERROR_NOT_ALLOWED = _("Only the panel's chair, a sergeant or inspector of its team or an administrator can do that")
ERROR_NAME_REQUIRED = _("Enter the member's name")
ERROR_KIND = _("Choose what kind of member they are")
ERROR_ROLE = _("Choose member or vice-chair: the chair changes only by handing it over")
ERROR_ENDED = _("That membership has already ended")
ERROR_END_FUTURE = _("The end date must be today or in the past")
ERROR_END_BEFORE_START = _("The end date must be the same as or after the start date")
ERROR_OVERLAP = _("{name} is already on this panel for some of those days")
ERROR_ACCOUNT_ON_PANEL = _("That staff account already has a membership of this panel for some of those days")
ERROR_VICE_CHAIR_TAKEN = _("The panel already has a vice-chair: end their membership or make them a member first")
ERROR_OWN_CHAIR = _("You cannot end your own time as chair: hand the chair to another member instead")
ERROR_CHAIR_EDIT = _("The chair's role changes only by handing the chair over")
ERROR_NOT_A_MEMBER = _("Choose a current member of this panel")
ERROR_ALREADY_CHAIR = _("They are already the chair")
ERROR_NEEDS_ACCOUNT = _("{name} has no staff account: invite them by email as chair instead")
ERROR_ACCOUNT_UNKNOWN = _("No staff account has that email address")
ERROR_EMAIL_HAS_ACCOUNT = _(
    "A staff account already has that email address: add them as a member and give that address as their account"
)
ERROR_INVITATION_NOT_WORKING = _("This invitation has expired, was used already or was withdrawn")

SERVICE_ROLES = (PanelMember.Role.MEMBER, PanelMember.Role.VICE_CHAIR)


# Checks.


def _check_allowed(actor: AnyUser, panel: Panel) -> None:
    if not can_manage_panel(actor, panel):
        raise PrioritiesError(ERROR_NOT_ALLOWED)


def _check_details(*, name: str, kind: str, role: str, roles=SERVICE_ROLES) -> None:
    if not name:
        raise PrioritiesError(ERROR_NAME_REQUIRED)
    if kind not in PanelMember.Kind.values:
        raise PrioritiesError(ERROR_KIND)
    if role not in roles:
        raise PrioritiesError(ERROR_ROLE)


def _overlapping(panel: Panel, started_on: datetime.date, ended_on: datetime.date | None, exclude: int | None):
    """The panel's memberships sharing a day with [started_on, ended_on)."""
    rows = PanelMember.objects.filter(panel=panel).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=started_on))
    if ended_on is not None:
        rows = rows.filter(started_on__lt=ended_on)
    return rows.exclude(pk=exclude) if exclude is not None else rows


def _check_no_overlap(member: PanelMember) -> None:
    """The same person (by account, else by name) holds one membership of a panel at a time."""
    if member.ended_on is not None and member.ended_on == member.started_on:
        return  # an empty period shares no day with anything
    rows = _overlapping(member.panel, member.started_on, member.ended_on, member.pk)
    if member.user_id is not None and rows.filter(user_id=member.user_id).exists():
        raise PrioritiesError(ERROR_ACCOUNT_ON_PANEL)
    if rows.filter(name__iexact=member.name).exists():
        raise PrioritiesError(str(ERROR_OVERLAP).format(name=member.name))


def _check_vice_chair_free(member: PanelMember) -> None:
    if member.role != PanelMember.Role.VICE_CHAIR or member.ended_on is not None:
        return
    taken = PanelMember.objects.filter(panel=member.panel, role=PanelMember.Role.VICE_CHAIR, ended_on__isnull=True)
    if taken.exclude(pk=member.pk).exists():
        raise PrioritiesError(ERROR_VICE_CHAIR_TAKEN)


def _lock(panel: Panel) -> None:
    # One change of a panel's membership at a time: the checks above read what the write relies on.
    Panel.objects.select_for_update().filter(pk=panel.pk).first()


def _save(member: PanelMember, *, update_fields: list[str] | None = None) -> PanelMember:
    _check_no_overlap(member)
    _check_vice_chair_free(member)
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save(update_fields=update_fields)
    except IntegrityError:
        # A constraint the checks above could not see (a concurrent change): the same answer.
        raise PrioritiesError(str(ERROR_OVERLAP).format(name=member.name)) from None
    return member


def _snapshot(member: PanelMember) -> dict:
    return {
        "kind": member.kind,
        "role": member.role,
        "organisation": member.organisation,
        "user": member.user_id,
        "started_on": member.started_on.isoformat(),
        "ended_on": member.ended_on.isoformat() if member.ended_on else None,
    }


def account_for_email(email: str) -> User | None:
    """The active staff account with this email address (None: none, or more than one)."""
    accounts = list(User.objects.filter(email__iexact=email.strip(), is_active=True)[:2]) if email.strip() else []
    return accounts[0] if len(accounts) == 1 else None


# The chair role follows the chair.


def _grant_chair_role(user: User) -> None:
    user.groups.add(Group.objects.get_or_create(name=Role.CHAIR)[0])


def _withdraw_chair_role_if_unused(user_id: int | None) -> bool:
    """Take the chair role from an account that chairs no panel now; True when it was taken."""
    if user_id is None:
        return False
    if PanelMember.objects.filter(user_id=user_id, role=PanelMember.Role.CHAIR, ended_on__isnull=True).exists():
        return False
    group = Group.objects.filter(name=Role.CHAIR).first()
    if group is None or not group.user_set.filter(pk=user_id).exists():
        return False
    group.user_set.remove(user_id)
    return True


# Memberships.


def panel_member_add(
    *,
    actor: AnyUser,
    panel: Panel,
    name: str,
    kind: str,
    role: str = PanelMember.Role.MEMBER,
    organisation: str = "",
    started_on: datetime.date,
    account_email: str = "",
) -> PanelMember:
    """Add a member (or the vice-chair) to the panel from ``started_on``. Audited.

    ``account_email`` links the member's existing staff account (needed to hand them the
    chair later). The chair is never added here: it is handed over, or an invitation as chair.
    """
    name, organisation = " ".join(name.split()), organisation.strip()
    _check_allowed(actor, panel)
    _check_details(name=name, kind=kind, role=role)
    user = None
    if account_email.strip() and (user := account_for_email(account_email)) is None:
        raise PrioritiesError(ERROR_ACCOUNT_UNKNOWN)
    member = PanelMember(
        panel=panel, name=name, kind=kind, role=role, organisation=organisation, user=user, started_on=started_on
    )
    with transaction.atomic():
        _lock(panel)
        _save(member)
        audit_record(actor=actor, action="priorities.panel_member.added", target=member, data=_snapshot(member))
    return member


def panel_member_update(
    *,
    actor: AnyUser,
    member: PanelMember,
    name: str,
    kind: str,
    role: str,
    organisation: str = "",
    started_on: datetime.date,
) -> PanelMember:
    """Correct a current membership's details (member and vice-chair swap here). Audited with before and after."""
    name, organisation = " ".join(name.split()), organisation.strip()
    _check_allowed(actor, member.panel)
    if member.ended_on is not None:
        raise PrioritiesError(ERROR_ENDED)
    if member.role == PanelMember.Role.CHAIR:
        _check_details(name=name, kind=kind, role=role, roles=(PanelMember.Role.CHAIR,))
    else:
        _check_details(name=name, kind=kind, role=role)
    before = _snapshot(member)
    with transaction.atomic():
        _lock(member.panel)
        member.name, member.kind, member.role = name, kind, role
        member.organisation, member.started_on = organisation, started_on
        _save(member, update_fields=["name", "kind", "role", "organisation", "started_on"])
        data = {"before": before, "after": _snapshot(member)}
        audit_record(actor=actor, action="priorities.panel_member.updated", target=member, data=data)
    return member


def panel_member_end(*, actor: AnyUser, member: PanelMember, ended_on: datetime.date) -> PanelMember:
    """End a membership on ``ended_on`` (today or earlier); the row stays as history. Audited.

    Ending the chair's membership ends their chair access, and their chair role if they chair
    no other panel; a chair cannot end their own (they hand the chair over).
    """
    _check_allowed(actor, member.panel)
    if member.ended_on is not None:
        raise PrioritiesError(ERROR_ENDED)
    if ended_on > timezone.localdate():
        raise PrioritiesError(ERROR_END_FUTURE)
    if ended_on < member.started_on:
        raise PrioritiesError(ERROR_END_BEFORE_START)
    if member.role == PanelMember.Role.CHAIR and member.user_id == actor.pk:
        raise PrioritiesError(ERROR_OWN_CHAIR)
    with transaction.atomic():
        _lock(member.panel)
        ended = PanelMember.objects.filter(pk=member.pk, ended_on__isnull=True).update(ended_on=ended_on)
        if not ended:
            raise PrioritiesError(ERROR_ENDED)
        member.ended_on = ended_on
        withdrawn = member.role == PanelMember.Role.CHAIR and _withdraw_chair_role_if_unused(member.user_id)
        data = {**_snapshot(member), "chair_role_withdrawn": withdrawn}
        audit_record(actor=actor, action="priorities.panel_member.ended", target=member, data=data)
    return member


def _current_chair(panel: Panel) -> PanelMember | None:
    return PanelMember.objects.filter(panel=panel, role=PanelMember.Role.CHAIR, ended_on__isnull=True).first()


def _take_chair(*, panel: Panel, successor: PanelMember, today: datetime.date, keep_old_chair: bool) -> dict:
    """End the current chair (kept on as a member if asked) and the successor's membership
    today; the successor's chair membership starts today. The caller holds the panel's lock."""
    old = _current_chair(panel)
    if old is not None:
        PanelMember.objects.filter(pk=old.pk).update(ended_on=today)
        if keep_old_chair and old.started_on < today:
            fields = {"name": old.name, "kind": old.kind, "organisation": old.organisation, "user_id": old.user_id}
            PanelMember.objects.create(panel=panel, role=PanelMember.Role.MEMBER, started_on=today, **fields)
    if successor.pk is not None:
        PanelMember.objects.filter(pk=successor.pk).update(ended_on=today)
    chair = PanelMember(
        panel=panel,
        role=PanelMember.Role.CHAIR,
        name=successor.name,
        kind=successor.kind,
        organisation=successor.organisation,
        user=successor.user,
        started_on=today,
    )
    chair.full_clean(validate_constraints=False)
    chair.save()
    _grant_chair_role(successor.user)  # type: ignore[arg-type]
    withdrawn = old is not None and _withdraw_chair_role_if_unused(old.user_id)
    return {
        "chair": chair,
        "from_member": old.pk if old else None,
        "from_user": old.user_id if old else None,
        "to_member": chair.pk,
        "to_user": chair.user_id,
        "old_chair_kept_as_member": bool(old and keep_old_chair and old.started_on < today),
        "chair_role_withdrawn": withdrawn,
    }


def panel_chair_hand_over(
    *, actor: AnyUser, panel: Panel, successor: PanelMember, keep_old_chair: bool = True
) -> PanelMember:
    """Hand the panel's chair to ``successor``, a current member with a staff account. Audited.

    From this request on the old chair's access to the panel's wards ends and the new one's
    begins; the old chair stays on the panel as a member when ``keep_old_chair``.
    """
    _check_allowed(actor, panel)
    if successor.panel_id != panel.pk or successor.ended_on is not None or successor.started_on > timezone.localdate():
        raise PrioritiesError(ERROR_NOT_A_MEMBER)
    if successor.role == PanelMember.Role.CHAIR:
        raise PrioritiesError(ERROR_ALREADY_CHAIR)
    if successor.user_id is None:
        raise PrioritiesError(str(ERROR_NEEDS_ACCOUNT).format(name=successor.name))
    with transaction.atomic():
        _lock(panel)
        if not PanelMember.objects.filter(pk=successor.pk, ended_on__isnull=True).exists():
            raise PrioritiesError(ERROR_NOT_A_MEMBER)
        taken = _take_chair(panel=panel, successor=successor, today=timezone.localdate(), keep_old_chair=keep_old_chair)
        chair = taken.pop("chair")
        audit_record(actor=actor, action="priorities.panel.chair_handed_over", target=panel, data=taken)
    return chair


# Invitations.


def _token_hash(token: str) -> str:
    # 256 random bits: a plain hash keeps the token out of reach, and a copy of the table opens nothing.
    return hashlib.sha256(f"pact-panel-invitation:{token}".encode()).hexdigest()


def invitation_url(token: str) -> str:
    return f"{settings.PACT_SITE_URL}{reverse('priorities:panel_invitation_accept', args=[token])}"


def panel_invitation_issue(
    *,
    actor: AnyUser,
    panel: Panel,
    email: str,
    name: str,
    kind: str,
    role: str = PanelMember.Role.MEMBER,
    organisation: str = "",
) -> str:
    """Invite a new member by email to create a staff account and join the panel in ``role``
    (a chair's invitation hands them the chair when they accept). Single use, valid for
    PACT_PANEL_INVITATION_SECONDS; an earlier open invitation to the address for this panel
    stops working. The email goes through the outbox. Audited. Returns the token, the one
    time it exists in clear."""
    email, name, organisation = email.strip().lower(), " ".join(name.split()), organisation.strip()
    _check_allowed(actor, panel)
    _check_details(name=name, kind=kind, role=role, roles=PanelMember.Role.values)
    if account_for_email(email) is not None or User.objects.filter(username__iexact=email).exists():
        raise PrioritiesError(ERROR_EMAIL_HAS_ACCOUNT)
    token, now = secrets.token_urlsafe(32), timezone.now()
    with transaction.atomic():
        _lock(panel)
        PanelInvitation.objects.filter(panel=panel, email=email, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        invitation = PanelInvitation.objects.create(
            panel=panel,
            email=email,
            name=name,
            kind=kind,
            role=role,
            organisation=organisation,
            token_hash=_token_hash(token),
            created_by=actor if isinstance(actor, User) else None,
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=settings.PACT_PANEL_INVITATION_SECONDS),
        )
        context = {"invitation": invitation, "panel": panel, "url": invitation_url(token)}
        email_queue(key=f"panel-invitation-{invitation.pk}", to=email, template="panel_invitation", context=context)
        data = {"email": email, "role": role, "expires_at": invitation.expires_at.isoformat()}
        audit_record(actor=actor, action="priorities.panel_invitation.issued", target=invitation, data=data)
    return token


def panel_invitation_revoke(*, actor: AnyUser, invitation: PanelInvitation) -> bool:
    """Withdraw an invitation not yet accepted. Audited. False when it was accepted or withdrawn already."""
    _check_allowed(actor, invitation.panel)
    with transaction.atomic():
        if not PanelInvitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        ):
            return False
        audit_record(actor=actor, action="priorities.panel_invitation.revoked", target=invitation)
    return True


def panel_invitation_for_token(token: str) -> PanelInvitation | None:
    """The invitation ``token`` names, if it still works (not accepted, withdrawn or expired)."""
    working = PanelInvitation.objects.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
    return working.select_related("panel").filter(token_hash=_token_hash(token)).first()


def panel_invitation_accept(*, token: str, password: str) -> User:
    """Accept an invitation: a staff account for the invitee with ``password`` (checked by the
    password validators), their membership from today, and for a chair's invitation the chair
    (and its role) from the current chair. Claimed by a conditional UPDATE, so it works once
    however many requests race. Audited, with the new account as the actor."""
    invitation = panel_invitation_for_token(token)
    if invitation is None:
        raise PrioritiesError(ERROR_INVITATION_NOT_WORKING)
    user = User(username=invitation.email, email=invitation.email)
    user.first_name, _sep, user.last_name = invitation.name.partition(" ")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise PrioritiesError(" ".join(error.messages)) from None
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        _lock(invitation.panel)
        working = PanelInvitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=now
        )
        if not working.update(accepted_at=now):
            raise PrioritiesError(ERROR_INVITATION_NOT_WORKING)
        if User.objects.filter(username__iexact=invitation.email).exists():
            raise PrioritiesError(ERROR_EMAIL_HAS_ACCOUNT)
        user.set_password(password)
        user.save()
        member = _invited_membership(invitation, user, today)
        PanelInvitation.objects.filter(pk=invitation.pk).update(member=member)
        data = {"member": member.pk, "role": member.role}
        audit_record(actor=user, action="priorities.panel_invitation.accepted", target=invitation, data=data)
    return user


def _invited_membership(invitation: PanelInvitation, user: User, today: datetime.date) -> PanelMember:
    details = {"name": invitation.name, "kind": invitation.kind, "organisation": invitation.organisation}
    if invitation.role == PanelMember.Role.CHAIR:
        newcomer = PanelMember(panel=invitation.panel, user=user, started_on=today, **details)
        taken = _take_chair(panel=invitation.panel, successor=newcomer, today=today, keep_old_chair=True)
        chair = taken.pop("chair")
        audit_record(actor=user, action="priorities.panel.chair_handed_over", target=invitation.panel, data=taken)
        return chair
    member = PanelMember(panel=invitation.panel, user=user, role=invitation.role, started_on=today, **details)
    if (
        invitation.role == PanelMember.Role.VICE_CHAIR
        and PanelMember.objects.filter(
            panel=invitation.panel, role=PanelMember.Role.VICE_CHAIR, ended_on__isnull=True
        ).exists()
    ):
        # The panel found a vice-chair meanwhile: the invitee joins as a member.
        member.role = PanelMember.Role.MEMBER
    return _save(member)


# Personal data: an invitation holds the invitee's name and address (core.personal_data).


def panel_invitation_export(email: str) -> list[dict]:
    rows = PanelInvitation.objects.filter(email__iexact=email.strip()).select_related("panel").order_by("pk")
    return [
        {
            "panel": row.panel.name,
            "name": row.name,
            "email": row.email,
            "role": row.role,
            "sent_at": row.created_at.isoformat(),
            "accepted_at": row.accepted_at.isoformat() if row.accepted_at else None,
        }
        for row in rows
    ]


def panel_invitation_erase(email: str, *, by: AnyUser) -> int:
    """Delete every invitation to ``email`` (a membership it started stays, with the account)."""
    deleted, _per_model = PanelInvitation.objects.filter(email__iexact=email.strip()).delete()
    return deleted


def panel_invitation_expire(now: datetime.datetime) -> int:
    """Delete invitations accepted, withdrawn or expired longer ago than PACT_RETENTION_PANEL_INVITATION_DAYS."""
    cutoff = retention_cutoff("panel_invitation", now)
    done = Q(accepted_at__lt=cutoff) | Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    deleted, _per_model = PanelInvitation.objects.filter(done).delete()
    return deleted


PANEL_INVITATIONS = PersonalDataSource(
    name="priorities.panel_invitations",
    label=_("Invitations to join a PACT panel"),
    description=_(
        "The name and address a chair or sergeant invited to join a panel with a staff account. "
        "Deleted PACT_RETENTION_PANEL_INVITATION_DAYS after the invitation was accepted, withdrawn "
        "or expired; an account it created is kept with the membership."
    ),
    export=panel_invitation_export,
    erase=panel_invitation_erase,
    expire=panel_invitation_expire,
)
