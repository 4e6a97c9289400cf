"""Ballots at PACT meetings: the options, each member's vote and their choices."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from priorities.models.categories import Category
from priorities.models.concerns import Concern
from priorities.models.events import Event
from priorities.models.panels import PanelMember
from priorities.models.priorities import Priority
from wards.models import Ward


class Ballot(models.Model):
    """The panel's vote at a held meeting on one ward's shortlist and priorities up for review."""

    class Method(models.TextChoices):
        MEMBERS = "members", "Each member present chooses up to three"
        SHOW_OF_HANDS = "show_of_hands", "Show of hands"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    meeting = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="ballots")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="ballots")
    method = models.CharField(max_length=15, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    people_voting = models.PositiveIntegerField(null=True, blank=True, help_text="Show of hands: how many voted.")
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    casting_vote_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=300, blank=True, help_text="Shown on the public page.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # A cancelled ballot steps aside: the panel opens a new one at the same meeting.
            models.UniqueConstraint(
                fields=["meeting", "ward"],
                condition=~Q(status="cancelled"),
                name="ballot_one_live_per_ward_per_meeting",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True))
                | (Q(status="closed") & Q(closed_at__isnull=False))
                | (Q(status="cancelled") & Q(closed_at__isnull=True)),
                name="ballot_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (~Q(cancellation_reason="") & Q(cancelled_at__isnull=False)),
                name="ballot_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot for {self.ward} at {self.meeting}"


class BallotReopening(models.Model):
    """A closed ballot reopened to put it right: asked for with a reason by the chair or a
    supervisor of the ward's team, confirmed by the other. Public on the ballot's result page.

    Confirming sets aside the priorities the ballot adopted (closed, kept in history) and
    reinstates those it closed; ``changes`` records which, for the audit and the result page.
    """

    class Side(models.TextChoices):
        CHAIR = "chair", "The chair"
        SUPERVISOR = "supervisor", "A sergeant or inspector of the team"

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.CharField(max_length=300, help_text="Shown on the public result.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_side = models.CharField(max_length=10, choices=Side.choices)
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    was_closed_at = models.DateTimeField(null=True, blank=True, help_text="When the close it undid happened.")
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            # One request waits for its other half at a time.
            models.UniqueConstraint(
                fields=["ballot"],
                condition=Q(confirmed_at__isnull=True, withdrawn_at__isnull=True),
                name="ballot_reopening_one_pending",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="ballot_reopening_has_reason"),
            # Two people: the one who confirms is never the one who asked.
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("requested_by")),
                name="ballot_reopening_two_people",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False, withdrawn_at__isnull=True),
                name="ballot_reopening_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Reopening of {self.ballot}"

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None and self.withdrawn_at is None


class BallotOption(models.Model):
    """Something the panel can vote for: a shortlisted concern or a priority up for review."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    hands = models.PositiveIntegerField(null=True, blank=True, help_text="Show of hands: votes counted.")
    casting_vote = models.BooleanField(default=False, help_text="Given a tied place by the chair's casting vote.")
    votes = models.PositiveIntegerField(null=True, blank=True, help_text="The final tally, set on closing.")
    position = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Place won (1–3), set on closing.")

    class Meta:
        ordering = ["ballot", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concern__isnull=False, priority__isnull=True)
                | Q(concern__isnull=True, priority__isnull=False),
                name="ballot_option_one_source",
            ),
            models.UniqueConstraint(fields=["ballot", "concern"], name="ballot_option_concern_once"),
            models.UniqueConstraint(fields=["ballot", "priority"], name="ballot_option_priority_once"),
            models.UniqueConstraint(fields=["ballot", "position"], name="ballot_option_position_once"),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=1, position__lte=3),
                name="ballot_option_position_one_to_three",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """One panel member's vote in one ballot: the database refuses a second."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="votes")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="vote_once_per_member")]

    def __str__(self) -> str:
        return f"Vote of {self.member} in {self.ballot}"


class VoteChoice(models.Model):
    """One of up to three options a member chose; rank 1–3 caps the choices at three."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(BallotOption, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["vote", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "option"], name="vote_choice_option_once"),
            models.UniqueConstraint(fields=["vote", "rank"], name="vote_choice_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=3), name="vote_choice_at_most_three"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.option}"
