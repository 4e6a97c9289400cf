"""Demo data for the team's own monthly update (issue 14): last month's words, as a team writes them.

Every team but one writes its update for last month (an overall message, and per priority
"you said / we did / what next") and its sergeant approves it, so `create_monthly_updates`
publishes the team's words with the month's facts. The first team (by slug, the demo
officer's) wrote its words but did not approve them: its update goes out generated, with a
line saying the team's report will follow, and its supervisors are reminded until the demo
sergeant approves it. Deterministic and re-runnable: a team with a draft for the month is left
alone.
"""

import datetime
import hashlib
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from priorities.models import MonthlyUpdate, MonthlyUpdateDraft
from priorities.selectors import updates as selectors
from priorities.services.updates import monthly_draft_prepare
from wards.models import NeighbourhoodTeam, Officer

OPENINGS = (
    "Thank you to everyone who came to the {meeting} and told us what matters in {wards}.",
    "It has been a busy month for {team}, and your reports made the difference.",
    "Thank you for the calls, emails and chats on patrol this month: they shaped where we went.",
)
CLOSINGS = (
    "Keep telling us what you see: every report helps us put patrols where they are needed.",
    "Come and see us at the next PACT meeting, or stop us for a chat when you see us out and about.",
    "If something is happening now, call 999; otherwise report online or on 101.",
)
SAID = (
    "You told us about {topic}, and it was the priority most of you voted for.",
    "Residents raised {topic} at the meeting and in reports to us.",
    "You said {topic} was making people feel unsafe.",
)
NEXT = (
    "We will keep patrolling at the times you told us about and report back next month.",
    "We are working with the council on a longer-term fix and will update you at the next meeting.",
    "We will review what has worked with the panel and keep going where it helps.",
)


def _rng(*parts: str) -> random.Random:
    return random.Random(hashlib.sha256("|".join(parts).encode()).hexdigest())  # noqa: S311 - demo data, not security


def _did(priority: dict[str, Any]) -> str:
    entries = priority["entries"]
    if not entries:
        return "We have started on this and will have more to tell you next month."
    first = entries[0]["text"].rstrip(".")
    more = len(entries) - 1
    tail = f", and {more} more action{'s' if more != 1 else ''} listed below" if more else ""
    return f"{first[0].upper()}{first[1:]}{tail}."


def demo_words(content: dict[str, Any], team_name: str) -> tuple[str, dict[str, dict[str, str]]]:
    """The team's overall message and notes for a month's facts, in a neighbourhood team's voice."""
    rng = _rng(team_name, content.get("month", ""))
    wards = [ward["name"] for ward in content.get("wards", [])]
    ward_list = ", ".join(wards[:-1]) + f" and {wards[-1]}" if len(wards) > 1 else "".join(wards) or "our wards"
    totals = content.get("totals", {})
    middle = (
        f"Between us and our partners we carried out {totals.get('actions', 0)} actions on the "
        f"{totals.get('priorities', 0)} priorities you set."
    )
    message = " ".join(
        (
            rng.choice(OPENINGS).format(meeting="PACT meeting", wards=ward_list, team=team_name),
            middle,
            rng.choice(CLOSINGS),
        )
    )
    notes = {}
    for ward in content.get("wards", []):
        for priority in ward["priorities"]:
            notes[str(priority["id"])] = {
                "said": rng.choice(SAID).format(topic=priority["title"].lower()),
                "did": _did(priority),
                "next": rng.choice(NEXT),
            }
    return message, notes


def _sergeant(team: NeighbourhoodTeam) -> Officer | None:
    return Officer.objects.filter(team=team, rank__in=Officer.SUPERVISOR_RANKS).order_by("rank", "pk").first()


def _write(draft: MonthlyUpdateDraft, *, approve: bool, loader) -> None:
    """The team's words on ``draft``, approved or not. Demo officers have no accounts to sign in
    with, so the words are set here as the team's (audited as the demo loader, naming the
    sergeant who would have approved) rather than through the signed-in services."""
    message, notes = demo_words(draft.content, draft.team.name)
    draft.message, draft.notes = message, notes
    fields = ["message", "notes", "updated_at"]
    if approve:
        draft.approved_by, draft.approved_at = loader, timezone.now()
        fields += ["approved_by", "approved_at"]
    draft.full_clean(exclude=["team", "approved_by"], validate_constraints=False)
    draft.save(update_fields=fields)
    sergeant = _sergeant(draft.team)
    audit_record(
        actor=loader,
        action="priorities.monthly_update.draft_approved" if approve else "priorities.monthly_update.draft_edited",
        target=draft,
        data={"demo": True, "team": draft.team_id, "for_sergeant": sergeant.pk if sergeant else None},
    )


def demo_monthly_words_create(*, loader, month: datetime.date | None = None) -> tuple[int, int]:
    """Write last month's words for every team that has no draft or update for it yet; approve
    all but the first team's. Returns (approved, left unapproved)."""
    month = month or selectors.month_before(timezone.now())
    done = set(MonthlyUpdateDraft.objects.filter(month=month).values_list("team_id", flat=True))
    done |= set(MonthlyUpdate.objects.filter(month=month).values_list("team_id", flat=True))
    approved = unapproved = 0
    teams = NeighbourhoodTeam.objects.filter(wards__isnull=False).distinct().order_by("slug")
    for number, team in enumerate(teams):
        if team.pk in done:
            continue
        with transaction.atomic():
            draft, _created = monthly_draft_prepare(team_id=team.pk, month=month)
            _write(draft, approve=number != 0, loader=loader)
        approved, unapproved = (approved + 1, unapproved) if number else (approved, unapproved + 1)
    return approved, unapproved
