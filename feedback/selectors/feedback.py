"""Reads of feedback: the staff triage queue, one item for staff or for its confirmation page."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.roles import AnyUser, Role, has_role, is_administrator
from core.scopes import managed_ward_ids_for, team_id_for
from feedback.models import Feedback
from wards.models import NeighbourhoodTeam, Officer


def feedback_queue_for(*, user: AnyUser, status: str | None = None) -> QuerySet[Feedback]:
    """The feedback a user may handle, soonest target first (the same rule as can_handle_feedback):
    complaints only for professional standards (and administrators); other feedback naming an
    officer (not a compliment) for professional standards and that officer's supervisors; the
    rest for the officers of the ward's team and the officer a compliment names."""
    queryset = Feedback.objects.select_related("ward", "assigned_to").order_by("respond_by", "pk")
    if status:
        queryset = queryset.filter(status=status)
    if is_administrator(user):
        return queryset
    complaint = Q(kind=Feedback.Kind.COMPLAINT)
    about_an_officer = Q(officer__isnull=False) & ~Q(kind=Feedback.Kind.COMPLIMENT)
    visible = Q(pk__in=[])
    if has_role(user, Role.PROFESSIONAL_STANDARDS):
        visible |= complaint | about_an_officer
    if has_role(user, Role.OFFICER):
        visible |= _team_feedback(user) & ~complaint & ~about_an_officer
        own = getattr(user, "officer", None)
        if own is not None and own.rank in Officer.SUPERVISOR_RANKS:
            visible |= about_an_officer & ~complaint & Q(officer__team_id=own.team_id) & ~Q(officer_id=own.pk)
    return queryset.filter(visible)


def _team_feedback(user: AnyUser) -> Q:
    mine = Q(ward_id__in=managed_ward_ids_for(user) or ())
    team_id = team_id_for(user)
    if team_id is not None:
        mine |= Q(ward__isnull=True, team_id=team_id)
    officer = getattr(user, "officer", None)
    if officer is not None:
        mine |= Q(officer_id=officer.pk)
    return mine


def feedback_for_staff(*, reference: str) -> Feedback | None:
    """One feedback item with its notes' authors, or None (permission is checked by the caller)."""
    return (
        Feedback.objects.select_related("ward", "officer", "assigned_to")
        .prefetch_related("notes__author")
        .filter(reference=reference)
        .first()
    )


def feedback_for_confirmation(*, reference: str) -> Feedback | None:
    """What the confirmation page shows: the kind and reference, never the contact details."""
    return Feedback.objects.only("reference", "kind", "created_at").filter(reference=reference).first()


# The equality questions are a step after sending, offered for a while and not for ever: an old
# reference (on a letter, say) does not open them to anyone who reads it.
EQUALITY_STEP_OPEN = datetime.timedelta(days=2)


@dataclass(frozen=True)
class FeedbackFacts:
    """What the optional equality step knows of the feedback it follows: never who sent it."""

    reference: str
    kind_label: str
    district_id: int | None


def feedback_can_take_equality(feedback: Feedback, now: datetime.datetime | None = None) -> bool:
    """Whether the person who sent ``feedback`` may still answer the equality questions after it."""
    return feedback.created_at >= (now or timezone.now()) - EQUALITY_STEP_OPEN


def feedback_for_equality(*, reference: str) -> FeedbackFacts | None:
    """The feedback whose sender may answer the equality questions next, or None (unknown or too old).

    Only its district goes with the answers (the ward's, or the team's when the form was opened
    from a team's page), never the feedback itself.
    """
    feedback = (
        Feedback.objects.select_related("ward", "team")
        .only("reference", "kind", "created_at", "ward__district_id", "team__district_id")
        .filter(reference=reference)
        .first()
    )
    if feedback is None or not feedback_can_take_equality(feedback):
        return None
    place = feedback.ward or feedback.team
    return FeedbackFacts(
        reference=feedback.reference,
        kind_label=feedback.get_kind_display(),
        district_id=place.district_id if place is not None else None,
    )


def team_for_feedback(team_id: str) -> NeighbourhoodTeam | None:
    """The team a feedback form was opened from (?team=<id>), or None when it is not one of ours."""
    return (
        NeighbourhoodTeam.objects.filter(pk=int(team_id)).first() if team_id.isdigit() and len(team_id) < 10 else None
    )


def _team_id_of(feedback: Feedback) -> int | None:
    return feedback.team_id or (feedback.ward.team_id if feedback.ward is not None else None)


def officer_named_in(feedback: Feedback) -> Officer | None:
    """The officer of the item's team the person named in their own words, so staff need not
    retype the collar number: the one whose collar number, full name or (when only one officer
    of the team has it) surname the words contain. None when nobody, or more than one, matches:
    a compliment must never reach the wrong officer."""
    team_id = _team_id_of(feedback)
    words = feedback.officer_text.lower()
    if team_id is None or not words.strip():
        return None
    officers = list(
        Officer.objects.filter(team_id=team_id).only("pk", "rank", "first_name", "last_name", "collar_number")
    )
    numbers = set(re.findall(r"\d+", words))
    for match in (
        lambda officer: officer.collar_number in numbers,
        lambda officer: f"{officer.first_name} {officer.last_name}".lower() in words,
        lambda officer: re.search(rf"\b{re.escape(officer.last_name.lower())}\b", words) is not None,
    ):
        found = [officer for officer in officers if match(officer)]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None
