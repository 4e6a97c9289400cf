"""Writes of concerns: raised by residents, recorded by staff, then moderated.

A concern is public only once moderated (accepted, shortlisted or adopted). Its contact
email is personal data: it never reaches a public page and is masked in the audit trail.
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.references import insert_with_unique, readable_code
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import Ballot, BallotOption, Category, Concern, ConcernEvent, Event, Panel
from priorities.scopes import can_run_ward
from priorities.services.concern_follow import concern_follow_start
from wards.models import Ward

ERROR_NOT_ALLOWED = _("You cannot moderate or record concerns for this ward")
ERROR_STAFF_SOURCE = _("Choose where the concern was raised: at a PACT meeting, at a surgery or by a partner agency")
ERROR_EVENT_OTHER_WARD = _("Choose a meeting or surgery held for this ward")
ERROR_ACCEPT_STATE = _("Only a concern awaiting moderation can be accepted")
ERROR_SHORTLIST_STATE = _("A concern that has been adopted, merged or not taken forward cannot be shortlisted")
ERROR_SHORTLIST_MEETING = _("Choose a scheduled or held PACT meeting of a panel that serves this ward")
ERROR_ALREADY_SHORTLISTED = _("The concern is already shortlisted for that meeting")
ERROR_REJECT_STATE = _("A concern that has been adopted, merged or already not taken forward cannot be rejected")
ERROR_REASON_REQUIRED = _("Enter why the concern is not taken forward")
ERROR_REASON_TOO_LONG = _("The reason must be 300 characters or fewer")
ERROR_ON_OPEN_BALLOT = _(
    "This concern is an option on an open ballot: remove it from the ballot before the first vote, "
    "or cancel the ballot, first"
)
ERROR_MERGE_STATE = _("A concern that has been adopted, merged or not taken forward cannot be merged")
ERROR_MERGE_SELF = _("A concern cannot be merged into itself")
ERROR_MERGE_TARGET = _("Choose a concern of the same ward that has not been merged or rejected")
ERROR_DESCRIPTION_REQUIRED = _("Enter a description of the concern")
ERROR_DESCRIPTION_TOO_LONG = _("Description must be 2000 characters or fewer")
ERROR_LOCATION_TOO_LONG = _("Location must be 200 characters or fewer")
ERROR_FOLLOW_NEEDS_EMAIL = _("Enter your email address if you would like to be told what happens to your concern")
ERROR_NO_REFERENCE = _("A reference could not be given to the concern. Try again.")
ERROR_PUBLIC_TEXT_REQUIRED = _("Enter the text to publish")
ERROR_PUBLIC_TEXT_TOO_LONG = _("The text to publish must be 2000 characters or fewer")
ERROR_NOTE_REQUIRED = _("Tell the resident why their words were changed before publishing")
ERROR_NOTE_TOO_LONG = _("The note to the resident must be 300 characters or fewer")

REFERENCE_PREFIX = "PACT-"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 5
REASON_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 2000
LOCATION_MAX_LENGTH = 200
STAFF_SOURCES = (Concern.Source.MEETING, Concern.Source.SURGERY, Concern.Source.PARTNER)
# Staff may also raise a concern from a consultation survey's free-text answer (core.intake).
RECORDED_SOURCES = (*STAFF_SOURCES, Concern.Source.SURVEY)

_S = Concern.Status
_OPEN_STATES = (_S.RECEIVED, _S.ACCEPTED, _S.SHORTLISTED)


def concern_reference_new() -> str:
    """A fresh random reference such as PACT-7KQ2MX (collisions are handled by the caller)."""
    return REFERENCE_PREFIX + readable_code(REFERENCE_LENGTH)


def _insert_with_reference(concern: Concern) -> Concern:
    """Save a new concern under a unique reference (core.references)."""
    if not insert_with_unique(concern, field="reference", draw=concern_reference_new, attempts=REFERENCE_ATTEMPTS):
        raise PrioritiesError(ERROR_NO_REFERENCE)
    return concern


def concern_history_add(*, concern: Concern | int, kind: str, **fields: Any) -> ConcernEvent:
    """Add a step to a concern's public history (the status page and follow-up emails read it).

    ``concern``: the concern or its id (a priority's concern need not be loaded to be told).
    """
    event = ConcernEvent(kind=kind, **fields)
    if isinstance(concern, Concern):
        event.concern = concern
    else:
        event.concern_id = concern
    event.full_clean(exclude=["concern", "meeting", "priority", "ballot", "merged_into", "progress"])
    event.save()
    return event


def _check_text(description: str, location_text: str) -> None:
    # The model's TextField does not enforce its max_length, so the service does.
    if not description.strip():
        raise PrioritiesError(ERROR_DESCRIPTION_REQUIRED)
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise PrioritiesError(ERROR_DESCRIPTION_TOO_LONG)
    if len(location_text) > LOCATION_MAX_LENGTH:
        raise PrioritiesError(ERROR_LOCATION_TOO_LONG)


def concern_raise(
    *,
    ward: Ward,
    category: Category,
    description: str,
    location_text: str = "",
    contact_email: str = "",
    follow_by_email: bool = False,
) -> Concern:
    """Record a concern a resident raised online; it awaits moderation before anyone sees it.

    ``follow_by_email``: the resident asked to be emailed as it moves (needs an address; the
    first email is held until the address is confirmed, see priorities.services.concern_follow).
    """
    _check_text(description, location_text)
    if follow_by_email and not contact_email:
        raise PrioritiesError(ERROR_FOLLOW_NEEDS_EMAIL)
    concern = Concern(
        follow_by_email=follow_by_email,
        ward=ward,
        category=category,
        description=description,
        location_text=location_text,
        contact_email=contact_email,
        source=Concern.Source.ONLINE,
        status=Concern.Status.RECEIVED,
    )
    with transaction.atomic():
        _insert_with_reference(concern)
        concern_history_add(concern=concern, kind=ConcernEvent.Kind.RECEIVED)
        concern_follow_start(concern=concern)
    return concern


def concern_record(
    *,
    actor: AnyUser,
    ward: Ward,
    category: Category,
    description: str,
    source: str,
    location_text: str = "",
    contact_email: str = "",
    raised_at_event: Event | None = None,
) -> Concern:
    """Record a concern raised at a meeting, a surgery, by a partner or in a survey: only staff who
    run the ward."""
    if not can_run_ward(actor, ward):
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    if source not in RECORDED_SOURCES:
        raise PrioritiesError(ERROR_STAFF_SOURCE)
    _check_text(description, location_text)
    if raised_at_event is not None and not raised_at_event.wards.filter(pk=ward.pk).exists():
        raise PrioritiesError(ERROR_EVENT_OTHER_WARD)
    concern = Concern(
        ward=ward,
        category=category,
        description=description,
        location_text=location_text,
        contact_email=contact_email,
        source=source,
        raised_at_event=raised_at_event,
        raised_by=actor if isinstance(actor, User) else None,
    )
    with transaction.atomic():
        _insert_with_reference(concern)
        concern_history_add(concern=concern, kind=ConcernEvent.Kind.RECEIVED)
        after = {"status": concern.status, "source": source, "ward": ward.code, "contact_email": contact_email}
        audit_record(actor=actor, action="priorities.concern.recorded", target=concern, data={"after": after})
    return concern


def _check_can_moderate(actor: AnyUser, concern: Concern) -> None:
    if not can_run_ward(actor, concern.ward):
        raise PrioritiesError(ERROR_NOT_ALLOWED)


def _moderate(
    *,
    actor: AnyUser,
    concern: Concern,
    verb: str,
    fields: dict[str, Any],
    extra: dict[str, Any] | None = None,
    step: dict[str, Any] | None = None,
) -> Concern:
    """Apply ``fields`` to ``concern`` as a moderation by ``actor``, and audit it with before/after status."""
    before = {"status": concern.status}
    for name, value in fields.items():
        setattr(concern, name, value)
    concern.moderated_at = timezone.now()
    concern.moderated_by = actor if isinstance(actor, User) else None
    with transaction.atomic():
        concern.full_clean()
        concern.save(update_fields=[*fields, "moderated_at", "moderated_by"])
        concern_history_add(concern=concern, kind=verb, happened_at=concern.moderated_at, **(step or {}))
        after = {"status": concern.status, **(extra or {})}
        audit_record(
            actor=actor, action=f"priorities.concern.{verb}", target=concern, data={"before": before, "after": after}
        )
    return concern


def _published_changes(concern: Concern, public_text: str, location: str) -> dict[str, Any]:
    """The fields that publishing ``concern`` as ``public_text`` at ``location`` changes, with the
    resident's own words kept beside them."""
    fields: dict[str, Any] = {}
    if public_text != concern.description.strip():
        fields |= {"description": public_text, "original_description": concern.description}
    if location != concern.location_text.strip():
        fields |= {"location_text": location, "original_location_text": concern.location_text}
    return fields


def _publishing(
    concern: Concern, public_text: str | None, public_location: str | None, note: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields, and what the audit and the resident's step record, of publishing ``concern``
    as ``public_text`` and ``public_location`` (None: as the resident wrote it).

    The moderator confirms the text (core.text_checks proposes a redaction of personal data);
    when it differs from the resident's words, those are kept privately and the resident is
    told why in the moderator's ``note``. The audit says the text changed, never what it said.
    """
    if concern.status != Concern.Status.RECEIVED or public_text is None:
        return {}, {}
    public_text, note = public_text.strip().replace("\r\n", "\n"), (note or "").strip()
    location = concern.location_text.strip() if public_location is None else public_location.strip()
    if not public_text:
        raise PrioritiesError(ERROR_PUBLIC_TEXT_REQUIRED)
    if len(public_text) > DESCRIPTION_MAX_LENGTH:
        raise PrioritiesError(ERROR_PUBLIC_TEXT_TOO_LONG)
    if len(location) > LOCATION_MAX_LENGTH:
        raise PrioritiesError(ERROR_LOCATION_TOO_LONG)
    fields = _published_changes(concern, public_text, location)
    if not fields:
        return {}, {"text_changed": False}
    if not note:
        raise PrioritiesError(ERROR_NOTE_REQUIRED)
    if len(note) > NOTE_MAX_LENGTH:
        raise PrioritiesError(ERROR_NOTE_TOO_LONG)
    return fields, {"text_changed": True, "note": note}


def concern_accept(
    *,
    actor: AnyUser,
    concern: Concern,
    public_text: str | None = None,
    public_location: str | None = None,
    note: str = "",
) -> Concern:
    """Publish a concern awaiting moderation without shortlisting it, as ``public_text`` if given
    (see _publishing: a redaction the moderator confirmed, and the note that tells the resident why)."""
    _check_can_moderate(actor, concern)
    if concern.status != Concern.Status.RECEIVED:
        raise PrioritiesError(ERROR_ACCEPT_STATE)
    text_fields, told = _publishing(concern, public_text, public_location, note)
    return _moderate(
        actor=actor,
        concern=concern,
        verb="accepted",
        fields={"status": Concern.Status.ACCEPTED, **text_fields},
        extra=told,
        step={"text": told["note"]} if told.get("note") else None,
    )


def concern_meeting_is_eligible(*, concern: Concern, meeting: Event) -> bool:
    """A concern may be shortlisted for a scheduled or held PACT meeting of a panel serving its ward."""
    return (
        meeting.kind == Event.Kind.PACT_MEETING
        and meeting.status in (Event.Status.SCHEDULED, Event.Status.HELD)
        and meeting.panel_id is not None
        and Panel.objects.filter(pk=meeting.panel_id, wards=concern.ward_id).exists()
    )


def concern_shortlist(
    *,
    actor: AnyUser,
    concern: Concern,
    meeting: Event,
    public_text: str | None = None,
    public_location: str | None = None,
    note: str = "",
) -> Concern:
    """Shortlist a concern for a PACT meeting (publishing it, as ``public_text`` if it awaited
    moderation: see _publishing); one still open may move to another meeting."""
    _check_can_moderate(actor, concern)
    if concern.status not in _OPEN_STATES:
        raise PrioritiesError(ERROR_SHORTLIST_STATE)
    if concern.status == Concern.Status.SHORTLISTED and concern.shortlisted_for_id == meeting.pk:
        raise PrioritiesError(ERROR_ALREADY_SHORTLISTED)
    if not concern_meeting_is_eligible(concern=concern, meeting=meeting):
        raise PrioritiesError(ERROR_SHORTLIST_MEETING)
    text_fields, told = _publishing(concern, public_text, public_location, note)
    fields = {"status": Concern.Status.SHORTLISTED, "shortlisted_for": meeting, **text_fields}
    return _moderate(
        actor=actor,
        concern=concern,
        verb="shortlisted",
        fields=fields,
        extra={"meeting": meeting.pk, **told},
        step={"meeting": meeting, **({"text": told["note"]} if told.get("note") else {})},
    )


def _check_not_on_open_ballot(concern: Concern) -> None:
    # Closing a ballot adopts the winning option's concern: one taken off the table while the
    # panel is voting on it would be adopted all the same, or leave the vote meaningless.
    if BallotOption.objects.filter(concern=concern, ballot__status=Ballot.Status.OPEN).exists():
        raise PrioritiesError(ERROR_ON_OPEN_BALLOT)


def concern_reject(*, actor: AnyUser, concern: Concern, reason: str) -> Concern:
    """Decide a concern is not taken forward, with a reason (required, at most 300 characters)."""
    _check_can_moderate(actor, concern)
    if concern.status not in _OPEN_STATES:
        raise PrioritiesError(ERROR_REJECT_STATE)
    _check_not_on_open_ballot(concern)
    reason = (reason or "").strip()
    if not reason:
        raise PrioritiesError(ERROR_REASON_REQUIRED)
    if len(reason) > REASON_MAX_LENGTH:
        raise PrioritiesError(ERROR_REASON_TOO_LONG)
    fields = {"status": Concern.Status.REJECTED, "rejection_reason": reason, "shortlisted_for": None}
    return _moderate(
        actor=actor, concern=concern, verb="rejected", fields=fields, extra={"reason": reason}, step={"text": reason}
    )


def concern_merge(*, actor: AnyUser, concern: Concern, into: Concern) -> Concern:
    """Merge a duplicate into another concern of the same ward, which keeps its own status.

    Concerns merged earlier into this one now point at ``into`` too, so no chain ever forms
    and every merged concern names the one that carries it.
    """
    _check_can_moderate(actor, concern)
    if concern.status not in _OPEN_STATES:
        raise PrioritiesError(ERROR_MERGE_STATE)
    _check_not_on_open_ballot(concern)
    if into.pk == concern.pk:
        raise PrioritiesError(ERROR_MERGE_SELF)
    if into.ward_id != concern.ward_id or into.status in (Concern.Status.MERGED, Concern.Status.REJECTED):
        raise PrioritiesError(ERROR_MERGE_TARGET)
    with transaction.atomic():
        earlier = list(Concern.objects.filter(merged_into=concern))
        Concern.objects.filter(merged_into=concern).update(merged_into=into)
        for moved in earlier:
            concern_history_add(concern=moved, kind=ConcernEvent.Kind.MERGED, merged_into=into)
        fields = {"status": Concern.Status.MERGED, "merged_into": into, "shortlisted_for": None}
        extra = {"merged_into": into.reference, "also_moved": [moved.reference for moved in earlier]}
        return _moderate(
            actor=actor, concern=concern, verb="merged", fields=fields, extra=extra, step={"merged_into": into}
        )
