"""Each periodic job also runs as a management command."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from core.models import OutboundEmail
from priorities.models import Priority
from tests.priorities.factories import PriorityFactory
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _run(name: str) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_send_outbox_sends_pending_email_once():
    OutboundEmail.objects.create(key="k1", to="resident@example.org", subject="Hello", body_text="Hi")

    first, second = _run("send_outbox"), _run("send_outbox")

    assert "1 email(s) sent" in first
    assert "0 email(s) sent" in second
    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_remind_stale_priorities_queues_one_reminder_per_officer_per_week():
    officer = OfficerFactory(email="lead@demo.pact.invalid")
    PriorityFactory(lead_officer=officer, ward__team=officer.team, agreed_on=datetime.date(2020, 1, 1))

    first, second = _run("remind_stale_priorities"), _run("remind_stale_priorities")

    assert "1 reminder(s) queued" in first
    assert "0 reminder(s) queued" in second
    assert OutboundEmail.objects.get().to == "lead@demo.pact.invalid"
    assert Priority.objects.get().status == Priority.Status.CURRENT
