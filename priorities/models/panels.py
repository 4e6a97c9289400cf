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
    """One person's time on a panel; a member need not have an account, a chair must."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", "Residents' representative"
        COUNCILLOR = "councillor", "Councillor"
        PARTNER = "partner", "Partner agency"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
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
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
