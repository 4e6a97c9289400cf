import pytest

from core import roles
from priorities import scopes
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_can_manage_ward_own_team_officer_only(officer, other_officer, ward_a, ward_b):
    assert scopes.can_manage_ward(officer, ward_a)
    assert not scopes.can_manage_ward(officer, ward_b)
    assert not scopes.can_manage_ward(other_officer, ward_a)


def test_can_manage_ward_administrator_everywhere(admin_user, ward_a, ward_b):
    assert scopes.can_manage_ward(admin_user, ward_a)
    assert scopes.can_manage_ward(admin_user, ward_b)


@pytest.mark.parametrize("persona", ["chair", "partner", "outsider"])
def test_can_manage_ward_refuses_other_roles(request, persona, ward_a):
    assert not scopes.can_manage_ward(request.getfixturevalue(persona), ward_a)


def test_officer_role_without_officer_record_manages_nothing(ward_a):
    user = UserFactory(roles=["officer"])

    assert not scopes.can_manage_ward(user, ward_a)


def test_superuser_holds_administrator_role():
    user = UserFactory(is_superuser=True)

    assert roles.user_roles(user) == {"administrator"}
