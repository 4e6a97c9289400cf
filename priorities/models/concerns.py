"""Local concerns raised by residents, at meetings and surgeries, by partners or surveys."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from priorities.models.categories import Category
from priorities.models.events import Event
from wards.models import Ward


class Concern(models.Model):
    """A local concern raised by a resident, at a meeting or surgery, by a partner or a survey."""

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        MEETING = "meeting", "At a PACT meeting"
        SURGERY = "surgery", "At a surgery or street briefing"
        PARTNER = "partner", "By a partner agency"
        SURVEY = "survey", "From a consultation survey"

    class Status(models.TextChoices):
        RECEIVED = "received", "Awaiting moderation"
        ACCEPTED = "accepted", "Accepted"
        SHORTLISTED = "shortlisted", "Shortlisted for a meeting"
        ADOPTED = "adopted", "Adopted as a priority"
        REJECTED = "rejected", "Not taken forward"
        MERGED = "merged", "Merged with another concern"

    PUBLIC_STATUSES = (Status.ACCEPTED, Status.SHORTLISTED, Status.ADOPTED)

    reference = models.CharField(max_length=12, unique=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="concerns")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="concerns")
    description = models.TextField(max_length=2000)
    location_text = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True, help_text="Personal data: never shown publicly.")
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    rejection_reason = models.CharField(max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_concerns"
    )
    shortlisted_for = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="shortlist"
    )
    raised_at_event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns_raised"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ward", "status"], name="concern_ward_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="concern_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="concern_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="concern_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.reference
