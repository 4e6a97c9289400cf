"""django-otp's own test cases for TOTP devices and its verification middleware, ported to our
core.two_factor (we keep our own code: django-otp stores keys in clear), plus the RFC 6238 test
vectors.

Ported from django_otp/plugins/otp_totp tests (TOTPTest) and django_otp tests
(OTPMiddlewareTestCase): the tolerance window, no reuse of a code, the otpauth URI with its
issuer, the default key, and the verified state (verified, unverified, no device, another
user's device). Not ported, because PACT has no such thing: a configurable tolerance (ours is
one step either side, always), clock-drift tracking and its sync (test_drift,
test_sync_drift), and django-otp's admin QR views (ours never shows a key after set-up:
test_two_factor.py). Its throttling cases are answered by our lockouts, which refuse even a
right code after repeated wrong ones (test_two_factor_lockout.py).
"""

import datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
import time_machine
from django.urls import reverse

from core import two_factor
from core.encryption import encrypt
from core.models import SecondFactor
from tests.core.factories import SecondFactorFactory, UserFactory, totp

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 21, 10, 0, 10, tzinfo=datetime.UTC)
STAFF_HOME = reverse("staff:home")
CHECK = reverse("staff:two_factor_check")
# RFC 6238, appendix B: the SHA-1 seed "12345678901234567890", as base32.
RFC_KEY = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def factor_with(key: str) -> SecondFactor:
    return SecondFactorFactory(encrypted_key=encrypt(key))


def claims(factor: SecondFactor, codes: list[str]) -> list[bool]:
    results = []
    for code in codes:
        try:
            two_factor.totp_code_claim(factor=factor, code=code)
        except two_factor.TwoFactorError:
            results.append(False)
        else:
            results.append(True)
    return results


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "287082"),
        (1111111109, "081804"),
        (1111111111, "050471"),
        (1234567890, "005924"),
        (2000000000, "279037"),
        (20000000000, "353130"),
    ],
)
def test_rfc_6238_test_vectors_are_accepted_at_their_time(unix_time, code):
    factor = factor_with(RFC_KEY)

    with time_machine.travel(unix_time, tick=False):
        step = two_factor.totp_code_claim(factor=factor, code=code)

    assert step == unix_time // 30


@time_machine.travel(NOW, tick=False)
def test_tolerance_accepts_one_step_either_side_and_no_further():
    """django-otp's test_tolerance: ten codes from three steps ago, in order, with a tolerance of one."""
    factor = SecondFactorFactory()
    clock = totp(factor)
    now = clock.timecode(NOW)
    codes = [clock.generate_otp(step) for step in range(now - 3, now + 7)]

    assert claims(factor, codes) == [False] * 2 + [True] * 3 + [False] * 5


@time_machine.travel(NOW, tick=False)
def test_tolerance_tells_an_expired_code_from_a_wrong_one():
    factor = SecondFactorFactory()
    clock = totp(factor)
    now = clock.timecode(NOW)

    for step, error in ((now - 2, two_factor.ERROR_CODE_USED), (now + 2, two_factor.ERROR_CODE_WRONG)):
        with pytest.raises(two_factor.TwoFactorError) as refused:
            two_factor.totp_code_claim(factor=factor, code=clock.generate_otp(step))
        assert refused.value.args[0] == error


@time_machine.travel(NOW, tick=False)
def test_no_reuse():
    """django-otp's test_no_reuse: the same code twice verifies once and records its step."""
    factor = SecondFactorFactory()
    code = totp(factor).at(NOW)

    assert claims(factor, [code, code]) == [True, False]
    factor.refresh_from_db()
    assert factor.last_used_step == totp(factor).timecode(NOW)


@time_machine.travel(NOW, tick=False)
def test_no_reuse_by_a_stale_copy_of_the_factor():
    """Two requests that loaded the factor before either claimed: the database decides."""
    factor = SecondFactorFactory()
    stale = SecondFactor.objects.get(pk=factor.pk)
    code = totp(factor).at(NOW)

    assert claims(factor, [code]) == [True]
    assert claims(stale, [code]) == [False]


def test_config_url_with_the_issuer():
    """django-otp's test_config_url_issuer and _spaces: an otpauth URI with the issuer in the
    label and as a parameter, spaces encoded as in RFC 3986."""
    key = two_factor.new_key()

    url = two_factor.provisioning_uri(key=key, username="officer")

    parsed = urlsplit(url)
    params = parse_qs(parsed.query)
    assert parsed.scheme == "otpauth"
    assert parsed.netloc == "totp"
    assert parsed.path == "/PACT%20Kent%20and%20Medway:officer"
    assert unquote(parsed.path) == f"/{two_factor.ISSUER}:officer"
    assert params["secret"] == [key]
    assert params["issuer"] == [two_factor.ISSUER]


def test_default_key():
    """django-otp's test_default_key: a new key decodes, to the 160 bits RFC 4226 recommends,
    and no two are alike."""
    keys = {two_factor.new_key() for _ in range(20)}

    assert len(keys) == 20
    for key in keys:
        assert len(pyotp.TOTP(key).byte_secret()) == 20


@pytest.mark.parametrize("code", ["12345", "1234567", "12345a", "-1", "١٢٣٤٥٦"])
@time_machine.travel(NOW, tick=False)
def test_a_code_of_the_wrong_length_or_kind_is_refused_and_claims_nothing(client, officer, code):
    factor = SecondFactorFactory(user=officer)
    client.post(reverse("staff:login"), {"username": "officer", "password": "correct horse battery staple"})

    response = client.post(CHECK, {"code": code})

    assert response.status_code == 400
    assert client.get(STAFF_HOME).status_code == 302
    factor.refresh_from_db()
    assert factor.last_used_step == 0


# The verified state (django-otp's OTPMiddlewareTestCase).


def _session_names(client, factor_id) -> None:
    session = client.session
    session[two_factor.SESSION_VERIFIED] = factor_id
    session.save()


def test_verified(client, officer):
    client.force_login(officer)

    assert client.get(STAFF_HOME).status_code == 200


def test_unverified(client, officer):
    SecondFactorFactory(user=officer)
    client.force_login(officer, second_factor=False)

    assert client.get(STAFF_HOME)["Location"].startswith(CHECK)


def test_no_device(client, officer):
    client.force_login(officer)
    SecondFactor.objects.filter(user=officer).delete()

    assert client.get(STAFF_HOME)["Location"].startswith(reverse("staff:two_factor_check"))


def test_wrong_user(client, officer):
    SecondFactorFactory(user=officer)
    someone_else = SecondFactorFactory(user=UserFactory())
    client.force_login(officer, second_factor=False)
    _session_names(client, someone_else.pk)

    assert client.get(STAFF_HOME)["Location"].startswith(CHECK)
