"""A ward's top three and the Police and Crime Plan priorities they serve."""

from django.db import models
from django.db.models import Q

from priorities.models.categories import Category
from priorities.models.concerns import Concern
from priorities.models.events import Event
from priorities.models.partners import PartnerAgency
from wards.models import Officer, Ward


class PlanPriority(models.Model):
    """A priority of the Police and Crime Plan, which each PACT priority serves."""

    plan = models.CharField(max_length=100, help_text="e.g. Making Kent Safer 2022–25")
    name = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["plan", "position", "name"]
        verbose_name = "Police and Crime Plan priority"
        verbose_name_plural = "Police and Crime Plan priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="plan_priority_unique")]

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    """One of a ward's top three, from the ballot that adopted it to its outcome."""

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed at review"
        # Its ward left the active boundary generation: a ward of the new boundaries holds it now.
        CARRIED = "carried", "Carried over to new ward boundaries"

    ACTIVE_STATUSES = (Status.CURRENT, Status.IN_PROGRESS)
    SLOTS = (1, 2, 3)

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="priorities")
    slot = models.PositiveSmallIntegerField(help_text="Which of the ward's three places it holds.")
    title = models.CharField(max_length=200, help_text="The issue, as the panel agreed it.")
    description = models.TextField(blank=True, help_text="The resident's words, from the concern it was adopted from.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="priorities")
    plan_priority = models.ForeignKey(
        PlanPriority, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities"
    )
    concern = models.ForeignKey(Concern, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities")
    agreed_on = models.DateField()
    agreed_at = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="priorities_agreed")
    last_reviewed_at = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities_carried_over"
    )
    lead_officer = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities_led"
    )
    partners = models.ManyToManyField(PartnerAgency, blank=True, related_name="priorities")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CURRENT)
    outcome = models.TextField(blank=True, help_text="What was achieved, when resolved or closed.")
    ended_on = models.DateField(null=True, blank=True)
    ended_at = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities_closed"
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text="The priority of a ward of the earlier boundaries that this one carries on.",
    )

    class Meta:
        ordering = ["ward", "slot"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(condition=Q(slot__gte=1, slot__lte=3), name="priority_slot_one_to_three"),
            # The rule of PACT: a ward never has more than three active priorities.
            models.UniqueConstraint(
                fields=["ward", "slot"],
                condition=Q(status__in=["current", "in_progress"]),
                name="priority_three_active_per_ward",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["current", "in_progress"], ended_on__isnull=True)
                | Q(status__in=["resolved", "closed", "carried"], ended_on__isnull=False),
                name="priority_ended_when_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
