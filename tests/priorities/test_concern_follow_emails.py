"""Telling a resident when their concern moves (issue 13, item 2): confirmation first, one email
a day per concern, a one-click stop, and an end."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import OutboundEmail
from core.recipients import recipient_confirmed
from priorities.errors import PrioritiesError
from priorities.models import Ballot, Priority
from priorities.services import ballots as ballot_services
from priorities.services import concern_follow as follow
from priorities.services import concerns as services
from priorities.services import priorities as priority_services
from priorities.services import progress as progress_services
from tests.priorities.factories import CategoryFactory, MeetingFactory, PanelFactory, ballot_meeting

pytestmark = pytest.mark.django_db

EMAIL = "follower@example.com"
DAY = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(DAY, tick=False) as traveller:
        yield traveller


def _raise(ward, *, follow=True, email=EMAIL):
    return services.concern_raise(
        ward=ward,
        category=CategoryFactory(),
        description="Vans dumping rubbish.",
        contact_email=email,
        follow_by_email=follow,
    )


def _updates():
    return list(OutboundEmail.objects.filter(key__startswith="concern-follow:").order_by("pk"))


def _meeting(ward):
    return MeetingFactory(panel=PanelFactory(wards=[ward]))


def test_asking_to_follow_needs_an_address(ward_a):
    with pytest.raises(PrioritiesError):
        _raise(ward_a, email="")


def test_first_email_is_held_behind_a_request_to_confirm_the_address(ward_a):
    concern = _raise(ward_a)

    start = OutboundEmail.objects.get(key=f"concern-follow-start:{concern.pk}")
    assert start.status == OutboundEmail.Status.HELD
    assert OutboundEmail.objects.filter(key__startswith="address-confirm:", to=EMAIL).count() == 1
    assert reverse("priorities:concern_status", args=[concern.follow_code]) in start.body_text


@pytest.mark.parametrize("confirmed", [False, True])
def test_the_first_email_has_the_one_click_stop_too(ward_a, confirmed):
    if confirmed:
        recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a)

    start = OutboundEmail.objects.get(key=f"concern-follow-start:{concern.pk}")
    stop = reverse("priorities:concern_follow_stop", args=[follow.concern_stop_token(concern)])
    assert start.headers["List-Unsubscribe"].endswith(f"{stop}>")
    assert start.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    request = OutboundEmail.objects.filter(key__startswith="address-confirm:", to=EMAIL).first()
    assert request is None or "List-Unsubscribe" not in request.headers


def test_nothing_is_emailed_to_an_unconfirmed_address(officer, ward_a):
    concern = _raise(ward_a)
    services.concern_accept(actor=officer, concern=concern)

    assert follow.concern_follow_updates_send() == 0
    assert _updates() == []


def test_steps_wait_for_confirmation_then_come_in_one_email(officer, ward_a):
    concern = _raise(ward_a)
    services.concern_accept(actor=officer, concern=concern)
    follow.concern_follow_updates_send()
    recipient_confirmed(email=EMAIL)

    assert follow.concern_follow_updates_send() == 1

    (email,) = _updates()
    assert "accepted" in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/concerns/stop/" in email.headers["List-Unsubscribe"]


def test_several_steps_on_one_day_are_one_email_and_running_twice_has_one_effect(officer, ward_a):
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a)
    services.concern_accept(actor=officer, concern=concern)
    services.concern_shortlist(actor=officer, concern=concern, meeting=_meeting(ward_a))

    assert follow.concern_follow_updates_send() == 1
    assert follow.concern_follow_updates_send() == 0
    call_command("send_concern_updates")

    (email,) = _updates()
    assert "accepted" in email.body_text
    assert "shortlisted" in email.body_text


def test_a_step_after_the_days_email_waits_for_the_next_day_when_the_run_repeats(officer, ward_a, clock):
    # A second beat, or the task retried later the same day, finds the day's email already
    # queued: a step made since then must not be marked told without being sent.
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a)
    services.concern_accept(actor=officer, concern=concern)
    assert follow.concern_follow_updates_send() == 1
    clock.shift(datetime.timedelta(minutes=5))
    services.concern_shortlist(actor=officer, concern=concern, meeting=_meeting(ward_a))

    assert follow.concern_follow_updates_send() == 0
    clock.shift(datetime.timedelta(days=1))
    assert follow.concern_follow_updates_send() == 1

    first, second = _updates()
    assert "shortlisted" not in first.body_text
    assert "shortlisted" in second.body_text
    assert "accepted" not in second.body_text


def test_one_email_per_change_on_different_days(officer, ward_a, clock):
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a)
    services.concern_accept(actor=officer, concern=concern)
    follow.concern_follow_updates_send()
    clock.shift(datetime.timedelta(days=2))

    services.concern_reject(actor=officer, concern=concern, reason="A matter for the council.")
    follow.concern_follow_updates_send()

    first, second = _updates()
    assert "accepted" in first.body_text
    assert "A matter for the council." in second.body_text
    assert "accepted" not in second.body_text


def test_progress_and_the_end_say_what_was_achieved_and_it_is_the_last(officer, ward_a):
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a)
    follow.concern_follow_updates_send()
    priority = Priority.objects.create(
        ward=ward_a,
        slot=1,
        title="Fly-tipping",
        category=concern.category,
        concern=concern,
        agreed_on=timezone.localdate(),
        agreed_at=_meeting(ward_a),
    )
    progress_services.progress_add(
        actor=officer, priority=priority, happened_on=timezone.localdate(), text="Cameras up.", visibility="public"
    )
    priority_services.priority_resolve(actor=officer, priority=priority, outcome="No dumping for three months.")

    follow.concern_follow_updates_send()

    (email,) = _updates()
    assert "Cameras up." in email.body_text
    assert "No dumping for three months." in email.body_text
    assert "This is the last email" in email.body_text
    assert email.subject.startswith("What was done about your concern")


def _followed(concern, email):
    concern.follow_by_email, concern.contact_email = True, email
    concern.save(update_fields=["follow_by_email", "contact_email"])
    recipient_confirmed(email=email)
    return concern


def _vote(chair, ward, setup, hands):
    """Open, count and close the ballot of ``setup``: ``hands`` by option (a concern or a
    priority), the other options 2, 1, then none (so no place is tied)."""
    ballot = ballot_services.ballot_open(
        actor=chair, meeting=setup.meeting, ward=ward, method=Ballot.Method.SHOW_OF_HANDS
    )
    others = iter([2, 1])
    counts = {
        option.pk: hands[option.concern or option.priority]
        if (option.concern or option.priority) in hands
        else next(others, 0)
        for option in ballot.options.select_related("concern", "priority").order_by("pk")
    }
    ballot_services.ballot_hands_record(actor=chair, ballot=ballot, people_voting=3, counts=counts)
    return ballot_services.ballot_close(actor=chair, ballot=ballot)


def test_the_vote_and_the_review_that_closes_its_priority_are_each_emailed(officer, chair, ward_a, clock):
    setup = ballot_meeting(ward_a, chair_user=chair)
    won = _followed(setup.concerns[0], "won@example.com")
    lost = _followed(setup.concerns[1], "lost@example.com")
    _vote(chair, ward_a, setup, {won: 3, lost: 0})

    assert follow.concern_follow_updates_send() == 2
    won_email = OutboundEmail.objects.get(key__startswith="concern-follow:", to="won@example.com")
    lost_email = OutboundEmail.objects.get(key__startswith="concern-follow:", to="lost@example.com")
    assert "chosen by the panel's vote" in won_email.body_text
    assert "it is now a priority, “Concern 1.”\n" in won_email.body_text  # one full stop, the title's
    assert "not chosen at the panel's vote" in lost_email.body_text
    assert "it received 0 votes" in lost_email.body_text
    assert "How did we do?" not in won_email.body_text + lost_email.body_text

    # The next meeting reviews the priorities: the one the concern became is not kept.
    clock.shift(datetime.timedelta(days=1))
    review = ballot_meeting(ward_a, chair_user=chair)
    _vote(chair, ward_a, review, {Priority.objects.get(concern=won): 0})

    assert follow.concern_follow_updates_send() == 1
    closed = OutboundEmail.objects.filter(key__startswith="concern-follow:", to="won@example.com").latest("pk")
    assert "the priority was closed when the panel reviewed the ward's priorities" in closed.body_text
    assert "This is the last email" in closed.body_text
    assert "How did we do?" in closed.body_text


def test_a_merge_is_emailed_and_is_not_an_end(officer, ward_a):
    recipient_confirmed(email=EMAIL)
    concern, other = _raise(ward_a), _raise(ward_a, follow=False)
    services.concern_merge(actor=officer, concern=concern, into=other)

    assert follow.concern_follow_updates_send() == 1

    (email,) = _updates()
    assert "joined with another concern about the same thing" in email.body_text
    assert "This is the last email" not in email.body_text


def test_the_stop_link_stops_at_once_by_one_click_and_nothing_comes_after(client, officer, ward_a):
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a)
    stop = reverse("priorities:concern_follow_stop", args=[follow.concern_stop_token(concern)])

    assert "Stop the emails" in client.get(stop).content.decode()
    concern.refresh_from_db()
    assert concern.follow_stopped_at is None  # a GET (a mail scanner) stops nothing
    response = client.post(stop, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    services.concern_accept(actor=officer, concern=concern)

    assert follow.concern_follow_updates_send() == 0
    assert _updates() == []


def test_a_bad_stop_link_is_404(client):
    assert client.post(reverse("priorities:concern_follow_stop", args=["nonsense"])).status_code == 404


def test_concerns_not_followed_get_no_emails(officer, ward_a):
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a, follow=False)
    services.concern_accept(actor=officer, concern=concern)

    assert follow.concern_follow_updates_send() == 0
    assert not OutboundEmail.objects.filter(key__startswith="concern-follow").exists()


def test_the_form_offers_to_follow_and_asks_for_the_address(client, ward_a):
    CategoryFactory(slug="speeding", name="Speeding", is_police_uk=False)
    url = reverse("priorities:concern_new", args=[ward_a.code])
    answers = {"category": "speeding", "description": "Cars race.", "follow_by_email": "on", "website": ""}

    response = client.post(url, answers)

    assert "Email me when my concern moves" in response.content.decode()
    assert "Enter your email address if you would like to be told" in response.content.decode()
    response = client.post(url, {**answers, "contact_email": EMAIL})
    assert response.status_code == 302


def test_the_staff_page_says_whether_the_resident_will_be_told(client, officer, ward_a):
    followed, not_followed = _raise(ward_a), _raise(ward_a, follow=False)
    client.force_login(officer)

    def page(concern):
        return client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode()

    assert "The resident will be told by email" in page(followed)
    assert "The resident will not be emailed" in page(not_followed)
