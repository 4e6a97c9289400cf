"""Two-factor authentication driven through the real pages: set up, sign in, backup codes, reset.
Set-up links and the keys of set-up pages: test_two_factor_enrolment.py."""

import datetime
import json
import logging
import re

import pyotp
import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from core import two_factor
from core.models import AuditEvent, BackupCode, SecondFactor
from tests.core.factories import SecondFactorFactory, totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = reverse("staff:login")
SETUP = reverse("staff:two_factor_setup")
CHECK = reverse("staff:two_factor_check")
MANAGE = reverse("staff:two_factor")
STAFF_HOME = reverse("staff:home")
NOW = datetime.datetime(2026, 11, 21, 10, 0, 10, tzinfo=datetime.UTC)
CODE_SHAPE = re.compile(r"\b[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}\b")
KEY_SHOWN = re.compile(r'id="setup-key">([A-Z2-7 ]+)<')


def password_step(client, username="officer", next_path=""):
    data = {"username": username, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(SIGN_IN, data)


def code_at(factor, moment: datetime.datetime, steps: int = 0) -> str:
    clock = totp(factor) if isinstance(factor, SecondFactor) else pyotp.TOTP(factor)
    return clock.generate_otp(clock.timecode(moment) + steps)


def open_link(client, user) -> str:
    """Open a set-up link issued for ``user``; returns its token."""
    token = two_factor.enrolment_link_issue(actor=None, user=user)
    client.get(reverse("staff:two_factor_enrol", args=[token]))
    return token


def shown_key(response) -> str:
    return KEY_SHOWN.search(response.content.decode()).group(1).replace(" ", "")


def enrol(client, user, moment: datetime.datetime) -> list[str]:
    """Set up the app through the pages, signed in with the password; returns the backup codes."""
    open_link(client, user)
    password_step(client, username=user.get_username())
    key = shown_key(client.get(SETUP))
    return backup_codes_in(client.post(SETUP, {"code": code_at(key, moment)}))


def backup_codes_in(response) -> list[str]:
    return CODE_SHAPE.findall(response.content.decode())


# Setting up the authenticator app the first time.


@time_machine.travel(NOW, tick=False)
def test_first_sign_in_sets_up_the_app_then_shows_ten_backup_codes_once(client, officer):
    opened = client.get(
        reverse("staff:two_factor_enrol", args=[two_factor.enrolment_link_issue(actor=None, user=officer)])
    )
    assert opened["Location"].startswith(SIGN_IN)
    response = password_step(client, next_path="/staff/events/")
    assert response.status_code == 302
    assert response["Location"] == f"{CHECK}?next=%2Fstaff%2Fevents%2F"
    response = client.get(response["Location"])
    assert response["Location"] == f"{SETUP}?next=%2Fstaff%2Fevents%2F"

    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert "pact-qr-code" in content
    key = shown_key(page)
    assert not SecondFactor.objects.filter(user=officer).exists()

    done = client.post(SETUP, {"code": code_at(key, NOW), "next": "/staff/events/"})

    codes = backup_codes_in(done)
    assert done.status_code == 200
    assert len(set(codes)) == 10
    assert 'href="/staff/events/"' in done.content.decode()
    factor = SecondFactor.objects.get(user=officer)
    assert factor.confirmed_at is not None
    hashes = set(BackupCode.objects.filter(second_factor=factor).values_list("code_hash", flat=True))
    assert len(hashes) == 10
    assert not {code.replace("-", "") for code in codes} & hashes
    assert client.get(STAFF_HOME).status_code == 200
    assert AuditEvent.objects.filter(action="pact.two_factor.enrolled", actor=officer).count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_refused_code_keeps_the_key_of_the_page(client, officer):
    open_link(client, officer)
    password_step(client)
    key = shown_key(client.get(SETUP))

    refused = client.post(SETUP, {"code": "12"})

    assert shown_key(refused) == key
    assert client.post(SETUP, {"code": code_at(key, NOW)}).status_code == 200


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "١٢٣٤٥٦"])
def test_setup_asks_for_six_digits(client, officer, code):
    open_link(client, officer)
    password_step(client)
    client.get(SETUP)

    response = client.post(SETUP, {"code": code})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_REQUIRED) in response.content.decode()
    assert client.get(STAFF_HOME).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_setup_refuses_a_wrong_code_and_saves_nothing(client, officer):
    open_link(client, officer)
    password_step(client)
    key = shown_key(client.get(SETUP))
    wrong = f"{(int(code_at(key, NOW)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_WRONG) in response.content.decode()
    assert not SecondFactor.objects.filter(user=officer).exists()


# Signing in with a set-up app.


@time_machine.travel(NOW, tick=False)
def test_code_from_the_app_verifies_and_reaches_the_page_asked_for(client, officer):
    factor = SecondFactorFactory(user=officer)
    response = password_step(client, next_path="/staff/concerns/")
    response = client.get(response["Location"])
    assert response.status_code == 200

    response = client.post(CHECK, {"code": code_at(factor, NOW), "next": "/staff/concerns/"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/concerns/"
    assert client.get(STAFF_HOME).status_code == 200
    event = AuditEvent.objects.get(action="pact.two_factor.verified")
    assert event.actor == officer
    assert event.data == {"method": "totp", "left": None}


@time_machine.travel(NOW, tick=False)
def test_code_accepted_with_spaces_and_one_step_either_side(client, officer):
    factor = SecondFactorFactory(user=officer)
    password_step(client)
    code = code_at(factor, NOW, steps=-1)

    response = client.post(CHECK, {"code": f"{code[:3]} {code[3:]}"})

    assert response["Location"] == STAFF_HOME


@time_machine.travel(NOW, tick=False)
def test_a_code_cannot_be_replayed(client, officer):
    factor = SecondFactorFactory(user=officer)
    code = code_at(factor, NOW)
    password_step(client)
    client.post(CHECK, {"code": code})
    client.post(reverse("staff:logout"))

    password_step(client)
    response = client.post(CHECK, {"code": code})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_USED) in response.content.decode()
    assert client.get(STAFF_HOME)["Location"].startswith(CHECK)


@time_machine.travel(NOW, tick=False)
def test_an_earlier_code_than_the_last_used_is_refused_as_used(client, officer):
    factor = SecondFactorFactory(user=officer)
    password_step(client)
    client.post(CHECK, {"code": code_at(factor, NOW, steps=1)})
    client.post(reverse("staff:logout"))
    password_step(client)

    response = client.post(CHECK, {"code": code_at(factor, NOW)})

    assert str(two_factor.ERROR_CODE_USED) in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_expired_code_is_refused_as_expired(client, officer):
    factor = SecondFactorFactory(user=officer)
    password_step(client)

    response = client.post(CHECK, {"code": code_at(factor, NOW, steps=-4)})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_USED) in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_wrong_code_is_refused_and_counted(client, officer):
    factor = SecondFactorFactory(user=officer)
    password_step(client)
    wrong = pyotp.TOTP(pyotp.random_base32(32)).at(NOW)
    if wrong == code_at(factor, NOW):
        wrong = f"{(int(wrong) + 1) % 1_000_000:06d}"

    response = client.post(CHECK, {"code": wrong})

    assert response.status_code == 400
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert str(two_factor.ERROR_CODE_WRONG) in content
    assert client.get(STAFF_HOME).status_code == 302


def test_a_code_of_the_wrong_shape_is_refused_with_what_to_enter(client, officer):
    SecondFactorFactory(user=officer)
    password_step(client)

    response = client.post(CHECK, {"code": "12ab"})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_FORMAT) in response.content.decode()


# Backup codes.


@time_machine.travel(NOW, tick=False)
def test_a_backup_code_verifies_once_and_says_how_many_are_left(client, officer):
    codes = enrol(client, officer, NOW)
    client.post(reverse("staff:logout"))

    password_step(client)
    response = client.post(CHECK, {"code": codes[0].upper()}, follow=True)

    assert response.redirect_chain[-1][0] == STAFF_HOME
    assert "You have 9 backup codes left." in response.content.decode()
    assert AuditEvent.objects.get(action="pact.two_factor.verified").data == {"method": "backup_code", "left": 9}

    client.post(reverse("staff:logout"))
    password_step(client)
    again = client.post(CHECK, {"code": codes[0]})
    assert again.status_code == 400
    assert str(two_factor.ERROR_BACKUP_WRONG) in again.content.decode()


@time_machine.travel(NOW, tick=False)
def test_new_backup_codes_replace_the_old_ones(client, officer):
    old = enrol(client, officer, NOW)

    page = client.get(MANAGE)
    assert "10 of 10" in page.content.decode()
    new = backup_codes_in(client.post(reverse("staff:two_factor_backup_codes")))

    assert len(new) == 10
    assert not set(new) & set(old)
    assert AuditEvent.objects.filter(action="pact.two_factor.backup_codes_regenerated", actor=officer).count() == 1
    client.post(reverse("staff:logout"))
    password_step(client)
    assert client.post(CHECK, {"code": old[0]}).status_code == 400
    assert client.post(CHECK, {"code": new[0]})["Location"] == STAFF_HOME


def test_backup_codes_page_needs_a_post_and_a_verified_session(client, officer):
    client.force_login(officer)
    assert client.get(reverse("staff:two_factor_backup_codes")).status_code == 405

    client.force_login(officer, second_factor=False)
    response = client.post(reverse("staff:two_factor_backup_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(CHECK)


def test_manage_page_refuses_an_anonymous_visitor_and_an_outsider(client, outsider):
    assert client.get(MANAGE)["Location"].startswith(SIGN_IN)

    client.force_login(outsider)
    assert client.get(MANAGE).status_code == 403


# Nothing but the second-factor pages before the second factor.


def _every_staff_and_admin_path() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    def fill(route: str) -> str:
        route = re.sub(r"<int:\w+>", "1", route)
        route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")

    paths = {fill(route) for route in walk(get_resolver().url_patterns)}
    return sorted(path for path in paths if path.startswith(("/staff/", "/admin/")))


OPEN_BEFORE = {SIGN_IN, reverse("staff:logout"), SETUP, CHECK, "/admin/login/", "/admin/logout/"}
# A set-up link opens before the second factor too; an unknown one is 404 for everyone.
OPEN_BEFORE.add(reverse("staff:two_factor_enrol", args=["x"]))


@pytest.mark.parametrize("path", [p for p in _every_staff_and_admin_path() if p not in OPEN_BEFORE])
def test_unverified_administrator_reaches_no_staff_or_admin_page(client, admin_user, path):
    client.force_login(admin_user, second_factor=False)

    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(CHECK), (method, path)


def test_unverified_administrator_sees_nothing_of_the_admin_but_verified_does(client, admin_user):
    client.force_login(admin_user, second_factor=False)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)

    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_admin_has_no_sign_in_form_of_its_own(client, admin_user, officer):
    response = client.get("/admin/login/?next=/admin/wards/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/admin/wards/"

    client.force_login(officer)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_admin_login_ignores_a_next_address_elsewhere(client):
    response = client.get("/admin/login/?next=https://example.org/")

    assert response["Location"] == f"{SIGN_IN}?next=/admin/"


def test_verified_state_follows_the_factor_and_costs_no_query(client, officer, django_assert_num_queries):
    client.force_login(officer)

    # The session, the user with their factor's id, the factor, its unused codes, the user's roles.
    with django_assert_num_queries(5):
        assert client.get(MANAGE).status_code == 200


# Administrators reset a lost second factor.


def test_administrator_resets_a_second_factor_and_the_user_sets_up_again(client, admin_user, officer):
    from django.test import Client

    officer_client = Client()
    officer_client.force_login(officer)
    factor = SecondFactor.objects.get(user=officer)
    assert officer_client.get(STAFF_HOME).status_code == 200
    client.force_login(admin_user)

    response = client.post("/admin/pact/secondfactor/", {"action": "reset", "_selected_action": [factor.pk]})

    content = response.content.decode()
    assert "Two-factor set-up links" in content
    token = re.search(r"/staff/two-factor/enrol/([\w-]+)/", content).group(1)
    assert not SecondFactor.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="pact.two_factor.reset")
    assert event.actor == admin_user
    assert event.object_id == str(officer.pk)
    after = officer_client.get(STAFF_HOME, follow=True)
    assert after.redirect_chain[-1][0].startswith(SETUP)
    assert "You need a set-up link" in after.content.decode()
    assert two_factor.enrolment_link_is_open(user=officer, token=token)


def test_second_factor_admin_never_shows_the_key(client, admin_user, officer):
    client.force_login(officer)
    factor = SecondFactor.objects.get(user=officer)
    client.force_login(admin_user)

    listing = client.get("/admin/pact/secondfactor/").content.decode()
    detail = client.get(f"/admin/pact/secondfactor/{factor.pk}/change/").content.decode()

    for secret in (two_factor.factor_key(factor), factor.encrypted_key):
        assert secret not in listing + detail
    assert client.get("/admin/pact/secondfactor/add/").status_code == 403


def test_officer_cannot_reset_second_factors(client, officer, other_officer):
    client.force_login(other_officer)
    factor = SecondFactor.objects.get(user=other_officer)
    client.force_login(officer)

    client.post("/admin/pact/secondfactor/", {"action": "reset", "_selected_action": [factor.pk]})

    assert SecondFactor.objects.filter(pk=factor.pk).exists()


# Secrets stay secret.


@time_machine.travel(NOW, tick=False)
def test_no_code_key_link_or_password_reaches_the_audit_trail_or_the_logs(client, officer, caplog):
    caplog.set_level(logging.DEBUG)
    token = open_link(client, officer)
    password_step(client)
    key = shown_key(client.get(SETUP))
    code = code_at(key, NOW)
    codes = backup_codes_in(client.post(SETUP, {"code": code}))
    client.post(reverse("staff:logout"))
    password_step(client)
    client.post(CHECK, {"code": codes[1]})

    trail = json.dumps(list(AuditEvent.objects.values("action", "data", "object_id")))
    logs = caplog.text
    for secret in [key, token, code, PASSWORD, *codes, *(c.replace("-", "") for c in codes)]:
        assert secret not in trail
        assert secret not in logs
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "pact.sign_in.password_accepted",
        "pact.two_factor.enrolment_link_issued",
        "pact.two_factor.enrolment_link_used",
        "pact.two_factor.enrolled",
        "pact.two_factor.verified",
    } <= actions
    assert "pact.sign_in.signed_out" in actions


def test_signing_in_keeps_a_new_session_key_at_each_step(client, officer):
    factor = SecondFactorFactory(user=officer)
    client.get(SIGN_IN)
    before = client.cookies.get("sessionid")
    password_step(client)
    after_password = client.cookies["sessionid"].value
    client.post(CHECK, {"code": totp(factor).now()})
    after_code = client.cookies["sessionid"].value

    assert before is None or before.value != after_password
    assert after_password != after_code
    assert SESSION_KEY in client.session
