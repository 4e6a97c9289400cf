import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import OutboundEmail
from core.recipients import ERROR_TOO_MANY_EMAILS, email_queue_for_resident
from priorities.forms.subscriptions import ERROR_EMAIL_INVALID, ERROR_EMAIL_REQUIRED
from priorities.models import Subscription
from priorities.services.subscriptions import ERROR_LINK_NOT_VALID, ERROR_NOTHING_CHOSEN
from priorities.views.subscriptions.public import ERROR_RATE_LIMITED, SUBSCRIBE_LIMIT
from tests.priorities.factories import SubscriptionFactory
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.org"


def _ward_url(ward):
    return reverse("priorities:ward_subscribe", args=[ward.code])


def _answers(**changes):
    return {"email": EMAIL, "wants": ["updates"], "website": "", **changes}


def _confirm_url(subscription):
    return reverse("priorities:subscription_confirm", args=[subscription.token])


def _unsubscribe_url(subscription):
    return reverse("priorities:subscription_unsubscribe", args=[subscription.token])


def test_ward_page_links_to_the_subscription_form(client, ward_a):
    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert f'href="{_ward_url(ward_a)}"' in content
    assert "Get updates by email" in content


def test_team_page_links_to_the_subscription_form(client, ward_a):
    team = ward_a.team

    content = client.get(reverse("wards:team", args=[team.slug])).content.decode()

    assert f'href="{reverse("priorities:team_subscribe", args=[team.slug])}"' in content


def test_subscribe_form_has_labelled_fields_a_fieldset_and_the_honeypot(client, ward_a):
    content = client.get(_ward_url(ward_a)).content.decode()

    assert f"Get updates by email from {ward_a.name}" in content
    assert '<label for="id_email" class="govuk-label">' in content
    assert "<legend" in content
    assert "What would you like to get by email?" in content
    assert "Monthly updates" in content
    assert "New meetings" in content
    assert 'class="pact-honeypot"' in content
    assert "csrfmiddlewaretoken" in content


def test_subscribe_from_a_ward_queues_the_confirmation_and_says_check_your_email(client, ward_a):
    response = client.post(_ward_url(ward_a), _answers(wants=["updates", "meetings"]))

    assert response.status_code == 302
    assert response.url == reverse("priorities:ward_subscribe_sent", args=[ward_a.code])
    subscription = Subscription.objects.get()
    assert subscription.ward == ward_a
    assert subscription.wants_meetings is True
    assert OutboundEmail.objects.get().to == EMAIL
    content = client.get(response.url).content.decode()
    assert "Check your email" in content
    assert EMAIL not in content


def test_subscribe_from_a_team(client, ward_a):
    team = ward_a.team

    response = client.post(reverse("priorities:team_subscribe", args=[team.slug]), _answers())

    assert response.url == reverse("priorities:team_subscribe_sent", args=[team.slug])
    assert Subscription.objects.get().team == team


def test_subscribe_with_an_address_already_confirmed_looks_the_same(client, ward_a):
    SubscriptionFactory(email=EMAIL, ward=ward_a)

    response = client.post(_ward_url(ward_a), _answers())

    assert response.status_code == 302
    assert response.url == reverse("priorities:ward_subscribe_sent", args=[ward_a.code])
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"email": ""}, ERROR_EMAIL_REQUIRED),
        ({"email": "not-an-address"}, ERROR_EMAIL_INVALID),
        ({"wants": []}, ERROR_NOTHING_CHOSEN),
    ],
)
def test_subscribe_form_errors_are_summarised(client, ward_a, answers, message):
    response = client.post(_ward_url(ward_a), _answers(**answers))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert str(message) in content
    assert Subscription.objects.count() == 0


def test_subscribe_form_refuses_a_filled_honeypot(client, ward_a):
    response = client.post(_ward_url(ward_a), _answers(website="http://spam.example"))

    assert "<title>Error: " in response.content.decode()
    assert Subscription.objects.count() == 0


def test_subscribe_form_rate_limit_refuses_with_429(client, ward_a):
    for number in range(SUBSCRIBE_LIMIT.per_person):
        client.post(_ward_url(ward_a), _answers(email=f"person{number}@example.org"))

    response = client.post(_ward_url(ward_a), _answers())

    assert response.status_code == 429
    assert str(ERROR_RATE_LIMITED) in response.content.decode()
    assert Subscription.objects.count() == SUBSCRIBE_LIMIT.per_person


def test_subscribe_form_for_an_unknown_place_is_404(client):
    assert client.get("/wards/E05999999/subscribe/").status_code == 404
    assert client.get("/teams/no-such-team/subscribe/").status_code == 404


def test_confirm_link_fetched_does_not_confirm(client, ward_a):
    subscription = SubscriptionFactory(ward=ward_a, confirmed_at=None)

    content = client.get(_confirm_url(subscription)).content.decode()

    assert "Confirm your subscription" in content
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">Confirm</button>' in content
    assert subscription.email not in content
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_confirm_button_confirms_then_shows_it_confirmed(client, ward_a):
    subscription = SubscriptionFactory(ward=ward_a, confirmed_at=None)

    response = client.post(_confirm_url(subscription))

    assert response.status_code == 302
    assert response.url == _confirm_url(subscription)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert "Subscription confirmed" in client.get(response.url).content.decode()


def test_confirm_an_ended_subscription_is_refused(client, ward_a):
    subscription = SubscriptionFactory(ward=ward_a, confirmed_at=None, unsubscribed_at="2026-03-01T10:00Z")

    response = client.post(_confirm_url(subscription))

    content = response.content.decode()
    assert "<title>Error: " in content
    assert str(ERROR_LINK_NOT_VALID) in content


def test_confirm_and_unsubscribe_unknown_links_are_404(client):
    assert client.get("/subscriptions/confirm/no-such-token/").status_code == 404
    assert client.post("/subscriptions/unsubscribe/no-such-token/").status_code == 404


def test_unsubscribe_link_fetched_does_not_unsubscribe(client, ward_a):
    subscription = SubscriptionFactory(ward=ward_a)

    content = client.get(_unsubscribe_url(subscription)).content.decode()

    assert f"Unsubscribe from {ward_a.name}" in content
    assert subscription.email not in content
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None


def test_unsubscribe_button_unsubscribes_then_says_so(client, ward_a):
    subscription = SubscriptionFactory(ward=ward_a)

    response = client.post(_unsubscribe_url(subscription))

    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert "You have unsubscribed" in client.get(response.url).content.decode()


def test_one_click_unsubscribe_from_the_mail_program_needs_no_csrf_token(ward_a):
    subscription = SubscriptionFactory(ward=ward_a)
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(_unsubscribe_url(subscription), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_subscription_pages_show_no_address(client, ward_a):
    subscription = SubscriptionFactory(email="private.person@example.org", ward=ward_a, confirmed_at=None)
    pages = [_confirm_url(subscription), _unsubscribe_url(subscription)]
    client.post(_confirm_url(subscription))
    client.post(_unsubscribe_url(subscription))

    for url in pages:
        assert not re.search(r"private\.person", client.get(url).content.decode())


def test_finding_6_an_address_gets_five_confirmation_requests_a_day_then_a_clear_refusal(client):
    wards = WardFactory.create_batch(6)
    for ward in wards[:5]:
        assert client.post(_ward_url(ward), _answers()).status_code == 302

    refused = client.post(_ward_url(wards[5]), _answers(email="Resident+sixth@Example.org"))

    assert refused.status_code == 200
    assert str(ERROR_TOO_MANY_EMAILS) in refused.content.decode()
    assert OutboundEmail.objects.filter(key__startswith="subscription-confirm:").count() == 5
    assert not Subscription.objects.filter(ward=wards[5]).exists()


def test_finding_6_confirming_a_subscription_confirms_the_address_for_what_waits(client, ward_a):
    client.post(_ward_url(ward_a), _answers())
    email_queue_for_resident(
        key="waiting", to=EMAIL, template="address_confirm", context={}, purpose="an acknowledgement"
    )
    assert OutboundEmail.objects.get(key="waiting").status == "held"

    client.post(_confirm_url(Subscription.objects.get()))

    assert OutboundEmail.objects.get(key="waiting").status == "pending"
