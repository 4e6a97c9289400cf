"""How the PACT cycle keeps a resident's answer to "How did we do?" (the port in core.satisfaction)."""

from core.satisfaction import ConcernSatisfaction, SatisfactionBook, satisfaction_book
from feedback.services import satisfaction as services


def _record(answer: ConcernSatisfaction) -> None:
    services.satisfaction_record(answer=answer)


def _answered(reference: str) -> bool:
    return services.satisfaction_answered(concern_reference=reference)


def plug() -> None:
    satisfaction_book.plug(SatisfactionBook(answered=_answered, record=_record))
