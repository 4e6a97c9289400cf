from django.conf import settings
from django.db import models

from wards.converters import WARD_CODE


class District(models.Model):
    """A local authority district (LAD): the 12 Kent districts and Medway."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    former_name = models.CharField(
        max_length=100, blank=True, help_text="The name the district had in the 305-ward era, where it differs."
    )
    boundary = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry, WGS84.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^E0[67][0-9]{6}$"), name="district_code_is_gss"),
        ]

    def __str__(self) -> str:
        return self.name


class NeighbourhoodTeam(models.Model):
    """A neighbourhood policing team, covering a group of wards within one district."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="teams")
    email = models.EmailField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Illustrative team made for demo data.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Generation(models.Model):
    """A set of ward boundaries in force together (MapIt's generation).

    Numbered by the year of the Code-Point Open release the set was taken from, so numbers
    run in time order: 2014 for the 305 wards of 2003–2015, 2025 for the 279 of May 2025.
    One generation is active (``settings.PACT_WARD_GENERATION``): searches, the ward index,
    maps, teams and the police.uk API use its wards; every other ward keeps its page.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, help_text="Year of the set's source, e.g. 2014.")
    name = models.CharField(max_length=100, help_text="e.g. the 305 wards of 2003–2015.")
    in_force_from = models.DateField(help_text="When the set took effect, e.g. the May elections.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class WardQuerySet(models.QuerySet):
    def in_generation(self, generation_id: int) -> "WardQuerySet":
        """Wards of one generation: those whose span of generations includes it."""
        return self.filter(generation_low_id__lte=generation_id, generation_high_id__gte=generation_id)

    def active(self) -> "WardQuerySet":
        """Wards of the active generation (``settings.PACT_WARD_GENERATION``)."""
        return self.in_generation(settings.PACT_WARD_GENERATION)


class Ward(models.Model):
    """An electoral ward, in force in one generation or in several in a row (MapIt's areas).

    A ward the boundary review left alone keeps its ONS code, and is one row that spans both
    generations; a new ward has a new code. Its boundary is the one it first came with.
    """

    code = models.CharField(max_length=9, unique=True, help_text="ONS GSS code, e.g. E05004867.")
    name = models.CharField(max_length=120)
    old_code = models.CharField(max_length=6, blank=True, help_text="Pre-2011 ONS code.")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="wards")
    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.SET_NULL, null=True, blank=True, related_name="wards")
    boundary = models.JSONField(help_text="GeoJSON geometry (Polygon or MultiPolygon), WGS84.")
    centroid_lat = models.FloatField()
    centroid_lng = models.FloatField()
    # The bounding box lets a point lookup narrow the candidates in the database before
    # testing the polygons themselves.
    min_lat = models.FloatField()
    min_lng = models.FloatField()
    max_lat = models.FloatField()
    max_lng = models.FloatField()
    generation_low = models.ForeignKey(
        Generation, on_delete=models.PROTECT, related_name="+", help_text="The first generation it is in."
    )
    generation_high = models.ForeignKey(
        Generation, on_delete=models.PROTECT, related_name="+", help_text="The last generation it is in."
    )

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=WARD_CODE), name="ward_code_is_gss"),
            models.CheckConstraint(
                condition=models.Q(min_lat__lte=models.F("max_lat"), min_lng__lte=models.F("max_lng")),
                name="ward_bbox_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(generation_low__lte=models.F("generation_high")), name="ward_generations_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["min_lat", "max_lat", "min_lng", "max_lng"], name="ward_bbox_idx"),
            models.Index(fields=["generation_low", "generation_high"], name="ward_generations_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        """Whether the ward is one of the active generation's."""
        return self.generation_low_id <= settings.PACT_WARD_GENERATION <= self.generation_high_id


class WardSuccession(models.Model):
    """Part of a ward that a later generation's ward took over, as a share of the earlier ward's area.

    Computed from the polygons on import, for every ward that a generation ended; the shares
    of one ward's successors add up to about 1 (less the slivers of generalised boundaries).
    """

    predecessor = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="predecessions")
    share = models.FloatField(help_text="Share of the predecessor's area that lies in the successor.")

    class Meta:
        ordering = ["predecessor", "-share", "successor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="ward_succession_unique"),
            models.CheckConstraint(condition=models.Q(share__gt=0, share__lte=1), name="ward_succession_share_range"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="ward_succession_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.share:.0%})"


class Postcode(models.Model):
    """A postcode of the 2014 or the current Code-Point Open; its ward in each generation is a PostcodeWard."""

    postcode = models.CharField(max_length=8, unique=True, help_text="Normalised, e.g. ME4 4TR.")
    outward = models.CharField(max_length=4, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    in_2014 = models.BooleanField(default=False, help_text="Listed in Code-Point Open 2014.")
    is_current = models.BooleanField(default=False, help_text="Listed in the current Code-Point Open.")

    class Meta:
        ordering = ["postcode"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(postcode__regex=r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$"),
                name="postcode_is_normalised",
            ),
            models.CheckConstraint(
                condition=models.Q(in_2014=True) | models.Q(is_current=True), name="postcode_has_source"
            ),
        ]

    def __str__(self) -> str:
        return self.postcode


class PostcodeWard(models.Model):
    """The ward a postcode is in, in one generation, and how that was decided."""

    class Placement(models.TextChoices):
        CODE_POINT_2014 = "code_2014", "Ward recorded by Code-Point Open 2014"
        CODE_POINT_CURRENT = "code_current", "Ward recorded by the current Code-Point Open"
        POLYGON = "polygon", "Inside the ward boundary"
        NEAREST = "nearest", "Nearest ward boundary (outside all boundaries)"

    postcode = models.ForeignKey(Postcode, on_delete=models.CASCADE, related_name="ward_links")
    generation = models.ForeignKey(Generation, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="postcode_links")
    placement = models.CharField(max_length=12, choices=Placement.choices)

    class Meta:
        ordering = ["postcode", "generation"]
        constraints = [
            models.UniqueConstraint(fields=["postcode", "generation"], name="postcode_ward_one_per_generation"),
            models.CheckConstraint(
                condition=models.Q(placement__in=["code_2014", "code_current", "polygon", "nearest"]),
                name="postcode_ward_placement_valid",
            ),
        ]
        indexes = [models.Index(fields=["generation", "ward"], name="postcode_ward_generation_idx")]

    def __str__(self) -> str:
        return f"{self.postcode_id} in {self.ward_id} ({self.generation_id})"


class Place(models.Model):
    """A named town, village, hamlet or suburb (OS Open Names), for searching by the name people use."""

    class Kind(models.TextChoices):
        CITY = "city", "City"
        TOWN = "town", "Town"
        VILLAGE = "village", "Village"
        HAMLET = "hamlet", "Hamlet"
        SUBURB = "suburb", "Suburban area"
        OTHER = "other", "Other settlement"

    # Places that spread over several wards: found by the wards their area overlaps. The
    # others are found by the ward that holds their centre.
    AREA_KINDS = frozenset({Kind.CITY, Kind.TOWN, Kind.SUBURB})

    os_id = models.CharField(max_length=30, unique=True, help_text="OS Open Names identifier.")
    name = models.CharField(max_length=120)
    search_name = models.CharField(
        max_length=120, db_index=True, help_text="The name in the form searches compare (wards.places.place_key)."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="places")
    postcode_district = models.CharField(max_length=4, blank=True, help_text="Outward code holding its centre.")
    latitude = models.FloatField()
    longitude = models.FloatField()
    min_lat = models.FloatField()
    min_lng = models.FloatField()
    max_lat = models.FloatField()
    max_lng = models.FloatField()

    class Meta:
        ordering = ["name", "os_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["city", "town", "village", "hamlet", "suburb", "other"]),
                name="place_kind_valid",
            ),
            models.CheckConstraint(condition=~models.Q(search_name=""), name="place_search_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(min_lat__lte=models.F("max_lat"), min_lng__lte=models.F("max_lng")),
                name="place_bbox_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_area(self) -> bool:
        return self.kind in self.AREA_KINDS


class PlaceWard(models.Model):
    """A ward a place lies in, in one generation, and the share of the place it holds (computed on import).

    A town, city or suburb has a row for each ward its bounding box overlaps, with the share
    of the box inside the ward; a village, hamlet or other settlement has one row, share 1,
    for the ward holding its centre.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="ward_links")
    generation = models.ForeignKey(Generation, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="place_links")
    share = models.FloatField()

    class Meta:
        ordering = ["place", "generation", "-share", "ward"]
        constraints = [
            models.UniqueConstraint(fields=["place", "generation", "ward"], name="place_ward_unique"),
            models.CheckConstraint(condition=models.Q(share__gt=0, share__lte=1), name="place_ward_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.place} in {self.ward} ({self.share:.0%})"


class Officer(models.Model):
    """A member of a neighbourhood team, as shown to the public: police officers, and the
    community wardens and other partner staff who work with the team."""

    # In order of seniority, as the team is listed: police ranks first, then partner staff.
    class Rank(models.TextChoices):
        INSPECTOR = "inspector", "Inspector"
        SERGEANT = "sergeant", "Sergeant"
        PC = "pc", "Police Constable"
        SPECIAL = "special", "Special Constable"
        PCSO = "pcso", "Police Community Support Officer"
        WARDEN = "warden", "Community Warden"
        PARTNER = "partner", "Partner staff"

    # Ranks that supervise a team: approvals, reminders, feedback about one of its officers.
    SUPERVISOR_RANKS = frozenset({Rank.SERGEANT, Rank.INSPECTOR})
    # Not police: shown with the team, with the organisation that employs them.
    PARTNER_RANKS = frozenset({Rank.WARDEN, Rank.PARTNER})

    team = models.ForeignKey(NeighbourhoodTeam, on_delete=models.CASCADE, related_name="officers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="officer"
    )
    rank = models.CharField(max_length=10, choices=Rank.choices)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    collar_number = models.CharField(max_length=10, help_text="Collar number (a warden's or partner's staff number).")
    organisation = models.CharField(
        max_length=120, blank=True, help_text="Who employs a warden or partner staff, e.g. Swale Borough Council."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Fictional officer made for demo data.")
    wards = models.ManyToManyField(
        Ward,
        through="OfficerWard",
        related_name="ward_officers",
        blank=True,
        help_text="The wards of the team this officer covers.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["collar_number"], name="officer_collar_number_unique"),
            models.CheckConstraint(
                condition=models.Q(rank__in=["inspector", "sergeant", "pc", "special", "pcso", "warden", "partner"]),
                name="officer_rank_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_partner_staff(self) -> bool:
        return self.rank in self.PARTNER_RANKS


class OfficerWard(models.Model):
    """An officer covers a ward of their own team ("your ward officers" on its page).

    A ward may have several officers and an officer several wards. The database holds the
    rule that the ward is one of the officer's team's (a trigger, see migration 0006): a
    ward or an officer moving to another team ends the assignments that no longer fit.
    """

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="ward_links")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="officer_links")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ward", "officer"]
        constraints = [models.UniqueConstraint(fields=["officer", "ward"], name="officer_ward_unique")]

    def __str__(self) -> str:
        return f"{self.officer} covers {self.ward}"


class ImportRecord(models.Model):
    """The input files of the last successful committed run of one import step.

    Lets ``setup_pact`` skip a step whose files (and importer version) are unchanged.
    """

    step = models.CharField(max_length=60, unique=True, help_text="Management command name, e.g. import_wards.")
    fingerprint = models.CharField(
        max_length=64, help_text="sha256 over the importer version and each file's size and sha256."
    )
    files = models.JSONField(default=dict, help_text="File name → {size, sha256}.")
    summary = models.TextField(blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["step"]

    def __str__(self) -> str:
        return self.step


class CrimeCategory(models.Model):
    """A data.police.uk crime category; ``name`` is the "Crime type" of the street-level files.

    The slug is police.uk's API slug, which is also how a concern's category is matched
    to these figures (priorities.Category.slug).
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "crime categories"

    def __str__(self) -> str:
        return self.name


class CrimeMonth(models.Model):
    """One imported month of police.uk street-level crime, and what its import found.

    Importing a month again replaces its records and counts, so a month is held once.
    """

    month = models.DateField(unique=True, help_text="The first day of the month.")
    source_file = models.CharField(max_length=255, help_text="Name of the file imported, e.g. 2019-01-kent-street.csv.")
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    with_coordinates = models.PositiveIntegerField()
    without_coordinates = models.PositiveIntegerField()
    assigned = models.PositiveIntegerField(help_text="Records with coordinates inside a ward.")
    outside = models.PositiveIntegerField(help_text="Records with coordinates outside every ward.")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="crime_month_is_first_day"),
            models.CheckConstraint(
                condition=models.Q(rows=models.F("with_coordinates") + models.F("without_coordinates")),
                name="crime_month_rows_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(with_coordinates=models.F("assigned") + models.F("outside")),
                name="crime_month_located_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.month.strftime("%B %Y")


class CrimeRecord(models.Model):
    """One row of a police.uk street-level file, placed in the ward its coordinates fall in.

    Police.uk moves each location to an anonymised map point, so a few fall outside every
    ward (``ward`` is null); rows without coordinates have no ward either. Anti-social
    behaviour has no crime id, and police.uk files repeat the odd row, so a record is
    identified by its month and line, not by its crime id.
    """

    month = models.ForeignKey(CrimeMonth, on_delete=models.CASCADE, related_name="records")
    line = models.PositiveIntegerField(help_text="Line of the file, counting the header as line 1.")
    crime_id = models.CharField(max_length=64, blank=True)
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="records")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="crime_records")
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["month", "line"]
        constraints = [
            models.UniqueConstraint(fields=["month", "line"], name="crime_record_month_line_unique"),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True, latitude__isnull=True)
                | models.Q(longitude__isnull=False, latitude__isnull=False),
                name="crime_record_both_coordinates_or_neither",
            ),
            models.CheckConstraint(
                condition=models.Q(ward__isnull=True) | models.Q(longitude__isnull=False),
                name="crime_record_ward_needs_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} ({self.month}, line {self.line})"


class WardCrimeCount(models.Model):
    """How many records of one category a month's import placed in a ward (never zero).

    Derived from CrimeRecord by the import, so pages read a few small rows per ward.
    """

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="crime_counts")
    month = models.ForeignKey(CrimeMonth, on_delete=models.CASCADE, related_name="ward_counts")
    category = models.ForeignKey(CrimeCategory, on_delete=models.PROTECT, related_name="ward_counts")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["month", "ward", "category"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "month", "category"], name="ward_crime_count_unique"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="ward_crime_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ward}: {self.category}, {self.month}: {self.count}"
