"""Residents' support for shortlisted concerns before a meeting: once per person, up to three,
counted only through the emailed link, closed when the meeting starts, shown beside the vote."""

import datetime
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import OutboundEmail
from priorities.errors import PrioritiesError
from priorities.models import Ballot, Concern, MeetingSupport, MeetingSupportChoice
from priorities.selectors.agendas import support_counts
from priorities.services import ballots as ballot_services
from priorities.services import meeting_support as services
from priorities.services.agendas import agenda_publish
from priorities.services.meeting_support import meeting_support_confirm, meeting_support_start
from tests.priorities.factories import ConcernFactory, MeetingFactory, PanelFactory, ballot_meeting
from tests.wards.factories import PostcodeFactory, WardFactory

pytestmark = pytest.mark.django_db

EMAIL = "Sam.Smith@gmail.com"


@pytest.fixture
def meeting(ward_a):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=6)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]), starts_at=starts_at, title="Abbey PACT meeting")
    agenda_publish(actor=None, event_id=meeting.pk, matters_arising="", accessibility_notes="", system=True)
    return meeting


@pytest.fixture
def concerns(meeting, ward_a):
    return [
        ConcernFactory(
            ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=meeting, description=f"Concern {n}"
        )
        for n in range(1, 6)
    ]


@pytest.fixture
def postcode(ward_a):
    return PostcodeFactory(ward=ward_a).postcode


def _start(meeting, concerns, postcode, email=EMAIL):
    return meeting_support_start(
        meeting_id=meeting.pk,
        email=email,
        postcode=postcode.lower().replace(" ", ""),
        concern_ids=[c.pk for c in concerns],
    )


def _token(email: OutboundEmail) -> str:
    return re.search(r"/events/support/([^/\s]+)/", email.body_text).group(1)


def test_support_is_pending_until_the_emailed_link_is_followed(meeting, concerns, postcode):
    support = _start(meeting, concerns[:3], postcode)

    assert support.confirmed_at is None
    assert support_counts(meeting.pk) == {}
    (email,) = OutboundEmail.objects.all()
    assert email.to == EMAIL
    assert "Concern 1" in email.body_text
    assert EMAIL.lower() not in str(MeetingSupport.objects.values_list())

    meeting_support_confirm(token=_token(email))

    assert support_counts(meeting.pk) == {concerns[0].pk: 1, concerns[1].pk: 1, concerns[2].pk: 1}


def test_support_link_followed_twice_counts_once(meeting, concerns, postcode):
    _start(meeting, concerns[:1], postcode)
    token = _token(OutboundEmail.objects.get())

    meeting_support_confirm(token=token)
    meeting_support_confirm(token=token)

    assert support_counts(meeting.pk) == {concerns[0].pk: 1}


def test_support_once_per_person_the_first_confirmed_choice_stands(meeting, concerns, postcode):
    _start(meeting, concerns[:1], postcode)
    meeting_support_confirm(token=_token(OutboundEmail.objects.get()))

    # The same mailbox written differently is the same person.
    again = _start(meeting, concerns[1:4], postcode, email="samsmith+pact@gmail.com")

    assert again is None
    assert OutboundEmail.objects.count() == 1
    assert support_counts(meeting.pk) == {concerns[0].pk: 1}


def test_support_pending_is_replaced_by_a_new_choice_and_the_link_resent(meeting, concerns, postcode):
    first = _start(meeting, concerns[:1], postcode)
    second = _start(meeting, concerns[1:3], postcode)

    assert first.pk == second.pk
    assert sorted(second.choices.values_list("concern_id", flat=True)) == [concerns[1].pk, concerns[2].pk]
    assert OutboundEmail.objects.count() == 2


def test_support_once_per_person_is_a_database_constraint(meeting):
    MeetingSupport.objects.create(meeting=meeting, address_hash="a" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSupport.objects.create(meeting=meeting, address_hash="a" * 64)


def test_support_at_most_three_is_a_database_constraint(meeting, concerns):
    support = MeetingSupport.objects.create(meeting=meeting, address_hash="b" * 64)
    for slot, concern in enumerate(concerns[:3], start=1):
        MeetingSupportChoice.objects.create(support=support, concern=concern, slot=slot)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSupportChoice.objects.create(support=support, concern=concerns[3], slot=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSupportChoice.objects.create(support=support, concern=concerns[3], slot=3)


@pytest.mark.parametrize(
    ("pick", "error"),
    [(slice(0, 0), services.ERROR_CHOOSE_ONE), (slice(0, 4), services.ERROR_TOO_MANY)],
)
def test_support_must_choose_one_to_three(meeting, concerns, postcode, pick, error):
    with pytest.raises(PrioritiesError, match=str(error)):
        _start(meeting, concerns[pick], postcode)

    assert not MeetingSupport.objects.exists()


def test_support_only_for_concerns_shortlisted_for_this_meeting(meeting, concerns, postcode, ward_a):
    accepted = ConcernFactory(ward=ward_a, status=Concern.Status.ACCEPTED)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_SHORTLISTED)):
        _start(meeting, [concerns[0], accepted], postcode)


def test_support_only_from_a_postcode_in_the_meetings_wards(meeting, concerns):
    elsewhere = PostcodeFactory(ward=WardFactory()).postcode

    for postcode in (elsewhere, "not a postcode"):
        with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_IN_WARD)):
            _start(meeting, concerns[:1], postcode)


def test_support_needs_a_published_agenda(ward_a, postcode):
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]))
    concern = ConcernFactory(ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=meeting)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NO_AGENDA)):
        _start(meeting, [concern], postcode)


def test_support_closes_when_the_meeting_starts(meeting, concerns, postcode):
    _start(meeting, concerns[:1], postcode)
    token = _token(OutboundEmail.objects.get())

    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=1)):
        with pytest.raises(PrioritiesError, match=str(services.ERROR_SUPPORT_CLOSED)):
            _start(meeting, concerns[:1], postcode, email="other@example.org")
        with pytest.raises(PrioritiesError, match=str(services.ERROR_SUPPORT_CLOSED)):
            meeting_support_confirm(token=token)

    assert support_counts(meeting.pk) == {}


def test_support_link_tampered_with_is_refused(meeting, concerns, postcode):
    _start(meeting, concerns[:1], postcode)
    token = _token(OutboundEmail.objects.get())

    with pytest.raises(PrioritiesError, match=str(services.ERROR_LINK_NOT_VALID)):
        meeting_support_confirm(token=token[:-2] + "xx")


# The pages


def test_support_form_sends_the_link_and_the_link_page_counts_it(client, meeting, concerns, postcode):
    url = reverse("priorities:meeting_support", args=[meeting.uid])
    form = client.get(url).content.decode()
    assert "Concern 1" in form

    data = {"concerns": [concerns[0].pk, concerns[2].pk], "postcode": postcode, "email": EMAIL}
    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("priorities:meeting_support_sent", args=[meeting.uid])
    confirm_url = reverse("priorities:meeting_support_confirm", args=[_token(OutboundEmail.objects.get())])
    assert "Count my support" in client.get(confirm_url).content.decode()
    assert support_counts(meeting.pk) == {}
    response = client.post(confirm_url, follow=True)
    assert "Your support is counted" in response.content.decode()
    assert support_counts(meeting.pk) == {concerns[0].pk: 1, concerns[2].pk: 1}


def test_support_form_with_four_choices_shows_the_error(client, meeting, concerns, postcode):
    url = reverse("priorities:meeting_support", args=[meeting.uid])
    data = {"concerns": [c.pk for c in concerns[:4]], "postcode": postcode, "email": EMAIL}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert str(services.ERROR_TOO_MANY) in response.content.decode()
    assert not MeetingSupport.objects.exists()


def test_support_form_after_the_start_says_it_is_closed(client, meeting, concerns):
    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=1)):
        response = client.get(reverse("priorities:meeting_support", args=[meeting.uid]))

    assert "You cannot support concerns for this meeting" in response.content.decode()


def test_support_form_of_a_meeting_without_agenda_is_404(client, ward_a):
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]))

    assert client.get(reverse("priorities:meeting_support", args=[meeting.uid])).status_code == 404


def test_chair_sees_the_support_beside_each_option_and_the_result_shows_both(client, ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair)
    supported = setup.concerns[0]
    for n in range(2):
        support = MeetingSupport.objects.create(
            meeting=setup.meeting, address_hash=f"{n}" * 64, confirmed_at=timezone.now()
        )
        MeetingSupportChoice.objects.create(support=support, concern=supported, slot=1)
    ballot = ballot_services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    client.force_login(chair)

    staff_page = client.get(reverse("priorities:staff_ballot", args=[ballot.pk])).content.decode()

    assert "Residents supporting it online before the meeting: 2" in staff_page
    assert "Residents supporting it online before the meeting: 0" in staff_page
    option = ballot.options.get(concern=supported)
    for member in setup.members:
        ballot_services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[option])
    ballot_services.ballot_close(actor=chair, ballot=ballot)
    result = client.get(reverse("priorities:ballot_result", args=[ballot.pk])).content.decode()
    assert "Supported online by 2 residents before the meeting" in result
    assert 'data-label="Votes">3</td>' in result


def test_support_is_personal_data_exported_erased_and_expired_when_unconfirmed(meeting, concerns, postcode):
    from priorities.services.meeting_support import (
        meeting_support_erase,
        meeting_support_expire,
        meeting_support_export,
    )

    _start(meeting, concerns[:1], postcode)
    (exported,) = meeting_support_export("samsmith@gmail.com")
    assert exported["concerns"] == [concerns[0].reference]
    assert exported["confirmed"] is None

    assert meeting_support_expire(timezone.now() + datetime.timedelta(days=1)) == 0
    assert meeting_support_expire(timezone.now() + datetime.timedelta(days=365)) == 2
    _start(meeting, concerns[:1], postcode)
    assert meeting_support_erase(EMAIL, by=None) == 2
    assert not MeetingSupport.objects.exists()
