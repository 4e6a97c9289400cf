"""Equality questions for PACT participants: attendees and panel members online, and the paper
forms staff type in after a meeting."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.forms import ERROR_HONEYPOT
from core.models import AuditEvent
from feedback.models import EqualityRepeatKey, EqualityResponse
from feedback.services.equality import (
    ERROR_ALREADY_ANSWERED,
    ERROR_MEETING_CANCELLED,
    ERROR_MEETING_CLOSED,
    ERROR_MEETING_NOT_YET,
    ERROR_NOTHING_ANSWERED,
    ERROR_PAPER_EMPTY,
    ERROR_PAPER_TOO_EARLY,
    ERROR_ROLE_INVALID,
    equality_answer,
)
from feedback.views.equality.public import ERROR_RATE_LIMITED, TOKEN
from tests.priorities.factories import ChairFactory, MeetingFactory, PanelFactory
from tests.wards.factories import DistrictFactory, WardFactory

pytestmark = pytest.mark.django_db

ATTENDEE = EqualityResponse.Context.MEETING_ATTENDEE
PANEL_MEMBER = EqualityResponse.Context.PANEL_MEMBER


def _ago(**delta) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) - datetime.timedelta(**delta)


@pytest.fixture
def meeting(ward_a):
    """A PACT meeting for ward A that started an hour ago."""
    return MeetingFactory(panel=PanelFactory(wards=[ward_a]), starts_at=_ago(hours=1))


def _url(meeting) -> str:
    return reverse("feedback:meeting_about_you", args=[meeting.uid])


def _answers(**extra) -> dict:
    return {"age_band": "45_54", "ethnicity": "white", "website": ""} | extra


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The public page for people attending a meeting.


def test_event_page_links_to_the_questions(client, meeting):
    page = client.get(reverse("priorities:event_detail", args=[meeting.uid])).content.decode()

    assert "Taking part? Tell us about yourself — optional" in page
    assert _url(meeting) in page
    assert reverse("feedback:panel_about_you", args=[meeting.panel_id]) in page


def test_cancelled_event_page_does_not_offer_the_questions(client, meeting):
    meeting.status, meeting.cancellation_reason = "cancelled", "The hall flooded"
    meeting.save()

    page = client.get(reverse("priorities:event_detail", args=[meeting.uid])).content.decode()

    assert _url(meeting) not in page


def test_attendee_answers_are_kept_apart_with_the_meeting_district(client, meeting, ward_a):
    client.get(_url(meeting))
    response = client.post(_url(meeting), _answers(religion="prefer_not"))

    assert response.status_code == 302
    assert response.url == reverse("feedback:meeting_about_you_done", args=[meeting.uid])
    assert _messages(response) == ["Thank you: your answers have been sent"]
    stored = EqualityResponse.objects.get()
    assert (stored.context, stored.district_id) == (ATTENDEE, ward_a.district_id)
    assert (stored.age_band, stored.ethnicity, stored.religion, stored.sex) == ("45_54", "white", "prefer_not", "")
    assert stored.month == timezone.localdate().replace(day=1)


def test_about_you_page_offers_every_strand_with_prefer_not_to_say(client, meeting):
    page = client.get(_url(meeting)).content.decode()

    for strand in EqualityResponse.STRANDS:
        assert f'name="{strand}"' in page
    assert page.count('value="prefer_not"') == len(EqualityResponse.STRANDS)
    assert 'name="website"' in page
    assert meeting.title in page


def test_a_second_answer_from_the_same_browser_is_refused(client, meeting):
    client.get(_url(meeting))
    client.post(_url(meeting), _answers())

    again = client.post(_url(meeting), _answers(sex="male"))

    assert again.status_code == 400
    assert str(ERROR_ALREADY_ANSWERED) in again.context["form"].non_field_errors()
    assert EqualityResponse.objects.count() == 1
    assert "You have already answered" in client.get(_url(meeting)).content.decode()


def test_the_browser_keeps_only_a_token_and_the_database_only_its_keyed_hash(client, meeting):
    client.get(_url(meeting))
    token = client.cookies[TOKEN.cookie]
    client.post(_url(meeting), _answers())

    assert token["path"] == _url(meeting)
    assert token["httponly"]
    key = EqualityRepeatKey.objects.get().key
    assert len(key) == 64
    assert key not in token.value
    assert {field.name for field in EqualityRepeatKey._meta.fields} == {"id", "key"}


def test_the_same_browser_may_answer_for_another_meeting(client, meeting, ward_a):
    other = MeetingFactory(panel=meeting.panel, starts_at=_ago(days=2))
    for each in (meeting, other):
        client.get(_url(each))
        assert client.post(_url(each), _answers()).status_code == 302

    assert EqualityResponse.objects.count() == 2


def test_nothing_answered_is_refused_with_a_clear_message(client, meeting):
    response = client.post(_url(meeting), {"website": ""})

    assert response.status_code == 400
    assert str(ERROR_NOTHING_ANSWERED) in response.context["form"].non_field_errors()
    assert not EqualityResponse.objects.exists()
    assert not EqualityRepeatKey.objects.exists()


def test_an_answer_the_form_does_not_offer_is_refused(client, meeting):
    response = client.post(_url(meeting), _answers(sex="dragon"))

    assert response.status_code == 200
    assert response.context["form"].errors["sex"]
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assert "<title>Error: " in response.content.decode()
    assert not EqualityResponse.objects.exists()


def test_honeypot_refuses_the_answers(client, meeting):
    response = client.post(_url(meeting), _answers(website="http://spam.example"))

    assert response.context["form"].errors["website"] == [ERROR_HONEYPOT]
    assert not EqualityResponse.objects.exists()


def test_answers_are_rate_limited(meeting):
    for _ in range(10):
        client = Client()  # a new browser each time, from the same address
        assert client.post(_url(meeting), _answers()).status_code == 302
    response = Client().post(_url(meeting), _answers())

    assert response.status_code == 429
    assert ERROR_RATE_LIMITED in response.context["form"].non_field_errors()
    assert EqualityResponse.objects.count() == 10


def test_answers_need_csrf(meeting):
    client = Client(enforce_csrf_checks=True)

    assert client.post(_url(meeting), _answers()).status_code == 403


@pytest.mark.parametrize(
    ("starts", "status", "error"),
    [
        ({"days": -2}, "scheduled", ERROR_MEETING_NOT_YET),
        ({"days": 40}, "held", ERROR_MEETING_CLOSED),
        ({"hours": 1}, "cancelled", ERROR_MEETING_CANCELLED),
    ],
)
def test_questions_are_open_from_the_meeting_day_for_four_weeks(client, ward_a, starts, status, error):
    meeting = MeetingFactory(
        panel=PanelFactory(wards=[ward_a]),
        starts_at=_ago(**starts),
        status=status,
        cancellation_reason="Hall flooded" if status == "cancelled" else "",
    )

    shown = client.get(_url(meeting))
    posted = client.post(_url(meeting), _answers())

    assert str(error) in shown.content.decode()
    assert posted.status_code == 403
    assert not EqualityResponse.objects.exists()


def test_unknown_meeting_is_not_found(client):
    url = reverse("feedback:meeting_about_you", args=["00000000-0000-0000-0000-000000000000"])

    assert client.get(url).status_code == 404


def test_meeting_across_two_districts_is_counted_force_wide_only(client):
    wards = [WardFactory(district=DistrictFactory()), WardFactory(district=DistrictFactory())]
    meeting = MeetingFactory(panel=PanelFactory(wards=wards), starts_at=_ago(hours=1))

    client.post(_url(meeting), _answers())

    assert EqualityResponse.objects.get().district is None


def test_double_submit_is_refused_by_the_database(meeting, ward_a):
    equality_answer(
        context=ATTENDEE, district_id=ward_a.district_id, answers={"sex": "male"}, scope="meeting:x", token="t"
    )
    with pytest.raises(Exception, match="already answered"):
        equality_answer(
            context=ATTENDEE, district_id=ward_a.district_id, answers={"sex": "male"}, scope="meeting:x", token="t"
        )

    assert EqualityResponse.objects.count() == 1


# The page for panel members.


def test_panel_member_answers_with_the_panel_district(client, ward_a):
    panel = PanelFactory(wards=[ward_a])
    url = reverse("feedback:panel_about_you", args=[panel.pk])

    client.get(url)
    response = client.post(url, _answers(disability="yes"))
    again = client.post(url, _answers())

    assert response.url == reverse("feedback:panel_about_you_done", args=[panel.pk])
    stored = EqualityResponse.objects.get()
    assert (stored.context, stored.district_id, stored.disability) == (PANEL_MEMBER, ward_a.district_id, "yes")
    assert str(ERROR_ALREADY_ANSWERED) in again.context["form"].non_field_errors()


def test_unknown_panel_is_not_found(client):
    assert client.get(reverse("feedback:panel_about_you", args=[999999])).status_code == 404


# Paper forms typed in by staff.


def _paper(meeting) -> str:
    return reverse("feedback:staff_equality_paper", args=[meeting.pk])


def _paper_answers(**extra) -> dict:
    return {"role": ATTENDEE, "age_band": "65_74", "sex": "female", "then": "another"} | extra


def test_officer_types_in_a_paper_form_and_adds_another(client, officer, meeting, ward_a):
    client.force_login(officer)

    response = client.post(_paper(meeting), _paper_answers())

    assert response.status_code == 302
    assert response.url == _paper(meeting)
    assert _messages(response) == ["Monitoring form saved"]
    stored = EqualityResponse.objects.get()
    assert (stored.context, stored.district_id, stored.age_band, stored.sex) == (
        ATTENDEE,
        ward_a.district_id,
        "65_74",
        "female",
    )
    assert "Forms entered for this meeting so far: <strong>1</strong>" in client.get(_paper(meeting)).content.decode()


def test_save_and_finish_returns_to_the_staff_area(client, officer, meeting):
    client.force_login(officer)

    response = client.post(_paper(meeting), _paper_answers(then="finish", role=PANEL_MEMBER))

    assert response.url == reverse("staff:home")
    assert EqualityResponse.objects.get().context == PANEL_MEMBER


def test_paper_form_is_audited_without_the_answers(client, officer, meeting):
    client.force_login(officer)
    client.post(_paper(meeting), _paper_answers())

    event = AuditEvent.objects.get(action="feedback.equality.paper_entered")
    assert event.actor == officer
    assert event.data == {"meeting": meeting.pk, "context": ATTENDEE}
    assert (event.object_type, event.object_id) == ("", "")


def test_chair_of_the_meeting_panel_types_in_paper_forms(client, meeting):
    chair = ChairFactory(panel=meeting.panel).user
    client.force_login(chair)

    assert client.post(_paper(meeting), _paper_answers()).status_code == 302
    assert EqualityResponse.objects.count() == 1


def test_chair_of_another_panel_finds_no_such_page(client, meeting, ward_a):
    other_chair = ChairFactory(panel=PanelFactory(wards=[ward_a])).user
    client.force_login(other_chair)

    assert client.get(_paper(meeting)).status_code == 404
    assert client.post(_paper(meeting), _paper_answers()).status_code == 404
    assert not EqualityResponse.objects.exists()


def test_officer_of_another_team_finds_no_such_page(client, other_officer, meeting):
    client.force_login(other_officer)

    assert client.post(_paper(meeting), _paper_answers()).status_code == 404
    assert not EqualityResponse.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "partner"])
def test_paper_forms_are_refused_to_other_roles(client, request, persona, meeting):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_paper(meeting)).status_code == 403


def test_paper_forms_send_anonymous_visitors_to_sign_in(client, meeting):
    response = client.get(_paper(meeting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


def test_administrator_types_in_paper_forms_for_any_meeting(client, admin_user, meeting):
    client.force_login(admin_user)

    assert client.post(_paper(meeting), _paper_answers()).status_code == 302


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({"role": "", "age_band": "16_24"}, ERROR_ROLE_INVALID),
        ({"age_band": "", "sex": ""}, ERROR_PAPER_EMPTY),
    ],
)
def test_paper_form_errors_are_specific(client, officer, meeting, answers, error):
    client.force_login(officer)

    response = client.post(_paper(meeting), _paper_answers(**answers))

    assert response.status_code == 400
    assert str(error) in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not EqualityResponse.objects.exists()
    assert not AuditEvent.objects.filter(action="feedback.equality.paper_entered").exists()


def test_paper_forms_wait_for_the_meeting_to_start(client, officer, ward_a):
    future = MeetingFactory(panel=PanelFactory(wards=[ward_a]))
    client.force_login(officer)

    response = client.post(_paper(future), _paper_answers())

    assert response.status_code == 400
    assert str(ERROR_PAPER_TOO_EARLY) in response.context["form"].non_field_errors()
