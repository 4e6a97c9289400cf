"""Writes of equality monitoring: the answers given beside the feedback forms, and those of the
people taking part in PACT: panel members and meeting attendees answering online, and staff
typing in the paper forms handed in at a meeting.

Every answer goes through equality_record, so it is stored apart, dated by month and linked
to nothing but a district. Repeat answers from one browser are refused the way surveys
refuse them: only a keyed hash of a random token in a signed cookie is kept.
"""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.meetings import MeetingFacts
from core.roles import AnyUser, Role, has_role, is_administrator
from core.scopes import chaired_panel_ids, team_id_for
from feedback.errors import FeedbackError
from feedback.models import EqualityRepeatKey, EqualityResponse
from feedback.repeat import repeat_key
from wards.models import District, Ward

ERROR_NOTHING_ANSWERED = _("Answer at least one question. You can choose ‘Prefer not to say’.")
ERROR_ALREADY_ANSWERED = _("You have already answered these questions. Thank you.")
ERROR_MEETING_NOT_YET = _("You can answer these questions from the day of the meeting")
ERROR_MEETING_CLOSED = _("These questions were open until four weeks after the meeting")
ERROR_MEETING_CANCELLED = _("This meeting did not take place, so there is nothing to answer")
ERROR_NOT_ALLOWED = _("You cannot enter monitoring forms for this meeting")
ERROR_PAPER_TOO_EARLY = _("Monitoring forms can be entered once the meeting has started")
ERROR_PAPER_EMPTY = _("The form has no answers: nothing was saved. Enter the answers ticked on the paper form.")
ERROR_ROLE_INVALID = _("Select whether the person is a panel member or attended the meeting")

# Attendees may answer from the day of the meeting until four weeks after it: long enough to
# fill it in at home, short enough that an answer belongs to someone who was there.
ANSWER_DAYS_AFTER = 28
PAPER_ENTERED = "feedback.equality.paper_entered"
PARTICIPANT_CONTEXTS = (EqualityResponse.Context.MEETING_ATTENDEE, EqualityResponse.Context.PANEL_MEMBER)


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


def equality_repeat_key(*, scope: str, token: str) -> str:
    """The keyed hash kept for a browser's token and what it answered; blank without a token."""
    return repeat_key(f"equality:{scope}", token)


def meeting_answer_window_error(meeting: MeetingFacts, now: datetime.datetime | None = None) -> str | None:
    """Why attendees cannot answer for this meeting now, or None while they can."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        return str(ERROR_MEETING_CANCELLED)
    if timezone.localdate(now) < timezone.localdate(meeting.starts_at):
        return str(ERROR_MEETING_NOT_YET)
    if now > meeting.ends_at + datetime.timedelta(days=ANSWER_DAYS_AFTER):
        return str(ERROR_MEETING_CLOSED)
    return None


def _district(district_id: int | None) -> District | None:
    return District.objects.filter(pk=district_id).first() if district_id is not None else None


def equality_answer(
    *, context: str, district_id: int | None, answers: dict[str, Any], scope: str, token: str
) -> EqualityResponse:
    """Record one participant's own answers, once per browser for ``scope`` (a meeting or a panel).

    Rules: at least one question answered; the browser's token has not answered this scope
    before (the unique key holds under a double submit). The key and the answers are not linked.
    """
    if not any(answers.get(strand) for strand in EqualityResponse.STRANDS):
        raise FeedbackError(ERROR_NOTHING_ANSWERED)
    key = equality_repeat_key(scope=scope, token=token)
    if key and EqualityRepeatKey.objects.filter(key=key).exists():
        raise FeedbackError(ERROR_ALREADY_ANSWERED)
    try:
        with transaction.atomic():
            if key:
                EqualityRepeatKey.objects.create(key=key)
            response = equality_record(context=context, district=_district(district_id), answers=answers)
            if response is None:
                # Only unknown values were sent (the form offers none): keep nothing, not even the key.
                raise FeedbackError(ERROR_NOTHING_ANSWERED)
    except IntegrityError:
        # Two submissions raced past the check above: the unique key refused the second.
        raise FeedbackError(ERROR_ALREADY_ANSWERED) from None
    return response


def can_enter_paper_forms(user: AnyUser, meeting: MeetingFacts) -> bool:
    """Administrators; the chair of the panel whose meeting it is; an officer of a team that
    polices one of the meeting's wards."""
    if is_administrator(user):
        return True
    if meeting.panel_id is not None and meeting.panel_id in chaired_panel_ids(user):
        return True
    if not has_role(user, Role.OFFICER):
        return False
    team_id = team_id_for(user)
    return team_id is not None and Ward.objects.filter(team_id=team_id, pk__in=meeting.ward_ids).exists()


def equality_paper_enter(
    *, actor: User, meeting: MeetingFacts, context: str, answers: dict[str, Any]
) -> EqualityResponse:
    """Type in one paper monitoring form handed in at a meeting.

    Rules: the actor may run the meeting (can_enter_paper_forms); it has started and was not
    cancelled; the person was a panel member or an attendee; the form has an answer. The
    audit says who entered a form for which meeting, never the answers.
    """
    if not can_enter_paper_forms(actor, meeting):
        raise FeedbackError(ERROR_NOT_ALLOWED)
    if meeting.is_cancelled:
        raise FeedbackError(ERROR_MEETING_CANCELLED)
    if meeting.starts_at > timezone.now():
        raise FeedbackError(ERROR_PAPER_TOO_EARLY)
    if context not in PARTICIPANT_CONTEXTS:
        raise FeedbackError(ERROR_ROLE_INVALID)
    with transaction.atomic():
        response = equality_record(context=context, district=_district(meeting.district_id), answers=answers)
        if response is None:
            raise FeedbackError(ERROR_PAPER_EMPTY)
        audit_record(actor=actor, action=PAPER_ENTERED, data={"meeting": meeting.pk, "context": context})
    return response


def equality_report_exported(*, actor: User, group: str) -> None:
    """Audit that an administrator took the (aggregate, protected) figures away as CSV."""
    audit_record(actor=actor, action="feedback.equality.exported", data={"group": group})
