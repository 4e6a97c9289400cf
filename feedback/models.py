"""What residents tell the force outside the PACT cycle (feedback, complaints, surveys arrive
with their issue), and the voluntary equality monitoring offered with all of it."""

from django.db import models
from django.db.models import Q

from wards.models import District

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
