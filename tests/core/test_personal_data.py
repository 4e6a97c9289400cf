"""Subject access, erasure and retention across every app (core.personal_data and the staff pages)."""

import datetime
import io
import json
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import personal_data
from core.models import AuditEvent, OutboundEmail
from core.personal_data import PersonalDataSource, address_hash, retention_apply
from core.tasks import retention_apply_task
from feedback.models import Feedback
from feedback.services import feedback as feedback_services
from priorities.models import Concern, Subscription
from tests.core.factories import UserFactory
from tests.priorities.factories import ConcernFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
EMAIL = "sam.resident@example.org"
SEARCH = reverse("staff:personal_data")
EXPORT = reverse("staff:personal_data_export")
ERASE = reverse("staff:personal_data_erase")


def email_row(key: str, *, to: str = EMAIL, **fields) -> OutboundEmail:
    values = {"subject": "Your PACT update", "body_text": "Dear Sam\n", "status": "sent"}
    values |= fields
    if values["status"] == "sent":
        values.setdefault("sent_at", datetime.datetime(2026, 1, 1, tzinfo=UTC))
    return OutboundEmail.objects.create(key=key, to=to, **values)


@pytest.fixture
def held(ward_a, admin_user):
    """Data about EMAIL in every source that can hold it, and someone else's beside it."""
    item = feedback_services.feedback_give(
        kind="complaint",
        ward=ward_a,
        description="The officer was rude.",
        wants_reply=True,
        contact_name="Sam Resident",
        contact_email="Sam.Resident@Example.org",
    )
    feedback_services.feedback_reply(actor=admin_user, feedback=item, text="Dear Sam, we are looking into it.")
    feedback_services.feedback_give(kind="suggestion", description="Lights", contact_email="other@example.org")
    ConcernFactory(ward=ward_a, contact_email=EMAIL, description="Speeding on the High Street.")
    ConcernFactory(ward=ward_a, contact_email="other@example.org")
    SubscriptionFactory(email=EMAIL, ward=ward_a)
    SubscriptionFactory(email="other@example.org", ward=ward_a)
    return item


# The registry and the services.


def test_every_app_registers_its_sources():
    names = [source.name for source in personal_data.personal_data_sources()]

    for name in ("pact.outbound_email", "priorities.concerns", "priorities.subscriptions", "feedback.contact"):
        assert name in names
    assert "feedback.surveys" in names


def test_register_personal_data_replaces_a_source_of_the_same_name(monkeypatch):
    monkeypatch.setattr(personal_data, "_SOURCES", dict(personal_data._SOURCES))
    first = PersonalDataSource("test.source", "Test", "", lambda e: [], lambda e, by: 0, lambda now: 1)
    again = PersonalDataSource("test.source", "Test", "", lambda e: [], lambda e, by: 0, lambda now: 2)

    personal_data.register_personal_data(first)
    personal_data.register_personal_data(again)

    assert [s for s in personal_data.personal_data_sources() if s.name == "test.source"] == [again]


def test_retention_cutoff_refuses_a_period_below_one_day(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PACT_RETENTION_DAYS = {**settings.PACT_RETENTION_DAYS, "outbound_email": 0}

    with pytest.raises(ImproperlyConfigured, match="outbound_email"):
        personal_data.retention_cutoff("outbound_email", datetime.datetime(2026, 1, 1, tzinfo=UTC))


def test_personal_data_services_refuse_everyone_but_administrators(officer, held):
    for call in (
        lambda: personal_data.personal_data_find(actor=officer, email=EMAIL),
        lambda: personal_data.personal_data_export(actor=officer, email=EMAIL),
        lambda: personal_data.personal_data_erase(actor=officer, email=EMAIL, sources=["feedback.contact"]),
    ):
        with pytest.raises(personal_data.PersonalDataError) as error:
            call()
        assert str(error.value) == personal_data.ERROR_NOT_ALLOWED
    assert Feedback.objects.get(pk=held.pk).contact_email == "Sam.Resident@Example.org"


def test_personal_data_erase_refuses_an_unknown_source(admin_user, held):
    with pytest.raises(personal_data.PersonalDataError) as error:
        personal_data.personal_data_erase(actor=admin_user, email=EMAIL, sources=["feedback.contact", "nope"])

    assert str(error.value) == personal_data.ERROR_UNKNOWN_SOURCE
    assert Feedback.objects.get(pk=held.pk).anonymised_at is None


# The outbox: sent and failed emails deleted after 90 days; pending ones kept.

SENT = datetime.datetime(2026, 1, 1, 9, tzinfo=UTC)


def test_outbound_email_kept_until_ninety_days_after_sending():
    email_row("a", sent_at=SENT)

    assert retention_apply(now=SENT + datetime.timedelta(days=90) - DAY)["pact.outbound_email"] == 0
    assert OutboundEmail.objects.count() == 1


def test_outbound_email_sent_or_failed_deleted_a_day_after_ninety_days_pending_kept():
    email_row("sent", sent_at=SENT)
    with time_machine.travel(SENT, tick=False):
        email_row("failed", status="failed")
        email_row("pending", status="pending")
    now = SENT + datetime.timedelta(days=90) + DAY

    assert retention_apply(now=now)["pact.outbound_email"] == 2
    assert retention_apply(now=now)["pact.outbound_email"] == 0
    assert list(OutboundEmail.objects.values_list("key", flat=True)) == ["pending"]


def test_outbound_email_export_and_erase_leave_a_row_being_sent(admin_user):
    email_row("one", to="Sam.Resident@example.org")
    email_row("two", status="pending")
    email_row("sending", status="sending")
    email_row("other", to="other@example.org")

    from core import retention

    exported = retention.outbound_email_export(EMAIL)
    assert [row["status"] for row in exported] == ["Sent", "Pending", "Sending"]
    assert exported[0]["text"] == "Dear Sam\n"

    assert retention.outbound_email_erase(EMAIL, by=admin_user) == 2
    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == ["other", "sending"]


# The daily task and its command.


def test_retention_task_records_one_audit_event_with_counts_and_no_personal_data(celery_eager):
    email_row("old", sent_at=SENT)
    with time_machine.travel(SENT + datetime.timedelta(days=200), tick=False):
        retention_apply_task.delay()

    event = AuditEvent.objects.get(action="pact.retention.applied")
    assert event.actor is None
    assert event.data["counts"]["pact.outbound_email"] == 1
    assert event.data["failed"] == []
    assert EMAIL not in json.dumps(event.data)


def test_retention_task_run_twice_changes_once_and_audits_each_run(celery_eager):
    email_row("old", sent_at=SENT)
    ConcernFactory(contact_email=EMAIL)
    with time_machine.travel(SENT + datetime.timedelta(days=800), tick=False):
        retention_apply_task.delay()
        retention_apply_task.delay()

    first, second = AuditEvent.objects.filter(action="pact.retention.applied").order_by("pk")
    assert sum(first.data["counts"].values()) >= 1
    assert set(second.data["counts"].values()) == {0}


def test_apply_retention_command_prints_counts_per_source():
    email_row("old", sent_at=SENT)
    out = io.StringIO()

    with time_machine.travel(SENT + datetime.timedelta(days=200), tick=False):
        call_command("apply_retention", stdout=out)

    text = out.getvalue()
    assert "Emails sent: 1 record(s) deleted or anonymised." in text
    assert "Concerns raised: 0 record(s)" in text
    assert "Retention applied: 1 record(s) in all." in text


def test_retention_failure_of_one_source_applies_the_others_and_is_recorded(monkeypatch):
    def broken(now):
        raise RuntimeError("database went away")

    monkeypatch.setattr(personal_data, "_SOURCES", dict(personal_data._SOURCES))
    personal_data.register_personal_data(PersonalDataSource("test.broken", "Broken", "", list, lambda e, by: 0, broken))
    email_row("old", sent_at=SENT)

    with (
        time_machine.travel(SENT + datetime.timedelta(days=200), tick=False),
        pytest.raises(CommandError, match="test.broken"),
    ):
        call_command("apply_retention", stdout=io.StringIO())

    assert OutboundEmail.objects.count() == 0
    assert AuditEvent.objects.get(action="pact.retention.applied").data["failed"] == ["test.broken"]


def test_retention_runs_daily_early_in_the_morning(settings):
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "core.tasks.retention_apply_task"]

    assert entry["schedule"].hour == {3}
    assert entry["schedule"].day_of_week == set(range(7))


# The staff pages.


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_search_page_asks_for_an_address(client, admin_user):
    client.force_login(admin_user)

    response = client.get(SEARCH)

    assert response.status_code == 200
    assert "Email address" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("value", ["", "not-an-address", "sam@", "a" * 250 + "@example.org"])
def test_search_refuses_a_missing_or_malformed_address(client, admin_user, value):
    client.force_login(admin_user)

    response = client.post(SEARCH, {"email": value})

    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert not AuditEvent.objects.filter(action="pact.personal_data.searched").exists()


def test_search_shows_what_every_source_holds(client, admin_user, held):
    client.force_login(admin_user)

    response = client.post(SEARCH, {"email": " SAM.Resident@example.org "})

    content = response.content.decode()
    assert response.status_code == 200
    assert "The officer was rude." in content
    assert "Dear Sam, we are looking into it." in content
    assert "Speeding on the High Street." in content
    assert "Email subscriptions (1)" in content
    assert "Feedback, compliments, complaints and suggestions (1)" in content
    # The request to confirm the address, and the acknowledgement and the reply held until it is.
    assert "Emails sent (3)" in content
    assert "Email address confirmation (1)" in content
    assert "never linked to an email address" in content
    assert "other@example.org" not in content


def test_search_is_audited_with_the_address_hashed(client, admin_user, held):
    client.force_login(admin_user)

    client.post(SEARCH, {"email": EMAIL})

    event = AuditEvent.objects.get(action="pact.personal_data.searched")
    assert event.actor == admin_user
    assert event.data["address_hash"] == address_hash(EMAIL)
    assert event.data["counts"]["feedback.contact"] == 1
    assert "sam" not in json.dumps(event.data).lower()


def test_search_for_an_unknown_address_says_pact_holds_nothing(client, admin_user, held):
    client.force_login(admin_user)

    content = client.post(SEARCH, {"email": "nobody@example.org"}).content.decode()

    assert "PACT holds nothing about this address." in content
    assert "Erase this data" not in content
    assert "Download the export" in content


@pytest.mark.parametrize("rows", [3, 12])
def test_search_results_run_a_fixed_number_of_queries(client, admin_user, ward_a, django_assert_num_queries, rows):
    for n in range(rows):
        feedback_services.feedback_give(
            kind="suggestion",
            ward=ward_a,
            description=f"Idea {n}",
            wants_reply=True,
            contact_name="Sam",
            contact_email=EMAIL,
        )
        ConcernFactory(ward=ward_a, contact_email=EMAIL)
        SubscriptionFactory(email=EMAIL)
    client.force_login(admin_user)

    # 1 session, 2 user, 3 roles, 4 outbox, 5 concerns with ward and category, 6 subscriptions
    # with team and ward, 7 partner information reports sent with agency, ward and category,
    # 8 panel invitations with panel, 9 support for concerns before meetings (none here, so no
    # prefetch), 10 feedback with ward and staff note count, 11 its replies, 12 the address's
    # confirmation, 13 audit event
    with django_assert_num_queries(13):
        response = client.post(SEARCH, {"email": EMAIL})

    assert response.status_code == 200
    assert response.content.decode().count(f"record {rows}<") == 4


def test_export_downloads_json_for_every_source_and_is_audited(client, admin_user, held):
    client.force_login(admin_user)

    response = client.post(EXPORT, {"email": EMAIL})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="pact-personal-data-')
    assert "sam" not in response["Content-Disposition"].lower()
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["email"] == EMAIL
    sources = {source["name"]: source for source in document["sources"]}
    assert sources["feedback.contact"]["items"][0]["what_they_told_us"] == "The officer was rude."
    assert sources["feedback.contact"]["items"][0]["replies"][0]["text"] == "Dear Sam, we are looking into it."
    assert sources["priorities.concerns"]["items"][0]["description"] == "Speeding on the High Street."
    assert sources["priorities.subscriptions"]["count"] == 1
    assert sources["pact.outbound_email"]["count"] == 3
    assert sources["pact.email_recipient"]["items"][0]["confirmed"] is None
    assert sources["feedback.surveys"]["items"] == []
    assert "never linked to an email address" in sources["feedback.surveys"]["description"]
    assert "other@example.org" not in response.content.decode()
    event = AuditEvent.objects.get(action="pact.personal_data.exported")
    assert event.data["address_hash"] == address_hash(EMAIL)
    assert EMAIL not in json.dumps(event.data)


def test_export_refuses_get_and_a_malformed_address(client, admin_user):
    client.force_login(admin_user)

    assert client.get(EXPORT).status_code == 405
    assert client.post(EXPORT, {"email": "nonsense"}).status_code == 400


def test_erase_first_asks_for_confirmation(client, admin_user, held):
    client.force_login(admin_user)

    response = client.post(ERASE, {"email": EMAIL})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Type the email address again to confirm" in content
    assert "Erasure cannot be undone" in content
    # Checked by default: the sources that hold something; the others are offered unchecked.
    assert re.search(r'value="feedback.contact"\s+checked', content)
    assert re.search(r'value="feedback.surveys"\s+>', content)
    assert Feedback.objects.get(pk=held.pk).anonymised_at is None


def test_erase_refuses_an_address_typed_differently(client, admin_user, held):
    client.force_login(admin_user)
    data = {"email": EMAIL, "confirm_email": "sam.resident@example.com", "sources": ["feedback.contact"]}

    response = client.post(ERASE, data)

    assert response.status_code == 400
    assert "The address you typed is not the one you searched for" in response.content.decode()
    assert Feedback.objects.get(pk=held.pk).anonymised_at is None
    assert not AuditEvent.objects.filter(action="pact.personal_data.erased").exists()


def test_erase_refuses_without_a_source(client, admin_user, held):
    client.force_login(admin_user)

    response = client.post(ERASE, {"email": EMAIL, "confirm_email": EMAIL})

    assert response.status_code == 400
    assert "Select the personal data to erase" in response.content.decode()


def test_erase_removes_the_chosen_sources_and_keeps_statistics(client, admin_user, held):
    client.force_login(admin_user)
    sources = [
        "feedback.contact",
        "priorities.concerns",
        "priorities.subscriptions",
        "pact.outbound_email",
        "pact.email_recipient",
    ]

    response = client.post(ERASE, {"email": EMAIL, "confirm_email": "SAM.resident@example.org", "sources": sources})

    assert response.status_code == 302
    assert response["Location"] == SEARCH
    (message,) = _messages(response)
    assert "Personal data erased" in message
    assert "Email subscriptions: 1" in message
    assert EMAIL not in message
    item = Feedback.objects.get(pk=held.pk)
    assert (item.contact_name, item.contact_email, item.anonymised_at is not None) == ("", "", True)
    assert item.description == "The officer was rude."
    assert Feedback.objects.count() == 2
    assert Concern.objects.filter(contact_email="").count() == 1
    assert Concern.objects.count() == 2
    assert list(Subscription.objects.values_list("email", flat=True)) == ["other@example.org"]
    assert not OutboundEmail.objects.filter(to__iexact=EMAIL).exists()
    assert all(
        source["count"] == 0 for source in personal_data.personal_data_export(actor=admin_user, email=EMAIL)["sources"]
    )


def test_erase_of_some_sources_leaves_the_others(client, admin_user, held):
    client.force_login(admin_user)

    client.post(ERASE, {"email": EMAIL, "confirm_email": EMAIL, "sources": ["priorities.subscriptions"]})

    assert Feedback.objects.get(pk=held.pk).contact_email == "Sam.Resident@Example.org"
    assert not Subscription.objects.filter(email=EMAIL).exists()


def test_erase_is_audited_with_sources_counts_and_the_address_hashed(client, admin_user, held):
    client.force_login(admin_user)

    client.post(ERASE, {"email": EMAIL, "confirm_email": EMAIL, "sources": ["feedback.contact", "pact.outbound_email"]})

    event = AuditEvent.objects.get(action="pact.personal_data.erased")
    assert event.actor == admin_user
    assert event.data == {
        "address_hash": address_hash(EMAIL),
        "counts": {"pact.outbound_email": 3, "feedback.contact": 1},
    }


def test_no_audit_event_keeps_the_address_in_clear(client, admin_user, held, ward_a):
    # Staff record a concern with a contact address, reply to feedback, then search, export and erase.
    from priorities.services.concerns import concern_record

    concern_record(
        actor=admin_user,
        ward=ward_a,
        category=Concern.objects.first().category,
        description="Litter",
        source=Concern.Source.SURGERY,
        contact_email=EMAIL,
    )
    client.force_login(admin_user)
    client.post(SEARCH, {"email": EMAIL})
    client.post(EXPORT, {"email": EMAIL})
    client.post(ERASE, {"email": EMAIL, "confirm_email": EMAIL, "sources": ["feedback.contact"]})

    trail = json.dumps(list(AuditEvent.objects.values_list("data", flat=True))).lower()
    assert AuditEvent.objects.count() >= 5
    assert "sam.resident" not in trail
    assert "sam resident" not in trail


def test_erase_with_nothing_held_says_so(client, admin_user):
    client.force_login(admin_user)

    response = client.post(ERASE, {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert _messages(response) == ["PACT holds nothing about this address, so there is nothing to erase."]


def test_erase_refuses_get(client, admin_user):
    client.force_login(admin_user)

    assert client.get(ERASE).status_code == 405


@pytest.fixture
def standards(db):
    return UserFactory(username="standards", roles=["professional_standards"])


@pytest.mark.parametrize("persona", ["officer", "sergeant", "chair", "partner", "outsider", "standards"])
def test_personal_data_pages_refuse_every_other_role(client, request, persona, held):
    client.force_login(request.getfixturevalue(persona))
    confirmed = {"email": EMAIL, "confirm_email": EMAIL, "sources": ["feedback.contact"]}

    assert client.get(SEARCH).status_code == 403
    assert client.post(SEARCH, {"email": EMAIL}).status_code == 403
    assert client.post(EXPORT, {"email": EMAIL}).status_code == 403
    assert client.post(ERASE, confirmed).status_code == 403
    assert Feedback.objects.get(pk=held.pk).anonymised_at is None
    assert not AuditEvent.objects.filter(action__startswith="core.personal_data").exists()


def test_personal_data_pages_send_the_signed_out_to_sign_in(client):
    response = client.post(SEARCH, {"email": EMAIL})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))
    assert "sam" not in response["Location"].lower()


def test_staff_home_offers_the_personal_data_page_to_administrators_only(client, admin_user, officer):
    url = f'href="{SEARCH}"'
    client.force_login(admin_user)
    assert url in client.get(reverse("staff:home")).content.decode()

    client.force_login(officer)
    assert url not in client.get(reverse("staff:home")).content.decode()
