import datetime

import pytest

from priorities import scopes
from priorities.models import PanelMember
from tests.priorities.factories import PanelFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_a(ward_a, chair):
    panel = PanelFactory(wards=[ward_a])
    PanelMemberFactory(panel=panel, user=chair, role=PanelMember.Role.CHAIR)
    return panel


def test_chair_runs_own_panel_wards_only(chair, panel_a, ward_a, ward_b):
    assert scopes.can_chair_ward(chair, ward_a)
    assert scopes.can_run_ward(chair, ward_a)
    assert not scopes.can_chair_ward(chair, ward_b)
    assert scopes.ward_ids_for(chair) == {ward_a.pk}


def test_former_chair_runs_nothing(chair, panel_a, ward_a):
    PanelMember.objects.filter(user=chair).update(ended_on=datetime.date(2026, 1, 1))

    assert not scopes.can_chair_ward(chair, ward_a)


def test_officer_runs_team_wards_but_does_not_chair(officer, ward_a, ward_b, panel_a):
    assert scopes.can_run_ward(officer, ward_a)
    assert not scopes.can_chair_ward(officer, ward_a)
    assert not scopes.can_run_ward(officer, ward_b)
    assert scopes.ward_ids_for(officer) == {ward_a.pk}


def test_chair_membership_without_chair_role_gives_nothing(outsider, ward_a):
    panel = PanelFactory(wards=[ward_a])
    PanelMemberFactory(panel=panel, user=outsider, role=PanelMember.Role.CHAIR)

    assert not scopes.can_chair_ward(outsider, ward_a)


def test_administrator_runs_every_ward(admin_user, ward_a):
    assert scopes.can_chair_ward(admin_user, ward_a)
    assert scopes.ward_ids_for(admin_user) is None
