"""Setting up an authenticator app: only with a single-use link an administrator issued, with a
fresh key on every set-up page that lives in that session alone and is saved, encrypted, only
when its first code confirms it (issue 12, finding 1)."""

import datetime
import re

import pyotp
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from core import two_factor
from core.models import AuditEvent, EnrolmentLink, SecondFactor
from tests.core.factories import SecondFactorFactory, totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = reverse("staff:login")
SETUP = reverse("staff:two_factor_setup")
CHECK = reverse("staff:two_factor_check")
STAFF_HOME = reverse("staff:home")
NOW = datetime.datetime(2026, 11, 21, 10, 0, 10, tzinfo=datetime.UTC)
KEY_SHOWN = re.compile(r'id="setup-key">([A-Z2-7 ]+)<')
LINK_SHOWN = re.compile(r"https?://[^\s\"<]+/staff/two-factor/enrol/([\w-]+)/")


def password_step(client, username="officer"):
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD})


def shown_key(response) -> str | None:
    match = KEY_SHOWN.search(response.content.decode())
    return match.group(1).replace(" ", "") if match else None


def code(key: str, moment: datetime.datetime = NOW, steps: int = 0) -> str:
    clock = pyotp.TOTP(key)
    return clock.generate_otp(clock.timecode(moment) + steps)


def issue_link(user, actor=None) -> str:
    return two_factor.enrolment_link_issue(actor=actor, user=user)


def enrol_path(token: str) -> str:
    return reverse("staff:two_factor_enrol", args=[token])


def verified(client) -> bool:
    return client.get(STAFF_HOME).status_code == 200


# The finding: a key copied before the owner enrols.


def test_finding_1_the_password_alone_shows_no_authenticator_key(client, officer):
    password_step(client)

    page = client.get(SETUP)

    content = page.content.decode()
    assert page.status_code == 200
    assert shown_key(page) is None
    assert "pact-qr-code" not in content
    assert "set-up link" in content
    assert not SecondFactor.objects.filter(user=officer).exists()
    assert client.post(SETUP, {"code": "123456"}).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_finding_1_a_key_looked_at_before_enrolment_never_signs_in(officer):
    snooper = Client()
    password_step(snooper)
    seen = shown_key(snooper.get(SETUP))
    owner = Client()
    owner.get(enrol_path(issue_link(officer)))
    password_step(owner)
    key = shown_key(owner.get(SETUP))
    owner.post(SETUP, {"code": code(key)})
    assert verified(owner)

    password_step(snooper)
    for attempt in [code(seen, steps=1)] if seen else []:
        snooper.post(CHECK, {"code": attempt})

    assert not verified(snooper)


@time_machine.travel(NOW, tick=False)
def test_finding_1_each_set_up_page_has_a_fresh_key_saved_only_when_confirmed(client, officer):
    client.get(enrol_path(issue_link(officer)))
    password_step(client)

    first = shown_key(client.get(SETUP))
    second = shown_key(client.get(SETUP))

    assert first
    assert second
    assert first != second
    assert not SecondFactor.objects.filter(user=officer).exists()
    refused = client.post(SETUP, {"code": code(first)})
    assert refused.status_code == 400
    assert str(two_factor.ERROR_CODE_WRONG) in refused.content.decode()
    assert client.post(SETUP, {"code": code(second)}).status_code == 200
    factor = SecondFactor.objects.get(user=officer)
    assert two_factor.factor_key(factor) == second
    assert factor.confirmed_at is not None


@time_machine.travel(NOW, tick=False)
def test_finding_1_the_key_of_a_session_stays_in_that_session(officer):
    owner, other = Client(), Client()
    owner.get(enrol_path(issue_link(officer)))
    password_step(owner)
    key = shown_key(owner.get(SETUP))
    password_step(other)

    refused = other.post(SETUP, {"code": code(key)})

    assert refused.status_code == 403
    assert not SecondFactor.objects.filter(user=officer).exists()
    assert shown_key(other.get(SETUP)) is None
    owner.post(SETUP, {"code": code(key)})
    assert verified(owner)


@time_machine.travel(NOW, tick=False)
def test_finding_1_a_reset_issues_a_link_shown_once_and_the_password_alone_cannot_re_enrol(client, admin_user, officer):
    factor = SecondFactorFactory(user=officer)
    officer_session = Client()
    password_step(officer_session)
    officer_session.post(CHECK, {"code": totp(factor).now()})
    assert verified(officer_session)
    client.force_login(admin_user)

    response = client.post("/admin/pact/secondfactor/", {"action": "reset", "_selected_action": [factor.pk]})

    content = response.content.decode()
    assert response.status_code == 200
    links = LINK_SHOWN.findall(content)
    assert len(links) == 1
    assert not SecondFactor.objects.filter(user=officer).exists()
    assert not verified(officer_session)
    assert shown_key(officer_session.get(SETUP)) is None
    assert links[0] not in str(list(AuditEvent.objects.values_list("data", flat=True)))
    issued = AuditEvent.objects.get(action="pact.two_factor.enrolment_link_issued")
    assert (issued.actor, issued.object_id) == (admin_user, str(EnrolmentLink.objects.get(user=officer).pk))

    officer_session.get(enrol_path(links[0]))
    key = shown_key(officer_session.get(SETUP))
    assert officer_session.post(SETUP, {"code": code(key)}).status_code == 200
    assert verified(officer_session)


@time_machine.travel(NOW, tick=False)
def test_finding_1_the_totp_key_is_stored_encrypted(client, officer):
    client.get(enrol_path(issue_link(officer)))
    password_step(client)
    key = shown_key(client.get(SETUP))
    client.post(SETUP, {"code": code(key)})

    table = SecondFactor._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table name)
        row = " ".join(str(value) for value in cursor.fetchone())
    assert key not in row
    assert key.lower() not in row.lower()
    assert two_factor.factor_key(SecondFactor.objects.get(user=officer)) == key


# Enrolment links.


def test_finding_1_an_enrolment_link_works_once(client, officer):
    path = enrol_path(issue_link(officer))
    client.get(path)
    password_step(client)
    assert shown_key(client.get(SETUP))

    again = Client()
    opened = again.get(path)

    assert opened.status_code == 404
    assert "does not work" in opened.content.decode()
    password_step(again)
    assert shown_key(again.get(SETUP)) is None
    assert AuditEvent.objects.filter(action="pact.two_factor.enrolment_link_used", actor=officer).count() == 1


def test_finding_1_an_enrolment_link_expires(client, officer, settings):
    settings.PACT_ENROLMENT_LINK_SECONDS = 3600
    with time_machine.travel(NOW, tick=False):
        path = enrol_path(issue_link(officer))

    with time_machine.travel(NOW + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert client.get(path).status_code == 404
        password_step(client)
        assert shown_key(client.get(SETUP)) is None


def test_finding_1_a_new_link_revokes_the_one_before(client, officer):
    old = enrol_path(issue_link(officer))
    new = enrol_path(issue_link(officer))

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 302
    assert EnrolmentLink.objects.filter(user=officer, revoked_at__isnull=False).count() == 1


def test_an_unknown_link_gets_the_same_answer_as_a_spent_one(client, officer):
    response = client.get(enrol_path("no-such-link"))

    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_a_link_opened_before_signing_in_leads_through_the_password_to_the_set_up(client, officer):
    opened = client.get(enrol_path(issue_link(officer)))
    assert opened["Location"].startswith(SIGN_IN)

    response = client.post(SIGN_IN, {"username": "officer", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0].startswith(SETUP)
    assert shown_key(response)


def test_a_link_for_someone_else_does_not_set_up_this_account(client, officer, other_officer):
    client.get(enrol_path(issue_link(other_officer)))
    password_step(client)

    assert shown_key(client.get(SETUP)) is None
    assert EnrolmentLink.objects.get(user=other_officer).used_at is None


def test_the_link_is_kept_only_as_a_hash(officer):
    token = issue_link(officer)

    link = EnrolmentLink.objects.get(user=officer)
    assert token not in str(link.__dict__)


def test_administrator_issues_a_set_up_link_for_a_new_account(client, admin_user, officer):
    client.force_login(admin_user)

    response = client.post(
        "/admin/auth/user/", {"action": "issue_enrolment_link", "_selected_action": [officer.pk, admin_user.pk]}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert len(LINK_SHOWN.findall(content)) == 1
    assert "already has two-factor authentication" in content
    assert EnrolmentLink.objects.filter(user=officer, used_at=None, revoked_at=None).count() == 1
    assert not EnrolmentLink.objects.filter(user=admin_user).exists()


def test_officer_cannot_issue_set_up_links(client, officer, other_officer):
    client.force_login(officer)

    client.post("/admin/auth/user/", {"action": "issue_enrolment_link", "_selected_action": [other_officer.pk]})

    assert not EnrolmentLink.objects.exists()


def test_administrator_sees_links_but_never_their_tokens(client, admin_user, officer):
    token = issue_link(officer, actor=admin_user)
    client.force_login(admin_user)

    listing = client.get("/admin/pact/enrolmentlink/").content.decode()

    assert "officer" in listing
    assert token not in listing
    assert client.get("/admin/pact/enrolmentlink/add/").status_code == 403


def test_administrator_revokes_a_link(client, admin_user, officer):
    path = enrol_path(issue_link(officer, actor=admin_user))
    link = EnrolmentLink.objects.get(user=officer)
    client.force_login(admin_user)

    client.post("/admin/pact/enrolmentlink/", {"action": "revoke", "_selected_action": [link.pk]})

    link.refresh_from_db()
    assert link.revoked_at is not None
    assert AuditEvent.objects.filter(action="pact.two_factor.enrolment_link_revoked", actor=admin_user).count() == 1
    assert Client().get(path).status_code == 404
