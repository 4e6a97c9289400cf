import datetime

import factory
from django.utils import timezone

from wards.models import (
    CrimeCategory,
    CrimeMonth,
    District,
    Generation,
    NeighbourhoodTeam,
    Officer,
    Place,
    PlaceWard,
    Postcode,
    PostcodeWard,
    Ward,
    WardCrimeCount,
    WardSuccession,
)
from wards.places import place_key


def square(lng: float, lat: float, size: float = 0.01) -> dict:
    """A small square ward boundary with its south-west corner at (lng, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [[[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]],
    }


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"E07{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"District {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighbourhoodTeam

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    district = factory.SubFactory(DistrictFactory)
    email = factory.LazyAttribute(lambda team: f"{team.slug}@demo.pact.invalid")


GENERATION_NAMES = {2014: "the 305 wards of 2003–2015", 2025: "the 279 wards of May 2025"}


class GenerationFactory(factory.django.DjangoModelFactory):
    """A ward generation; by default the 305 wards of 2003–2015 (2014), which the migrations also create."""

    class Meta:
        model = Generation
        django_get_or_create = ["id"]

    id = 2014
    name = factory.LazyAttribute(
        lambda generation: GENERATION_NAMES.get(generation.id, f"the wards of {generation.id}")
    )
    in_force_from = factory.LazyAttribute(
        lambda generation: datetime.date(2003, 5, 1) if generation.id == 2014 else datetime.date(generation.id, 5, 1)
    )


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    code = factory.Sequence(lambda n: f"E05{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    district = factory.SubFactory(DistrictFactory)
    team = factory.SubFactory(TeamFactory, district=factory.SelfAttribute("..district"))
    min_lng = factory.Sequence(lambda n: 0.5 + (n % 50) * 0.01)
    min_lat = factory.Sequence(lambda n: 51.0 + (n // 50) * 0.01)
    max_lng = factory.LazyAttribute(lambda ward: ward.min_lng + 0.01)
    max_lat = factory.LazyAttribute(lambda ward: ward.min_lat + 0.01)
    centroid_lng = factory.LazyAttribute(lambda ward: ward.min_lng + 0.005)
    centroid_lat = factory.LazyAttribute(lambda ward: ward.min_lat + 0.005)
    boundary = factory.LazyAttribute(lambda ward: square(ward.min_lng, ward.min_lat))
    generation_low = factory.SubFactory(GenerationFactory)
    generation_high = factory.SelfAttribute("generation_low")


class WardSuccessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardSuccession

    predecessor = factory.SubFactory(WardFactory)
    successor = factory.SubFactory(WardFactory, generation_low__id=2025)
    share = 1.0


_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _postcode(n: int) -> str:
    """The n-th of a run of distinct, well-formed postcodes: ME1 1AA, ME1 1AB, …"""
    inward = n % 3600
    return f"ME{1 + n // 3600} {1 + inward // 400}{_LETTERS[(inward // 20) % 20]}{_LETTERS[inward % 20]}"


class PostcodeWardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeWard

    postcode = factory.SubFactory("tests.wards.factories.PostcodeFactory", ward=None)
    ward = factory.SubFactory(WardFactory)
    generation = factory.SelfAttribute("ward.generation_low")
    placement = PostcodeWard.Placement.CODE_POINT_2014


class PostcodeFactory(factory.django.DjangoModelFactory):
    """A postcode at its ward's centre, in that ward in the ward's first generation (pass ``ward=None`` for none)."""

    class Meta:
        model = Postcode
        skip_postgeneration_save = True

    class Params:
        ward = factory.SubFactory(WardFactory)

    postcode = factory.Sequence(lambda n: _postcode(n))
    outward = factory.LazyAttribute(lambda pc: pc.postcode.split(" ")[0])
    latitude = factory.LazyAttribute(lambda pc: pc.ward.centroid_lat if pc.ward else 51.005)
    longitude = factory.LazyAttribute(lambda pc: pc.ward.centroid_lng if pc.ward else 0.505)
    in_2014 = True
    is_current = True
    link = factory.Maybe(
        "ward",
        yes_declaration=factory.RelatedFactory(
            PostcodeWardFactory,
            factory_related_name="postcode",
            ward=factory.SelfAttribute("..ward"),
        ),
    )


class PlaceFactory(factory.django.DjangoModelFactory):
    """A village at the centre of its first ward; pass ``wards`` (largest share first) to link it."""

    class Meta:
        model = Place
        skip_postgeneration_save = True

    os_id = factory.Sequence(lambda n: f"osgb{4000000000000000 + n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    search_name = factory.LazyAttribute(lambda place: place_key(place.name))
    kind = Place.Kind.VILLAGE
    district = factory.SubFactory(DistrictFactory)
    latitude = 51.005
    longitude = 0.505
    min_lat = factory.LazyAttribute(lambda place: place.latitude - 0.002)
    min_lng = factory.LazyAttribute(lambda place: place.longitude - 0.002)
    max_lat = factory.LazyAttribute(lambda place: place.latitude + 0.002)
    max_lng = factory.LazyAttribute(lambda place: place.longitude + 0.002)

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        for position, ward in enumerate(extracted or []):
            PlaceWard.objects.create(
                place=self, ward=ward, generation=ward.generation_low, share=round(0.9 / (position + 1), 3)
            )


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    team = factory.SubFactory(TeamFactory)
    rank = Officer.Rank.PC
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    collar_number = factory.Sequence(lambda n: f"{10000 + n}")
    email = factory.Sequence(lambda n: f"officer{n}@demo.pact.invalid")
    phone = "101"
    is_demo = True


class CrimeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrimeCategory
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda category: category.slug.replace("-", " ").capitalize())
    position = factory.Sequence(lambda n: n)


class CrimeMonthFactory(factory.django.DjangoModelFactory):
    """An imported month with no records; its numbers add up as the constraints require."""

    class Meta:
        model = CrimeMonth
        django_get_or_create = ["month"]

    month = datetime.date(2019, 1, 1)
    source_file = factory.LazyAttribute(lambda month: f"{month.month:%Y-%m}-kent-street.csv")
    sha256 = "0" * 64
    rows = 0
    with_coordinates = 0
    without_coordinates = 0
    assigned = 0
    outside = 0
    imported_at = factory.LazyFunction(timezone.now)


class WardCrimeCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardCrimeCount

    ward = factory.SubFactory(WardFactory)
    month = factory.SubFactory(CrimeMonthFactory)
    category = factory.SubFactory(CrimeCategoryFactory)
    count = 1
