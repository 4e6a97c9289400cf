"""Residents' logs of repeated incidents, kept against their concern."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from priorities.models.concerns import Concern


class IncidentLog(models.Model):
    """A resident's log of repeated incidents, kept against their concern through a private link.

    Only a hash of the link's token is stored: the link is shown once and cannot be recovered.
    """

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="incident_logs")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False), name="incident_log_revoked_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Incident log {self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @staticmethod
    def hash_token(token: str) -> str:
        """The hash a link's token is stored and looked up as (SHA-256, hex)."""
        return hashlib.sha256(token.encode()).hexdigest()


class IncidentLogEntry(models.Model):
    """One incident in a resident's log: when, what happened, how it affected them, where."""

    log = models.ForeignKey(IncidentLog, on_delete=models.CASCADE, related_name="entries")
    happened_at = models.DateTimeField()
    what_happened = models.TextField(max_length=2000)
    effect = models.TextField(max_length=1000, help_text="How it affected them.")
    location_text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name_plural = "incident log entries"
        constraints = [
            models.CheckConstraint(condition=Q(happened_at__lte=F("created_at")), name="incident_entry_not_in_future"),
        ]

    def __str__(self) -> str:
        return f"Incident log entry {self.pk}"
