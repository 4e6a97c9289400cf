"""Residents' incident logs: started from the concern's confirmation, kept through a private link
(only its hash stored), entries added, the link turned off, and the team's view of them."""

import datetime
import hashlib

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from core.recipients import ERROR_TOO_MANY_EMAILS
from core.services import outbox_dispatch
from priorities.errors import PrioritiesError
from priorities.models import IncidentLog, IncidentLogEntry
from priorities.services import incident_logs as services
from tests.core.factories import confirmed_address
from tests.priorities.factories import ConcernFactory, IncidentLogEntryFactory, IncidentLogFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def concern(ward_a):
    return ConcernFactory(ward=ward_a, reference="PACT-ABC234", contact_email="resident@example.org")


def _entry(**changes) -> dict:
    data = {
        "happened_on_0": "19",
        "happened_on_1": "3",
        "happened_on_2": "2026",
        "happened_time": "23:15",
        "what_happened": "Motorbikes racing on the footpath behind the flats.",
        "effect": "Could not sleep; my son was frightened.",
        "location_text": "Footpath behind Elm Court",
    }
    return {**data, **changes}


def _token_from(response) -> str:
    path = response.url.split("?")[0]
    return path.rstrip("/").rsplit("/", 1)[1]


# Starting a log


def test_confirmation_page_offers_a_log(client, concern):
    content = client.get(reverse("priorities:concern_raised", args=[concern.follow_code])).content.decode()

    assert reverse("priorities:incident_log_start", args=[concern.reference]) in content


def test_start_log_stores_only_the_hash_and_emails_the_link(client, concern):
    confirmed_address("me@example.org")
    start = client.get(reverse("priorities:incident_log_start", args=[concern.reference]))
    response = client.post(
        reverse("priorities:incident_log_start", args=[concern.reference]), {"email": "me@example.org"}
    )

    assert start.status_code == 200
    token = _token_from(response)
    assert len(token) >= 40
    log = IncidentLog.objects.get()
    assert log.concern == concern
    assert log.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(IncidentLog.objects.values().get())
    email = OutboundEmail.objects.get()
    assert (email.to, email.key) == ("me@example.org", f"incident-log:{log.pk}")
    assert f"/logs/{token}/" in email.body_text
    assert f"/logs/{token}/" in email.body_html
    page = client.get(response.url)
    assert "Log started" in page.content.decode()
    assert f"/logs/{token}/" in page.content.decode()


def test_start_log_without_email_sends_nothing(client, concern):
    response = client.post(reverse("priorities:incident_log_start", args=[concern.reference]), {"email": ""})

    assert response.status_code == 302
    assert IncidentLog.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_start_log_unknown_concern_is_not_found(client):
    assert client.get(reverse("priorities:incident_log_start", args=["PACT-ZZZZZZ"])).status_code == 404
    assert client.get(reverse("priorities:incident_log_start", args=["nonsense"])).status_code == 404


def test_start_log_refuses_honeypot(client, concern):
    response = client.post(
        reverse("priorities:incident_log_start", args=[concern.reference]), {"website": "http://spam.example"}
    )

    assert "Leave the field headed ‘Leave this empty’ empty" in response.content.decode()
    assert not IncidentLog.objects.exists()


def test_start_log_is_rate_limited(client, concern):
    url = reverse("priorities:incident_log_start", args=[concern.reference])
    statuses = [client.post(url, {"email": ""}).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert IncidentLog.objects.count() == 5


def test_start_log_needs_csrf(concern):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("priorities:incident_log_start", args=[concern.reference]), {}
    )

    assert response.status_code == 403


def test_merged_concern_takes_no_log(ward_a):
    target = ConcernFactory(ward=ward_a)
    merged = ConcernFactory(ward=ward_a, status="merged", merged_into=target)

    with pytest.raises(PrioritiesError, match="merged into another"):
        services.incident_log_start(concern=merged)


# The private link


def test_log_page_is_private_and_never_cached(client, concern):
    IncidentLogFactory(concern=concern, token="tok-123")

    response = client.get(reverse("priorities:incident_log", args=["tok-123"]))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert "You have not added any incidents yet." in response.content.decode()


def test_wrong_token_is_not_found(client, concern):
    IncidentLogFactory(concern=concern, token="tok-123")

    assert client.get(reverse("priorities:incident_log", args=["tok-124"])).status_code == 404
    assert client.post(reverse("priorities:incident_log", args=["tok-124"]), _entry()).status_code == 404
    assert not IncidentLogEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_resident_adds_entries_and_sees_them(client, concern):
    log = IncidentLogFactory(concern=concern, token="tok-123")
    url = reverse("priorities:incident_log", args=["tok-123"])

    response = client.post(url, _entry())
    client.post(url, _entry(happened_on_0="17", what_happened="Shouting at 2am outside number 4."))
    page = client.get(response.url).content.decode()

    assert response.url == f"{url}?added=1#entries"
    entries = list(log.entries.order_by("happened_at"))
    assert [entry.what_happened for entry in entries] == [
        "Shouting at 2am outside number 4.",
        "Motorbikes racing on the footpath behind the flats.",
    ]
    assert timezone.localtime(entries[1].happened_at).strftime("%Y-%m-%d %H:%M") == "2026-03-19 23:15"
    assert "Entry added to your log" in page
    assert page.index("Motorbikes racing") < page.index("Shouting at 2am")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"happened_on_0": "21"}, "The date and time it happened must be in the past"),
        ({"what_happened": ""}, "Enter what happened"),
        ({"effect": ""}, "Enter how it affected you"),
        ({"effect": "x" * 1001}, "How it affected you must be 1000 characters or fewer"),
        ({"happened_time": "noon-ish"}, "Enter the time it happened, like 21:30"),
        ({"website": "spam"}, "Leave the field headed ‘Leave this empty’ empty"),
    ],
)
def test_entry_errors(client, concern, changes, message):
    IncidentLogFactory(concern=concern, token="tok-123")

    response = client.post(reverse("priorities:incident_log", args=["tok-123"]), _entry(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IncidentLogEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_entries_are_rate_limited(client, concern):
    IncidentLogFactory(concern=concern, token="tok-123")
    url = reverse("priorities:incident_log", args=["tok-123"])

    statuses = [client.post(url, _entry()).status_code for _ in range(31)]

    assert statuses == [302] * 30 + [429]
    assert IncidentLogEntry.objects.count() == 30


def test_log_page_queries_do_not_grow_with_entries(client, concern, django_assert_num_queries):
    log = IncidentLogFactory(concern=concern, token="tok-123")
    for _ in range(4):
        IncidentLogEntryFactory(log=log)

    # the log with its concern and ward, its entries.
    with django_assert_num_queries(2):
        response = client.get(reverse("priorities:incident_log", args=["tok-123"]))
    assert response.content.decode().count('class="govuk-summary-card__title"') == 4


# Turning the link off


def test_resident_turns_link_off(client, concern):
    log = IncidentLogFactory(concern=concern, token="tok-123")
    IncidentLogEntryFactory(log=log)
    url = reverse("priorities:incident_log_revoke", args=["tok-123"])

    assert client.get(url).status_code == 200
    done = client.post(url)
    after = client.get(reverse("priorities:incident_log", args=["tok-123"]))
    refused = client.post(reverse("priorities:incident_log", args=["tok-123"]), _entry())

    assert "Your log's link is turned off" in done.content.decode()
    assert after.status_code == 410
    assert "This link is turned off" in after.content.decode()
    assert refused.status_code == 410
    log.refresh_from_db()
    assert log.is_revoked
    assert log.entries.count() == 1
    assert client.get(url).status_code == 410


def test_entry_refused_once_revoked(concern):
    log = IncidentLogFactory(concern=concern)
    services.incident_log_revoke(log=log)

    with pytest.raises(PrioritiesError, match="turned off"):
        services.incident_log_entry_add(
            log=log, happened_at=timezone.now(), what_happened="x", effect="y", location_text=""
        )


def test_team_turns_link_off_with_audit(client, officer, concern):
    log = IncidentLogFactory(concern=concern, token="tok-123")
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_incident_log_revoke", args=[concern.reference, log.pk]))

    assert response.url == reverse("priorities:staff_concern", args=[concern.reference])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The resident's log link is turned off"]
    log.refresh_from_db()
    assert (log.is_revoked, log.revoked_by) == (True, officer)
    assert AuditEvent.objects.filter(action="priorities.incident_log.revoked", actor=officer).count() == 1
    assert client.get(reverse("priorities:incident_log", args=["tok-123"])).status_code == 410


def test_staff_revoke_of_a_log_of_another_concern_is_not_found(client, officer, concern, ward_a):
    log = IncidentLogFactory(concern=ConcernFactory(ward=ward_a))
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_incident_log_revoke", args=[concern.reference, log.pk]))

    assert response.status_code == 404


# The team's view


def test_concern_staff_page_lists_logs_and_entries(client, officer, concern):
    for _ in range(3):
        log = IncidentLogFactory(concern=concern)
        IncidentLogEntryFactory(log=log, what_happened="Bins set alight")
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode()

    assert content.count("Bins set alight") == 3
    assert content.count("Turn off the resident's link") == 3


def test_concern_staff_page_logs_cost_two_queries_whatever_their_number(client, officer, concern):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("priorities:staff_concern", args=[concern.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as none:
        client.get(url)
    for _ in range(3):
        IncidentLogEntryFactory(log=IncidentLogFactory(concern=concern))
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    # The logs' query ran before too; only the entries' prefetch is added once there are logs.
    assert len(three) == len(none) + 1


def test_finding_6_the_link_to_an_address_never_confirmed_waits_for_confirmation(client, concern):
    response = client.post(
        reverse("priorities:incident_log_start", args=[concern.reference]), {"email": "me@example.org"}
    )
    token = _token_from(response)

    outbox_dispatch()

    (request,) = mail.outbox
    assert request.subject == "Confirm your email address for PACT"
    assert token not in request.body
    assert OutboundEmail.objects.get(key__startswith="incident-log:").status == "held"
    assert "a link to confirm it instead" in client.get(response.url).content.decode()


def test_finding_6_past_the_addresss_daily_emails_no_log_is_started_and_the_resident_is_told(client, concern, settings):
    settings.PACT_EMAIL_ASKED_PER_DAY = 0

    response = client.post(
        reverse("priorities:incident_log_start", args=[concern.reference]), {"email": "me@example.org"}
    )

    assert response.status_code == 200
    assert str(ERROR_TOO_MANY_EMAILS) in response.content.decode()
    assert not IncidentLog.objects.exists()
