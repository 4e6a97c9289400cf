"""Every change an administrator makes in the Django admin lands in PACT's audit trail:
other users' passwords and groups, and rows edited inline (panel members), never a secret."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import AuditEvent
from priorities.models import PanelMember
from tests.core.factories import UserFactory
from tests.priorities.factories import PanelFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new pass phrase 42"


def _value(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return None if value is None else str(value)


def _change_form_data(response) -> dict:
    """What the browser would post back unchanged: the page's form and its inline formsets."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            keys = [form.add_prefix(name)]
            if field.show_hidden_initial:
                keys.append(form.add_initial_prefix(name))
            for key in keys:
                data.update(_inputs(key, form[name].value()))
    return data


def _inputs(key: str, value) -> dict:
    if isinstance(value, datetime.datetime):
        # The admin's split date and time inputs.
        local = timezone.localtime(value)
        return {f"{key}_0": local.date().isoformat(), f"{key}_1": local.time().isoformat()}
    return {} if _value(value) is None else {key: _value(value)}


@pytest.fixture
def resident_rep():
    return UserFactory(username="rep", roles=[])


def test_finding_16_changing_another_users_password_is_audited_without_the_hash(client, admin_user, resident_rep):
    client.force_login(admin_user)
    url = f"/admin/auth/user/{resident_rep.pk}/password/"

    response = client.post(url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    resident_rep.refresh_from_db()
    assert resident_rep.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="auth.user.password_changed")
    assert (event.actor, event.object_id) == (admin_user, str(resident_rep.pk))
    assert event.data == {"usable_password": True}
    assert resident_rep.password not in json.dumps(event.data)
    assert NEW_PASSWORD not in json.dumps(event.data)


def test_finding_16_turning_off_another_users_password_is_audited(client, admin_user, resident_rep):
    client.force_login(admin_user)

    response = client.post(
        f"/admin/auth/user/{resident_rep.pk}/password/", {"usable_password": "false", "unset-password": "1"}
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.user.password_changed")
    assert event.data == {"usable_password": False}


def test_a_refused_password_change_is_not_audited(client, admin_user, resident_rep):
    client.force_login(admin_user)

    response = client.post(
        f"/admin/auth/user/{resident_rep.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something else"},
    )

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="auth.user.password_changed").exists()


def test_finding_16_giving_another_user_a_group_is_audited_by_name(client, admin_user, resident_rep):
    officers = Group.objects.get_or_create(name="Officers")[0]
    client.force_login(admin_user)
    url = f"/admin/auth/user/{resident_rep.pk}/change/"
    data = _change_form_data(client.get(url))
    data["groups"] = [str(officers.pk)]

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="auth.user.changed")
    assert event.data == {"groups": {"before": [], "after": ["Officers"]}}
    assert resident_rep.password not in json.dumps(event.data)


def test_finding_16_panel_members_changed_inline_are_audited(client, admin_user, resident_rep):
    panel = PanelFactory(name="Abbey PACT")
    kept = PanelMemberFactory(panel=panel, name="Sam Carter", organisation="")
    dropped = PanelMemberFactory(panel=panel, name="Lee Brown")
    dropped_pk = dropped.pk
    client.force_login(admin_user)
    url = f"/admin/priorities/panel/{panel.pk}/change/"
    data = _change_form_data(client.get(url))
    rows = {data[f"members-{index}-id"]: index for index in range(2)}
    data[f"members-{rows[str(kept.pk)]}-organisation"] = "Abbey Residents"
    data[f"members-{rows[str(dropped_pk)]}-DELETE"] = "on"
    data.update(
        {
            "members-2-name": "Pat Chair",
            "members-2-kind": "resident",
            "members-2-role": "chair",
            "members-2-user": str(resident_rep.pk),
            "members-2-started_on": "2026-01-05",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"][0].formset.errors
    events = {event.action: event for event in AuditEvent.objects.filter(action__startswith="priorities.panelmember")}
    assert set(events) == {
        "priorities.panelmember.created",
        "priorities.panelmember.changed",
        "priorities.panelmember.deleted",
    }
    assert events["priorities.panelmember.changed"].object_id == str(kept.pk)
    assert events["priorities.panelmember.changed"].data == {"organisation": {"before": "", "after": "Abbey Residents"}}
    assert events["priorities.panelmember.deleted"].object_id == str(dropped_pk)
    created = events["priorities.panelmember.created"]
    assert created.object_id == str(PanelMember.objects.get(name="Pat Chair").pk)
    assert created.data["role"] == {"before": None, "after": "chair"}
    assert created.data["user"]["after"] == str(resident_rep)
    assert all(event.actor == admin_user for event in events.values())
