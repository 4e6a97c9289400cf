"""What residents tell the force outside the PACT cycle (feedback, complaints, surveys arrive
with their issue), and the voluntary equality monitoring offered with all of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.satisfaction import FIXED, SCORES
from wards.models import District

# The rules of a survey and its questions, shared by the admin and the staff survey form.
ERROR_CLOSES_BEFORE_OPENING = _("The closing date must be after the opening date")
ERROR_MAXIMUM_REQUIRED = _("Enter how many choices a person may choose, 1 or more")

PREFER_NOT = ("prefer_not", "Prefer not to say")


class EqualityResponse(models.Model):
    """One person's voluntary equality monitoring answers, on the six strands.

    Stored apart from whatever they were given with (no link to a feedback item, survey answer
    or panel member) and dated only by month, so a response cannot be matched back to the
    person by its timestamp. Reported only in aggregate, with small groups suppressed.
    """

    class Context(models.TextChoices):
        FEEDBACK = "feedback", "Feedback, compliment or complaint"
        SURVEY = "survey", "Consultation survey"
        PANEL_MEMBER = "panel_member", "PACT panel member"
        MEETING_ATTENDEE = "meeting_attendee", "PACT meeting attendee"

    class AgeBand(models.TextChoices):
        UNDER_25 = "16_24", "16 to 24"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        FROM_65 = "65_74", "65 to 74"
        OVER_75 = "75_plus", "75 or over"
        PREFER_NOT = PREFER_NOT

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT = PREFER_NOT

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT = PREFER_NOT

    class Ethnicity(models.TextChoices):
        # The five high-level groups of the 2021 Census for England and Wales.
        ASIAN = "asian", "Asian, Asian British or Asian Welsh"
        BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Other ethnic group"
        PREFER_NOT = PREFER_NOT

    class Religion(models.TextChoices):
        NONE = "none", "No religion"
        BUDDHIST = "buddhist", "Buddhist"
        CHRISTIAN = "christian", "Christian"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Any other religion"
        PREFER_NOT = PREFER_NOT

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Another sexual orientation"
        PREFER_NOT = PREFER_NOT

    context = models.CharField(max_length=20, choices=Context.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    month = models.DateField(help_text="The first day of the month it was given in; never the exact time.")
    # Blank means the question was not answered; "prefer_not" that the person chose not to say.
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    disability = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    gender_same_as_at_birth = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    religion = models.CharField(max_length=10, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(max_length=12, choices=SexualOrientation.choices, blank=True)

    STRANDS = (
        "age_band",
        "disability",
        "sex",
        "gender_same_as_at_birth",
        "ethnicity",
        "religion",
        "sexual_orientation",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="equality_month_starts_on_first"),
        ]

    def __str__(self) -> str:
        return f"Equality response {self.pk}"

    @classmethod
    def strand_choices(cls, strand: str) -> list[tuple[str, str]]:
        """The answers offered for one strand, "Prefer not to say" last."""
        kinds = {
            "age_band": cls.AgeBand,
            "disability": cls.YesNo,
            "sex": cls.Sex,
            "gender_same_as_at_birth": cls.YesNo,
            "ethnicity": cls.Ethnicity,
            "religion": cls.Religion,
            "sexual_orientation": cls.SexualOrientation,
        }
        return [(str(value), str(label)) for value, label in kinds[strand].choices]


class Feedback(models.Model):
    """Feedback after an officer attended, a compliment, a complaint or a suggestion.

    Contact details are optional and personal data: kept only while needed (retention), never
    shown publicly. Complaints go to professional standards, not to the team they are about.
    """

    class Kind(models.TextChoices):
        SERVICE = "service", "Feedback after an officer attended"
        COMPLIMENT = "compliment", "Compliment"
        COMPLAINT = "complaint", "Complaint"
        SUGGESTION = "suggestion", "Suggestion"
        SATISFACTION = "satisfaction", "Satisfaction after a concern"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESPONDED = "responded", "Responded"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    ward = models.ForeignKey("wards.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    team = models.ForeignKey(
        "wards.NeighbourhoodTeam", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    officer = models.ForeignKey("wards.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    officer_text = models.CharField(max_length=150, blank=True, help_text="The officer as the person named them.")
    # Feedback after an officer attended: satisfaction from 1 (very poor) to 10 (excellent).
    treated_score = models.PositiveSmallIntegerField(null=True, blank=True)
    informed_score = models.PositiveSmallIntegerField(null=True, blank=True)
    overall_score = models.PositiveSmallIntegerField(null=True, blank=True)
    went_well = models.TextField(max_length=2000, blank=True)
    could_be_better = models.TextField(max_length=2000, blank=True)
    description = models.TextField(
        max_length=5000, blank=True, help_text="The compliment, complaint or suggestion, or a comment on a concern."
    )
    # Satisfaction after a concern (core.satisfaction): the concern's short reference (never its
    # follow code, the key of its status page), how satisfied from 1 to 5, and whether it was fixed.
    concern_reference = models.CharField(max_length=12, blank=True)
    concern_score = models.PositiveSmallIntegerField(null=True, blank=True, choices=SCORES)
    concern_fixed = models.CharField(max_length=6, blank=True, choices=FIXED)
    wants_reply = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    respond_by = models.DateTimeField(help_text="The response-time target for its kind.")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, help_text="When its personal data was removed.")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "status", "respond_by"], name="feedback_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(treated_score__isnull=True) | Q(treated_score__gte=1, treated_score__lte=10),
                name="feedback_treated_score_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(informed_score__isnull=True) | Q(informed_score__gte=1, informed_score__lte=10),
                name="feedback_informed_score_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__gte=1, overall_score__lte=10),
                name="feedback_overall_score_1_to_10",
            ),
            models.CheckConstraint(
                condition=~Q(wants_reply=True, contact_email="", contact_phone="") | Q(anonymised_at__isnull=False),
                name="feedback_reply_has_contact",
            ),
            models.CheckConstraint(
                condition=~Q(kind="satisfaction")
                | (
                    ~Q(concern_reference="")
                    # isnull spelled out: a CHECK lets a NULL through where "score >= 1" is unknown.
                    & Q(concern_score__isnull=False, concern_score__gte=1, concern_score__lte=5)
                    & Q(concern_fixed__in=[value for value, _label in FIXED])
                ),
                name="feedback_satisfaction_answered",
            ),
            # "How did we do?" is asked once per concern: a second answer is refused.
            models.UniqueConstraint(
                fields=["concern_reference"],
                condition=Q(kind="satisfaction"),
                name="feedback_satisfaction_once_per_concern",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class FeedbackNote(models.Model):
    """A staff note on a feedback item, or a reply emailed to the person from the system."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    is_reply = models.BooleanField(default=False, help_text="Emailed to the person who gave the feedback.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note on {self.feedback}"


class Survey(models.Model):
    """A consultation survey, force-wide or for some districts, open between two dates."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    introduction = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    districts = models.ManyToManyField(
        "wards.District", blank=True, related_name="+", help_text="None means force-wide."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="survey_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Said here as well as in the constraint, so that the admin and the staff form give the
        # reason by the field rather than the constraint's name.
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": ERROR_CLOSES_BEFORE_OPENING})


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", "Scale from 1 to 10"
        YES_NO = "yes_no", "Yes or no"
        SINGLE = "single", "Choose one"
        MULTIPLE = "multiple", "Choose up to a number"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Choose up to this many.")

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position_once"),
            models.CheckConstraint(
                # isnull spelled out: "max_choices >= 1" on a NULL is unknown, which a CHECK lets through.
                condition=~Q(kind="multiple") | Q(max_choices__isnull=False, max_choices__gte=1),
                name="survey_multiple_has_maximum",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        # The database check passes a NULL maximum (a CHECK is unknown, not false, on NULL).
        if self.kind == self.Kind.MULTIPLE and not self.max_choices:
            raise ValidationError({"max_choices": ERROR_MAXIMUM_REQUIRED})

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class SurveyChoice(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="survey_choice_position_once"),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers. No account and no address: a keyed hash of the browser's token
    and the survey (never the IP address itself) only blocks obvious repeat submissions."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    district = models.ForeignKey("wards.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ward = models.ForeignKey("wards.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    repeat_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "repeat_key"], condition=~Q(repeat_key=""), name="survey_response_once_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    choices = models.ManyToManyField(SurveyChoice, blank=True, related_name="answers")
    text = models.TextField(max_length=2000, blank=True)
    concern_reference = models.CharField(
        max_length=12, blank=True, help_text="The PACT concern this free-text answer was raised as, if any."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=10), name="survey_answer_scale_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"


class EqualityRepeatKey(models.Model):
    """A keyed hash of a browser's random token and what it answered (a meeting or a panel).

    It only refuses an obvious second set of answers from the same browser. It has no date and
    no link to the answers, so it says nothing about who answered or what they said.
    """

    key = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Equality repeat key {self.pk}"
