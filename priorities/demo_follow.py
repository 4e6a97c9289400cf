"""Demo concerns that residents follow (issue 13): every state a concern can be in, each with
its follow code and status page, and some answers to "How did we do?".

For each ward, four concerns raised online: one awaiting moderation, one accepted, one not
taken forward (with the team's reason) and one merged into the accepted one; the ballot's
shortlisted, adopted and not-chosen concerns are already there (priorities.demo). In about a
third of the wards one priority that came from a concern is resolved. Some of the ended
concerns are answered, through the same services a resident's answer goes through, so the
feedback queue and the satisfaction report have something to show. Deterministic, and
re-running adds nothing.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from priorities.demo import CONCERNS, _loader, _rng
from priorities.models import Category, Concern, Priority
from priorities.services import concern_satisfaction, concerns, priorities
from wards.models import Ward

REJECTIONS = (
    "This is for the council's environmental team: we have passed it to them and they will reply.",
    "This is a single incident that has been reported as a crime; it is being investigated.",
    "This is on private land: the landlord has been told and will deal with it.",
)
OUTCOMES = (
    "Patrols at the times residents named, and no reports there for eight weeks.",
    "Two people were dealt with and the council fixed the lighting; reports have stopped.",
    "Speed checks every week with Community Speedwatch; average speeds are down by 6 mph.",
)
COMMENTS = (
    "",
    "",
    "Thank you for keeping me told.",
    "It took a long time, but it is better now.",
    "Still happens at weekends.",
)


@dataclass
class FollowResult:
    concerns: int = 0
    resolved: int = 0
    answers: int = 0


def _answer(concern: Concern, rng, scores: tuple[int, ...], fixes: tuple[str, ...], result: FollowResult) -> None:
    concern_satisfaction.concern_satisfaction_give(
        concern=concern, score=rng.choice(scores), fixed=rng.choice(fixes), comment=rng.choice(COMMENTS)
    )
    result.answers += 1


def _ward_concerns(loader: User, ward: Ward, categories: dict[str, Category], result: FollowResult) -> None:
    rng = _rng(ward.code, "follow")
    raised = [
        concerns.concern_raise(ward=ward, category=categories[slug], description=description)
        for slug, _title, description in rng.sample(CONCERNS, 4)
    ]
    _received, accepted, rejected, merged = raised
    concerns.concern_accept(actor=loader, concern=accepted)
    concerns.concern_reject(actor=loader, concern=rejected, reason=rng.choice(REJECTIONS))
    concerns.concern_merge(actor=loader, concern=merged, into=accepted)
    result.concerns += len(raised)
    if rng.random() < 0.5:
        _answer(rejected, rng, (1, 2, 2, 3, 3, 4), ("no", "no", "partly"), result)
    priority = (
        ward.priorities.filter(status__in=Priority.ACTIVE_STATUSES, concern__isnull=False)
        .select_related("concern")
        .order_by("slot")
        .first()
    )
    if priority is not None and rng.random() < 1 / 3:
        priorities.priority_resolve(actor=loader, priority=priority, outcome=rng.choice(OUTCOMES))
        result.resolved += 1
        if rng.random() < 0.7:
            _answer(priority.concern, rng, (3, 4, 4, 5, 5), ("yes", "yes", "partly"), result)


def demo_concern_follow_create() -> FollowResult:
    """Create the followed concerns of every ward that has none raised online yet."""
    result = FollowResult()
    loader = _loader()
    categories = {category.slug: category for category in Category.objects.all()}
    online = set(Concern.objects.filter(source=Concern.Source.ONLINE).values_list("ward_id", flat=True))
    for ward in Ward.objects.filter(team__isnull=False).exclude(pk__in=online).order_by("code"):
        with transaction.atomic():
            _ward_concerns(loader, ward, categories, result)
    return result
