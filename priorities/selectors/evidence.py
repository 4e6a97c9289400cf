"""The local evidence a ward's priorities rest on: partner information reports and residents'
incident log entries, counted per ward and category over recent months.

Counts only: no narrative or personal detail leaves the reports and logs through here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from core.roles import AnyUser, Role, has_role, is_administrator
from priorities.models import Concern, IncidentLog, IncidentLogEntry, InformationReport
from priorities.scopes import team_id_for
from priorities.selectors.incident_logs import incident_logs_for_wards
from priorities.selectors.information import information_reports_new_count
from wards.models import Ward

EVIDENCE_MONTHS = 3


@dataclass(frozen=True)
class EvidenceRow:
    ward_code: str
    ward_name: str
    category_name: str
    reports: int
    log_entries: int

    @property
    def total(self) -> int:
        return self.reports + self.log_entries


@dataclass(frozen=True)
class ConcernEvidence:
    since: datetime.date
    reports: int
    log_entries: int


def evidence_since(*, months: int = EVIDENCE_MONTHS, today: datetime.date | None = None) -> datetime.date:
    """The first day of the earliest of the last ``months`` calendar months, this one included."""
    today = today or timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(month_index // 12, month_index % 12 + 1, 1)


def _start(since: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))


def evidence_for_wards(*, ward_ids: set[int], since: datetime.date) -> list[EvidenceRow]:
    """Per ward and category, how many reports and log entries happened since ``since`` (two queries).

    A log entry counts under its concern's ward and category. Rows are ordered by ward, then
    the most evidence first.
    """
    start = _start(since)
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    reports = (
        InformationReport.objects.filter(ward_id__in=ward_ids, happened_at__gte=start)
        .values("ward__code", "ward__name", "category__name")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in reports:
        counts[(row["ward__code"], row["ward__name"], row["category__name"])][0] = row["count"]
    entries = (
        IncidentLogEntry.objects.filter(log__concern__ward_id__in=ward_ids, happened_at__gte=start)
        .values("log__concern__ward__code", "log__concern__ward__name", "log__concern__category__name")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in entries:
        key = (row["log__concern__ward__code"], row["log__concern__ward__name"], row["log__concern__category__name"])
        counts[key][1] = row["count"]
    rows = [EvidenceRow(code, name, category, *numbers) for (code, name, category), numbers in counts.items()]
    return sorted(rows, key=lambda row: (row.ward_name, -row.total, row.category_name))


def evidence_for_concern(*, concern: Concern, since: datetime.date) -> ConcernEvidence:
    """How many reports and log entries about the concern's ward and category happened since ``since``."""
    start = _start(since)
    reports = InformationReport.objects.filter(
        ward_id=concern.ward_id, category_id=concern.category_id, happened_at__gte=start
    ).count()
    log_entries = IncidentLogEntry.objects.filter(
        log__concern__ward_id=concern.ward_id, log__concern__category_id=concern.category_id, happened_at__gte=start
    ).count()
    return ConcernEvidence(since=since, reports=reports, log_entries=log_entries)


@dataclass(frozen=True)
class WorkspaceInformation:
    new_reports: int
    # None for administrators: every ward's logs and evidence in one table helps nobody.
    logs: list[IncidentLog] | None
    evidence: list[EvidenceRow] | None
    since: datetime.date


def workspace_information_for(user: AnyUser) -> WorkspaceInformation | None:
    """For an officer (their team's wards) or an administrator (new reports force-wide only): new
    partner reports, the logs residents added to lately and the evidence table. None for anyone else:
    a chair does not see the information given to the team."""
    since = evidence_since()
    if is_administrator(user):
        return WorkspaceInformation(information_reports_new_count(ward_ids=None), None, None, since)
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    if team_id is None:
        return None
    ward_ids = set(Ward.objects.filter(team_id=team_id).values_list("pk", flat=True))
    return WorkspaceInformation(
        new_reports=information_reports_new_count(ward_ids=ward_ids),
        logs=incident_logs_for_wards(ward_ids=ward_ids),
        evidence=evidence_for_wards(ward_ids=ward_ids, since=since),
        since=since,
    )
