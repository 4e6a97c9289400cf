"""What concerns, priorities and partner information are about."""

from django.db import models


class Category(models.Model):
    """What a concern or priority is about: a police.uk crime category or a local one."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    is_police_uk = models.BooleanField(default=False, help_text="One of the data.police.uk crime categories.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name
