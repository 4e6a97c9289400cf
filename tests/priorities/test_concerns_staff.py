import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from priorities.forms import concerns as forms
from priorities.models import Concern
from priorities.services import concerns as services
from tests.priorities.factories import CategoryFactory, ChairFactory, ConcernFactory, MeetingFactory, PanelFactory

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.com"


def _detail(concern):
    return reverse("priorities:staff_concern", args=[concern.reference])


def _action(concern, verb):
    return reverse(f"priorities:staff_concern_{verb}", args=[concern.reference])


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Queue


def test_concern_queue_lists_own_wards_awaiting_moderation_oldest_first(client, officer, ward_a, ward_b):
    older, newer = ConcernFactory(ward=ward_a), ConcernFactory(ward=ward_a)
    Concern.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2020))
    accepted = ConcernFactory(ward=ward_a, status="accepted")
    elsewhere = ConcernFactory(ward=ward_b)
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_concerns")).content.decode()

    assert content.index(older.reference) < content.index(newer.reference)
    assert accepted.reference not in content
    assert elsewhere.reference not in content


def test_concern_queue_filters_by_status_and_ward(client, admin_user, ward_a, ward_b):
    accepted_a = ConcernFactory(ward=ward_a, status="accepted")
    accepted_b = ConcernFactory(ward=ward_b, status="accepted")
    received_a = ConcernFactory(ward=ward_a)
    client.force_login(admin_user)

    content = client.get(reverse("priorities:staff_concerns"), {"status": "accepted", "ward": ward_a.code})
    content = content.content.decode()

    assert accepted_a.reference in content
    assert accepted_b.reference not in content
    assert received_a.reference not in content


def test_concern_queue_any_status_and_bad_filters(client, officer, ward_a):
    concerns = [ConcernFactory(ward=ward_a, status=status) for status in ("received", "accepted", "adopted")]
    client.force_login(officer)

    every = client.get(reverse("priorities:staff_concerns"), {"status": "all"}).content.decode()
    fallback = client.get(reverse("priorities:staff_concerns"), {"status": "nonsense"}).content.decode()

    assert all(concern.reference in every for concern in concerns)
    assert concerns[0].reference in fallback
    assert concerns[1].reference not in fallback


def test_concern_queue_empty_state(client, officer, ward_a):
    client.force_login(officer)

    assert "No concerns are awaiting moderation." in client.get(reverse("priorities:staff_concerns")).content.decode()


def test_concern_queue_for_chair_shows_the_panels_wards(client, chair, ward_a, ward_b):
    ChairFactory(panel=PanelFactory(wards=[ward_a]), user=chair)
    mine, other = ConcernFactory(ward=ward_a), ConcernFactory(ward=ward_b)
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_concerns")).content.decode()

    assert mine.reference in content
    assert other.reference not in content


def test_concern_queue_is_paginated(client, officer, ward_a):
    ConcernFactory.create_batch(30, ward=ward_a)
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_concerns"), {"page": 2}).content.decode()

    assert content.count('href="/staff/concerns/PC') == 5
    assert "status=received&amp;ward=&amp;page=1" in content


@pytest.mark.parametrize("count", [3, 30])
def test_concern_queue_runs_fixed_queries(client, django_assert_num_queries, officer, ward_a, count):
    ConcernFactory.create_batch(count, ward=ward_a)
    client.force_login(officer)

    # 1 session, 2 user, 3 roles, 4 officer (team), 5 ward ids of the team, 6 wards for the filter,
    # 7 count, 8 a page of concerns with wards and categories
    with django_assert_num_queries(8):
        response = client.get(reverse("priorities:staff_concerns"))

    assert response.content.decode().count('href="/staff/concerns/PC') == min(count, 25)


@pytest.mark.parametrize("persona", ["outsider", "partner"])
@pytest.mark.parametrize("name", ["priorities:staff_concerns", "priorities:staff_concern_new"])
def test_concern_staff_pages_refuse_other_roles(client, request, persona, name):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["priorities:staff_concerns", "priorities:staff_concern_new"])
def test_concern_staff_pages_send_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


# Staff entry


def test_concern_new_records_a_concern_raised_at_a_meeting(client, officer, ward_a):
    category = CategoryFactory()
    client.force_login(officer)
    answers = {
        "ward": ward_a.code,
        "source": "meeting",
        "raised_at_event": "",
        "category": category.slug,
        "description": "Parking across driveways on match days.",
        "location_text": "Station Road",
        "contact_email": EMAIL,
    }

    response = client.post(reverse("priorities:staff_concern_new"), answers)

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(concern)
    assert concern.source == Concern.Source.MEETING
    assert concern.raised_by == officer
    assert _messages(response) == [f"Concern {concern.reference} recorded"]
    assert AuditEvent.objects.get(action="priorities.concern.recorded").object_id == str(concern.pk)


def test_concern_new_offers_only_the_users_wards(client, officer, ward_a, ward_b):
    CategoryFactory()
    client.force_login(officer)

    form_page = client.get(reverse("priorities:staff_concern_new")).content.decode()
    response = client.post(
        reverse("priorities:staff_concern_new"),
        {"ward": ward_b.code, "source": "meeting", "category": "anti-social-behaviour", "description": "Noise."},
    )

    assert f'value="{ward_a.code}"' in form_page
    assert f'value="{ward_b.code}"' not in form_page
    assert str(forms.ERROR_CHOICE_GONE) in response.content.decode()
    assert not Concern.objects.exists()


def test_concern_new_shows_errors_and_keeps_answers(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_concern_new"), {"description": "Noise at night."})

    content = response.content.decode()
    assert "<title>Error: " in content
    assert str(forms.ERROR_WARD_REQUIRED) in content
    assert str(forms.ERROR_SOURCE_REQUIRED) in content
    assert str(forms.ERROR_CATEGORY_REQUIRED) in content
    assert "Noise at night." in content


# Detail and moderation


def test_concern_detail_shows_the_contact_email_to_the_wards_officer(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, contact_email=EMAIL, description="<b>loud</b>")
    client.force_login(officer)

    content = client.get(_detail(concern)).content.decode()

    assert EMAIL in content
    assert "&lt;b&gt;loud&lt;/b&gt;" in content
    assert "Accept and publish" in content


@pytest.mark.parametrize("count", [3, 30])
def test_concern_detail_runs_fixed_queries(client, django_assert_num_queries, officer, ward_a, count):
    concern = ConcernFactory(ward=ward_a)
    ConcernFactory.create_batch(count, ward=ward_a)
    for _ in range(count):
        MeetingFactory(panel=PanelFactory(wards=[ward_a]))
    client.force_login(officer)

    # 1 session, 2 user, 3 concern with its relations, 4 roles, 5 officer (team),
    # 6 meetings to shortlist for, 7 concerns to merge into, 8 the crime months held (none here),
    # 9 partner reports and 10 log entries in evidence, 11 residents' logs (none here)
    with django_assert_num_queries(11):
        response = client.get(_detail(concern))

    assert response.content.decode().count("<option") == 2 * count + 2


@pytest.mark.parametrize("persona", ["other_officer", "chair"])
def test_concern_detail_of_another_ward_is_not_found(client, request, ward_a, persona):
    concern = ConcernFactory(ward=ward_a, contact_email=EMAIL)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_detail(concern)).status_code == 404
    for verb in ("accept", "shortlist", "reject", "merge"):
        assert client.post(_action(concern, verb), {"reason": "Dup"}).status_code == 404
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED


@pytest.mark.parametrize("persona", ["outsider", "partner"])
def test_concern_detail_refuses_other_roles(client, request, ward_a, persona):
    concern = ConcernFactory(ward=ward_a)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_detail(concern)).status_code == 403
    for verb in ("accept", "shortlist", "reject", "merge"):
        assert client.post(_action(concern, verb)).status_code == 403


def test_concern_detail_unknown_is_404(client, officer):
    client.force_login(officer)

    assert client.get("/staff/concerns/PACT-ZZZZZZ/").status_code == 404


def test_concern_accept_publishes_with_a_message(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a)
    client.force_login(officer)

    response = client.post(_action(concern, "accept"))

    concern.refresh_from_db()
    assert response.url == _detail(concern)
    assert concern.status == Concern.Status.ACCEPTED
    assert _messages(response) == [f"Concern {concern.reference} accepted and published"]
    assert AuditEvent.objects.filter(action="priorities.concern.accepted", actor=officer).exists()


def test_concern_accept_twice_explains_why_not(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, status="accepted")
    client.force_login(officer)

    response = client.post(_action(concern, "accept"))

    assert _messages(response) == [str(services.ERROR_ACCEPT_STATE)]


def test_concern_actions_refuse_get(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a)
    client.force_login(officer)

    assert client.get(_action(concern, "accept")).status_code == 405


def test_concern_shortlist_by_the_chair(client, chair, ward_a):
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]))
    ChairFactory(panel=meeting.panel, user=chair)
    concern = ConcernFactory(ward=ward_a)
    client.force_login(chair)

    response = client.post(_action(concern, "shortlist"), {"meeting": meeting.pk})

    concern.refresh_from_db()
    assert concern.shortlisted_for == meeting
    assert _messages(response) == [f"Concern {concern.reference} shortlisted"]
    assert AuditEvent.objects.filter(action="priorities.concern.shortlisted", actor=chair).exists()


def test_concern_shortlist_refuses_a_meeting_not_offered(client, officer, ward_a):
    other_meeting = MeetingFactory()
    concern = ConcernFactory(ward=ward_a)
    client.force_login(officer)

    response = client.post(_action(concern, "shortlist"), {"meeting": other_meeting.pk})

    content = response.content.decode()
    assert "<title>Error: " in content
    assert str(forms.ERROR_CHOICE_GONE) in content
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED


def test_concern_reject_needs_a_reason(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a)
    client.force_login(officer)

    response = client.post(_action(concern, "reject"), {"reason": ""})

    content = response.content.decode()
    assert "<title>Error: " in content
    assert str(forms.ERROR_REASON_REQUIRED) in content
    assert 'href="#id_reason"' in content
    # The moderator is told the resident reads the reason, and what the status page shows.
    assert "The resident reads this reason, word for word" in content
    assert "status page" in content


def test_concern_reject_with_reason(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a)
    client.force_login(officer)

    response = client.post(_action(concern, "reject"), {"reason": "A matter for the council"})

    concern.refresh_from_db()
    assert concern.status == Concern.Status.REJECTED
    assert concern.rejection_reason == "A matter for the council"
    assert _messages(response) == [f"Concern {concern.reference} not taken forward"]
    assert AuditEvent.objects.filter(action="priorities.concern.rejected").exists()


def test_concern_merge_into_a_duplicate(client, officer, ward_a):
    target, duplicate = ConcernFactory(ward=ward_a, status="accepted"), ConcernFactory(ward=ward_a)
    client.force_login(officer)

    response = client.post(_action(duplicate, "merge"), {"into": target.reference})

    duplicate.refresh_from_db()
    assert duplicate.merged_into == target
    assert _messages(response) == [f"Concern {duplicate.reference} merged"]
    assert AuditEvent.objects.filter(action="priorities.concern.merged").exists()
    content = client.get(_detail(duplicate)).content.decode()
    assert "Merged with another concern" in content
    assert "Accept and publish" not in content


def test_concern_merge_needs_a_target(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a)
    ConcernFactory(ward=ward_a)
    client.force_login(officer)

    content = client.post(_action(concern, "merge"), {"into": ""}).content.decode()

    assert str(forms.ERROR_TARGET_REQUIRED) in content
