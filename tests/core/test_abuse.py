import pytest
from django.test import override_settings
from django.urls import reverse

from core.abuse import RateLimit, client_address, rate_limit_exceeded
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


def test_honeypot_filled_is_refused_with_a_message():
    form = HoneypotForm(data={"website": "http://spam.example"})

    assert not form.is_valid()
    assert form.errors["website"] == [str(ERROR_HONEYPOT)]


def test_honeypot_empty_passes():
    assert HoneypotForm(data={"website": ""}).is_valid()
