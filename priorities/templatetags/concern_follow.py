"""A step of a concern's history in plain words, for the follow-up emails (text, no links)."""

from django import template
from django.utils import timezone

from priorities.models import ConcernEvent

register = template.Library()

_K = ConcernEvent.Kind


@register.filter
def full_stop(text: str) -> str:
    """The full stop after ``text`` ending a sentence, unless it ends one already (a priority's
    title is often a concern's first sentence)."""
    return "" if text[-1:] in (".", "!", "?", "…") else "."


@register.filter
def step_words(step: ConcernEvent) -> str:
    """What happened at ``step``, as the resident reads it in an email."""
    meeting = f" at {step.meeting.title}" if step.meeting_id and step.meeting else ""
    title = step.priority.title if step.priority else ""
    words = {
        _K.RECEIVED: "received by the neighbourhood team.",
        _K.ACCEPTED: "accepted and published on the ward's list of concerns.",
        _K.SHORTLISTED: (
            f"shortlisted for the PACT meeting{meeting} on {timezone.localtime(step.meeting.starts_at):%A %-d %B %Y}."
            if step.meeting
            else "shortlisted for a PACT meeting."
        ),
        _K.ON_AGENDA: f"on the published agenda of the PACT meeting{meeting}: see it, and support it before "
        "the meeting, on the meeting's page.",
        _K.ADOPTED: f"chosen by the panel's vote{meeting}: it is now a priority, “{title}”{full_stop(title)}",
        _K.NOT_CHOSEN: f"not chosen at the panel's vote{meeting}: it received {step.votes} vote"
        f"{'' if step.votes == 1 else 's'}.",
        _K.MERGED: "joined with another concern about the same thing, which carries it from here.",
        _K.REJECTED: f"not taken forward. The team's reason: “{step.text}”",
        _K.PROGRESS: f"progress on the priority: {step.progress.text if step.progress else ''}",
        _K.RESOLVED: f"resolved. What was achieved: {step.text}",
        _K.CLOSED: f"the priority was closed when the panel reviewed the ward's priorities. {step.text}",
    }
    said = words.get(step.kind, step.get_kind_display())
    if step.kind in (_K.ACCEPTED, _K.SHORTLISTED) and step.text:
        # The moderator changed the resident's words before publishing, and says why.
        said += f" Before publishing it, the team changed your words: “{step.text}”"
    return said
