import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from core.abuse import (
    ERROR_ADDRESS_LIMITED,
    FormLimit,
    RateLimit,
    client_address,
    form_limit_refusal,
    rate_limit_exceeded,
)
from core.forms import ERROR_HONEYPOT, HoneypotForm
from core.models import SignInLockout

RULE = RateLimit(scope="test-form", limit=3, window_seconds=600)


def test_rate_limit_allows_up_to_the_limit_then_refuses(rf):
    request = rf.post("/form/", REMOTE_ADDR="203.0.113.9")

    results = [rate_limit_exceeded(request, RULE) for _ in range(5)]

    assert results == [False, False, False, True, True]


def test_rate_limit_counts_each_client_apart(rf):
    for _ in range(3):
        rate_limit_exceeded(rf.post("/form/", REMOTE_ADDR="203.0.113.9"), RULE)

    assert not rate_limit_exceeded(rf.post("/form/", REMOTE_ADDR="203.0.113.10"), RULE)


def test_rate_limit_counts_an_ipv6_client_by_its_64_network(rf):
    # As django-ratelimit's test_ratelimit_mask_v6 (its default RATELIMIT_IPV6_MASK of 64).
    one = RateLimit(scope="test-v6", limit=1, window_seconds=60)

    assert not rate_limit_exceeded(rf.post("/", REMOTE_ADDR="2001:db8::1000"), one)
    assert rate_limit_exceeded(rf.post("/", REMOTE_ADDR="2001:db8::1001"), one)
    assert rate_limit_exceeded(rf.post("/", REMOTE_ADDR="2001:db8:0:0:ffff::1"), one)
    assert not rate_limit_exceeded(rf.post("/", REMOTE_ADDR="2001:db9::1000"), one)
    assert not rate_limit_exceeded(rf.post("/", REMOTE_ADDR="2001:db8:0:1::1000"), one)


def test_rate_limit_fails_open_when_cache_is_down(rf):
    unreachable = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable):
        assert not any(rate_limit_exceeded(rf.post("/form/"), RULE) for _ in range(5))


@pytest.mark.parametrize(("behind_proxy", "expected"), [(True, "10.0.0.1"), (False, "10.0.0.2")])
def test_client_address_trusts_forwarded_for_only_behind_proxy(rf, settings, behind_proxy, expected):
    settings.PACT_BEHIND_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")

    assert client_address(request) == expected


# Finding 3 of issue 12: the left of X-Forwarded-For is whatever the client sent; only the
# entries our own proxies appended, counted from the right, can be trusted.
@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (1, "198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        (2, "198.51.100.7, 10.0.0.5", "198.51.100.7"),
        (1, "203.0.113.66,198.51.100.7", "198.51.100.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_finding_3_client_address_is_the_entry_our_own_proxies_added(rf, settings, proxies, forwarded, expected):
    settings.PACT_BEHIND_PROXY = True
    settings.PACT_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [(1, ""), (1, " , "), (1, "203.0.113.66, not-an-address"), (2, "198.51.100.7"), (1, "198.51.100.7, ")],
)
def test_finding_3_client_address_is_the_peer_when_the_header_is_short_or_malformed(rf, settings, proxies, forwarded):
    settings.PACT_BEHIND_PROXY = True
    settings.PACT_TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == "10.0.0.9"


def test_finding_3_a_forged_forwarded_for_does_not_dodge_the_limit(rf, settings):
    settings.PACT_BEHIND_PROXY = True
    # Our proxy appends the address it was reached from (198.51.100.7) to what the client sent.
    requests = [
        rf.post("/form/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7") for n in range(5)
    ]

    assert [rate_limit_exceeded(request, RULE) for request in requests] == [False, False, False, True, True]


def test_finding_3_a_forged_forwarded_for_cannot_lock_out_a_chosen_address(client, settings, officer):
    settings.PACT_BEHIND_PROXY = True
    settings.PACT_SIGN_IN_ADDRESS_FAILURES = 3
    sign_in = reverse("staff:login")
    victim = "203.0.113.7"
    for n in range(4):
        # The attacker, at 198.51.100.66, puts the victim's address first; the proxy appends theirs.
        forged = f"{victim}, 198.51.100.66"
        client.post(sign_in, {"username": f"guess{n}", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forged)

    response = client.post(
        sign_in, {"username": "officer", "password": "correct horse battery staple"}, HTTP_X_FORWARDED_FOR=victim
    )

    assert response.status_code == 302
    assert SignInLockout.objects.get().kind == "address"


def test_rate_limit_counts_each_scope_apart(rf):
    # As django-ratelimit's test_views_counted_separately.
    one = RateLimit(scope="test-one", limit=1, window_seconds=60)
    other = RateLimit(scope="test-other", limit=1, window_seconds=60)
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")

    assert [rate_limit_exceeded(request, one), rate_limit_exceeded(request, one)] == [False, True]
    assert not rate_limit_exceeded(request, other)


def test_rate_limit_starts_again_in_the_next_window(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(1_800_000_000, tick=False):
        assert [rate_limit_exceeded(request, RULE) for _ in range(4)] == [False, False, False, True]
    with time_machine.travel(1_800_000_000 + RULE.window_seconds, tick=False):
        assert not rate_limit_exceeded(request, RULE)


# Finding 15 of issue 12: one address is often many people (a library, a venue's wifi, a council
# office), so it gets a generous limit of its own; each person a tighter one.
FORM = FormLimit(scope="test-form", per_person=2, per_address=5, person_refusal="You have sent 2 test forms.")


def _post(rf, *, browser: str | None = None, address: str = "203.0.113.9"):
    request = rf.post("/form/", REMOTE_ADDR=address)
    if browser is not None:
        request.META["CSRF_COOKIE"] = browser
    return request


def test_finding_15_people_sharing_an_address_are_counted_apart(rf):
    for browser in ("browser-a", "browser-b"):
        assert [form_limit_refusal(_post(rf, browser=browser), FORM) for _ in range(2)] == [None, None]

    assert form_limit_refusal(_post(rf, browser="browser-c"), FORM) is None
    assert form_limit_refusal(_post(rf, browser="browser-a"), FORM) == "You have sent 2 test forms."


def test_finding_15_the_address_refusal_says_the_connection_is_shared_and_blames_nobody(rf):
    answers = [form_limit_refusal(_post(rf, browser=f"browser-{n}"), FORM) for n in range(6)]

    assert answers == [None] * 5 + [str(ERROR_ADDRESS_LIMITED)]
    assert "your internet connection" in answers[-1]
    assert "everyone using it counts" in answers[-1]
    assert "You have" not in answers[-1]
    assert form_limit_refusal(_post(rf, browser="browser-9", address="198.51.100.1"), FORM) is None


def test_finding_15_an_email_address_is_one_person_whatever_the_browser(rf):
    for n in range(2):
        assert (
            form_limit_refusal(_post(rf, browser=f"browser-{n}", address=f"198.51.100.{n}"), FORM, email="a@x.org")
            is None
        )

    refusal = form_limit_refusal(_post(rf, browser="browser-9", address="192.0.2.1"), FORM, email=" A@X.org ")

    assert refusal == "You have sent 2 test forms."


def test_form_limit_counts_a_client_without_a_cookie_by_its_address_at_the_persons_limit(rf):
    assert [form_limit_refusal(_post(rf), FORM) for _ in range(3)] == [None, None, "You have sent 2 test forms."]


def test_form_limit_counts_a_known_person_across_browsers(rf):
    for n in range(2):
        assert form_limit_refusal(_post(rf, browser=f"browser-{n}"), FORM, person="log:1") is None

    assert form_limit_refusal(_post(rf, browser="browser-9"), FORM, person="log:1") == "You have sent 2 test forms."
    assert form_limit_refusal(_post(rf, browser="browser-8"), FORM, person="log:2") is None


def test_form_limit_fails_open_when_cache_is_down(rf):
    # django-ratelimit limits everyone when its cache fails (RATELIMIT_FAIL_OPEN is off by
    # default); a resident reporting something must never be refused for our outage.
    unreachable = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable):
        assert not any(form_limit_refusal(_post(rf, browser="b"), FORM) for _ in range(8))


def test_honeypot_filled_is_refused_with_a_message():
    form = HoneypotForm(data={"website": "http://spam.example"})

    assert not form.is_valid()
    assert form.errors["website"] == [str(ERROR_HONEYPOT)]


def test_honeypot_empty_passes():
    assert HoneypotForm(data={"website": ""}).is_valid()
