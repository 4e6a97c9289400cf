"""Reads of residents' incident logs: by private link, by concern, and the team's recent ones."""

from django.db.models import Count, Max, Prefetch, QuerySet

from priorities.models import IncidentLog, IncidentLogEntry

WORKSPACE_LIMIT = 10


def incident_log_for_token(*, token: str) -> IncidentLog | None:
    """The log a private link opens (revoked ones too: the page says the link is off), or None."""
    if not token or len(token) > 100:
        return None
    return IncidentLog.objects.select_related("concern__ward").filter(token_hash=IncidentLog.hash_token(token)).first()


def incident_log_for_staff(*, reference: str, pk: int) -> IncidentLog | None:
    """One log of the concern with ``reference``, with the concern's ward for the permission check."""
    return IncidentLog.objects.select_related("concern__ward").filter(pk=pk, concern__reference=reference).first()


def incident_log_entries(*, log: IncidentLog) -> QuerySet[IncidentLogEntry]:
    """A log's entries, the latest incident first."""
    return log.entries.order_by("-happened_at", "-pk")


def incident_logs_for_concern(*, concern_id: int) -> list[IncidentLog]:
    """A concern's logs with their entries, for its staff page (two queries)."""
    entries = Prefetch("entries", queryset=IncidentLogEntry.objects.order_by("-happened_at", "-pk"))
    return list(IncidentLog.objects.filter(concern_id=concern_id).prefetch_related(entries).order_by("created_at"))


def incident_logs_for_wards(*, ward_ids: set[int] | None, limit: int = WORKSPACE_LIMIT) -> list[IncidentLog]:
    """The logs of the given wards' concerns (None: every ward) with the latest entries first."""
    queryset = IncidentLog.objects.select_related("concern__ward", "concern__category").annotate(
        entry_count=Count("entries"), last_entry_at=Max("entries__created_at")
    )
    if ward_ids is not None:
        queryset = queryset.filter(concern__ward_id__in=ward_ids)
    return list(queryset.filter(entry_count__gt=0).order_by("-last_entry_at", "-pk")[:limit])
