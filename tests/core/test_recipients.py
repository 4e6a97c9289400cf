"""Email to residents' addresses (core.recipients): a daily cap per address across the site,
and nothing but a confirmation request until the address is confirmed."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core import recipients
from core.models import EmailRecipient, OutboundEmail
from core.recipients import (
    Delivery,
    EmailRefused,
    email_queue_confirmation,
    email_queue_for_resident,
    recipient_confirmed,
    recipient_hash,
)
from core.retention import email_recipient_expire, outbound_email_expire
from core.services import outbox_dispatch

pytestmark = pytest.mark.django_db

EMAIL = "sam.resident@example.org"
NOON = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "emails" / "hello"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Hello {{ name }}\n")
    (folder / "body.txt").write_text("Dear {{ name }}.\n")
    (folder / "body.html").write_text("<p>Dear {{ name }}</p>\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.PACT_SITE_URL = "https://pact.example.org"


def _ask(n: int, to: str = EMAIL):
    return email_queue_confirmation(key=f"hello:{n}", to=to, template="hello", context={"name": "Sam"})


def _for_resident(key: str = "hello:1", to: str = EMAIL, **extra) -> Delivery:
    return email_queue_for_resident(
        key=key, to=to, template="hello", context={"name": "Sam"}, purpose="a greeting", **extra
    )


def _confirm_path(email: OutboundEmail) -> str:
    return re.search(r"https://pact\.example\.org(/email/confirm/[^/\s]+/)", email.body_text).group(1)


# The keyed hash.


def test_an_address_is_known_by_a_keyed_hash_of_its_mailbox(settings):
    same = {
        recipient_hash(email) for email in ("Sam.Smith+pact@GMail.com", "samsmith@gmail.com", " samsmith@gmail.com")
    }
    assert len(same) == 1
    assert recipient_hash("sam.smith@example.org") != recipient_hash("samsmith@example.org")
    assert recipient_hash("sam+one@example.org") == recipient_hash("sam@example.org")

    before = recipient_hash(EMAIL)
    settings.SECRET_KEY = "another key entirely, for this test only"
    assert recipient_hash(EMAIL) != before


# The cap.


@time_machine.travel(NOON)
def test_finding_6_an_address_gets_at_most_five_emails_asked_for_a_day_across_the_site(email_templates):
    for n in range(5):
        assert _ask(n) is not None
    # Another spelling of the same mailbox is the same address.
    with pytest.raises(EmailRefused, match="Try again tomorrow"):
        _ask(5, to="Sam.Resident+again@Example.org")

    assert OutboundEmail.objects.count() == 5
    row = EmailRecipient.objects.get()
    assert (row.address_hash, row.emails_on_day) == (recipient_hash(EMAIL), 5)
    assert EMAIL not in str(EmailRecipient.objects.values().get())
    with time_machine.travel(NOON + datetime.timedelta(days=1)):
        assert _ask(6) is not None
    assert _ask(7, to="someone.else@example.org") is not None


def test_a_key_queued_before_costs_nothing(email_templates, settings):
    settings.PACT_EMAIL_ASKED_PER_DAY = 1
    _ask(1)

    assert _ask(1) is None
    assert EmailRecipient.objects.get().emails_on_day == 1


def test_the_cap_is_read_from_settings(email_templates, settings):
    settings.PACT_EMAIL_ASKED_PER_DAY = 2
    _ask(1)
    _ask(2)

    with pytest.raises(EmailRefused):
        _ask(3)


# Confirmation first.


def test_finding_6_an_unconfirmed_address_gets_nothing_but_a_confirmation_request(email_templates):
    assert _for_resident() == Delivery.HELD

    outbox_dispatch()

    (sent,) = mail.outbox
    assert sent.to == [EMAIL]
    assert sent.subject == "Confirm your email address for PACT"
    assert "a greeting" in sent.body
    assert "/email/confirm/" in sent.body
    held = OutboundEmail.objects.get(key="hello:1")
    assert (held.status, held.recipient_hash) == ("held", recipient_hash(EMAIL))


def test_a_second_email_held_the_same_day_sends_no_second_request(email_templates):
    _for_resident("hello:1")
    _for_resident("hello:2")

    assert OutboundEmail.objects.filter(key__startswith="address-confirm:").count() == 1
    assert EmailRecipient.objects.get().emails_on_day == 1


def test_confirming_the_address_sends_what_waits_for_it(client, email_templates):
    _for_resident()
    request = OutboundEmail.objects.get(key__startswith="address-confirm:")
    path = _confirm_path(request)

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm your email address" in page.content.decode()
    assert OutboundEmail.objects.get(key="hello:1").status == "held"  # a GET (a mail scanner) confirms nothing

    done = client.post(path)

    assert done.status_code == 200
    assert "Email address confirmed" in done.content.decode()
    assert "The email waiting for you is on its way" in done.content.decode()
    assert OutboundEmail.objects.get(key="hello:1").status == "pending"
    assert EmailRecipient.objects.get().confirmed_at is not None
    assert "Email address confirmed" in client.get(path).content.decode()
    assert client.post(path).status_code == 200  # twice is harmless


def test_a_confirmed_address_gets_its_email_at_once(email_templates):
    recipient_confirmed(email=EMAIL)

    assert _for_resident() == Delivery.QUEUED

    assert list(OutboundEmail.objects.values_list("key", "status")) == [("hello:1", "pending")]
    assert EmailRecipient.objects.get().emails_on_day == 1


def test_over_the_cap_nothing_is_held_or_asked(email_templates, settings):
    settings.PACT_EMAIL_ASKED_PER_DAY = 0

    with pytest.raises(EmailRefused):
        _for_resident()

    assert not OutboundEmail.objects.exists()


def test_an_email_staff_send_is_held_but_never_refused(email_templates, settings):
    settings.PACT_EMAIL_ASKED_PER_DAY = 0

    assert _for_resident(counted=False) == Delivery.HELD

    assert OutboundEmail.objects.filter(key__startswith="address-confirm:").count() == 1
    assert EmailRecipient.objects.get().emails_on_day == 0


@pytest.mark.parametrize("tamper", [lambda token: token[:-2] + "xx", lambda token: "nonsense"])
def test_a_tampered_confirmation_link_confirms_nothing(client, email_templates, tamper):
    _for_resident()
    path = _confirm_path(OutboundEmail.objects.get(key__startswith="address-confirm:"))
    token = path.rstrip("/").rsplit("/", 1)[1]
    bad = reverse("address_confirm", args=[tamper(token)])

    response = client.post(bad)

    assert response.status_code == 404
    assert "This link is not valid or has expired" in response.content.decode()
    assert OutboundEmail.objects.get(key="hello:1").status == "held"


def test_a_confirmation_link_expires_with_what_waits(client, email_templates):
    with time_machine.travel(NOON):
        _for_resident()
    path = _confirm_path(OutboundEmail.objects.get(key__startswith="address-confirm:"))

    with time_machine.travel(NOON + datetime.timedelta(days=8)):
        response = client.post(path)

    assert response.status_code == 404
    assert not EmailRecipient.objects.filter(confirmed_at__isnull=False).exists()


# Retention.


def test_held_emails_and_unconfirmed_addresses_are_forgotten_after_seven_days(email_templates):
    with time_machine.travel(NOON):
        _for_resident()
    later = NOON + datetime.timedelta(days=8)

    assert outbound_email_expire(later) == 1
    assert email_recipient_expire(later) == 1
    assert OutboundEmail.objects.filter(status="held").count() == 0
    assert not EmailRecipient.objects.exists()


def test_a_confirmed_address_is_kept_a_year_after_it_was_confirmed(email_templates):
    with time_machine.travel(NOON):
        recipient_confirmed(email=EMAIL)

    assert email_recipient_expire(NOON + datetime.timedelta(days=300)) == 0
    assert email_recipient_expire(NOON + datetime.timedelta(days=366)) == 1


def test_nothing_about_a_recipient_is_logged_in_clear(email_templates, caplog):
    caplog.set_level("INFO", logger=recipients.__name__)
    _for_resident()
    recipient_confirmed(email=EMAIL)

    assert caplog.records
    assert "sam" not in caplog.text.lower()
