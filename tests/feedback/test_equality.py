import datetime

import pytest
import time_machine

from feedback.forms.equality import EqualityForm
from feedback.models import EqualityResponse
from feedback.selectors.disclosure import suppressed
from feedback.services.equality import equality_record
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
    assert suppressed(counts, 10) == expected


def test_equality_form_is_optional_and_offers_prefer_not_to_say():
    form = EqualityForm(data={})

    assert form.is_valid()
    assert set(form.answers().values()) == {""}
    for strand in EqualityResponse.STRANDS:
        assert ("prefer_not", "Prefer not to say") in form.fields[strand].choices


def test_equality_form_refuses_values_it_does_not_offer():
    form = EqualityForm(data={"sex": "dragon"})

    assert not form.is_valid()
