"""Incidents and sightings partner agencies report to a ward's team."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from priorities.models.categories import Category
from priorities.models.concerns import Concern
from priorities.models.partners import PartnerAgency
from wards.models import Ward


class InformationReport(models.Model):
    """An incident or sighting a partner agency reports to a ward's neighbourhood team.

    Never public; kept for PACT_RETENTION_INFORMATION_DAYS; every view of one is audited.
    The description of people involved is personal data and never leaves the staff pages.
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", "Incident"
        SIGHTING = "sighting", "Sighting"

    class Status(models.TextChoices):
        NEW = "new", "New"
        REVIEWED = "reviewed", "Reviewed"
        CONCERN = "concern", "Turned into a concern"

    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="information_reports")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="information_reports")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="information_reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    what_happened = models.TextField(max_length=2000)
    location_text = models.CharField(max_length=200)
    happened_at = models.DateTimeField()
    people_description = models.TextField(max_length=1000, blank=True, help_text="Personal data.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="information_reports"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by the service (not auto_now_add) so the "not in the future" check compares like with like.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["ward", "status", "created_at"], name="information_ward_idx"),
            models.Index(fields=["agency", "created_at"], name="information_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(happened_at__lte=F("created_at")), name="information_not_in_future"),
            models.CheckConstraint(
                condition=(Q(status="concern") & Q(concern__isnull=False))
                | (~Q(status="concern") & Q(concern__isnull=True)),
                name="information_concern_when_turned",
            ),
            models.CheckConstraint(
                condition=Q(status="new") | Q(reviewed_at__isnull=False), name="information_reviewed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Information report {self.pk}"
