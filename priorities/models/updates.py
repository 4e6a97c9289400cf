"""The monthly "you said, we did" updates and their corrections."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from wards.models import NeighbourhoodTeam


class MonthlyUpdate(models.Model):
    """A team's "you said, we did" update for one calendar month: one per team per month."""

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.PROTECT, related_name="updates")
    month = models.DateField(help_text="The first day of the month it covers.")
    summary = models.TextField(blank=True, help_text="The team's own words; corrections change it.")
    content = models.JSONField(default=dict, help_text="What happened that month, per ward, as generated.")
    notes = models.JSONField(default=dict, blank=True, help_text="The team's words per priority: said, did, next.")
    report_pending = models.BooleanField(
        default=False, help_text="Published as generated: the team's own report will follow."
    )
    revision = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="monthly_update_one_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_update_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%B %Y}"


class MonthlyUpdateRevision(models.Model):
    """A published update as it stood before a correction, and why it was corrected."""

    update = models.ForeignKey(MonthlyUpdate, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    summary = models.TextField(blank=True)
    content = models.JSONField(default=dict)
    notes = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "number"]
        constraints = [models.UniqueConstraint(fields=["update", "number"], name="revision_number_once")]

    def __str__(self) -> str:
        return f"{self.update} revision {self.number}"


class MonthlyUpdateDraft(models.Model):
    """The team's own words for a coming monthly update: prepared on the 20th, approved by a supervisor.

    ``notes`` holds, per priority id (a string key), the team's "said", "did" and "next".
    """

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.PROTECT, related_name="update_drafts")
    month = models.DateField(help_text="The first day of the month the update will cover.")
    content = models.JSONField(default=dict, help_text="The generated facts when the draft was prepared.")
    message = models.TextField(blank=True, help_text="The team's short overall message.")
    notes = models.JSONField(default=dict, blank=True, help_text="Per priority: said, did, next.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="monthly_draft_one_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_draft_month_starts_on_first"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="monthly_draft_approval_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} draft {self.month:%B %Y}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
