import pytest

from pact.audit import audit_record
from pact.models import AuditEvent

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
