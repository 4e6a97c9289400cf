"""PACT meetings, surgeries, street briefings and online meetings, and who attended."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from priorities.models.panels import Panel, PanelMember
from wards.models import Ward


class Event(models.Model):
    """A PACT meeting, surgery, street briefing or online meeting for one or more wards."""

    class Kind(models.TextChoices):
        PACT_MEETING = "pact_meeting", "PACT meeting"
        SURGERY = "surgery", "Surgery"
        STREET_BRIEFING = "street_briefing", "Street briefing"
        ONLINE_MEETING = "online_meeting", "Online meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        MOVED = "moved", "Moved"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Stable iCalendar UID.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=150)
    wards = models.ManyToManyField(Ward, related_name="events")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=300, blank=True)
    joining_url = models.URLField(blank=True, help_text="For online meetings.")
    accessibility_notes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    moved_to = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_from")
    minutes = models.TextField(blank=True)
    residents_attending = models.PositiveIntegerField(null=True, blank=True)
    # iCalendar SEQUENCE: raised by every change, so calendar programs replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""), name="event_cancelled_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="pact_meeting") | Q(panel__isnull=False), name="event_meeting_has_panel"
            ),
            models.CheckConstraint(
                condition=~Q(kind="online_meeting") | ~Q(joining_url=""), name="event_online_has_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class EventAttendance(models.Model):
    """A panel member recorded as present at a meeting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} at {self.event}"
