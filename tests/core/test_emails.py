import pytest
from django.core import mail

from core.emails import email_queue
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "emails" / "hello"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Hello {{ name }}\n")
    (folder / "body.txt").write_text("Dear {{ name }}, see {{ site_url }}.\n")
    (folder / "body.html").write_text("<p>Dear {{ name }}</p>\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.PACT_SITE_URL = "https://pact.example.org"


def test_email_queue_renders_the_templates_into_one_row(email_templates):
    email = email_queue(key="hello:1", to="resident@example.org", template="hello", context={"name": "Sam"})

    assert email.subject == "Hello Sam"
    assert email.body_text == "Dear Sam, see https://pact.example.org.\n"
    assert email.body_html == "<p>Dear Sam</p>\n"
    assert email.status == OutboundEmail.Status.PENDING


def test_email_queue_twice_with_one_key_queues_once(email_templates):
    email_queue(key="hello:1", to="resident@example.org", template="hello", context={"name": "Sam"})

    again = email_queue(key="hello:1", to="resident@example.org", template="hello", context={"name": "Sam"})

    assert again is None
    assert OutboundEmail.objects.count() == 1


def test_email_queue_sends_at_once_after_commit_when_asked(
    email_templates, settings, celery_eager, django_capture_on_commit_callbacks
):
    settings.PACT_SEND_EMAIL_AT_ONCE = True

    with django_capture_on_commit_callbacks(execute=True):
        email_queue(key="hello:1", to="resident@example.org", template="hello", context={"name": "Sam"})

    assert [message.subject for message in mail.outbox] == ["Hello Sam"]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_email_queue_survives_a_broker_outage(
    email_templates, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from core import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    settings.PACT_SEND_EMAIL_AT_ONCE = True
    monkeypatch.setattr(tasks.outbox_dispatch_task, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(key="hello:1", to="resident@example.org", template="hello", context={"name": "Sam"})

    assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.PENDING
    assert mail.outbox == []
