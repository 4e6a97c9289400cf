"""Writes of satisfaction after a concern: a resident's answer to "How did we do?".

Asked by the PACT cycle once a concern has ended (core.satisfaction); kept here as a
feedback item of its own kind, in the ward's team's queue, once per concern.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.references import insert_with_unique
from core.satisfaction import ConcernSatisfaction, SatisfactionError
from feedback.models import Feedback
from feedback.services.feedback import (
    ERROR_NO_REFERENCE,
    REFERENCE_ATTEMPTS,
    feedback_reference_new,
    feedback_respond_by,
)
from wards.models import Ward

ERROR_ALREADY_ANSWERED = _("Someone has already told us how this concern was handled. Thank you.")


def satisfaction_answered(*, concern_reference: str) -> bool:
    """Whether the concern with this reference has an answer already."""
    return Feedback.objects.filter(kind=Feedback.Kind.SATISFACTION, concern_reference=concern_reference).exists()


def satisfaction_record(*, answer: ConcernSatisfaction) -> Feedback:
    """Keep an answer about a concern as a feedback item for the team of the concern's ward.

    Once per concern: the database refuses a second answer (two at once too), and the resident
    is told why. No contact details: the address stays with the concern.
    """
    ward = Ward.objects.select_related("team").get(pk=answer.ward_id)
    feedback = Feedback(
        kind=Feedback.Kind.SATISFACTION,
        ward=ward,
        team=ward.team,
        concern_reference=answer.concern_reference,
        concern_score=answer.score,
        concern_fixed=answer.fixed,
        description=answer.comment,
        respond_by=feedback_respond_by(Feedback.Kind.SATISFACTION),
    )
    try:
        with transaction.atomic():
            saved = insert_with_unique(
                feedback, field="reference", draw=feedback_reference_new, attempts=REFERENCE_ATTEMPTS
            )
    except (IntegrityError, ValidationError) as error:
        if satisfaction_answered(concern_reference=answer.concern_reference):
            raise SatisfactionError(str(ERROR_ALREADY_ANSWERED)) from error
        raise
    if not saved:
        raise SatisfactionError(str(ERROR_NO_REFERENCE))
    return feedback
