"""Local concerns raised by residents, at meetings and surgeries, by partners or surveys."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.references import readable_code
from priorities.models.categories import Category
from priorities.models.events import Event
from wards.models import Ward

# Four groups of four readable symbols (core.references).
FOLLOW_GROUPS = 4
FOLLOW_GROUP_LENGTH = 4


def follow_code_new() -> str:
    """A fresh follow code such as 7KQ2-MXH4-9TRB-5WND: 16 symbols of 31, about 79 random bits."""
    return "-".join(readable_code(FOLLOW_GROUP_LENGTH) for _ in range(FOLLOW_GROUPS))


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
    # The key of the public status page: a secret the resident holds (the short reference
    # is for staff and phone calls and could be guessed). Never derived from the reference.
    follow_code = models.CharField(max_length=24, unique=True, default=follow_code_new, editable=False)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="concerns")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="concerns")
    # What the public reads. When moderation changed it (personal data redacted), the
    # resident's own words are kept in original_description, for staff only.
    description = models.TextField(max_length=2000)
    original_description = models.TextField(
        blank=True, help_text="The resident's own words before moderation changed them: never shown publicly."
    )
    location_text = models.CharField(max_length=200, blank=True)
    original_location_text = models.CharField(
        max_length=200, blank=True, help_text="Where, in the resident's words, when moderation changed it."
    )
    contact_email = models.EmailField(blank=True, help_text="Personal data: never shown publicly.")
    # The resident asked to be emailed each step (once the address is confirmed), until they stop.
    follow_by_email = models.BooleanField(default=False)
    follow_stopped_at = models.DateTimeField(null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(follow_by_email=False) | ~Q(contact_email=""), name="concern_follow_needs_email"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ConcernEvent(models.Model):
    """One step in a concern's public history, in the order it happened.

    The status page and the follow-up emails read this history; each step names what the
    resident may see of it (the meeting, the priority, the concern it was merged into, the
    reason it was not taken forward, a progress entry). A later step (a satisfaction
    question, say) hangs off the step that ended the concern: rejected, resolved or closed.
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        ACCEPTED = "accepted", "Accepted"
        SHORTLISTED = "shortlisted", "Shortlisted for a meeting"
        ON_AGENDA = "on_agenda", "On a meeting's published agenda"
        ADOPTED = "adopted", "Adopted as a priority"
        NOT_CHOSEN = "not_chosen", "Not chosen at the vote"
        MERGED = "merged", "Merged into another concern"
        REJECTED = "rejected", "Not taken forward"
        PROGRESS = "progress", "Progress on its priority"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Priority closed at review"

    ENDINGS = (Kind.REJECTED, Kind.RESOLVED, Kind.CLOSED)

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    happened_at = models.DateTimeField(default=timezone.now, db_index=True)
    meeting = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    priority = models.ForeignKey(
        "priorities.Priority", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ballot = models.ForeignKey("priorities.Ballot", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    merged_into = models.ForeignKey(Concern, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    progress = models.ForeignKey(
        "priorities.ProgressEntry", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    votes = models.PositiveIntegerField(null=True, blank=True)
    # What the resident reads: the rejection reason or the priority's outcome, as staff wrote it.
    text = models.TextField(blank=True)
    # The day the step was emailed to a resident following the concern (None: not yet, or never).
    told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["happened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="shortlisted") | Q(meeting__isnull=False), name="concern_event_shortlist_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["adopted", "progress", "resolved", "closed"]) | Q(priority__isnull=False),
                name="concern_event_names_priority",
            ),
            models.CheckConstraint(
                condition=~Q(kind="on_agenda") | Q(meeting__isnull=False), name="concern_event_agenda_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(kind="not_chosen") | (Q(ballot__isnull=False) & Q(votes__isnull=False)),
                name="concern_event_not_chosen_tally",
            ),
            models.CheckConstraint(
                condition=~Q(kind="merged") | Q(merged_into__isnull=False), name="concern_event_merged_target"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["rejected", "resolved"]) | ~Q(text=""), name="concern_event_ending_text"
            ),
            models.CheckConstraint(
                condition=Q(kind="progress", progress__isnull=False) | Q(~Q(kind="progress"), progress__isnull=True),
                name="concern_event_progress_entry",
            ),
            # A progress entry is one step of a concern's history, however often it is told.
            models.UniqueConstraint(fields=["concern", "progress"], name="concern_event_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.kind}"
