"""Reads for "How did we do?" on a concern's status page and in its last email."""

from dataclasses import dataclass

from core.satisfaction import satisfaction_answered
from priorities.models import Concern, ConcernEvent

# The status page's section, where the email's link lands.
ANCHOR = "how-did-we-do"


def concern_has_ended(*, concern: Concern, history: list[ConcernEvent] | None = None) -> bool:
    """Whether the concern was not taken forward, or the priority it became was resolved or closed.

    ``history``: its steps, when the caller has read them already (no query then).
    """
    if concern.status == Concern.Status.REJECTED:
        return True
    if history is not None:
        return any(step.kind in ConcernEvent.ENDINGS for step in history)
    return ConcernEvent.objects.filter(concern=concern, kind__in=ConcernEvent.ENDINGS).exists()


@dataclass(frozen=True)
class SatisfactionState:
    may_ask: bool  # the concern has ended and nobody has answered yet
    answered: bool


def concern_satisfaction_state(*, concern: Concern, history: list[ConcernEvent] | None = None) -> SatisfactionState:
    """Whether the status page asks the question, thanks for an answer, or says nothing (pending).

    No query for a pending concern whose ``history`` is given; one for an ended one.
    """
    if not concern_has_ended(concern=concern, history=history):
        return SatisfactionState(may_ask=False, answered=False)
    answered = satisfaction_answered(concern.reference)
    return SatisfactionState(may_ask=not answered, answered=answered)
