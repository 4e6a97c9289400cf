import pytest

from core.audit import audit_record, audit_record_many
from core.models import AuditEvent
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db


def test_audit_record_stores_actor_action_target_and_masks_personal_data(officer, ward_a):
    event = audit_record(
        actor=officer,
        action="wards.ward.updated",
        target=ward_a,
        data={"before": {"name": "Old", "email": "a@b.invalid"}, "after": {"name": "New", "password": "x"}},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == officer
    assert stored.actor_label == "officer"
    assert stored.object_type == "wards.ward"
    assert stored.object_id == str(ward_a.pk)
    assert stored.data == {"before": {"name": "Old", "email": "***"}, "after": {"name": "New", "password": "***"}}


def test_audit_record_without_actor_is_system(ward_a):
    assert audit_record(actor=None, action="wards.import.finished").actor_label == "system"


def test_audit_record_masks_contact_details_wherever_they_are_nested(ward_a):
    data = {"after": {"items": [{"contact_name": "Ann", "contact_phone": "07700 900982", "contact_email": "a@b"}]}}
    stored = audit_record(actor=None, action="feedback.feedback.changed", data=data)
    assert stored.data == {
        "after": {"items": [{"contact_name": "***", "contact_phone": "***", "contact_email": "***"}]}
    }


def test_audit_record_many_stores_one_event_per_target_masked_as_one_by_one(officer, ward_a):
    other = WardFactory()

    events = audit_record_many(
        actor=officer,
        action="wards.ward.updated",
        targets=[(ward_a, {"name": "A", "email": "a@b.invalid"}), (other, {"name": "B"})],
    )

    stored = AuditEvent.objects.filter(pk__in=[event.pk for event in events]).order_by("pk")
    assert [(event.object_id, event.data) for event in stored] == [
        (str(ward_a.pk), {"name": "A", "email": "***"}),
        (str(other.pk), {"name": "B"}),
    ]
    assert {(event.actor, event.actor_label, event.action, event.object_type) for event in stored} == {
        (officer, "officer", "wards.ward.updated", "wards.ward")
    }


def test_audit_record_many_costs_one_insert_however_many_targets(django_assert_num_queries):
    wards = WardFactory.create_batch(4)

    with django_assert_num_queries(1):
        audit_record_many(actor=None, action="wards.ward.checked", targets=[(ward, {}) for ward in wards])

    assert AuditEvent.objects.filter(action="wards.ward.checked", actor_label="system").count() == 4
