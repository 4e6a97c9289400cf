import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from feedback.errors import FeedbackError
from feedback.models import Feedback, FeedbackNote
from feedback.services import feedback as services
from feedback.tasks import feedback_due_remind_task
from tests.core.factories import UserFactory, confirmed_address

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.com"


@pytest.fixture
def standards(db):
    return UserFactory(username="standards", roles=["professional_standards"])


def _give(kind="suggestion", ward=None, **answers):
    defaults = {"description": "More patrols near the school, please."}
    if kind == "service":
        defaults = {"treated_score": 5, "informed_score": 5, "overall_score": 5}
    return services.feedback_give(kind=kind, ward=ward, **{**defaults, **answers})


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _detail(item):
    return reverse("feedback:staff_detail", args=[item.reference])


def test_feedback_queue_shows_officers_their_wards_but_not_complaints(client, officer, ward_a, ward_b):
    mine = _give(ward=ward_a)
    other = _give(ward=ward_b)
    complaint = _give("complaint", ward=ward_a)
    client.force_login(officer)
    page = client.get(reverse("feedback:staff_queue")).content.decode()
    assert mine.reference in page
    assert other.reference not in page
    assert complaint.reference not in page


def test_feedback_queue_shows_professional_standards_only_complaints(client, standards, ward_a):
    suggestion = _give(ward=ward_a)
    complaint = _give("complaint", ward=ward_a)
    client.force_login(standards)
    page = client.get(reverse("feedback:staff_queue")).content.decode()
    assert complaint.reference in page
    assert suggestion.reference not in page


def test_feedback_queue_filters_by_status_and_has_an_empty_state(client, admin_user, ward_a):
    item = _give(ward=ward_a)
    client.force_login(admin_user)
    closed = client.get(reverse("feedback:staff_queue"), {"status": "closed"}).content.decode()
    received = client.get(reverse("feedback:staff_queue"), {"status": "received"}).content.decode()
    assert item.reference not in closed
    assert "There is no feedback for you to handle with this status" in closed
    assert item.reference in received


def test_feedback_staff_pages_refuse_outsiders_partners_and_chairs(client, outsider, partner, chair, ward_a):
    item = _give(ward=ward_a)
    for user in (outsider, partner, chair):
        client.force_login(user)
        assert client.get(reverse("feedback:staff_queue")).status_code == 403
        assert client.get(_detail(item)).status_code == 403
    client.logout()
    assert client.get(reverse("feedback:staff_queue")).status_code == 302


def test_feedback_item_is_not_found_for_another_team_or_an_officer_trying_a_complaint(
    client, officer, other_officer, standards, ward_a
):
    suggestion = _give(ward=ward_a)
    complaint = _give("complaint", ward=ward_a)
    client.force_login(other_officer)
    assert client.get(_detail(suggestion)).status_code == 404
    assert client.post(reverse("feedback:staff_assign", args=[suggestion.reference])).status_code == 404
    client.force_login(officer)
    assert client.get(_detail(complaint)).status_code == 404
    assert (
        client.post(reverse("feedback:staff_note", args=[complaint.reference]), {"note-text": "x"}).status_code == 404
    )
    client.force_login(standards)
    assert client.get(_detail(suggestion)).status_code == 404
    assert client.get(_detail(complaint)).status_code == 200


def test_feedback_assign_to_self_is_audited(client, officer, ward_a):
    item = _give(ward=ward_a)
    client.force_login(officer)
    response = client.post(reverse("feedback:staff_assign", args=[item.reference]))
    assert response.url == _detail(item)
    assert _messages(response) == [f"You own {item.reference}"]
    item.refresh_from_db()
    assert item.assigned_to == officer
    assert AuditEvent.objects.get(action="feedback.feedback.assign").actor == officer


def test_feedback_status_change_is_stamped_and_audited(client, standards, ward_a):
    item = _give("complaint", ward=ward_a)
    client.force_login(standards)
    response = client.post(reverse("feedback:staff_status", args=[item.reference]), {"status": "closed"})
    assert _messages(response) == ["Status changed to Closed"]
    item.refresh_from_db()
    assert item.status == "closed"
    assert item.closed_at is not None
    assert AuditEvent.objects.get(action="feedback.feedback.status").data == {"before": "received", "after": "closed"}
    bad = client.post(reverse("feedback:staff_status", args=[item.reference]), {"status": "lost"})
    assert bad.status_code == 400


def test_feedback_note_is_added_and_audited(client, officer, ward_a):
    item = _give(ward=ward_a)
    client.force_login(officer)
    response = client.post(reverse("feedback:staff_note", args=[item.reference]), {"note-text": "Called them back."})
    assert _messages(response) == ["Note added"]
    note = FeedbackNote.objects.get()
    assert not note.is_reply
    assert note.author == officer
    assert AuditEvent.objects.filter(action="feedback.note.add", actor=officer).exists()
    assert not OutboundEmail.objects.exists()
    empty = client.post(reverse("feedback:staff_note", args=[item.reference]), {"note-text": " "})
    assert empty.status_code == 400
    long = client.post(reverse("feedback:staff_note", args=[item.reference]), {"note-text": "x" * 5001})
    assert long.status_code == 400


def test_feedback_reply_is_emailed_kept_and_audited(client, officer, ward_a):
    confirmed_address(EMAIL)
    item = _give(ward=ward_a, wants_reply=True, contact_name="Ann", contact_email=EMAIL)
    OutboundEmail.objects.all().delete()
    client.force_login(officer)
    response = client.post(reverse("feedback:staff_reply", args=[item.reference]), {"reply-text": "Thank you."})
    assert _messages(response) == ["Reply sent"]
    assert FeedbackNote.objects.get().is_reply
    email = OutboundEmail.objects.get()
    assert email.to == EMAIL
    assert "Thank you." in email.body_text
    item.refresh_from_db()
    assert item.status == "responded"
    assert item.responded_at is not None
    assert AuditEvent.objects.filter(action="feedback.feedback.reply", actor=officer).exists()


def test_feedback_reply_without_an_email_is_refused(officer, ward_a):
    item = _give(ward=ward_a, wants_reply=True, contact_name="Ann", contact_phone="01632 960 001")
    with pytest.raises(FeedbackError, match=str(services.ERROR_NO_EMAIL)):
        services.feedback_reply(actor=officer, feedback=item, text="Hello")


def test_feedback_services_refuse_an_officer_on_a_complaint(officer, ward_a):
    complaint = _give("complaint", ward=ward_a)
    with pytest.raises(FeedbackError, match=str(services.ERROR_NOT_ALLOWED)):
        services.feedback_assign(actor=officer, feedback=complaint)
    assert not AuditEvent.objects.exists()


def test_feedback_respond_by_follows_the_target_of_its_kind(settings):
    settings.PACT_FEEDBACK_RESPONSE_DAYS = {**settings.PACT_FEEDBACK_RESPONSE_DAYS, "complaint": 3}
    before = timezone.now()
    item = _give("complaint")
    assert before + timedelta(days=3) <= item.respond_by <= timezone.now() + timedelta(days=3)


def test_feedback_due_reminds_owners_once_a_day_of_items_within_a_day(officer, ward_a):
    due = _give(ward=ward_a)
    later = _give(ward=ward_a)
    done = _give(ward=ward_a)
    unowned = _give(ward=ward_a)
    now = timezone.now()
    Feedback.objects.filter(pk__in=[due.pk, done.pk, unowned.pk]).update(respond_by=now + timedelta(hours=12))
    Feedback.objects.filter(pk__in=[due.pk, later.pk, done.pk]).update(assigned_to=officer)
    Feedback.objects.filter(pk=done.pk).update(status="responded")
    assert services.feedback_due_remind(now=now) == 1
    email = OutboundEmail.objects.get()
    assert email.to == officer.email
    assert due.reference in email.body_text
    for other in (later, done, unowned):
        assert other.reference not in email.body_text
    assert feedback_due_remind_task() == 0
    call_command("remind_feedback_due", stdout=io.StringIO())
    assert OutboundEmail.objects.count() == 1


def test_feedback_past_target_with_no_one_assigned_reminds_the_teams_supervisors(officer, sergeant, ward_a, ward_b):
    from tests.wards.factories import OfficerFactory

    overdue = _give(ward=ward_a)
    held = _give(ward=ward_a)
    elsewhere = _give(ward=ward_b)
    complaint = _give("complaint", ward=ward_a)
    other_sergeant = UserFactory(username="sergeant_b", roles=["officer"])
    OfficerFactory(team=ward_b.team, user=other_sergeant, rank="sergeant")
    now = timezone.now()
    Feedback.objects.filter(pk__in=[overdue.pk, held.pk, complaint.pk]).update(respond_by=now - timedelta(hours=1))
    Feedback.objects.filter(pk=held.pk).update(assigned_to=officer)

    # The held one reminds its owner; the unheld one the team's sergeant (not the PC, not ward B's).
    assert services.feedback_due_remind(now=now) == 2
    assert services.feedback_due_remind(now=now) == 0

    email = OutboundEmail.objects.get(to=sergeant.email)
    assert email.key.startswith(f"feedback-unassigned-{sergeant.pk}-")
    assert overdue.reference in email.body_text
    for other in (held, elsewhere, complaint):
        assert other.reference not in email.body_text
    assert not OutboundEmail.objects.filter(to=other_sergeant.email).exists()


def test_feedback_item_without_a_ward_or_owner_is_shown_to_an_administrator(client, admin_user):
    item = _give("compliment", officer_text="PC 123")
    client.force_login(admin_user)
    assert item.reference in client.get(reverse("feedback:staff_queue")).content.decode()
    page = client.get(_detail(item)).content.decode()
    assert "Not given" in page
    assert "Nobody" in page


@pytest.mark.parametrize("items", [1, 20])
def test_feedback_queue_runs_the_same_queries_whatever_its_length(
    client, sergeant, ward_a, items, django_assert_num_queries
):
    for _ in range(items):
        services.feedback_assign(actor=sergeant, feedback=_give(ward=ward_a))
    client.force_login(sergeant)
    # Session and user, roles, the officer and their wards, the count and the page of items.
    with django_assert_num_queries(7):
        response = client.get(reverse("feedback:staff_queue"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == items


def test_feedback_queue_pages_keep_the_status_filter(client, sergeant, ward_a):
    for _ in range(26):
        _give(ward=ward_a)
    client.force_login(sergeant)
    page = client.get(reverse("feedback:staff_queue"), {"status": "received"}).content.decode()
    assert 'href="?status=received&amp;page=2"' in page


def test_feedback_detail_marks_what_looks_like_personal_data(client, officer, ward_a):
    suggestion = _give(ward=ward_a, description="Mr Smith at 12 Acacia Avenue\nparks AB12 CDE on the pavement")
    service = _give("service", ward=ward_a, went_well="Quick", could_be_better="Call me on 07700 900982")
    client.force_login(officer)

    page = client.get(_detail(suggestion)).content.decode()
    other = client.get(_detail(service)).content.decode()

    assert '<mark class="pact-personal-data">Mr Smith<span class="govuk-visually-hidden"> (looks like a name)' in page
    assert "12 Acacia Avenue<span" in page
    assert "<br>parks " in page
    assert '<mark class="pact-personal-data">07700 900982<span' in other
    assert "Quick" in other
