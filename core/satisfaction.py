"""How a resident's answer to "How did we do?" about their concern is kept.

The question is asked on a concern's status page and in its last follow-up email (the PACT
cycle, priorities), but the answers are feedback items of their own kind, in the feedback
queue and reports. priorities may not import feedback (DESIGN.md), so feedback plugs in here
(core.ports), from its AppConfig.ready(), how an answer is kept and whether a concern has
one. Only plain values cross: the concern's short reference (never its follow code) and ward.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.ports import Port

# The two questions and their answers, shared by the form that asks and the model that keeps them.
SCORES = (
    (1, "Very dissatisfied"),
    (2, "Dissatisfied"),
    (3, "Neither satisfied nor dissatisfied"),
    (4, "Satisfied"),
    (5, "Very satisfied"),
)
FIXED = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
COMMENT_MAX_LENGTH = 2000


class SatisfactionError(Exception):
    """The answer was not kept; the message says why, for the resident (already answered, say)."""


@dataclass(frozen=True)
class ConcernSatisfaction:
    """One resident's answer about one concern."""

    concern_reference: str
    ward_id: int
    score: int  # 1 (very dissatisfied) to 5 (very satisfied)
    fixed: str  # "yes", "partly" or "no"
    comment: str = ""


@dataclass(frozen=True)
class SatisfactionBook:
    # Whether the concern with this reference has an answer already.
    answered: Callable[[str], bool]
    # Keep an answer; raises SatisfactionError with a message for the resident.
    record: Callable[[ConcernSatisfaction], None]


satisfaction_book: Port[SatisfactionBook] = Port(
    "how satisfaction after a concern is kept", owner="feedback.satisfaction"
)


def satisfaction_answered(reference: str) -> bool:
    return satisfaction_book().answered(reference)


def satisfaction_record(answer: ConcernSatisfaction) -> None:
    satisfaction_book().record(answer)
