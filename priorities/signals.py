"""Cache invalidation: any change to what the public pages show makes their cache stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.cache import public_cache_bump
from priorities import models


def _bump(sender, **kwargs) -> None:
    public_cache_bump()


def _bump_for_concern(sender, instance: models.Concern, created: bool = False, **kwargs) -> None:
    # A concern a resident has just raised awaits moderation and is shown nowhere public, and
    # residents raise them all day: bumping for it would empty every cached page each time.
    if created and instance.status not in models.Concern.PUBLIC_STATUSES:
        return
    public_cache_bump()


PUBLIC_MODELS = (
    models.Category,
    models.PlanPriority,
    models.PartnerAgency,
    models.Panel,
    models.Event,
    models.Priority,
    models.Ballot,
    models.BallotOption,
    models.BallotReopening,
    models.ProgressEntry,
    models.NewsItem,
    models.Agenda,
)


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(_bump, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
    post_save.connect(_bump_for_concern, sender=models.Concern, dispatch_uid="public-cache-save-Concern")
    post_delete.connect(_bump, sender=models.Concern, dispatch_uid="public-cache-delete-Concern")
    for through in (models.Event.wards.through, models.Panel.wards.through, models.Priority.partners.through):
        m2m_changed.connect(_bump, sender=through, dispatch_uid=f"public-cache-m2m-{through.__name__}")
