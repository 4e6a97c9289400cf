"""PACT panels and the people on them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from wards.models import Ward


class Panel(models.Model):
    """A PACT panel: serves one ward or a group of wards."""

    name = models.CharField(max_length=150)
    wards = models.ManyToManyField(Ward, related_name="panels")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """One person's time on a panel in one role; a member need not have an account, a chair must.

    A membership covers the days from ``started_on`` up to, not including, ``ended_on``: a
    chair handed over today ends today and the new chair's membership starts today. Ending a
    membership sets ``ended_on``; rows are never deleted, so the panel keeps its history.
    The same account never holds two memberships of a panel at once (on PostgreSQL over
    every period, by an exclusion constraint the migration adds; elsewhere for the current one).
    """

    class Kind(models.TextChoices):
        RESIDENT = "resident", "Residents' representative"
        COUNCILLOR = "councillor", "Councillor"
        PARTNER = "partner", "Partner agency"
        CO_OPTED = "co_opted", "Co-opted member"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="panel_roles"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "-role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel"], condition=Q(role="chair", ended_on__isnull=True), name="panel_one_active_chair"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="panel_member_dates_ordered"
            ),
            models.CheckConstraint(condition=~Q(role="chair") | Q(user__isnull=False), name="panel_chair_has_account"),
            models.UniqueConstraint(
                fields=["panel"],
                condition=Q(role="vice_chair", ended_on__isnull=True),
                name="panel_one_active_vice_chair",
            ),
            models.UniqueConstraint(
                fields=["panel", "user"],
                condition=Q(ended_on__isnull=True, user__isnull=False),
                name="panel_member_one_current_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PanelInvitation(models.Model):
    """An invitation by email to join a panel with a new staff account (the pattern of
    core.models.EnrolmentLink): single use, expiring, only the token's hash kept.

    Accepting it (``accepted_at``) creates the account with the password the invitee chose,
    starts their membership in ``role`` (a chair's takes the chair over) and leads them on to
    set up their authenticator app. A newer invitation to the same address for the same
    panel, or a chair or sergeant, revokes it (``revoked_at``).
    """

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=PanelMember.Kind.choices)
    role = models.CharField(max_length=10, choices=PanelMember.Role.choices, default=PanelMember.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    member = models.OneToOneField(
        PanelMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="panel_invitation_expires"),
            models.CheckConstraint(condition=~Q(token_hash=""), name="panel_invitation_token_not_blank"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="panel_invitation_accepted_or_revoked",
            ),
            models.UniqueConstraint(
                fields=["panel", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="panel_invitation_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to {self.panel_id}"
