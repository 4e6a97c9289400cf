"""Moves of the force from one ward boundary generation to another (manage.py ward_generation_switch)."""

from django.db import models

from wards.models import Generation


class GenerationSwitch(models.Model):
    """One committed move of the PACT cycle from the wards of one generation to another's.

    ``plan`` records what was carried where (teams, panels, active priorities, upcoming
    meetings, subscriptions) and what was left for a person to decide, so the move can be
    read later and switching back can undo it exactly.
    """

    from_generation = models.ForeignKey(Generation, on_delete=models.PROTECT, related_name="+")
    to_generation = models.ForeignKey(Generation, on_delete=models.PROTECT, related_name="+")
    plan = models.JSONField(default=dict)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    switched_at = models.DateTimeField()

    class Meta:
        ordering = ["-switched_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_generation=models.F("to_generation")), name="generation_switch_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_generation_id} → {self.to_generation_id} ({self.switched_at:%Y-%m-%d})"
