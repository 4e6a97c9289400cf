import datetime

import pytest
import time_machine

from feedback.forms import EqualityForm
from feedback.models import EqualityResponse
from feedback.selectors import _suppressed, equality_report
from feedback.services import equality_record
from tests.wards.factories import DistrictFactory

pytestmark = pytest.mark.django_db

FEEDBACK = EqualityResponse.Context.FEEDBACK


@pytest.fixture
def district():
    return DistrictFactory(name="Medway")


def test_equality_record_keeps_answers_apart_dated_by_month_only(district):
    with time_machine.travel(datetime.datetime(2026, 11, 21, 15, 30, tzinfo=datetime.UTC)):
        response = equality_record(
            context=FEEDBACK, district=district, answers={"age_band": "25_34", "religion": "prefer_not"}
        )

    stored = EqualityResponse.objects.get(pk=response.pk)
    assert stored.month == datetime.date(2026, 11, 1)
    assert (stored.age_band, stored.religion, stored.ethnicity) == ("25_34", "prefer_not", "")
    assert {field.name for field in EqualityResponse._meta.fields} == {
        "id", "context", "district", "month", *EqualityResponse.STRANDS
    }  # fmt: skip


def test_equality_record_stores_nothing_when_nothing_answered(district):
    assert equality_record(context=FEEDBACK, district=district, answers={"age_band": ""}) is None
    assert not EqualityResponse.objects.exists()


def test_equality_record_drops_unknown_answers(district):
    response = equality_record(context=FEEDBACK, district=district, answers={"sex": "dragon", "disability": "no"})

    assert (response.sex, response.disability) == ("", "no")


def _responses(district, sexes: dict[str, int]) -> None:
    for sex, count in sexes.items():
        for _ in range(count):
            equality_record(context=FEEDBACK, district=district, answers={"sex": sex})


def test_equality_report_counts_per_area_against_a_hand_count(district):
    other = DistrictFactory(name="Ashford")
    _responses(district, {"female": 12, "male": 15, "prefer_not": 10})
    _responses(other, {"female": 11, "male": 10})

    areas = {area.name: area for area in equality_report(minimum=10)}

    sex = {strand.strand: strand for strand in areas["Kent and Medway"].strands}["sex"]
    assert dict(sex.counts) == {"Female": 23, "Male": 25, "Prefer not to say": 10}
    assert sex.answered == 58
    medway_sex = {strand.strand: strand for strand in areas["Medway"].strands}["sex"]
    assert dict(medway_sex.counts) == {"Female": 12, "Male": 15, "Prefer not to say": 10}
    assert areas["Ashford"].responses == 21


def test_equality_report_suppresses_small_groups_and_what_would_reveal_them(district):
    _responses(district, {"female": 14, "male": 20, "prefer_not": 3})

    medway = {area.name: area for area in equality_report(minimum=10)}["Medway"]
    sex = {strand.strand: strand for strand in medway.strands}["sex"]

    # 3 is too few to show; with only it hidden, 37 - 14 - 20 would give it away, so the next
    # smallest (14) is hidden as well.
    assert dict(sex.counts) == {"Female": None, "Male": 20, "Prefer not to say": None}


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"a": 12, "b": 10}, {"a": 12, "b": 10}),
        ({"a": 12, "b": 0}, {"a": 12, "b": 0}),
        ({"a": 12, "b": 2, "c": 3}, {"a": 12, "b": None, "c": None}),
        ({"a": 2}, {"a": None}),
    ],
)
def test_suppression_rules(counts, expected):
    assert _suppressed(counts, 10) == expected


def test_equality_form_is_optional_and_offers_prefer_not_to_say():
    form = EqualityForm(data={})

    assert form.is_valid()
    assert set(form.answers().values()) == {""}
    for strand in EqualityResponse.STRANDS:
        assert ("prefer_not", "Prefer not to say") in form.fields[strand].choices


def test_equality_form_refuses_values_it_does_not_offer():
    form = EqualityForm(data={"sex": "dragon"})

    assert not form.is_valid()
