"""The PACT cycle: panels, meetings and surgeries, concerns, ballots and the top three.

Every invariant the database can hold is a constraint here: one active chair per panel,
one vote per member per ballot, at most three choices per vote, and at most three active
priorities per ward (each active priority holds one of the ward's three slots).

One module per part of the cycle; every model is imported here, so ``priorities.models.X``
is the one import path (and Django finds them all).
"""

from priorities.models.agendas import Agenda, MeetingSupport, MeetingSupportChoice
from priorities.models.ballots import Ballot, BallotOption, BallotReopening, Vote, VoteChoice
from priorities.models.categories import Category
from priorities.models.concerns import Concern, ConcernEvent
from priorities.models.events import Event, EventAttendance
from priorities.models.generations import GenerationSwitch
from priorities.models.incident_logs import IncidentLog, IncidentLogEntry
from priorities.models.information import InformationReport
from priorities.models.news import NewsItem
from priorities.models.panels import Panel, PanelInvitation, PanelMember
from priorities.models.partners import PartnerAgency, PartnerUser
from priorities.models.priorities import PlanPriority, Priority
from priorities.models.progress import ProgressEntry
from priorities.models.subscriptions import Subscription
from priorities.models.updates import MonthlyUpdate, MonthlyUpdateDraft, MonthlyUpdateRevision

__all__ = [
    "Agenda",
    "Ballot",
    "BallotOption",
    "BallotReopening",
    "Category",
    "Concern",
    "ConcernEvent",
    "Event",
    "EventAttendance",
    "GenerationSwitch",
    "IncidentLog",
    "IncidentLogEntry",
    "InformationReport",
    "MeetingSupport",
    "MeetingSupportChoice",
    "MonthlyUpdate",
    "MonthlyUpdateDraft",
    "MonthlyUpdateRevision",
    "NewsItem",
    "Panel",
    "PanelInvitation",
    "PanelMember",
    "PartnerAgency",
    "PartnerUser",
    "PlanPriority",
    "Priority",
    "ProgressEntry",
    "Subscription",
    "Vote",
    "VoteChoice",
]
