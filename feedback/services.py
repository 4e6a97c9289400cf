"""Writes of the feedback app."""

from typing import Any

from django.utils import timezone

from feedback.models import EqualityResponse
from wards.models import District


def _valid_answers(answers: dict[str, Any]) -> dict[str, str]:
    valid = {}
    for strand in EqualityResponse.STRANDS:
        value = answers.get(strand) or ""
        if value and value in {choice for choice, _label in EqualityResponse.strand_choices(strand)}:
            valid[strand] = value
    return valid


def equality_record(*, context: str, district: District | None, answers: dict[str, Any]) -> EqualityResponse | None:
    """Store a person's voluntary equality answers on their own, dated only by month.

    Nothing is stored when no question was answered; unknown answers are dropped, so a
    tampered form cannot write values the report does not know.
    """
    valid = _valid_answers(answers)
    if not valid or context not in EqualityResponse.Context.values:
        return None
    response = EqualityResponse(context=context, district=district, month=timezone.localdate().replace(day=1), **valid)
    response.full_clean()
    response.save()
    return response
