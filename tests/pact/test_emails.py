import pytest

from pact.emails import email_queue
from pact.models import OutboundEmail

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
