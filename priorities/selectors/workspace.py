"""What a chair or officer has to do next, across the wards they run."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.roles import AnyUser
from priorities.models import Ballot, Concern, Event, Priority
from priorities.scopes import ward_ids_for
from priorities.selectors.agendas import meetings_without_agenda
from priorities.selectors.evidence import WorkspaceInformation, workspace_information_for
from priorities.selectors.progress import PriorityProgress, active_priorities_with_progress
from wards.crime import WorkspaceCrime, workspace_crime
from wards.models import Ward

UPCOMING_LIMIT = 10


@dataclass
class Workspace:
    wards: list[Ward]
    upcoming: list[Event]
    to_moderate: int
    open_ballots: list[Ballot]
    meetings_to_record: list[Event]
    # PACT meetings within a week with no agenda published yet.
    meetings_without_agenda: list[Event]
    # Active priorities of the user's wards, with how long since their last progress.
    priorities: list[PriorityProgress]
    # Their wards' police.uk crime categories, highest counts and biggest rises first.
    crime: WorkspaceCrime
    # Partner information, residents' incident logs and local evidence (None for a chair).
    information: WorkspaceInformation | None


def _in_wards(queryset: QuerySet, ward_ids: set[int] | None, field: str = "ward_id__in") -> QuerySet:
    return queryset if ward_ids is None else queryset.filter(**{field: ward_ids})


def workspace_for(user: AnyUser) -> Workspace:
    """The user's wards (with how many active priorities and concerns awaiting moderation
    each has), their next events, their open ballots, past meetings not yet recorded, meetings
    within a week with no agenda, and
    their active priorities with how long since their last progress, and their wards' crime
    categories ranked (see wards.crime.workspace_crime), and for officers and administrators
    the information partners and residents gave (see evidence.workspace_information_for)."""
    ward_ids = ward_ids_for(user)
    now = timezone.now()
    wards = _in_wards(Ward.objects.select_related("district").defer("boundary"), ward_ids, "pk__in").annotate(
        active_priorities=Count("priorities", filter=Q(priorities__status__in=Priority.ACTIVE_STATUSES), distinct=True),
        awaiting=Count("concerns", filter=Q(concerns__status=Concern.Status.RECEIVED), distinct=True),
    )
    events = _in_wards(Event.objects.prefetch_related("wards"), ward_ids, "wards__in").distinct()
    # Administrators run every ward: a table of all 305 helps nobody, the counts do.
    ward_list = list(wards.order_by("name")) if ward_ids is not None else []
    return Workspace(
        wards=ward_list,
        upcoming=list(events.filter(status=Event.Status.SCHEDULED, starts_at__gte=now)[:UPCOMING_LIMIT]),
        to_moderate=_in_wards(Concern.objects.filter(status=Concern.Status.RECEIVED), ward_ids).count(),
        open_ballots=list(
            _in_wards(Ballot.objects.filter(status=Ballot.Status.OPEN), ward_ids).select_related("ward", "meeting")
        ),
        meetings_to_record=list(
            events.filter(kind=Event.Kind.PACT_MEETING, status=Event.Status.SCHEDULED, starts_at__lt=now)
        ),
        meetings_without_agenda=list(meetings_without_agenda(ward_ids)),
        # As with the wards: administrators would get the whole force, which helps nobody.
        priorities=active_priorities_with_progress(ward_ids) if ward_ids else [],
        crime=workspace_crime(ward_list),
        information=workspace_information_for(user),
    )
