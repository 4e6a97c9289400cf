"""The database itself refuses a fourth active priority for a ward."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from priorities.models import Priority
from tests.priorities.factories import PriorityFactory

pytestmark = pytest.mark.django_db


def test_priority_fourth_active_for_ward_is_refused_by_database(ward_a):
    for slot in Priority.SLOTS:
        PriorityFactory(ward=ward_a, slot=slot)

    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.create(
            ward=ward_a,
            slot=1,
            title="A fourth",
            category=Priority.objects.first().category,
            agreed_on=datetime.date(2026, 10, 1),
            agreed_at=Priority.objects.first().agreed_at,
        )
    assert Priority.objects.filter(ward=ward_a).count() == 3


def test_priority_slot_outside_one_to_three_is_refused_by_database(ward_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityFactory(ward=ward_a, slot=4)


def test_priority_ended_priority_frees_its_slot(ward_a):
    PriorityFactory(ward=ward_a, slot=1, status=Priority.Status.CLOSED, ended_on=datetime.date(2026, 1, 1))

    PriorityFactory(ward=ward_a, slot=1)

    assert Priority.objects.filter(ward=ward_a, slot=1).count() == 2
