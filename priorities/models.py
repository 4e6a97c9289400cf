"""The PACT cycle: panels, meetings and surgeries, concerns, ballots and the top three.

Every invariant the database can hold is a constraint here: one active chair per panel,
one vote per member per ballot, at most three choices per vote, and at most three active
priorities per ward (each active priority holds one of the ward's three slots).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from wards.models import NeighbourhoodTeam, Officer, Ward


class Category(models.Model):
    """What a concern or priority is about: a police.uk crime category or a local one."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    is_police_uk = models.BooleanField(default=False, help_text="One of the data.police.uk crime categories.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class PlanPriority(models.Model):
    """A priority of the Police and Crime Plan, which each PACT priority serves."""

    plan = models.CharField(max_length=100, help_text="e.g. Making Kent Safer 2022–25")
    name = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["plan", "position", "name"]
        verbose_name = "Police and Crime Plan priority"
        verbose_name_plural = "Police and Crime Plan priorities"
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="plan_priority_unique")]

    def __str__(self) -> str:
        return self.name


class PartnerAgency(models.Model):
    """An organisation that works with the neighbourhood teams on priorities."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        FIRE = "fire", "Fire and rescue"
        HOUSING = "housing", "Housing provider"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        BUSINESS = "business", "Business partnership"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Its users submit information for, and see the information it gave about, these wards only.
    wards = models.ManyToManyField(
        Ward, blank=True, related_name="partner_agencies", help_text="The wards the agency works in."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "partner agencies"

    def __str__(self) -> str:
        return self.name


class Panel(models.Model):
    """A PACT panel: serves one ward or a group of wards."""

    name = models.CharField(max_length=150)
    wards = models.ManyToManyField(Ward, related_name="panels")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """One person's time on a panel; a member need not have an account, a chair must."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", "Residents' representative"
        COUNCILLOR = "councillor", "Councillor"
        PARTNER = "partner", "Partner agency"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="panel_roles"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "-role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel"], condition=Q(role="chair", ended_on__isnull=True), name="panel_one_active_chair"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="panel_member_dates_ordered"
            ),
            models.CheckConstraint(condition=~Q(role="chair") | Q(user__isnull=False), name="panel_chair_has_account"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Event(models.Model):
    """A PACT meeting, surgery, street briefing or online meeting for one or more wards."""

    class Kind(models.TextChoices):
        PACT_MEETING = "pact_meeting", "PACT meeting"
        SURGERY = "surgery", "Surgery"
        STREET_BRIEFING = "street_briefing", "Street briefing"
        ONLINE_MEETING = "online_meeting", "Online meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        MOVED = "moved", "Moved"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Stable iCalendar UID.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=150)
    wards = models.ManyToManyField(Ward, related_name="events")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=300, blank=True)
    joining_url = models.URLField(blank=True, help_text="For online meetings.")
    accessibility_notes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    moved_to = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_from")
    minutes = models.TextField(blank=True)
    residents_attending = models.PositiveIntegerField(null=True, blank=True)
    # iCalendar SEQUENCE: raised by every change, so calendar programs replace their copy.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""), name="event_cancelled_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="pact_meeting") | Q(panel__isnull=False), name="event_meeting_has_panel"
            ),
            models.CheckConstraint(
                condition=~Q(kind="online_meeting") | ~Q(joining_url=""), name="event_online_has_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class EventAttendance(models.Model):
    """A panel member recorded as present at a meeting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="attendance_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member} at {self.event}"


class Concern(models.Model):
    """A local concern raised by a resident, at a meeting or surgery, by a partner or a survey."""

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        MEETING = "meeting", "At a PACT meeting"
        SURGERY = "surgery", "At a surgery or street briefing"
        PARTNER = "partner", "By a partner agency"
        SURVEY = "survey", "From a consultation survey"

    class Status(models.TextChoices):
        RECEIVED = "received", "Awaiting moderation"
        ACCEPTED = "accepted", "Accepted"
        SHORTLISTED = "shortlisted", "Shortlisted for a meeting"
        ADOPTED = "adopted", "Adopted as a priority"
        REJECTED = "rejected", "Not taken forward"
        MERGED = "merged", "Merged with another concern"

    PUBLIC_STATUSES = (Status.ACCEPTED, Status.SHORTLISTED, Status.ADOPTED)

    reference = models.CharField(max_length=12, unique=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="concerns")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="concerns")
    description = models.TextField(max_length=2000)
    location_text = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True, help_text="Personal data: never shown publicly.")
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    rejection_reason = models.CharField(max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_concerns"
    )
    shortlisted_for = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="shortlist"
    )
    raised_at_event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns_raised"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ward", "status"], name="concern_ward_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="concern_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="concern_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="concern_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.reference


class Priority(models.Model):
    """One of a ward's top three, from the ballot that adopted it to its outcome."""

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed at review"

    ACTIVE_STATUSES = (Status.CURRENT, Status.IN_PROGRESS)
    SLOTS = (1, 2, 3)

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="priorities")
    slot = models.PositiveSmallIntegerField(help_text="Which of the ward's three places it holds.")
    title = models.CharField(max_length=200, help_text="The issue, as the panel agreed it.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="priorities")
    plan_priority = models.ForeignKey(
        PlanPriority, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities"
    )
    concern = models.ForeignKey(Concern, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities")
    agreed_on = models.DateField()
    agreed_at = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="priorities_agreed")
    last_reviewed_at = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities_carried_over"
    )
    lead_officer = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities_led"
    )
    partners = models.ManyToManyField(PartnerAgency, blank=True, related_name="priorities")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CURRENT)
    outcome = models.TextField(blank=True, help_text="What was achieved, when resolved or closed.")
    ended_on = models.DateField(null=True, blank=True)
    ended_at = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="priorities_closed"
    )

    class Meta:
        ordering = ["ward", "slot"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(condition=Q(slot__gte=1, slot__lte=3), name="priority_slot_one_to_three"),
            # The rule of PACT: a ward never has more than three active priorities.
            models.UniqueConstraint(
                fields=["ward", "slot"],
                condition=Q(status__in=["current", "in_progress"]),
                name="priority_three_active_per_ward",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["current", "in_progress"], ended_on__isnull=True)
                | Q(status__in=["resolved", "closed"], ended_on__isnull=False),
                name="priority_ended_when_inactive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class Ballot(models.Model):
    """The panel's vote at a held meeting on one ward's shortlist and priorities up for review."""

    class Method(models.TextChoices):
        MEMBERS = "members", "Each member present chooses up to three"
        SHOW_OF_HANDS = "show_of_hands", "Show of hands"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

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

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "ward"], name="ballot_one_per_ward_per_meeting"),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_at__isnull=True))
                | (Q(status="closed") & Q(closed_at__isnull=False)),
                name="ballot_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot for {self.ward} at {self.meeting}"


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


class PartnerUser(models.Model):
    """A staff account that acts for a partner agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


class ProgressEntry(models.Model):
    """What was done about a priority, when and by whom: an officer or a partner agency."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        INTERNAL = "internal", "Internal (staff only)"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="progress")
    happened_on = models.DateField()
    text = models.TextField(max_length=2000)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="progress")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, null=True, blank=True, related_name="progress")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        verbose_name_plural = "progress entries"
        indexes = [models.Index(fields=["priority", "visibility", "happened_on"], name="progress_priority_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False, agency__isnull=True) | Q(officer__isnull=True, agency__isnull=False),
                name="progress_by_officer_or_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.text[:50]}"


class NewsItem(models.Model):
    """A short piece of local news from a team, for the whole team or one of its wards."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", "Appeal"
        RESULT = "result", "Result"
        ADVICE = "advice", "Crime-prevention advice"
        NEWS = "news", "News"

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.CASCADE, related_name="news")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="news")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=150)
    body = models.TextField(max_length=5000)
    published_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name_plural = "news items"

    def __str__(self) -> str:
        return self.title


class MonthlyUpdate(models.Model):
    """A team's "you said, we did" update for one calendar month: one per team per month."""

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.PROTECT, related_name="updates")
    month = models.DateField(help_text="The first day of the month it covers.")
    summary = models.TextField(blank=True, help_text="The team's own words; corrections change it.")
    content = models.JSONField(default=dict, help_text="What happened that month, per ward, as generated.")
    revision = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="monthly_update_one_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_update_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%B %Y}"


class MonthlyUpdateRevision(models.Model):
    """A published update as it stood before a correction, and why it was corrected."""

    update = models.ForeignKey(MonthlyUpdate, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    summary = models.TextField(blank=True)
    content = models.JSONField(default=dict)
    reason = models.CharField(max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "number"]
        constraints = [models.UniqueConstraint(fields=["update", "number"], name="revision_number_once")]

    def __str__(self) -> str:
        return f"{self.update} revision {self.number}"


class Subscription(models.Model):
    """A resident's email subscription to a team's or a ward's updates: double opt-in, no account.

    The address is personal data: never shown, never logged.
    """

    email = models.EmailField()
    team = models.ForeignKey(
        NeighbourhoodTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions")
    wants_updates = models.BooleanField(default=True)
    wants_meetings = models.BooleanField(default=False)
    token = models.CharField(max_length=64, unique=True, help_text="In confirm and unsubscribe links.")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, ward__isnull=True) | Q(team__isnull=True, ward__isnull=False),
                name="subscription_team_or_ward",
            ),
            models.UniqueConstraint(
                fields=["email", "team"], condition=Q(unsubscribed_at__isnull=True), name="subscription_once_per_team"
            ),
            models.UniqueConstraint(
                fields=["email", "ward"], condition=Q(unsubscribed_at__isnull=True), name="subscription_once_per_ward"
            ),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk}"


class InformationReport(models.Model):
    """An incident or sighting a partner agency reports to a ward's neighbourhood team.

    Never public; kept for PACT_RETENTION_INFORMATION_DAYS; every view of one is audited.
    The description of people involved is personal data and never leaves the staff pages.
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", "Incident"
        SIGHTING = "sighting", "Sighting"

    class Status(models.TextChoices):
        NEW = "new", "New"
        REVIEWED = "reviewed", "Reviewed"
        CONCERN = "concern", "Turned into a concern"

    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="information_reports")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="information_reports")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="information_reports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    what_happened = models.TextField(max_length=2000)
    location_text = models.CharField(max_length=200)
    happened_at = models.DateTimeField()
    people_description = models.TextField(max_length=1000, blank=True, help_text="Personal data.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="information_reports"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by the service (not auto_now_add) so the "not in the future" check compares like with like.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["ward", "status", "created_at"], name="information_ward_idx"),
            models.Index(fields=["agency", "created_at"], name="information_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(happened_at__lte=F("created_at")), name="information_not_in_future"),
            models.CheckConstraint(
                condition=(Q(status="concern") & Q(concern__isnull=False))
                | (~Q(status="concern") & Q(concern__isnull=True)),
                name="information_concern_when_turned",
            ),
            models.CheckConstraint(
                condition=Q(status="new") | Q(reviewed_at__isnull=False), name="information_reviewed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Information report {self.pk}"


class IncidentLog(models.Model):
    """A resident's log of repeated incidents, kept against their concern through a private link.

    Only a hash of the link's token is stored: the link is shown once and cannot be recovered.
    """

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="incident_logs")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False), name="incident_log_revoked_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"Incident log {self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IncidentLogEntry(models.Model):
    """One incident in a resident's log: when, what happened, how it affected them, where."""

    log = models.ForeignKey(IncidentLog, on_delete=models.CASCADE, related_name="entries")
    happened_at = models.DateTimeField()
    what_happened = models.TextField(max_length=2000)
    effect = models.TextField(max_length=1000, help_text="How it affected them.")
    location_text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name_plural = "incident log entries"
        constraints = [
            models.CheckConstraint(condition=Q(happened_at__lte=F("created_at")), name="incident_entry_not_in_future"),
        ]

    def __str__(self) -> str:
        return f"Incident log entry {self.pk}"
