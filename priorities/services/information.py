"""Writes of partner information reports: submitted by a partner agency, seen by the ward's team.

A partner user submits a report about a ward their agency is scoped to; the ward's team's
officers are emailed a link (never the details: the report may describe people). Every view
of a report is audited, the team reviews it or turns it into a PACT concern, and reports are
deleted PACT_RETENTION_INFORMATION_DAYS after they were submitted (INFORMATION_REPORTS, a
source of core.personal_data, registered with the PACT cycle's others in services.retention).
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.emails import email_queue
from core.personal_data import PersonalDataSource, retention_cutoff
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import Category, Concern, InformationReport
from priorities.scopes import can_manage_ward, can_partner_ward, can_see_agency_information, partner_agency_for
from priorities.services.concerns import concern_record
from wards.models import Officer, Ward

logger = logging.getLogger(__name__)

ERROR_NO_AGENCY = _("Your account is not linked to a partner agency. Ask the force administrator to link it.")
ERROR_WARD_NOT_ALLOWED = _("Your organisation does not work in this ward: choose one of its wards")
ERROR_KIND = _("Choose whether it was an incident or a sighting")
ERROR_WHAT_REQUIRED = _("Enter what happened")
ERROR_WHAT_TOO_LONG = _("What happened must be 2000 characters or fewer")
ERROR_WHERE_REQUIRED = _("Enter where it happened")
ERROR_WHERE_TOO_LONG = _("Where it happened must be 200 characters or fewer")
ERROR_PEOPLE_TOO_LONG = _("The description of people involved must be 1000 characters or fewer")
ERROR_IN_FUTURE = _("The date and time it happened must be in the past")
ERROR_NOT_TEAM = _("Only the ward's neighbourhood officers can review information reports")
ERROR_ALREADY_REVIEWED = _("This report has already been reviewed")
ERROR_ALREADY_CONCERN = _("This report has already been turned into a concern")

WHAT_MAX_LENGTH = 2000
WHERE_MAX_LENGTH = 200
PEOPLE_MAX_LENGTH = 1000


def _check_text(what_happened: str, location_text: str, people_description: str) -> None:
    # TextField does not enforce its max_length, so the service does.
    if not what_happened.strip():
        raise PrioritiesError(ERROR_WHAT_REQUIRED)
    if len(what_happened) > WHAT_MAX_LENGTH:
        raise PrioritiesError(ERROR_WHAT_TOO_LONG)
    if not location_text.strip():
        raise PrioritiesError(ERROR_WHERE_REQUIRED)
    if len(location_text) > WHERE_MAX_LENGTH:
        raise PrioritiesError(ERROR_WHERE_TOO_LONG)
    if len(people_description) > PEOPLE_MAX_LENGTH:
        raise PrioritiesError(ERROR_PEOPLE_TOO_LONG)


def information_report_submit(
    *,
    actor: User,
    ward: Ward,
    category: Category,
    kind: str,
    what_happened: str,
    location_text: str,
    happened_at: datetime.datetime,
    people_description: str = "",
) -> InformationReport:
    """Record a partner's report about one of its agency's wards and email the ward's team a link.

    Audited without the narrative or the description of people (personal data).
    """
    agency = partner_agency_for(actor)
    if agency is None:
        raise PrioritiesError(ERROR_NO_AGENCY)
    if not can_partner_ward(actor, ward):
        raise PrioritiesError(ERROR_WARD_NOT_ALLOWED)
    if kind not in InformationReport.Kind.values:
        raise PrioritiesError(ERROR_KIND)
    what_happened, location_text = what_happened.strip(), location_text.strip()
    people_description = people_description.strip()
    _check_text(what_happened, location_text, people_description)
    now = timezone.now()
    if happened_at > now:
        raise PrioritiesError(ERROR_IN_FUTURE)
    report = InformationReport(
        agency_id=agency.pk,
        submitted_by=actor,
        ward=ward,
        category=category,
        kind=kind,
        what_happened=what_happened,
        location_text=location_text,
        happened_at=happened_at,
        people_description=people_description,
        created_at=now,
    )
    with transaction.atomic():
        report.full_clean()
        report.save(force_insert=True)
        after = {"agency": agency.pk, "ward": ward.code, "category": category.slug, "kind": kind}
        audit_record(actor=actor, action="priorities.information.submitted", target=report, data={"after": after})
        queued = _notify_team(report)
    logger.info("information report %s submitted, %s officers notified", report.pk, queued)
    return report


def _officer_address(officer: Officer) -> str:
    user_email = officer.user.email if officer.user is not None else ""
    return user_email or officer.email


def _notify_team(report: InformationReport) -> int:
    """Queue one email per officer of the ward's team: a link only, never what the report says."""
    if report.ward.team_id is None:
        return 0
    url = settings.PACT_SITE_URL + reverse("priorities:staff_information_detail", args=[report.pk])
    context = {"ward": report.ward, "url": url}
    queued = 0
    for officer in Officer.objects.filter(team_id=report.ward.team_id).select_related("user"):
        to = _officer_address(officer)
        if to and email_queue(
            key=f"information:{report.pk}:officer:{officer.pk}", to=to, template="information_report", context=context
        ):
            queued += 1
    return queued


def can_view_information_report(*, actor: AnyUser, report: InformationReport) -> bool:
    """The ward's team, administrators, and the submitting agency's users while it works in the ward."""
    return can_see_agency_information(actor, agency_id=report.agency_id, ward=report.ward)


def information_report_viewed(*, actor: AnyUser, report: InformationReport) -> None:
    """Record that ``actor`` opened ``report``: every view of a report is in the audit trail."""
    audit_record(actor=actor, action="priorities.information.viewed", target=report)


def information_reports_listed(*, actor: AnyUser, reports: list[InformationReport], scope: str) -> None:
    """Record which reports a list page showed (their summaries), in one audit event."""
    if reports:
        data = {"scope": scope, "reports": [report.pk for report in reports]}
        audit_record(actor=actor, action="priorities.information.listed", data=data)


def _check_team(actor: AnyUser, report: InformationReport) -> None:
    if not can_manage_ward(actor, report.ward):
        raise PrioritiesError(ERROR_NOT_TEAM)
    if report.status == InformationReport.Status.CONCERN:
        raise PrioritiesError(ERROR_ALREADY_CONCERN)


def information_report_review(*, actor: User, report: InformationReport) -> InformationReport:
    """Mark a new report as reviewed by the ward's team. Audited."""
    _check_team(actor, report)
    if report.status != InformationReport.Status.NEW:
        raise PrioritiesError(ERROR_ALREADY_REVIEWED)
    report.status = InformationReport.Status.REVIEWED
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    with transaction.atomic():
        report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        data = {"before": {"status": InformationReport.Status.NEW}, "after": {"status": report.status}}
        audit_record(actor=actor, action="priorities.information.reviewed", target=report, data=data)
    return report


def information_report_to_concern(
    *, actor: User, report: InformationReport, category: Category, description: str, location_text: str
) -> Concern:
    """Turn a report into a PACT concern (source: partner agency), in the team's own words.

    The concern may be published once moderated, so the officer writes its description;
    nothing of the report is copied without them. Both changes are audited.
    """
    _check_team(actor, report)
    with transaction.atomic():
        # Locked so two officers cannot turn the same report into two concerns.
        locked = InformationReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == InformationReport.Status.CONCERN:
            raise PrioritiesError(ERROR_ALREADY_CONCERN)
        concern = concern_record(
            actor=actor,
            ward=report.ward,
            category=category,
            description=description,
            location_text=location_text,
            source=Concern.Source.PARTNER,
        )
        before = {"status": locked.status}
        report.status, report.concern = InformationReport.Status.CONCERN, concern
        report.reviewed_at = report.reviewed_at or timezone.now()
        report.reviewed_by = report.reviewed_by or actor
        report.save(update_fields=["status", "concern", "reviewed_at", "reviewed_by"])
        data = {"before": before, "after": {"status": report.status, "concern": concern.reference}}
        audit_record(actor=actor, action="priorities.information.turned_into_concern", target=report, data=data)
    return concern


def information_reports_expire(now: datetime.datetime) -> int:
    """Delete the reports sent more than PACT_RETENTION_INFORMATION_DAYS before ``now``; return how many.

    Run daily by core.personal_data's retention, which audits the counts; a second run deletes nothing.
    """
    deleted, _per_model = InformationReport.objects.filter(created_at__lt=retention_cutoff("information", now)).delete()
    if deleted:
        logger.info("%s information reports deleted after the retention period", deleted)
    return deleted


def information_reports_export(email: str) -> list[dict[str, Any]]:
    """The reports a staff account with ``email`` sent: what was sent and when, never the people
    it describes (other people's personal data)."""
    reports = (
        InformationReport.objects.filter(submitted_by__email__iexact=email)
        .select_related("agency", "ward", "category")
        .order_by("created_at", "pk")
    )
    return [
        {
            "report": report.pk,
            "agency": report.agency.name,
            "ward": report.ward.name,
            "kind": report.get_kind_display(),
            "category": report.category.name,
            "happened": report.happened_at.isoformat(),
            "sent": report.created_at.isoformat(),
        }
        for report in reports
    ]


def information_reports_erase(email: str, *, by: AnyUser) -> int:
    """Unlink the reports from the account with ``email``: the team keeps the agency's report."""
    return InformationReport.objects.filter(submitted_by__email__iexact=email).update(submitted_by=None)


INFORMATION_REPORTS = PersonalDataSource(
    name="priorities.information",
    label=_("Partner information reports"),
    description=_(
        "Incidents and sightings partner agencies reported to a ward's team, which may describe people. "
        "Never public. Found here by the address of the account that sent them; erasing unlinks that "
        "account. Deleted PACT_RETENTION_INFORMATION_DAYS after they were sent."
    ),
    export=information_reports_export,
    erase=information_reports_erase,
    expire=information_reports_expire,
)
