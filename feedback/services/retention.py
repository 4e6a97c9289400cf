"""The personal data the feedback app holds, for subject access, erasure and retention.

Registered with core.personal_data in FeedbackConfig.ready().

Feedback: the contact details (name, email, phone) are removed and ``anonymised_at`` set; the
item, its kind, ward, text and scores stay, so the statistics and the record of how the
force handled it survive. Replies emailed from the system (FeedbackNote.is_reply) were
addressed to the person and usually greet them by name, so their text is replaced too.
Internal staff notes stay: they record the handling, are written about the feedback rather
than to the person, and a subject access export counts them without including them, because
they may name officers or other people and must be reviewed before disclosure.

Surveys: answers carry no email address or other identifier, so nothing is found or erased
by address. Free-text answers are blanked a period after the survey closed (they may hold
whatever a resident chose to write); the repeat-submission keys are cleared as soon as the
survey has closed, since they only block second answers while it is open.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalDataSource, register_personal_data, retention_cutoff
from core.roles import AnyUser
from feedback.models import Feedback, FeedbackNote, SurveyAnswer, SurveyResponse

REPLY_REMOVED = "[The text of this reply was removed with the person's contact details.]"

_HAS_CONTACT = ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")


def _anonymise(feedback: QuerySet[Feedback], now: datetime) -> int:
    """Remove the contact details and reply texts of ``feedback``; return how many items changed."""
    ids = list(feedback.filter(_HAS_CONTACT, anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        FeedbackNote.objects.filter(feedback_id__in=ids, is_reply=True).update(text=REPLY_REMOVED)
        return Feedback.objects.filter(pk__in=ids).update(
            contact_name="", contact_email="", contact_phone="", anonymised_at=now
        )


def _feedback_item(item: Feedback) -> dict[str, Any]:
    return {
        "reference": item.reference,
        "kind": item.get_kind_display(),
        "status": item.get_status_display(),
        "received": item.created_at.isoformat(),
        "ward": item.ward.name if item.ward else None,
        "contact_name": item.contact_name,
        "contact_email": item.contact_email,
        "contact_phone": item.contact_phone,
        "wants_reply": item.wants_reply,
        "what_they_told_us": item.description,
        "what_went_well": item.went_well,
        "what_could_be_better": item.could_be_better,
        "scores": {"treated": item.treated_score, "informed": item.informed_score, "overall": item.overall_score},
        # Both set by feedback_contact_export's queryset (a prefetch and an annotation).
        "replies": [{"sent": n.created_at.isoformat(), "text": n.text} for n in item.replies],  # type: ignore[attr-defined]
        "internal_staff_notes": item.staff_note_count,  # type: ignore[attr-defined]
    }


def feedback_contact_export(email: str) -> list[dict[str, Any]]:
    """Feedback that gave ``email`` as its contact, with its replies (internal notes counted)."""
    items = (
        Feedback.objects.filter(contact_email__iexact=email)
        .select_related("ward")
        .annotate(staff_note_count=Count("notes", filter=Q(notes__is_reply=False)))
        .prefetch_related(Prefetch("notes", queryset=FeedbackNote.objects.filter(is_reply=True), to_attr="replies"))
        .order_by("created_at", "pk")
    )
    return [_feedback_item(item) for item in items]


def feedback_contact_erase(email: str, *, by: AnyUser) -> int:
    """Anonymise every feedback item that gave ``email`` as its contact."""
    return _anonymise(Feedback.objects.filter(contact_email__iexact=email), timezone.now())


def feedback_contact_expire(now: datetime) -> int:
    """Anonymise feedback closed longer ago than PACT_RETENTION_FEEDBACK_CONTACT_DAYS."""
    cutoff = retention_cutoff("feedback_contact", now)
    return _anonymise(Feedback.objects.filter(status=Feedback.Status.CLOSED, closed_at__lt=cutoff), now)


def survey_export(email: str) -> list[dict[str, Any]]:
    """Nothing: survey answers are never linked to an address (see the source's description)."""
    return []


def survey_erase(email: str, *, by: AnyUser) -> int:
    return 0


def survey_expire(now: datetime) -> int:
    """Blank free text of surveys closed longer ago than PACT_RETENTION_SURVEY_TEXT_DAYS, and
    clear the repeat-submission keys of every closed survey; returns the rows changed."""
    cutoff = retention_cutoff("survey_text", now)
    texts = SurveyAnswer.objects.filter(response__survey__closes_at__lt=cutoff).exclude(text="")
    keys = SurveyResponse.objects.filter(survey__closes_at__lte=now).exclude(repeat_key="")
    return texts.update(text="") + keys.update(repeat_key="")


FEEDBACK_CONTACT = PersonalDataSource(
    name="feedback.contact",
    label=_("Feedback, compliments, complaints and suggestions"),
    description=_(
        "Feedback that gave this email address for a reply: what the person told us, their contact "
        "details and the replies emailed to them. Internal staff notes are counted, not included: review "
        "them in the feedback queue before disclosing them. Contact details and reply texts are removed "
        "a period after the item was closed (PACT_RETENTION_FEEDBACK_CONTACT_DAYS); the item and its "
        "scores are kept, anonymous, for statistics. Complaints also have a statutory record kept by "
        "professional standards outside PACT."
    ),
    export=feedback_contact_export,
    erase=feedback_contact_erase,
    expire=feedback_contact_expire,
)

SURVEYS = PersonalDataSource(
    name="feedback.surveys",
    label=_("Consultation survey answers"),
    description=_(
        "Survey answers are given without an account and are never linked to an email address or any "
        "other identifier, so none can be found for this address. Free-text answers are blanked a "
        "period after the survey closed (PACT_RETENTION_SURVEY_TEXT_DAYS) and the keys that block "
        "repeat answers are cleared when it closes. Equality monitoring answers are stored apart from "
        "everything else and cannot be linked to anyone."
    ),
    export=survey_export,
    erase=survey_erase,
    expire=survey_expire,
)


def register() -> None:
    """Declare the feedback app's sources (called from FeedbackConfig.ready())."""
    register_personal_data(FEEDBACK_CONTACT)
    register_personal_data(SURVEYS)
