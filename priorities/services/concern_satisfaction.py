"""Asking a resident "How did we do?" once their concern has ended (issue 13, item 3).

The question is asked only once the concern has an ending: not taken forward, or the
priority it became resolved or closed; never while it is pending. The answer is a feedback
item (core.satisfaction, plugged in by feedback), kept once per concern.
"""

from django.utils.translation import gettext_lazy as _

from core.satisfaction import ConcernSatisfaction, SatisfactionError, satisfaction_record
from priorities.errors import PrioritiesError
from priorities.models import Concern
from priorities.selectors.concern_satisfaction import concern_has_ended

ERROR_NOT_ENDED = _(
    "You can tell us how your concern was handled once it has been resolved, not taken forward, "
    "or the priority it became has been closed."
)


def concern_satisfaction_give(*, concern: Concern, score: int, fixed: str, comment: str = "") -> None:
    """Keep a resident's answer about how their concern was handled, once it has ended.

    Refused (PrioritiesError, with words for the resident) while the concern is pending, and
    when the concern has an answer already (once per concern, held by the database).
    """
    if not concern_has_ended(concern=concern):
        raise PrioritiesError(ERROR_NOT_ENDED)
    answer = ConcernSatisfaction(
        concern_reference=concern.reference, ward_id=concern.ward_id, score=score, fixed=fixed, comment=comment
    )
    try:
        satisfaction_record(answer)
    except SatisfactionError as error:
        raise PrioritiesError(str(error)) from error
