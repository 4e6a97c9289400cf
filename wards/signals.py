"""Cache invalidation: any change to what the public pages show makes their fragments stale."""

from django.db.models.signals import post_delete, post_save

from core.cache import public_cache_bump
from wards.models import District, NeighbourhoodTeam, Officer, OfficerWard, Ward


def _bump(sender, **kwargs) -> None:
    public_cache_bump()


def connect() -> None:
    for model in (District, NeighbourhoodTeam, Ward, Officer, OfficerWard):
        post_save.connect(_bump, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
