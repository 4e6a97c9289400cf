import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.wards.factories import PostcodeFactory, WardFactory
from wards import forms

pytestmark = pytest.mark.django_db

SEARCH = reverse("wards:search")


@pytest.fixture
def chatham(db):
    ward = WardFactory(code="E05002160", name="Chatham Central")
    PostcodeFactory(postcode="ME4 4TR", outward="ME4", ward=ward)
    PostcodeFactory(postcode="ME4 4TS", outward="ME4", ward=ward)
    return ward


@pytest.mark.parametrize("typed", ["ME4 4TR", "me44tr", " ME4  4TR ", "me4\t4tr", "Me4 4tR"])
def test_search_full_postcode_in_any_case_and_spacing_redirects_to_ward(client, chatham, typed):
    response = client.get(SEARCH, {"q": typed})

    assert response.status_code == 302
    assert response["Location"] == f"/wards/{chatham.code}/"


def test_search_outward_code_lists_the_wards_it_covers(client, chatham):
    other = WardFactory(name="Luton and Wayfield")
    PostcodeFactory(postcode="ME4 5AA", outward="ME4", ward=other)
    WardFactory(name="Elsewhere")

    response = client.get(SEARCH, {"q": "me4"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Wards matching ME4" in content
    assert "Chatham Central" in content
    assert "Luton and Wayfield" in content
    assert "Elsewhere" not in content


def test_search_ward_name_lists_matches(client, chatham):
    WardFactory(name="Strood North")

    response = client.get(SEARCH, {"q": "chatham"})

    assert response.status_code == 200
    assert "Chatham Central" in response.content.decode()
    assert "Strood North" not in response.content.decode()


def test_search_district_name_lists_its_wards(client):
    ward = WardFactory(name="Bearsted", district__name="Maidstone")

    response = client.get(SEARCH, {"q": "Maidstone"})

    assert ward.name in response.content.decode()


def test_search_name_with_no_match_says_so(client, chatham):
    response = client.get(SEARCH, {"q": "Atlantis"})

    assert response.status_code == 200
    assert "No wards match Atlantis" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", forms.ERROR_REQUIRED),
        ("   ", forms.ERROR_REQUIRED),
        ("ME4 4T", forms.ERROR_BAD_POSTCODE),
        ("12345", forms.ERROR_BAD_POSTCODE),
        ("ME44TRR", forms.ERROR_BAD_POSTCODE),
        ("<script>alert(1)</script>", forms.ERROR_BAD_CHARACTERS),
        ("'; DROP TABLE wards_ward; --", forms.ERROR_BAD_CHARACTERS),
        ("x" * 101, forms.ERROR_TOO_LONG),
        ("a", forms.ERROR_TOO_SHORT),
    ],
)
def test_search_malformed_input_shows_specific_error_in_summary(client, chatham, typed, message):
    response = client.get(SEARCH, {"q": typed})

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert escape(str(message)) in content
    assert "<title>Error:" in content


def test_search_nul_byte_is_refused_without_error(client, chatham):
    response = client.get(SEARCH, {"q": "ME4\x004TR"})

    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_search_markup_is_escaped_when_shown_back(client, chatham):
    response = client.get(SEARCH, {"q": "<b>x</b>"})

    assert "<b>x</b>" not in response.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()


def test_search_well_formed_kent_postcode_not_held_says_so(client, chatham):
    response = client.get(SEARCH, {"q": "ME4 9ZZ"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "We cannot find the postcode ME4 9ZZ" in content
    assert 'href="/search/?q=ME4"' in content


@pytest.mark.parametrize("typed", ["SW1A 1AA", "sw1a1aa", "TN22 1AA"])
def test_search_postcode_outside_kent_and_medway_points_to_police_uk(client, chatham, typed):
    response = client.get(SEARCH, {"q": typed})

    content = response.content.decode()
    assert "is outside Kent and Medway" in content
    assert "https://www.police.uk/" in content


def test_search_outward_code_outside_area_says_so(client, chatham):
    response = client.get(SEARCH, {"q": "SW1A"})

    assert "SW1A is outside Kent and Medway" in response.content.decode()


def test_search_without_query_shows_form(client):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "govuk-error-summary" not in response.content.decode()


def test_search_results_are_paginated(client):
    for number in range(35):
        WardFactory(name=f"Hilltop {number:02d}")

    first = client.get(SEARCH, {"q": "Hilltop"})
    second = client.get(SEARCH, {"q": "Hilltop", "page": 2})

    assert "Showing 1 to 30 of 35 wards" in first.content.decode()
    assert "Showing 31 to 35 of 35 wards" in second.content.decode()
    assert 'href="?q=Hilltop&amp;page=2"' in first.content.decode()


def test_search_rejects_post(client):
    assert client.post(SEARCH, {"q": "ME4 4TR"}).status_code == 405


@given(typed=st.text(max_size=150) | st.from_regex(r"\A[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}\Z"))
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_search_never_fails_whatever_is_typed(client, chatham, typed):
    response = client.get(SEARCH, {"q": typed})

    assert response.status_code in {200, 302}


def test_search_form_puts_no_csrf_token_in_the_address(client):
    # A GET form submits every field in the URL: a token there would reach logs and Referer headers.
    for address in ("/", SEARCH, f"{SEARCH}?q=Atlantis"):
        assert "csrfmiddlewaretoken" not in client.get(address).content.decode()
