"""Partner agencies and the staff accounts that act for them."""

from django.conf import settings
from django.db import models

from wards.models import Ward


class PartnerAgency(models.Model):
    """An organisation that works with the neighbourhood teams on priorities."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        FIRE = "fire", "Fire and rescue"
        HOUSING = "housing", "Housing provider"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        BUSINESS = "business", "Business partnership"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Its users submit information for, and see the information it gave about, these wards only.
    wards = models.ManyToManyField(
        Ward, blank=True, related_name="partner_agencies", help_text="The wards the agency works in."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name


class PartnerUser(models.Model):
    """A staff account that acts for a partner agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"
