"""The agenda of a PACT meeting, and residents' support for its shortlisted concerns."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from priorities.models.concerns import Concern
from priorities.models.events import Event

SUPPORT_CHOICES_MAX = 3


class Agenda(models.Model):
    """What a PACT meeting will discuss, published by its chair or an officer a week before.

    The shortlisted concerns and the priorities up for review are read live from the meeting's
    shortlist and its wards' active priorities; the agenda holds what only people can write:
    matters arising from the last minutes and the venue's accessibility notes. ``version``
    rises with every change; ``emailed_version`` is the version subscribers were last sent, so
    the weekly email goes once per version and a change after it is sent as a change.
    """

    meeting = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="agenda")
    matters_arising = models.TextField(blank=True, max_length=5000)
    accessibility_notes = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    emailed_version = models.PositiveIntegerField(null=True, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="agenda_version_from_one"),
            models.CheckConstraint(
                condition=Q(emailed_version__isnull=True) | Q(emailed_version__lte=F("version")),
                name="agenda_emailed_version_not_ahead",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | Q(changed_at__isnull=False), name="agenda_changed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda of {self.meeting}"

    @property
    def is_changed(self) -> bool:
        return self.version > 1


class MeetingSupport(models.Model):
    """One person's support for up to three shortlisted concerns before a meeting.

    The person is known only by the keyed hash of their address (core.recipients.recipient_hash),
    never the address: once per person per meeting is a database constraint on that hash. It
    counts once ``confirmed_at`` is set, by the signed one-time link emailed to the address.
    """

    meeting = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="supports")
    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "address_hash"], name="meeting_support_once_per_person")
        ]

    def __str__(self) -> str:
        return f"Support {self.pk} for {self.meeting_id}"


class MeetingSupportChoice(models.Model):
    """One concern a person supports; ``slot`` 1–3 caps a person's choices at three."""

    support = models.ForeignKey(MeetingSupport, on_delete=models.CASCADE, related_name="choices")
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="supports")
    slot = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["support", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["support", "concern"], name="meeting_support_concern_once"),
            models.UniqueConstraint(fields=["support", "slot"], name="meeting_support_slot_once"),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=SUPPORT_CHOICES_MAX), name="meeting_support_at_most_three"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.support_id}: {self.concern_id}"
