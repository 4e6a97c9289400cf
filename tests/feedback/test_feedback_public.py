import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.forms import ERROR_HONEYPOT
from core.models import OutboundEmail
from core.recipients import ERROR_TOO_MANY_EMAILS
from core.services import outbox_dispatch
from feedback.forms import feedback as forms
from feedback.models import EqualityResponse, Feedback
from feedback.views.feedback.public import ERROR_RATE_LIMITED
from tests.core.factories import confirmed_address
from tests.wards.factories import PostcodeFactory

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.com"


@pytest.fixture
def postcode(ward_a):
    return PostcodeFactory(postcode="ME14 1XX", outward="ME14", ward=ward_a)


def _url(kind):
    return reverse("feedback:give", args=[kind])


def _answers(kind="complaint", **changes):
    answers = {"postcode": "", "officer_text": "", "wants_reply": "no", "website": ""}
    if kind == "service":
        answers |= {"treated_score": "1", "informed_score": "10", "overall_score": "5"}
    else:
        answers["description"] = "The officer was rude to me at the station."
    return {**answers, **changes}


def _errors(response):
    return response.context["form"].errors


def test_feedback_start_lists_the_four_forms(client):
    response = client.get(reverse("feedback:start"))
    assert response.status_code == 200
    for kind in ("service", "compliment", "complaint", "suggestion"):
        assert _url(kind) in response.content.decode()


def test_feedback_form_unknown_kind_is_not_found(client):
    assert client.get("/have-your-say/bribe/").status_code == 404


@pytest.mark.parametrize("kind", ["service", "compliment", "complaint", "suggestion"])
def test_feedback_form_records_each_kind_anonymously_with_a_reference(client, kind):
    response = client.post(_url(kind), _answers(kind))
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("feedback:sent", args=[feedback.reference])
    assert feedback.kind == kind
    assert feedback.ward is None
    assert not feedback.wants_reply
    assert feedback.reference.startswith("FB-")
    assert not OutboundEmail.objects.exists()
    page = client.get(response.url).content.decode()
    assert feedback.reference in page


def test_feedback_form_shows_the_fields_of_its_kind_and_a_honeypot(client):
    service = client.get(_url("service")).content.decode()
    complaint = client.get(_url("complaint")).content.decode()
    assert 'name="treated_score"' in service
    assert 'name="description"' not in service
    assert 'name="description"' in complaint
    assert 'name="treated_score"' not in complaint
    assert 'name="website"' in complaint
    # The equality questions are a separate, optional step after sending.
    assert 'name="equality-ethnicity"' not in complaint
    assert 'name="ethnicity"' not in complaint


def test_feedback_service_scores_accept_1_and_10_and_refuse_0_11_and_missing(client):
    response = client.post(_url("service"), _answers("service", treated_score="0", informed_score="11"))
    del_missing = _answers("service")
    del del_missing["overall_score"]
    missing = client.post(_url("service"), del_missing)
    assert _errors(response)["treated_score"] == [forms.ERROR_SCORE_REQUIRED]
    assert _errors(response)["informed_score"] == [forms.ERROR_SCORE_REQUIRED]
    assert _errors(missing)["overall_score"] == [forms.ERROR_SCORE_REQUIRED]
    assert "<title>Error: " in missing.content.decode()
    client.post(_url("service"), _answers("service"))
    feedback = Feedback.objects.get()
    assert (feedback.treated_score, feedback.informed_score, feedback.overall_score) == (1, 10, 5)


def test_feedback_postcode_gives_the_ward_and_team(client, postcode, ward_a):
    client.post(_url("compliment"), _answers("compliment", postcode=" me141xx "))
    feedback = Feedback.objects.get()
    assert feedback.ward == ward_a
    assert feedback.team == ward_a.team


def test_feedback_complaint_is_not_given_the_team_it_is_about(client, postcode, ward_a):
    client.post(_url("complaint"), _answers(postcode="ME14 1XX"))
    feedback = Feedback.objects.get()
    assert feedback.ward == ward_a
    assert feedback.team is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("ME14", forms.ERROR_POSTCODE_INVALID),
        ("not a postcode", forms.ERROR_POSTCODE_INVALID),
        ("X" * 5000, forms.ERROR_POSTCODE_INVALID),
        ("SW1A 1AA", forms.ERROR_POSTCODE_NOT_KENT),
        ("ME14 9ZZ", forms.ERROR_POSTCODE_NOT_KENT),
    ],
)
def test_feedback_postcode_malformed_or_outside_kent_gets_a_specific_error(client, postcode, text, error):
    response = client.post(_url("complaint"), _answers(postcode=text))
    assert _errors(response)["postcode"] == [error]
    assert not Feedback.objects.exists()


def test_feedback_description_at_its_limits(client):
    missing = client.post(_url("complaint"), _answers(description="   "))
    too_long = client.post(_url("complaint"), _answers(description="x" * 5001))
    assert _errors(missing)["description"] == [forms.ERROR_DESCRIPTION_REQUIRED]
    assert _errors(too_long)["description"] == [forms.ERROR_DESCRIPTION_TOO_LONG]
    # Line breaks count once, as the character count shows them.
    client.post(_url("complaint"), _answers(description="x\r\n" * 2499 + "xx"))
    assert len(Feedback.objects.get().description) == 5000


def test_feedback_service_texts_and_officer_at_their_limits(client):
    long = _answers("service", went_well="x" * 2001, could_be_better="x" * 2001, officer_text="x" * 151)
    response = client.post(_url("service"), long)
    assert _errors(response)["went_well"] == [forms.ERROR_SHORT_TOO_LONG]
    assert _errors(response)["could_be_better"] == [forms.ERROR_SHORT_TOO_LONG]
    assert _errors(response)["officer_text"] == [forms.ERROR_OFFICER_TOO_LONG]
    client.post(
        _url("service"), _answers("service", went_well="x" * 2000, could_be_better="y" * 2000, officer_text="z" * 150)
    )
    assert Feedback.objects.get().officer_text == "z" * 150


def test_feedback_reply_wanted_needs_a_name_and_an_email_or_phone(client):
    response = client.post(_url("complaint"), _answers(wants_reply="yes"))
    assert _errors(response)["contact_name"] == [forms.ERROR_NAME_REQUIRED]
    assert _errors(response)["contact_email"] == [forms.ERROR_CONTACT_REQUIRED]
    missing = client.post(_url("complaint"), _answers(wants_reply=""))
    assert _errors(missing)["wants_reply"] == [forms.ERROR_WANTS_REPLY]


def test_feedback_contact_details_at_their_limits(client):
    bad = _answers(wants_reply="yes", contact_name="x" * 151, contact_email="not-an-email", contact_phone="123")
    response = client.post(_url("complaint"), bad)
    assert _errors(response)["contact_name"] == [forms.ERROR_NAME_TOO_LONG]
    assert _errors(response)["contact_email"] == [forms.ERROR_EMAIL_INVALID]
    assert _errors(response)["contact_phone"] == [forms.ERROR_PHONE_INVALID]
    client.post(_url("complaint"), _answers(wants_reply="yes", contact_name="x" * 150, contact_phone="01632 960 001"))
    feedback = Feedback.objects.get()
    assert feedback.wants_reply
    assert feedback.contact_phone == "01632 960 001"
    assert feedback.contact_email == ""


def test_feedback_contact_details_are_dropped_when_no_reply_is_wanted(client):
    client.post(_url("suggestion"), _answers("suggestion", contact_name="Ann", contact_email=EMAIL))
    feedback = Feedback.objects.get()
    assert (feedback.contact_name, feedback.contact_email) == ("", "")


def test_feedback_with_an_email_is_acknowledged_and_a_complaint_names_the_iopc(client):
    confirmed_address(EMAIL)
    response = client.post(_url("complaint"), _answers(wants_reply="yes", contact_name="Ann", contact_email=EMAIL))
    feedback = Feedback.objects.get()
    email = OutboundEmail.objects.get()
    assert email.to == EMAIL
    assert feedback.reference in email.subject
    assert "Independent Office for Police Conduct" in email.body_text
    page = client.get(response.url).content.decode()
    assert "professional standards" in page
    assert "Independent Office for Police Conduct" in page
    assert EMAIL not in page
    assert "Ann" not in page


def test_feedback_equality_answers_are_stored_apart_with_the_district(client, postcode, ward_a):
    sent = client.post(_url("compliment"), _answers("compliment", postcode="ME14 1XX"))
    reference = Feedback.objects.get().reference
    assert not EqualityResponse.objects.exists()

    about_you = reverse("feedback:feedback_about_you", args=[reference])
    assert about_you in client.get(sent.url).content.decode()
    client.post(about_you, {"sex": "female", "website": ""})

    equality = EqualityResponse.objects.get()
    assert equality.context == "feedback"
    assert equality.district == ward_a.district
    assert equality.sex == "female"


def test_feedback_honeypot_refuses_the_form(client):
    response = client.post(_url("complaint"), _answers(website="http://spam.example"))
    assert _errors(response)["website"] == [ERROR_HONEYPOT]
    assert not Feedback.objects.exists()


def test_feedback_form_is_rate_limited(client):
    for _ in range(5):
        assert client.post(_url("complaint"), _answers()).status_code == 302
    response = client.post(_url("complaint"), _answers())
    assert response.status_code == 429
    assert ERROR_RATE_LIMITED in response.context["form"].non_field_errors()
    assert Feedback.objects.count() == 5


def test_feedback_form_needs_csrf():
    client = Client(enforce_csrf_checks=True)
    assert client.post(_url("complaint"), _answers()).status_code == 403


def test_feedback_sent_page_unknown_reference_is_not_found(client):
    assert client.get(reverse("feedback:sent", args=["FB-ZZZZZZ"])).status_code == 404
    assert client.get(reverse("feedback:sent", args=["nonsense"])).status_code == 404


def _confirm_path(request: OutboundEmail) -> str:
    return re.search(r"https?://[^/\s]+(/email/confirm/[^/\s]+/)", request.body_text).group(1)


def test_finding_6_feedback_to_an_address_never_confirmed_sends_only_a_confirmation_request(client):
    response = client.post(_url("complaint"), _answers(wants_reply="yes", contact_name="Ann", contact_email=EMAIL))
    reference = Feedback.objects.get().reference

    outbox_dispatch()

    (request,) = mail.outbox
    assert request.subject == "Confirm your email address for PACT"
    assert reference not in request.body
    assert "a link to confirm it instead" in client.get(response.url).content.decode()
    client.post(_confirm_path(OutboundEmail.objects.get(key__startswith="address-confirm:")))
    outbox_dispatch()
    assert reference in mail.outbox[1].subject


def test_finding_6_feedback_past_the_addresss_daily_emails_is_refused_and_kept_in_the_form(client, settings):
    settings.PACT_EMAIL_ASKED_PER_DAY = 0

    response = client.post(_url("complaint"), _answers(wants_reply="yes", contact_name="Ann", contact_email=EMAIL))

    assert response.status_code == 200
    assert str(ERROR_TOO_MANY_EMAILS) in response.content.decode()
    assert "The officer was rude to me at the station." in response.content.decode()
    assert not Feedback.objects.exists()
    assert not OutboundEmail.objects.exists()
