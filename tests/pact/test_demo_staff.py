import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.urls import reverse

from core.roles import user_roles
from core.two_factor import enrolment_link_is_open
from tests.core.factories import SecondFactorFactory
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "demo password for tests"
LINE = re.compile(r"^(demo-\w+)\t(.+?)\t(\S+)$", re.MULTILINE)
NOW = datetime.datetime(2026, 11, 21, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def demo(settings, tmp_path):
    settings.STATE_DIR = tmp_path
    settings.PACT_DEMO_PASSWORD = PASSWORD
    settings.PACT_SITE_URL = "http://127.0.0.1:8000"
    return tmp_path / "demo-credentials.txt"


def run() -> str:
    out = StringIO()
    call_command("create_demo_staff", stdout=out)
    return out.getvalue()


def credentials(path) -> dict[str, tuple[str, str]]:
    return {user: (password, link) for user, password, link in LINE.findall(path.read_text())}


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_create_demo_staff_makes_one_account_per_role_once(demo):
    sergeant = OfficerFactory(rank="sergeant")

    first = run()
    second = run()

    assert "Created demo staff accounts: demo-admin, demo-officer, demo-chair, demo-partner." in first
    assert "unchanged" in second
    officer = authenticate(username="demo-officer", password=PASSWORD)
    assert user_roles(officer) == {"officer"}
    sergeant.refresh_from_db()
    assert sergeant.user == officer
    assert demo.read_text().count(PASSWORD) == 4
    assert oct(demo.stat().st_mode & 0o777) == "0o600"


def test_finding_1_demo_credentials_carry_each_accounts_set_up_link(demo, client):
    run()
    before = demo.read_text()

    lines = credentials(demo)
    assert set(lines) == {"demo-admin", "demo-officer", "demo-chair", "demo-partner"}
    for username, (password, link) in lines.items():
        assert password == PASSWORD
        assert link.startswith("http://127.0.0.1:8000/staff/two-factor/enrol/")
        user = get_user_model().objects.get(username=username)
        assert enrolment_link_is_open(user=user, token=token_of(link))
    assert "unchanged" in run()
    assert demo.read_text() == before

    client.get(reverse("staff:two_factor_enrol", args=[token_of(lines["demo-officer"][1])]))
    response = client.post(reverse("staff:login"), {"username": "demo-officer", "password": PASSWORD}, follow=True)
    assert 'id="setup-key"' in response.content.decode()


def test_demo_links_are_renewed_when_spent_or_expired_and_dropped_once_set_up(demo, settings):
    settings.PACT_ENROLMENT_LINK_SECONDS = 3600
    with time_machine.travel(NOW, tick=False):
        run()
    old = credentials(demo)
    SecondFactorFactory(user=get_user_model().objects.get(username="demo-admin"))

    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        output = run()

    new = credentials(demo)
    assert "New two-factor set-up links for: demo-officer, demo-chair, demo-partner." in output
    assert "demo-admin" not in new
    assert "demo-admin\t" + PASSWORD + "\t" in demo.read_text()
    for username in ("demo-officer", "demo-chair", "demo-partner"):
        assert new[username][0] == PASSWORD
        assert new[username][1] != old[username][1]


def test_a_lost_credentials_file_is_written_again_without_the_passwords(demo):
    run()
    demo.unlink()

    run()

    lines = credentials(demo)
    assert set(lines) == {"demo-admin", "demo-officer", "demo-chair", "demo-partner"}
    assert PASSWORD not in demo.read_text()
