"""Reads of partner information reports: the partner's list, the team's list and one report."""

from django.db.models import QuerySet

from priorities.models import InformationReport
from wards.models import Ward

_LIST_FIELDS = (
    "pk",
    "kind",
    "status",
    "happened_at",
    "created_at",
    "ward__code",
    "ward__name",
    "category__name",
    "agency__name",
)


def information_reports_for_agency(*, agency_id: int, ward_ids: frozenset[int]) -> QuerySet[InformationReport]:
    """The agency's own reports about the wards it still works in, newest first (summaries only)."""
    return (
        InformationReport.objects.filter(agency_id=agency_id, ward_id__in=ward_ids)
        .select_related("ward", "category", "agency")
        .only(*_LIST_FIELDS)
        .order_by("-created_at", "-pk")
    )


def information_reports_for_team(
    *, ward_ids: set[int] | None, status: str = "", ward_id: int | None = None
) -> QuerySet[InformationReport]:
    """Reports about the given wards (None: every ward), newest first (summaries only)."""
    queryset = (
        InformationReport.objects.select_related("ward", "category", "agency")
        .only(*_LIST_FIELDS)
        .order_by("-created_at", "-pk")
    )
    if ward_ids is not None:
        queryset = queryset.filter(ward_id__in=ward_ids)
    if status:
        queryset = queryset.filter(status=status)
    if ward_id is not None:
        queryset = queryset.filter(ward_id=ward_id)
    return queryset


def information_report_for_staff(*, pk: int) -> InformationReport | None:
    """One report with everything its page shows."""
    return (
        InformationReport.objects.select_related("ward", "category", "agency", "submitted_by", "reviewed_by", "concern")
        .filter(pk=pk)
        .first()
    )


def wards_for_partner(*, ward_ids: frozenset[int]) -> QuerySet[Ward]:
    """The wards of the active generation a partner agency works in, by name."""
    return Ward.objects.active().filter(pk__in=ward_ids).only("pk", "code", "name").order_by("name")


def information_reports_new_count(*, ward_ids: set[int] | None) -> int:
    """How many reports about the given wards no one has reviewed yet."""
    queryset = InformationReport.objects.filter(status=InformationReport.Status.NEW)
    return (queryset if ward_ids is None else queryset.filter(ward_id__in=ward_ids)).count()
