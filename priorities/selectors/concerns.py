"""Reads of concerns: the public lists (moderated only) and the staff moderation queue."""

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from priorities.models import Concern, ConcernEvent, Event, Priority
from wards.models import Ward

WARD_SECTION_LIMIT = 3
CHOICES_LIMIT = 200


def concerns_public_for_ward(*, ward: Ward) -> QuerySet[Concern]:
    """A ward's moderated concerns, newest first: never those awaiting moderation, rejected or merged.

    An adopted concern carries the status of the priority it became (``priority_status``), so
    the list says "resolved" or "closed" once that priority ends, not "adopted" for ever.
    """
    became = Priority.objects.filter(concern=OuterRef("pk")).order_by("-agreed_on", "-pk").values("status")[:1]
    return (
        Concern.objects.filter(ward=ward, status__in=Concern.PUBLIC_STATUSES)
        .select_related("category")
        .only("reference", "description", "location_text", "status", "created_at", "category__name")
        .annotate(priority_status=Subquery(became))
        .order_by("-created_at", "-pk")
    )


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's concerns section: the latest published concerns, in one query."""
    return {"concerns": list(concerns_public_for_ward(ward=ward)[:WARD_SECTION_LIMIT])}


def ward_for_concerns(*, code: str) -> Ward | None:
    """The ward a public concerns page is about, by its ONS code."""
    return Ward.objects.filter(code=code.upper()).only("pk", "code", "name", "team_id").first()


def concern_for_confirmation(*, reference: str) -> Concern | None:
    """A concern by reference with its ward, for the page that confirms it was received."""
    return Concern.objects.select_related("ward").filter(reference=reference).first()


def concerns_for_moderation(*, ward_ids: set[int] | None, status: str = "", ward_id: int | None = None) -> QuerySet:
    """The concerns of the given wards (None: every ward), oldest first as a moderation queue."""
    queryset = Concern.objects.select_related("ward", "category").order_by("created_at", "pk")
    if ward_ids is not None:
        queryset = queryset.filter(ward_id__in=ward_ids)
    if status:
        queryset = queryset.filter(status=status)
    if ward_id is not None:
        queryset = queryset.filter(ward_id=ward_id)
    return queryset


def concern_for_staff(*, reference: str) -> Concern | None:
    """A concern with everything its staff page shows."""
    return (
        Concern.objects.select_related(
            "ward", "category", "merged_into", "shortlisted_for", "raised_at_event", "raised_by", "moderated_by"
        )
        .filter(reference=reference)
        .first()
    )


def meetings_for_shortlist(*, concern: Concern) -> QuerySet[Event]:
    """Scheduled or held PACT meetings of the panels serving the concern's ward, latest first."""
    return (
        Event.objects.filter(
            kind=Event.Kind.PACT_MEETING,
            status__in=(Event.Status.SCHEDULED, Event.Status.HELD),
            panel__wards=concern.ward_id,
        )
        .distinct()
        .order_by("-starts_at")[:CHOICES_LIMIT]
    )


def concerns_to_merge_into(*, concern: Concern) -> QuerySet[Concern]:
    """Other concerns of the same ward that a duplicate may be merged into (not merged, not rejected)."""
    return (
        Concern.objects.filter(ward_id=concern.ward_id)
        .exclude(pk=concern.pk)
        .exclude(status__in=(Concern.Status.MERGED, Concern.Status.REJECTED))
        .order_by("-created_at")[:CHOICES_LIMIT]
    )


def wards_for_staff(*, ward_ids: set[int] | None) -> QuerySet[Ward]:
    """The wards of the active generation a staff member records and moderates concerns for, by name."""
    queryset = Ward.objects.active().only("pk", "code", "name").order_by("name")
    return queryset if ward_ids is None else queryset.filter(pk__in=ward_ids)


def events_for_staff_entry(*, ward_ids: set[int] | None) -> QuerySet[Event]:
    """Meetings and surgeries of the staff member's wards a concern may have been raised at, latest first."""
    queryset = Event.objects.exclude(status=Event.Status.CANCELLED)
    if ward_ids is not None:
        queryset = queryset.filter(wards__in=ward_ids).distinct()
    return queryset.order_by("-starts_at")[:CHOICES_LIMIT]


def concern_by_follow_code(*, code: str) -> Concern | None:
    """A concern by its follow code, with what its public status page shows (never its contact email)."""
    return (
        Concern.objects.select_related("ward", "category", "merged_into")
        .only(
            "pk",
            "reference",
            "follow_code",
            "description",
            "location_text",
            "status",
            "created_at",
            "ward__code",
            "ward__name",
            "category__name",
            "merged_into__status",
            "merged_into__follow_code",
        )
        .filter(follow_code=code)
        .first()
    )


def concern_public_history(*, concern: Concern) -> list[ConcernEvent]:
    """The steps of a concern's history a resident may read, oldest first, in one query."""
    return list(
        ConcernEvent.objects.filter(concern=concern)
        .select_related("meeting", "priority", "ballot", "merged_into", "progress")
        .order_by("happened_at", "pk")
    )
