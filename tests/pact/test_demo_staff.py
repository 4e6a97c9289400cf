from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from core.roles import user_roles
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_create_demo_staff_makes_one_account_per_role_once(settings, tmp_path):
    settings.STATE_DIR = tmp_path
    settings.PACT_DEMO_PASSWORD = "demo password for tests"
    sergeant = OfficerFactory(rank="sergeant")

    first = StringIO()
    call_command("create_demo_staff", stdout=first)
    second = StringIO()
    call_command("create_demo_staff", stdout=second)

    assert "Created demo staff accounts: demo-admin, demo-officer, demo-chair, demo-partner." in first.getvalue()
    assert "unchanged" in second.getvalue()
    officer = authenticate(username="demo-officer", password="demo password for tests")
    assert user_roles(officer) == {"officer"}
    sergeant.refresh_from_db()
    assert sergeant.user == officer
    assert (tmp_path / "demo-credentials.txt").read_text().count("demo password for tests") == 4
