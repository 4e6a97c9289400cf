"""Two-factor authentication driven through the real pages: set up, sign in, backup codes, reset."""

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


def password_step(client, username="officer", next_path=""):
    data = {"username": username, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(SIGN_IN, data)


def code_at(factor, moment: datetime.datetime, steps: int = 0) -> str:
    clock = totp(factor)
    return clock.generate_otp(clock.timecode(moment) + steps)


def backup_codes_in(response) -> list[str]:
    return CODE_SHAPE.findall(response.content.decode())


# Setting up the authenticator app the first time.


@time_machine.travel(NOW, tick=False)
def test_first_sign_in_sets_up_the_app_then_shows_ten_backup_codes_once(client, officer):
    response = password_step(client, next_path="/staff/events/")
    assert response.status_code == 302
    assert response["Location"] == f"{CHECK}?next=%2Fstaff%2Fevents%2F"
    response = client.get(response["Location"])
    assert response["Location"] == f"{SETUP}?next=%2Fstaff%2Fevents%2F"

    page = client.get(response["Location"])
    factor = SecondFactor.objects.get(user=officer)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content
    assert two_factor.key_for_display(factor) in content
    assert factor.confirmed_at is None

    done = client.post(SETUP, {"code": code_at(factor, NOW), "next": "/staff/events/"})

    codes = backup_codes_in(done)
    assert done.status_code == 200
    assert len(set(codes)) == 10
    assert 'href="/staff/events/"' in done.content.decode()
    factor.refresh_from_db()
    assert factor.confirmed_at is not None
    hashes = set(BackupCode.objects.filter(second_factor=factor).values_list("code_hash", flat=True))
    assert len(hashes) == 10
    assert not {code.replace("-", "") for code in codes} & hashes
    assert client.get(STAFF_HOME).status_code == 200
    assert AuditEvent.objects.filter(action="pact.two_factor.enrolled", actor=officer).count() == 1


def test_setup_keeps_the_same_key_when_the_page_is_reloaded(client, officer):
    password_step(client)

    client.get(SETUP)
    key = SecondFactor.objects.get(user=officer).key
    client.get(SETUP)

    assert SecondFactor.objects.get(user=officer).key == key


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_setup_asks_for_six_digits(client, officer, code):
    password_step(client)
    client.get(SETUP)

    response = client.post(SETUP, {"code": code})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_REQUIRED) in response.content.decode()
    assert client.get(STAFF_HOME).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_setup_refuses_a_wrong_code_and_stays_unconfirmed(client, officer):
    password_step(client)
    client.get(SETUP)
    factor = SecondFactor.objects.get(user=officer)
    wrong = f"{(int(code_at(factor, NOW)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 400
    assert str(two_factor.ERROR_CODE_WRONG) in response.content.decode()
    factor.refresh_from_db()
    assert factor.confirmed_at is None


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
    password_step(client)
    client.get(SETUP)
    factor = SecondFactor.objects.get(user=officer)
    codes = backup_codes_in(client.post(SETUP, {"code": code_at(factor, NOW)}))
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
    password_step(client)
    client.get(SETUP)
    factor = SecondFactor.objects.get(user=officer)
    old = backup_codes_in(client.post(SETUP, {"code": code_at(factor, NOW)}))

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

    response = client.post(
        "/admin/pact/secondfactor/", {"action": "reset", "_selected_action": [factor.pk]}, follow=True
    )

    assert "Two-factor authentication reset for 1 user(s)." in response.content.decode()
    assert not SecondFactor.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="pact.two_factor.reset")
    assert event.actor == admin_user
    assert event.object_id == str(officer.pk)
    after = officer_client.get(STAFF_HOME, follow=True)
    assert after.redirect_chain[-1][0].startswith(SETUP)


def test_second_factor_admin_never_shows_the_key(client, admin_user, officer):
    client.force_login(officer)
    factor = SecondFactor.objects.get(user=officer)
    client.force_login(admin_user)

    listing = client.get("/admin/pact/secondfactor/").content.decode()
    detail = client.get(f"/admin/pact/secondfactor/{factor.pk}/change/").content.decode()

    assert factor.key not in listing + detail
    assert client.get("/admin/pact/secondfactor/add/").status_code == 403


def test_officer_cannot_reset_second_factors(client, officer, other_officer):
    client.force_login(other_officer)
    factor = SecondFactor.objects.get(user=other_officer)
    client.force_login(officer)

    client.post("/admin/pact/secondfactor/", {"action": "reset", "_selected_action": [factor.pk]})

    assert SecondFactor.objects.filter(pk=factor.pk).exists()


# Secrets stay secret.


@time_machine.travel(NOW, tick=False)
def test_no_code_key_or_password_reaches_the_audit_trail_or_the_logs(client, officer, caplog):
    caplog.set_level(logging.DEBUG)
    password_step(client)
    client.get(SETUP)
    factor = SecondFactor.objects.get(user=officer)
    code = code_at(factor, NOW)
    codes = backup_codes_in(client.post(SETUP, {"code": code}))
    client.post(reverse("staff:logout"))
    password_step(client)
    client.post(CHECK, {"code": codes[1]})

    trail = json.dumps(list(AuditEvent.objects.values("action", "data", "object_id")))
    logs = caplog.text
    for secret in [factor.key, code, PASSWORD, *codes, *(c.replace("-", "") for c in codes)]:
        assert secret not in trail
        assert secret not in logs
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"pact.sign_in.password_accepted", "pact.two_factor.enrolled", "pact.two_factor.verified"} <= actions
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
