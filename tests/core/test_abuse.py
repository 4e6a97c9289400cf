import pytest
from django.test import override_settings

from core.abuse import RateLimit, client_address, rate_limit_exceeded
from core.forms import ERROR_HONEYPOT, HoneypotForm

RULE = RateLimit(scope="test-form", limit=3, window_seconds=600)


def test_rate_limit_allows_up_to_the_limit_then_refuses(rf):
    request = rf.post("/form/", REMOTE_ADDR="203.0.113.9")

    results = [rate_limit_exceeded(request, RULE) for _ in range(5)]

    assert results == [False, False, False, True, True]


def test_rate_limit_counts_each_client_apart(rf):
    for _ in range(3):
        rate_limit_exceeded(rf.post("/form/", REMOTE_ADDR="203.0.113.9"), RULE)

    assert not rate_limit_exceeded(rf.post("/form/", REMOTE_ADDR="203.0.113.10"), RULE)


def test_rate_limit_fails_open_when_cache_is_down(rf):
    unreachable = {"default": {"BACKEND": "core.cache_backend.PactRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable):
        assert not any(rate_limit_exceeded(rf.post("/form/"), RULE) for _ in range(5))


@pytest.mark.parametrize(("behind_proxy", "expected"), [(True, "198.51.100.7"), (False, "10.0.0.2")])
def test_client_address_trusts_forwarded_for_only_behind_proxy(rf, settings, behind_proxy, expected):
    settings.PACT_BEHIND_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")

    assert client_address(request) == expected


def test_honeypot_filled_is_refused_with_a_message():
    form = HoneypotForm(data={"website": "http://spam.example"})

    assert not form.is_valid()
    assert form.errors["website"] == [str(ERROR_HONEYPOT)]


def test_honeypot_empty_passes():
    assert HoneypotForm(data={"website": ""}).is_valid()
