"""Cache invalidation: any change to what the public pages show makes their fragments stale, and
any change to a ward makes the polygons the web workers keep stale (wards.boundary_index)."""

from django.db.models.signals import post_delete, post_save

from core.cache import public_cache_bump
from wards.boundary_index import boundary_version_bump
from wards.models import (
    District,
    NeighbourhoodTeam,
    Officer,
    OfficerWard,
    Place,
    PlaceWard,
    Postcode,
    PostcodeWard,
    Ward,
)


def _bump(sender, **kwargs) -> None:
    public_cache_bump()


def _bump_boundaries(sender, **kwargs) -> None:
    boundary_version_bump()


def connect() -> None:
    post_save.connect(_bump_boundaries, sender=Ward, dispatch_uid="boundary-version-save-Ward")
    post_delete.connect(_bump_boundaries, sender=Ward, dispatch_uid="boundary-version-delete-Ward")
    # Postcodes and places one at a time (the admin); the importers bump once, after their bulk writes.
    for model in (District, NeighbourhoodTeam, Ward, Officer, OfficerWard, Postcode, PostcodeWard, Place, PlaceWard):
        post_save.connect(_bump, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
