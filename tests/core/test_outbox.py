import datetime
import smtplib
import threading

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from core.models import OutboundEmail
from core.services import OUTBOX_INTERRUPTED, OUTBOX_MAX_ATTEMPTS, outbox_dispatch
from core.tasks import outbox_dispatch_task

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"
UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://pact.example.org/subscriptions/unsubscribe/abc/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, naming the recipient as real servers do."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({ADDRESS: (450, b"Mailbox busy")})


def _queue(key="hello:1", **fields):
    values = {"to": ADDRESS, "subject": "Hello", "body_text": "Dear Sam\n", "body_html": "<p>Dear Sam</p>"}
    return OutboundEmail.objects.create(key=key, **{**values, **fields})


def test_outbox_dispatch_sends_text_html_and_headers():
    _queue(headers=UNSUBSCRIBE)

    assert outbox_dispatch() == 1

    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "Hello"
    assert message.body == "Dear Sam\n"
    assert message.alternatives[0] == ("<p>Dear Sam</p>", "text/html")
    assert message.extra_headers == UNSUBSCRIBE


def test_outbox_dispatch_marks_the_row_sent():
    email = _queue()

    with time_machine.travel(datetime.datetime(2026, 3, 1, 6, 1, tzinfo=datetime.UTC), tick=False):
        outbox_dispatch()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at == datetime.datetime(2026, 3, 1, 6, 1, tzinfo=datetime.UTC)
    assert email.attempts == 1


def test_outbox_dispatch_twice_sends_once():
    _queue()

    outbox_dispatch()
    outbox_dispatch()

    assert len(mail.outbox) == 1


def test_outbox_dispatch_task_twice_sends_once(celery_eager):
    _queue()

    outbox_dispatch_task.delay()
    outbox_dispatch_task.delay()

    assert len(mail.outbox) == 1


def test_outbox_dispatch_sends_at_most_the_limit_oldest_first():
    for number in range(3):
        _queue(key=f"hello:{number}", subject=f"Hello {number}")

    assert outbox_dispatch(limit=2) == 2

    assert [message.subject for message in mail.outbox] == ["Hello 0", "Hello 1"]
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count() == 1


def test_outbox_dispatch_batch_size_comes_from_settings(settings):
    settings.PACT_EMAIL_BATCH_SIZE = 1
    _queue(key="hello:1")
    _queue(key="hello:2")

    outbox_dispatch()

    assert len(mail.outbox) == 1


def test_outbox_dispatch_skips_rows_already_sent():
    _queue(status=OutboundEmail.Status.SENT, sent_at=timezone.now())
    _queue(key="hello:2", status=OutboundEmail.Status.SENDING, claimed_at=timezone.now())

    assert outbox_dispatch() == 0

    assert mail.outbox == []


def test_outbox_dispatch_smtp_error_leaves_the_row_pending_without_the_address(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = _queue()

    assert outbox_dispatch() == 0

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("SMTPRecipientsRefused: ")
    assert "Mailbox busy" in email.last_error
    assert ADDRESS not in email.last_error


def test_outbox_dispatch_smtp_error_retried_then_failed(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = _queue()

    for _attempt in range(OUTBOX_MAX_ATTEMPTS + 2):
        outbox_dispatch()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == OUTBOX_MAX_ATTEMPTS
    assert email.sent_at is None


def test_outbox_dispatch_smtp_error_then_success_sends_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = _queue()
    outbox_dispatch()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_dispatch()
    outbox_dispatch()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_outbox_dispatch_smtp_error_stops_the_batch(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    _queue(key="hello:1")
    _queue(key="hello:2")

    outbox_dispatch()

    assert list(OutboundEmail.objects.order_by("key").values_list("attempts", flat=True)) == [1, 0]


def test_outbox_dispatch_logs_ids_never_addresses(settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = _queue()

    with caplog.at_level("INFO"):
        outbox_dispatch()

    assert f"outbound email {email.pk} not sent" in caplog.text
    assert ADDRESS not in caplog.text


def test_outbox_dispatch_fails_rows_stuck_sending_and_never_resends_them():
    claimed = timezone.now() - datetime.timedelta(minutes=16)
    stuck = _queue(status=OutboundEmail.Status.SENDING, claimed_at=claimed, attempts=1)
    recent = _queue(key="hello:2", status=OutboundEmail.Status.SENDING, claimed_at=timezone.now(), attempts=1)

    outbox_dispatch()

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.FAILED
    assert stuck.last_error == OUTBOX_INTERRUPTED
    assert recent.status == OutboundEmail.Status.SENDING
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outbox_dispatch_two_dispatchers_at_once_send_each_email_once():
    for number in range(30):
        _queue(key=f"hello:{number}")
    start = threading.Barrier(2)

    def dispatch():
        try:
            start.wait()
            outbox_dispatch()
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(mail.outbox) == 30
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 30
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}
