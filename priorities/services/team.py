"""Writes about a neighbourhood team's people: which officers cover which of its wards."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.cache import public_cache_bump
from priorities.errors import PrioritiesError
from priorities.scopes import can_assign_ward_officers
from wards.models import Officer, OfficerWard, Ward

ERROR_NOT_ALLOWED = _("Only a sergeant or inspector of the team can say who covers its wards")
ERROR_WARD_NOT_IN_TEAM = _("Choose only wards the officer's team covers")


def officer_wards_set(*, actor: User, officer: Officer, wards: Iterable[Ward]) -> Officer:
    """Make ``wards`` the wards ``officer`` covers: all of them in the officer's team (the
    database holds that too). Audited with the wards before and after; nothing is recorded
    when nothing changes."""
    wanted = {ward.pk: ward for ward in wards}
    if not can_assign_ward_officers(actor, officer.team_id):
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    if any(ward.team_id != officer.team_id for ward in wanted.values()):
        raise PrioritiesError(ERROR_WARD_NOT_IN_TEAM)
    with transaction.atomic():
        # Lock the officer so two supervisors saving at once apply one after the other.
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        links = OfficerWard.objects.filter(officer=officer)
        before = dict(links.values_list("ward_id", "ward__code"))
        if set(before) == set(wanted):
            return officer
        links.exclude(ward_id__in=wanted).delete()
        OfficerWard.objects.bulk_create([OfficerWard(officer=officer, ward_id=pk) for pk in wanted if pk not in before])
        audit_record(
            actor=actor,
            action="priorities.officer.wards_assigned",
            target=officer,
            data={
                "before": sorted(before.values()),
                "after": sorted(ward.code for ward in wanted.values()),
            },
        )
        transaction.on_commit(public_cache_bump)
    return officer
