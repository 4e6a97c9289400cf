"""What was done about a priority."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from priorities.models.partners import PartnerAgency
from priorities.models.priorities import Priority
from wards.models import Officer


class ProgressEntry(models.Model):
    """What was done about a priority, when and by whom: an officer or a partner agency."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "Internal (staff only)"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="progress")
    happened_on = models.DateField()
    text = models.TextField(max_length=2000)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="progress")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="progress")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A mistake is put right in the open: the public timeline says when an entry was edited or
    # withdrawn, and the audit keeps every version (priorities.services.progress).
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        verbose_name_plural = "progress entries"
        indexes = [models.Index(fields=["priority", "visibility", "happened_on"], name="progress_priority_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, agency__isnull=True) | Q(officer__isnull=True, agency__isnull=False),
                name="progress_by_officer_or_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.text[:50]}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
