"""Local news from neighbourhood teams."""

from django.conf import settings
from django.db import models

from wards.models import NeighbourhoodTeam, Ward


class NewsItem(models.Model):
    """A short piece of local news from a team, for the whole team or one of its wards."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", "Appeal"
        RESULT = "result", "Result"
        ADVICE = "advice", "Crime-prevention advice"
        NEWS = "news", "News"

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.CASCADE, related_name="news")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="news")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    published_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name_plural = "news items"

    def __str__(self) -> str:
        return self.title
