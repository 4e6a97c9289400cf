import pytest

from core.audit import audit_record
from core.models import AuditEvent

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
