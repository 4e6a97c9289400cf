"""Markup typed into PACT comes back escaped on every page, feed and email that shows it.

A resident's concern and feedback, an officer's progress and the team's news and events all
hold ``<script>`` and an attribute-breaking ``"><img onerror>``. Wherever the text is shown
it must arrive as text: escaped in HTML and Atom, plain in text emails and iCalendar (served
as text/calendar with nosniff), and as JSON data in the API.
"""

import datetime

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from feedback.models import Feedback
from priorities.models import Concern
from priorities.services.subscriptions import update_emails_queue
from tests.core.factories import confirmed_address
from tests.priorities.factories import CategoryFactory, EventFactory, NewsItemFactory, SubscriptionFactory
from tests.priorities.test_updates_services import make_priority, progress, publish, team_with_wards

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
RAW = ("<script>alert", "<img src=x")
ESCAPED = "&lt;script&gt;alert("


def assert_escaped(content: str, where: str, *, shown: bool = True) -> None:
    for raw in RAW:
        assert raw not in content, f"{raw!r} unescaped in {where}"
    if shown:
        assert ESCAPED in content, f"the text is not shown at all in {where}"


def test_a_residents_concern_is_escaped_on_public_and_staff_pages(client, ward_a, officer):
    CategoryFactory()
    response = client.post(
        reverse("priorities:concern_new", args=[ward_a.code]),
        {"category": "anti-social-behaviour", "description": MARKUP, "location_text": MARKUP, "website": ""},
    )
    assert response.status_code == 302
    concern = Concern.objects.get()

    # The confirmation repeats only the reference.
    confirmation = reverse("priorities:concern_raised", args=[concern.follow_code])
    assert_escaped(client.get(confirmation).content.decode(), confirmation, shown=False)
    # Staff moderate it (the queue lists concerns awaiting moderation), then the ward lists it.
    client.force_login(officer)
    for address in (
        reverse("priorities:staff_concern", args=[concern.reference]),
        reverse("priorities:staff_concerns"),
    ):
        assert_escaped(client.get(address).content.decode(), address)
    Concern.objects.filter(pk=concern.pk).update(status=Concern.Status.ACCEPTED)
    listed = reverse("priorities:ward_concerns", args=[ward_a.code])
    assert_escaped(client.get(listed).content.decode(), listed)


def test_feedback_is_escaped_in_the_staff_pages_and_the_emails(client, ward_a, officer):
    confirmed_address("resident@example.org")
    response = client.post(
        reverse("feedback:give", args=["suggestion"]) + f"?team={ward_a.team_id}",
        {"description": MARKUP, "wants_reply": "yes", "contact_name": MARKUP, "contact_email": "resident@example.org"},
    )
    assert response.status_code == 302, response.content.decode()
    feedback = Feedback.objects.get()

    client.force_login(officer)
    detail = reverse("feedback:staff_detail", args=[feedback.reference])
    assert_escaped(client.get(detail).content.decode(), detail)
    queue = reverse("feedback:staff_queue")
    assert_escaped(client.get(queue).content.decode(), queue, shown=False)
    # The acknowledgement repeats only the reference, never what was written.
    acknowledgement = OutboundEmail.objects.get(to="resident@example.org")
    assert_escaped(acknowledgement.body_html, "the acknowledgement email", shown=False)


def test_progress_news_and_events_are_escaped_on_pages_feeds_and_emails(client, settings):
    team, (abbey, *_others) = team_with_wards()
    priority = make_priority(ward=abbey, title=MARKUP, agreed_on=datetime.date(2026, 9, 2))
    progress(priority, datetime.date(2026, 10, 3), MARKUP)
    news = NewsItemFactory(team=team, title=MARKUP, body=MARKUP)
    event = EventFactory(wards=[abbey], title=MARKUP, venue=MARKUP, address=MARKUP)
    SubscriptionFactory(ward=abbey)
    update, _created = publish(team)

    for address in (
        reverse("wards:detail", args=[abbey.code]),
        reverse("wards:team", args=[team.slug]),
        reverse("priorities:priority_detail", args=[priority.pk]),
        reverse("priorities:news_detail", args=[news.pk]),
        reverse("priorities:team_news", args=[team.slug]),
        reverse("priorities:event_detail", args=[event.uid]),
        reverse("priorities:update_detail", args=[team.slug, f"{update.month:%Y}", f"{update.month:%m}"]),
        reverse("priorities:update_feed", args=[team.slug]),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert_escaped(response.content.decode(), address)

    calendar = client.get(reverse("priorities:ward_feed", args=[abbey.code]))
    assert calendar["Content-Type"].startswith("text/calendar")
    assert calendar["X-Content-Type-Options"] == "nosniff"

    update_emails_queue(update_id=update.pk)
    email = OutboundEmail.objects.get(key__startswith=f"update:{update.pk}:")
    assert_escaped(email.body_html, "the monthly update email")

    api = client.get(reverse("api:priority_detail", args=[priority.pk]))
    assert api["Content-Type"] == "application/json"
    assert api.json()["title"] == MARKUP
