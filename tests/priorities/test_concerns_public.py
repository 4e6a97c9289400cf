import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from priorities.forms import concerns as forms
from priorities.models import Concern
from priorities.selectors.concerns import ward_section
from priorities.services import concerns as services
from priorities.views.concerns.public import ERROR_RATE_LIMITED
from tests.priorities.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.com"
PUBLIC = ("accepted", "shortlisted", "adopted")


@pytest.fixture
def speeding():
    return CategoryFactory(slug="speeding", name="Speeding and dangerous driving", is_police_uk=False)


def _url(ward):
    return reverse("priorities:concern_new", args=[ward.code])


def _answers(**changes):
    answers = {
        "category": "speeding",
        "description": "Cars race along the High Street after 10pm.",
        "location_text": "High Street",
        "contact_email": EMAIL,
        "website": "",
    }
    return {**answers, **changes}


def test_concern_form_has_labelled_fields_count_and_honeypot(client, ward_a, speeding):
    CategoryFactory()

    content = client.get(_url(ward_a)).content.decode()

    assert f"Raise a concern about {ward_a.name}" in content
    assert "Email address (optional)" in content
    assert "Only if you would like a reply" in content
    assert 'data-module="govuk-character-count"' in content
    assert 'data-maxlength="2000"' in content
    assert "maxlength" not in content.replace("data-maxlength", "")
    assert '<optgroup label="Local issues">' in content
    assert '<optgroup label="Crimes (police.uk categories)">' in content
    assert 'class="pact-honeypot"' in content
    assert "csrfmiddlewaretoken" in content


def test_concern_form_raises_the_concern_and_shows_its_reference(client, ward_a, speeding):
    response = client.post(_url(ward_a), _answers())

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("priorities:concern_raised", args=[concern.follow_code])
    assert concern.ward == ward_a
    assert concern.category == speeding
    assert concern.contact_email == EMAIL
    assert concern.status == Concern.Status.RECEIVED
    content = client.get(response.url).content.decode()
    assert concern.reference in content
    assert "govuk-panel--confirmation" in content
    assert "will review your concern" in content
    assert "next PACT meeting" in content
    assert EMAIL not in content
    assert concern.description not in content


def test_concern_form_accepts_2000_characters_counting_line_breaks_once(client, ward_a, speeding):
    description = "\r\n".join(["x" * 99] * 20)  # 20 lines of 99 plus 19 breaks: 1999 as counted

    response = client.post(_url(ward_a), _answers(description=description + "y"))

    assert response.status_code == 302
    assert len(Concern.objects.get().description) == 2000


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": "x" * 2001}, services.ERROR_DESCRIPTION_TOO_LONG),
        ({"description": ""}, services.ERROR_DESCRIPTION_REQUIRED),
        ({"description": "   \r\n  "}, services.ERROR_DESCRIPTION_REQUIRED),
        ({"category": ""}, forms.ERROR_CATEGORY_REQUIRED),
        ({"category": "no-such-category"}, forms.ERROR_CATEGORY_REQUIRED),
        ({"location_text": "y" * 201}, services.ERROR_LOCATION_TOO_LONG),
        ({"contact_email": "not-an-email"}, forms.ERROR_EMAIL_INVALID),
        ({"contact_email": "a" * 250 + "@example.com"}, forms.ERROR_EMAIL_INVALID),
        ({"description": "Cars\x00racing"}, forms.ERROR_NULL_CHARACTERS),
        ({"location_text": "High\x00Street"}, forms.ERROR_NULL_CHARACTERS),
    ],
)
def test_concern_form_refuses_bad_input_with_a_specific_message_and_keeps_the_rest(
    client, ward_a, speeding, changes, message
):
    response = client.post(_url(ward_a), _answers(**changes))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert 'class="govuk-error-summary"' in content
    assert str(message) in content
    assert not Concern.objects.exists()
    if "location_text" not in changes:
        assert 'value="High Street"' in content
    if "description" not in changes:
        assert "Cars race along the High Street after 10pm." in content


def test_concern_form_keeps_an_oversized_description_whole(client, ward_a, speeding):
    description = "z" * 2500

    content = client.post(_url(ward_a), _answers(description=description)).content.decode()

    assert description in content


def test_concern_form_escapes_markup_it_shows_back(client, ward_a, speeding):
    content = client.post(_url(ward_a), _answers(description="<script>alert(1)</script>" + "x" * 2000)).content
    content = content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_concern_form_refuses_a_filled_honeypot(client, ward_a, speeding):
    response = client.post(_url(ward_a), _answers(website="http://spam.example"))

    assert response.status_code == 200
    assert "Leave the field headed" in response.content.decode()
    assert not Concern.objects.exists()


def test_concern_form_rate_limit_refuses_with_429_and_keeps_the_answers(client, ward_a, speeding):
    for _ in range(5):
        assert client.post(_url(ward_a), _answers()).status_code == 302

    response = client.post(_url(ward_a), _answers(description="The sixth concern about racing."))

    content = response.content.decode()
    assert response.status_code == 429
    assert str(ERROR_RATE_LIMITED) in content
    assert "<title>Error: " in content
    assert "The sixth concern about racing." in content
    assert Concern.objects.count() == 5


def test_concern_form_enforces_csrf(ward_a, speeding):
    client = Client(enforce_csrf_checks=True)

    response = client.post(_url(ward_a), _answers())

    assert response.status_code == 403
    assert not Concern.objects.exists()


def test_concern_form_with_csrf_token_is_accepted(ward_a, speeding):
    client = Client(enforce_csrf_checks=True)
    client.get(_url(ward_a))

    response = client.post(_url(ward_a), _answers(csrfmiddlewaretoken=client.cookies["csrftoken"].value))

    assert response.status_code == 302


@pytest.mark.parametrize("code", ["E05999999", "nonsense"])
def test_concern_pages_unknown_ward_is_404(client, code):
    assert client.get(f"/wards/{code}/concerns/new/").status_code == 404
    assert client.get(f"/wards/{code}/concerns/").status_code == 404


@pytest.mark.parametrize("reference", ["PACT-ZZZZZZ", "nonsense"])
def test_concern_confirmation_unknown_reference_is_404(client, reference):
    assert client.get(f"/concerns/{reference}/").status_code == 404


def test_concern_pages_open_by_follow_code_in_any_case_never_by_the_short_reference(client, ward_a):
    concern = ConcernFactory(ward=ward_a, reference="PACT-ABC234")
    code = concern.follow_code.lower()

    assert client.get(f"/concerns/{code}/sent/").status_code == 200
    assert client.get(f"/concerns/{code}/").status_code == 200
    # The short reference could be guessed: it opens nothing public.
    assert client.get("/concerns/PACT-ABC234/").status_code == 404
    assert client.get("/concerns/PACT-ABC234/sent/").status_code == 404


def _concerns(ward, count, **kwargs):
    return [
        ConcernFactory(ward=ward, status=PUBLIC[n % 3], location_text=f"Street {n}", contact_email=EMAIL, **kwargs)
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_ward_concerns_list_runs_fixed_queries(client, django_assert_num_queries, ward_a, count):
    _concerns(ward_a, count)

    # 1 the ward, 2 count of its published concerns, 3 a page of them with their categories
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:ward_concerns", args=[ward_a.code]))

    assert response.content.decode().count('class="govuk-summary-card pact-concern"') == min(count, 20)


def test_ward_concerns_list_shows_only_moderated_concerns_without_personal_data(client, ward_a, ward_b, officer):
    shown = _concerns(ward_a, 3)
    hidden = [
        ConcernFactory(ward=ward_a, description="Awaiting moderation"),
        ConcernFactory(ward=ward_a, status="rejected", rejection_reason="Dup", description="Rejected one"),
        ConcernFactory(ward=ward_a, status="merged", merged_into=shown[0], description="Merged one"),
        ConcernFactory(ward=ward_b, status="accepted", description="Another ward"),
    ]
    ConcernFactory(ward=ward_a, status="accepted", raised_by=officer, source="meeting")

    content = client.get(reverse("priorities:ward_concerns", args=[ward_a.code])).content.decode()

    for concern in shown:
        assert concern.location_text in content
    for concern in hidden:
        assert concern.description not in content
    assert EMAIL not in content
    assert officer.username not in content
    assert "Adopted as a priority" in content
    assert "Shortlisted for a meeting" in content


def test_ward_concerns_list_escapes_markup(client, ward_a):
    ConcernFactory(ward=ward_a, status="accepted", description="<b>bold</b>", location_text="<i>x</i>")

    content = client.get(reverse("priorities:ward_concerns", args=[ward_a.code])).content.decode()

    assert "<b>bold</b>" not in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content
    assert "&lt;i&gt;x&lt;/i&gt;" in content


def test_ward_concerns_list_is_paginated(client, ward_a):
    _concerns(ward_a, 25)

    content = client.get(reverse("priorities:ward_concerns", args=[ward_a.code]), {"page": 2}).content.decode()

    assert content.count('class="govuk-summary-card pact-concern"') == 5
    assert "Showing 21 to 25 of 25 concerns" in content


def test_ward_concerns_list_empty_state(client, ward_a):
    ConcernFactory(ward=ward_a)

    content = client.get(reverse("priorities:ward_concerns", args=[ward_a.code])).content.decode()

    assert "No concerns about Abbey have been published yet." in content
    assert reverse("priorities:concern_new", args=[ward_a.code]) in content


@pytest.mark.parametrize("count", [3, 30])
def test_ward_section_renders_the_latest_three_in_one_query(django_assert_num_queries, ward_a, count):
    _concerns(ward_a, count)
    newest = Concern.objects.filter(ward=ward_a).order_by("-created_at", "-pk")[:3]

    # 1 the ward's three latest published concerns with their categories
    with django_assert_num_queries(1):
        html = render_to_string("priorities/sections/_ward_concerns.html", {"ward": ward_a, **ward_section(ward_a)})

    assert html.count('class="govuk-summary-card pact-concern"') == 3
    assert [ref for ref in re.findall(r"PC\d{6}", html)] == [concern.reference for concern in newest]


def test_ward_page_links_to_raise_a_concern_and_shows_published_ones(client, ward_a):
    _concerns(ward_a, 4)
    ConcernFactory(ward=ward_a, description="Awaiting moderation")

    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert "Raise a local concern" in content
    assert reverse("priorities:concern_new", args=[ward_a.code]) in content
    assert reverse("priorities:ward_concerns", args=[ward_a.code]) in content
    assert content.count('class="govuk-summary-card pact-concern"') == 3
    assert "Awaiting moderation" not in content
    assert EMAIL not in content


def test_ward_page_concerns_empty_state(client, ward_a):
    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert "No concerns about Abbey have been published yet." in content
