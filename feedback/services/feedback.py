"""Writes of feedback: compliments, complaints, suggestions and feedback after a visit, and
their triage by staff."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.emails import email_queue
from core.recipients import EmailRefused, email_queue_for_resident
from core.references import insert_with_unique, readable_code
from core.roles import AnyUser, Role, has_role, is_administrator
from core.scopes import managed_ward_ids_for, team_id_for
from feedback.errors import FeedbackError
from feedback.models import Feedback, FeedbackNote
from wards.models import NeighbourhoodTeam, Officer, Ward

ERROR_NOT_ALLOWED = _("You cannot handle this feedback")
ERROR_NO_REFERENCE = _("A reference could not be given to your feedback. Try again.")
ERROR_TEXT_REQUIRED = _("Enter the text")
ERROR_TEXT_TOO_LONG = _("The text must be 5000 characters or fewer")
ERROR_NO_EMAIL = _("The person left no email address, so a reply cannot be emailed")
ERROR_STATUS_INVALID = _("Choose a status from the list")
ERROR_CONTACT_REQUIRED = _("Give a name and an email address or phone number to get a reply")
ERROR_OFFICER_NOT_IN_TEAM = _("%(officer)s is not an officer of the %(team)s team")
ERROR_OFFICER_UNKNOWN = _("There is no officer with collar number %(number)s")
# What waits for a resident's address until they confirm it (core.recipients).
PURPOSE_ACKNOWLEDGE = _("a copy of the reference of what you sent us, and any reply")
PURPOSE_REPLY = _("our reply to what you sent us")

REFERENCE_PREFIX = "FB-"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5
TEXT_MAX_LENGTH = 5000
DUE_WITHIN = timedelta(days=1)

_STATUS_STAMPS: dict[str, str] = {
    Feedback.Status.ACKNOWLEDGED: "acknowledged_at",
    Feedback.Status.RESPONDED: "responded_at",
    Feedback.Status.CLOSED: "closed_at",
}


def feedback_reference_new() -> str:
    """A fresh random reference such as FB-7KQ2MX (collisions are handled by the caller)."""
    return REFERENCE_PREFIX + readable_code(REFERENCE_LENGTH)


def _insert_with_reference(feedback: Feedback) -> Feedback:
    """Save new feedback under a unique reference (core.references)."""
    if not insert_with_unique(feedback, field="reference", draw=feedback_reference_new, attempts=REFERENCE_ATTEMPTS):
        raise FeedbackError(ERROR_NO_REFERENCE)
    return feedback


def feedback_respond_by(kind: str, now: datetime | None = None) -> datetime:
    """The response-time target of a kind of feedback (settings.PACT_FEEDBACK_RESPONSE_DAYS)."""
    return (now or timezone.now()) + timedelta(days=settings.PACT_FEEDBACK_RESPONSE_DAYS[kind])


def feedback_give(
    *, kind: str, ward: Ward | None = None, team: NeighbourhoodTeam | None = None, **answers: Any
) -> Feedback:
    """Record what a resident told us, with a reference and the response-time target of its kind.

    The team is the ward's, or the one whose page they came from. A complaint is not given the
    team it is about: professional standards handle it. An acknowledgement is emailed when the
    person left an email address, and a compliment naming an officer is passed on to them.
    """
    if answers.get("wants_reply") and not (
        answers.get("contact_name") and (answers.get("contact_email") or answers.get("contact_phone"))
    ):
        raise FeedbackError(ERROR_CONTACT_REQUIRED)
    officer = answers.get("officer")
    if officer is not None and team is not None and officer.team_id != team.pk:
        raise FeedbackError(ERROR_OFFICER_NOT_IN_TEAM % {"officer": officer, "team": team.name})
    about = ward.team if ward is not None else team
    feedback = Feedback(
        kind=kind,
        ward=ward,
        team=None if kind == Feedback.Kind.COMPLAINT else about,
        respond_by=feedback_respond_by(kind),
        **answers,
    )
    with transaction.atomic():
        _insert_with_reference(feedback)
        if feedback.contact_email:
            # Held until the address is confirmed; over the address's daily cap nothing is kept.
            try:
                email_queue_for_resident(
                    key=f"feedback-acknowledge-{feedback.reference}",
                    to=feedback.contact_email,
                    template="feedback_acknowledge",
                    context={"feedback": feedback},
                    purpose=str(PURPOSE_ACKNOWLEDGE),
                )
            except EmailRefused as refused:
                raise FeedbackError(str(refused)) from refused
        _compliment_pass_on(feedback)
    return feedback


def _officer_address(officer: Officer) -> str:
    if officer.email:
        return officer.email
    user = officer.user
    return user.email if user is not None else ""


def _compliment_pass_on(feedback: Feedback) -> bool:
    """Email a compliment to the officer it names, once per officer; never the person's details."""
    officer = feedback.officer
    if feedback.kind != Feedback.Kind.COMPLIMENT or officer is None:
        return False
    address = _officer_address(officer)
    if not address:
        return False
    queued = email_queue(
        key=f"feedback-compliment-{feedback.reference}-{officer.pk}",
        to=address,
        template="feedback_compliment",
        context={
            "feedback": feedback,
            "officer": officer,
            "url": settings.PACT_SITE_URL + reverse("feedback:staff_detail", args=[feedback.reference]),
        },
    )
    return queued is not None


def is_about_an_officer(feedback: Feedback) -> bool:
    """Feedback other than a compliment that names an officer: it goes to the officer's supervisors
    and professional standards, never to the officer it is about."""
    return feedback.officer_id is not None and feedback.kind != Feedback.Kind.COMPLIMENT


def _supervises(user: AnyUser, officer: Officer | None) -> bool:
    own = getattr(user, "officer", None)
    return (
        own is not None
        and officer is not None
        and own.pk != officer.pk
        and own.team_id == officer.team_id
        and own.rank in Officer.SUPERVISOR_RANKS
    )


def can_handle_feedback(user: AnyUser, feedback: Feedback) -> bool:
    """Complaints: professional standards and administrators only, never the team they are about.
    Other feedback about a named officer: professional standards and that officer's supervisors.
    Other feedback: administrators, the officers of the ward's (or named) team, and the officer
    a compliment names."""
    if is_administrator(user):
        return True
    if feedback.kind == Feedback.Kind.COMPLAINT:
        return has_role(user, Role.PROFESSIONAL_STANDARDS)
    if is_about_an_officer(feedback):
        if has_role(user, Role.PROFESSIONAL_STANDARDS):
            return True
        return has_role(user, Role.OFFICER) and _supervises(user, feedback.officer)
    if not has_role(user, Role.OFFICER):
        return False
    if feedback.officer_id is not None and feedback.officer_id == getattr(getattr(user, "officer", None), "pk", None):
        return True
    if feedback.ward_id is None:
        return feedback.team_id is not None and feedback.team_id == team_id_for(user)
    return feedback.ward_id in (managed_ward_ids_for(user) or ())


def _check(actor: AnyUser, feedback: Feedback) -> None:
    if not can_handle_feedback(actor, feedback):
        raise FeedbackError(ERROR_NOT_ALLOWED)


def _check_text(text: str) -> None:
    if not text.strip():
        raise FeedbackError(ERROR_TEXT_REQUIRED)
    if len(text) > TEXT_MAX_LENGTH:
        raise FeedbackError(ERROR_TEXT_TOO_LONG)


def feedback_assign(*, actor: User, feedback: Feedback) -> Feedback:
    """Take ownership of a feedback item: only someone who may handle it."""
    _check(actor, feedback)
    before = feedback.assigned_to_id
    with transaction.atomic():
        feedback.assigned_to = actor
        feedback.full_clean()
        feedback.save(update_fields=["assigned_to"])
        audit_record(
            actor=actor,
            action="feedback.feedback.assign",
            target=feedback,
            data={"before": before, "after": actor.pk},
        )
    return feedback


def _set_status(feedback: Feedback, status: str) -> None:
    feedback.status = status
    stamp = _STATUS_STAMPS.get(status)
    if stamp and getattr(feedback, stamp) is None:
        setattr(feedback, stamp, timezone.now())


def feedback_status_set(*, actor: User, feedback: Feedback, status: str) -> Feedback:
    """Move a feedback item through received, acknowledged, responded and closed, stamping each."""
    _check(actor, feedback)
    if status not in Feedback.Status.values:
        raise FeedbackError(ERROR_STATUS_INVALID)
    before = feedback.status
    with transaction.atomic():
        _set_status(feedback, status)
        feedback.full_clean()
        feedback.save()
        audit_record(
            actor=actor, action="feedback.feedback.status", target=feedback, data={"before": before, "after": status}
        )
    return feedback


def feedback_note_add(*, actor: User, feedback: Feedback, text: str) -> FeedbackNote:
    """Add a staff note to a feedback item (never shown to the person)."""
    _check(actor, feedback)
    _check_text(text)
    with transaction.atomic():
        note = FeedbackNote(feedback=feedback, author=actor, text=text)
        note.full_clean()
        note.save()
        audit_record(actor=actor, action="feedback.note.add", target=feedback, data={"note": note.pk})
    return note


def feedback_reply(*, actor: User, feedback: Feedback, text: str) -> FeedbackNote:
    """Email a reply to the person from the system, kept as a note; the item becomes responded.

    Only possible when they left an email address.
    """
    _check(actor, feedback)
    _check_text(text)
    if not feedback.contact_email:
        raise FeedbackError(ERROR_NO_EMAIL)
    before = feedback.status
    with transaction.atomic():
        note = FeedbackNote(feedback=feedback, author=actor, text=text, is_reply=True)
        note.full_clean()
        note.save()
        if feedback.status in (Feedback.Status.RECEIVED, Feedback.Status.ACKNOWLEDGED):
            _set_status(feedback, Feedback.Status.RESPONDED)
            feedback.save()
        # Staff reply: never refused, but held until the person has confirmed their address.
        email_queue_for_resident(
            key=f"feedback-reply-{note.pk}",
            to=feedback.contact_email,
            template="feedback_reply",
            context={"feedback": feedback, "text": text},
            purpose=str(PURPOSE_REPLY),
            counted=False,
        )
        audit_record(
            actor=actor,
            action="feedback.feedback.reply",
            target=feedback,
            data={"before": before, "after": feedback.status, "note": note.pk},
        )
    return note


def feedback_officer_set(*, actor: User, feedback: Feedback, collar_number: str) -> Feedback:
    """Record which officer an item is about, by collar number; a compliment is then passed on.

    Outside complaints the officer must belong to the item's team (the ward's, or the one named).
    """
    _check(actor, feedback)
    officer = Officer.objects.select_related("user", "team").filter(collar_number=collar_number.strip()).first()
    if officer is None:
        raise FeedbackError(ERROR_OFFICER_UNKNOWN % {"number": collar_number.strip()})
    team_id = feedback.team_id or (feedback.ward.team_id if feedback.ward is not None else None)
    if feedback.kind != Feedback.Kind.COMPLAINT and team_id is not None and officer.team_id != team_id:
        team = NeighbourhoodTeam.objects.get(pk=team_id)
        raise FeedbackError(ERROR_OFFICER_NOT_IN_TEAM % {"officer": officer, "team": team.name})
    before = feedback.officer_id
    with transaction.atomic():
        feedback.officer = officer
        feedback.full_clean()
        feedback.save(update_fields=["officer"])
        audit_record(
            actor=actor,
            action="feedback.feedback.officer",
            target=feedback,
            data={"before": before, "after": officer.pk},
        )
        _compliment_pass_on(feedback)
    return feedback


def feedback_due_remind(*, now: datetime | None = None) -> int:
    """Email each owner the items they hold that reach their response-time target within a day
    and have not been responded to, and each team's supervisors the items past their target
    that no one holds; once per person and day. Returns the number of emails queued."""
    now = now or timezone.now()
    due = (
        Feedback.objects.filter(
            status__in=(Feedback.Status.RECEIVED, Feedback.Status.ACKNOWLEDGED),
            respond_by__lte=now + DUE_WITHIN,
            assigned_to__isnull=False,
        )
        .exclude(assigned_to__email="")
        .select_related("assigned_to")
        .order_by("respond_by")
    )
    owners: dict[User, list[Feedback]] = {}
    for item in due:
        if item.assigned_to is not None:
            owners.setdefault(item.assigned_to, []).append(item)
    queued = 0
    day = timezone.localdate(now).isoformat()
    url = settings.PACT_SITE_URL + reverse("feedback:staff_queue")
    for owner, items in owners.items():
        context = {"owner": owner, "items": items, "url": url}
        if email_queue(key=f"feedback-due-{owner.pk}-{day}", to=owner.email, template="feedback_due", context=context):
            queued += 1
    return queued + _unassigned_overdue_remind(now=now, day=day, url=url)


def _unassigned_overdue_remind(*, now: datetime, day: str, url: str) -> int:
    """Email the sergeants and inspectors of each team its items past their target that no one
    holds; once per supervisor and day. (Complaints have no team: professional standards'.)"""
    overdue = (
        Feedback.objects.filter(
            status__in=(Feedback.Status.RECEIVED, Feedback.Status.ACKNOWLEDGED),
            respond_by__lte=now,
            assigned_to__isnull=True,
            team__isnull=False,
        )
        .exclude(kind=Feedback.Kind.COMPLAINT)
        .order_by("respond_by")
    )
    by_team: dict[int, list[Feedback]] = {}
    for item in overdue:
        if item.team_id is not None:
            by_team.setdefault(item.team_id, []).append(item)
    if not by_team:
        return 0
    supervisors = (
        Officer.objects.filter(team_id__in=by_team, rank__in=Officer.SUPERVISOR_RANKS, user__isnull=False)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    queued = 0
    for supervisor in supervisors:
        user = supervisor.user
        if user is None or supervisor.team_id is None:
            continue
        context = {"owner": user, "items": by_team[supervisor.team_id], "url": url}
        key = f"feedback-unassigned-{user.pk}-{day}"
        if email_queue(key=key, to=user.email, template="feedback_unassigned", context=context):
            queued += 1
    return queued
