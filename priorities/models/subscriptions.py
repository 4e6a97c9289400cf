"""Residents' email subscriptions to the updates of a team or a ward."""

from django.db import models
from django.db.models import Q

from wards.models import NeighbourhoodTeam, Ward


class Subscription(models.Model):
    """A resident's email subscription to a team's or a ward's updates: double opt-in, no account.

    The address is personal data: never shown, never logged.
    """

    email = models.EmailField()
    team = models.ForeignKey(
        NeighbourhoodTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions")
    wants_updates = models.BooleanField(default=True)
    wants_meetings = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, help_text="In confirm and unsubscribe links.")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, ward__isnull=True) | Q(team__isnull=True, ward__isnull=False),
                name="subscription_team_or_ward",
            ),
            models.UniqueConstraint(
                fields=["email", "team"], condition=Q(unsubscribed_at__isnull=True), name="subscription_once_per_team"
            ),
            models.UniqueConstraint(
                fields=["email", "ward"], condition=Q(unsubscribed_at__isnull=True), name="subscription_once_per_ward"
            ),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk}"
