"""How did we do? (issue 13, item 3): asked once a concern has ended, answered once per concern,
kept as a feedback item, and never showing anything personal on the status page."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import OutboundEmail
from core.recipients import recipient_confirmed
from feedback.models import Feedback
from feedback.services.satisfaction import ERROR_ALREADY_ANSWERED
from priorities.errors import PrioritiesError
from priorities.models import ConcernEvent, Priority
from priorities.services import concern_follow as follow
from priorities.services import concerns as services
from priorities.services import priorities as priority_services
from priorities.services.concern_satisfaction import ERROR_NOT_ENDED, concern_satisfaction_give
from priorities.views.concerns.public import ERROR_SATISFACTION_LIMITED
from tests.priorities.factories import CategoryFactory, MeetingFactory, PanelFactory

pytestmark = pytest.mark.django_db

TEXT = "Someone keeps dumping rubbish behind number 12 Mill Lane, it is Mr Jones."
WHERE = "12 Mill Lane"
EMAIL = "resident.private@example.com"
REASON = "This is a matter for the council environmental team: we passed it to them."
COMMENT = "The lane is clear now, but it took a long time."
QUESTION = "How satisfied are you with how this was handled?"
DAY = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)
ANSWER = {"score": "4", "fixed": "partly", "comment": COMMENT}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _raise(ward, **extra):
    return services.concern_raise(
        ward=ward,
        category=CategoryFactory(name="Fly-tipping"),
        description=TEXT,
        location_text=WHERE,
        contact_email=EMAIL,
        **extra,
    )


def _meeting(ward):
    return MeetingFactory(panel=PanelFactory(wards=[ward]))


def _adopted(ward):
    concern = _raise(ward)
    concern.status = "adopted"
    concern.save(update_fields=["status"])
    priority = Priority.objects.create(
        ward=ward,
        slot=1,
        title="Fly-tipping in Mill Lane",
        category=concern.category,
        concern=concern,
        agreed_on=timezone.localdate(),
        agreed_at=_meeting(ward),
    )
    services.concern_history_add(concern=concern, kind=ConcernEvent.Kind.ADOPTED, priority=priority)
    return concern, priority


def _rejected(officer, ward):
    return services.concern_reject(actor=officer, concern=_raise(ward), reason=REASON)


def _resolved(officer, ward):
    concern, priority = _adopted(ward)
    priority_services.priority_resolve(actor=officer, priority=priority, outcome="No dumping for three months.")
    return concern


def _closed(officer, ward):
    # The step a ballot's review writes when it closes the priority the concern became.
    concern, priority = _adopted(ward)
    services.concern_history_add(concern=concern, kind=ConcernEvent.Kind.CLOSED, priority=priority)
    return concern


ENDED = {"rejected": _rejected, "resolved": _resolved, "closed": _closed}


def _pending(officer, ward):
    received = _raise(ward)
    accepted = services.concern_accept(actor=officer, concern=_raise(ward))
    shortlisted = services.concern_shortlist(actor=officer, concern=_raise(ward), meeting=_meeting(ward))
    adopted, _priority = _adopted(ward)
    return [received, accepted, shortlisted, adopted]


def _status(client, concern, query=""):
    return client.get(reverse("priorities:concern_status", args=[concern.follow_code]) + query)


def _answer(client, concern, **data):
    url = reverse("priorities:concern_satisfaction", args=[concern.follow_code])
    return client.post(url, data or ANSWER)


def test_a_pending_concern_is_never_asked_and_cannot_be_answered(client, officer, ward_a):
    for concern in _pending(officer, ward_a):
        with pytest.raises(PrioritiesError, match=str(ERROR_NOT_ENDED)):
            concern_satisfaction_give(concern=concern, score=5, fixed="yes")

        assert QUESTION not in _status(client, concern).content.decode(), concern.status
        response = _answer(client, concern)
        assert response.status_code == 400
        assert str(ERROR_NOT_ENDED) in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("ending", list(ENDED))
def test_an_ended_concern_is_asked_and_the_answer_is_feedback_for_its_team(client, officer, ward_a, ending):
    concern = ENDED[ending](officer, ward_a)
    assert QUESTION in _status(client, concern).content.decode()

    concern_satisfaction_give(concern=concern, score=2, fixed="no", comment=COMMENT)

    item = Feedback.objects.get()
    assert item.kind == Feedback.Kind.SATISFACTION
    assert (item.concern_reference, item.concern_score, item.concern_fixed) == (concern.reference, 2, "no")
    assert item.description == COMMENT
    assert item.ward == ward_a
    assert item.team == ward_a.team
    assert item.status == Feedback.Status.RECEIVED
    assert (item.contact_email, item.contact_name, item.wants_reply) == ("", "", False)
    content = _status(client, concern).content.decode()
    assert QUESTION not in content
    assert "Someone has told us how this concern was handled" in content


def test_once_per_concern(officer, ward_a):
    concern = _resolved(officer, ward_a)
    concern_satisfaction_give(concern=concern, score=5, fixed="yes")

    with pytest.raises(PrioritiesError, match=str(ERROR_ALREADY_ANSWERED)):
        concern_satisfaction_give(concern=concern, score=1, fixed="no")

    assert Feedback.objects.get().concern_score == 5


def test_the_database_holds_once_per_concern_and_a_whole_answer(officer, ward_a):
    concern = _resolved(officer, ward_a)
    concern_satisfaction_give(concern=concern, score=5, fixed="yes")
    fields = {"kind": "satisfaction", "respond_by": timezone.now(), "concern_score": 3, "concern_fixed": "yes"}

    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(reference="FB-AAAAAA", concern_reference=concern.reference, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            reference="FB-BBBBBB", concern_reference="PC-OTHER", **(fields | {"concern_score": None})
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(reference="FB-CCCCCC", concern_reference="PC-OTHER", **(fields | {"concern_score": 6}))
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(reference="FB-DDDDDD", concern_reference="PC-OTHER", **(fields | {"concern_fixed": ""}))


def test_a_resident_answers_on_the_status_page_and_is_thanked(client, officer, ward_a):
    concern = _rejected(officer, ward_a)

    response = _answer(client, concern)

    status_url = reverse("priorities:concern_status", args=[concern.follow_code])
    assert response.status_code == 302
    assert response["Location"] == f"{status_url}?answered=1#how-did-we-do"
    assert "no-store" in response["Cache-Control"]
    item = Feedback.objects.get()
    assert (item.concern_score, item.concern_fixed, item.description) == (4, "partly", COMMENT)
    content = client.get(response["Location"]).content.decode()
    assert "Thank you: your answer has been sent to the neighbourhood team." in content


def test_the_status_page_never_shows_personal_data_before_or_after_an_answer(client, officer, ward_a):
    concern = _rejected(officer, ward_a)
    before = _status(client, concern).content.decode()
    _answer(client, concern)
    after = _status(client, concern, "?answered=1").content.decode()

    for content in (before, after):
        assert TEXT not in content
        assert WHERE not in content
        assert EMAIL not in content
        assert COMMENT not in content  # the answer is for the team, not published
        assert REASON in content


def test_a_form_with_errors_says_what_to_fix(client, officer, ward_a):
    concern = _resolved(officer, ward_a)

    response = _answer(client, concern, comment="x" * 2001)

    content = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in content
    assert "There is a problem" in content
    assert "Select how satisfied you are with how your concern was handled" in content
    assert "Select whether it has been fixed: yes, partly or no" in content
    assert "Your comment must be 2000 characters or fewer" in content
    assert not Feedback.objects.exists()


def test_the_honeypot_refuses_a_script(client, officer, ward_a):
    concern = _resolved(officer, ward_a)

    response = _answer(client, concern, **ANSWER, website="http://spam.example")

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_the_form_needs_its_csrf_token(officer, ward_a):
    concern = _resolved(officer, ward_a)

    response = _answer(Client(enforce_csrf_checks=True), concern)

    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_answers_are_rate_limited(client, officer, ward_a):
    concern = _resolved(officer, ward_a)

    codes = [_answer(client, concern).status_code for _ in range(6)]

    assert codes == [302, 400, 400, 400, 400, 429]
    assert str(ERROR_SATISFACTION_LIMITED) in _answer(client, concern).content.decode()


def test_a_get_of_the_form_address_goes_to_the_status_page(client, officer, ward_a):
    concern = _resolved(officer, ward_a)

    response = client.get(reverse("priorities:concern_satisfaction", args=[concern.follow_code]))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/concerns/{concern.follow_code}/#how-did-we-do")


def test_unknown_codes_and_short_references_open_nothing(client, officer, ward_a):
    concern = _resolved(officer, ward_a)

    assert client.post(f"/concerns/{concern.reference}/how-did-we-do/", ANSWER).status_code == 404
    assert client.post("/concerns/AAAA-AAAA-AAAA-AAAA/how-did-we-do/", ANSWER).status_code == 404
    assert not Feedback.objects.exists()


def test_the_status_page_of_an_ended_concern_runs_fixed_queries(client, officer, ward_a, django_assert_num_queries):
    concern = _resolved(officer, ward_a)

    # The concern, its history, whether it has an answer.
    with django_assert_num_queries(3):
        assert _status(client, concern).status_code == 200


def _follow_updates():
    return list(OutboundEmail.objects.filter(key__startswith="concern-follow:").order_by("pk"))


def test_the_email_that_tells_an_ending_asks_and_others_do_not(officer, ward_a):
    with time_machine.travel(DAY, tick=False) as clock:
        recipient_confirmed(email=EMAIL)
        concern = _raise(ward_a, follow_by_email=True)
        services.concern_accept(actor=officer, concern=concern)
        follow.concern_follow_updates_send()
        clock.shift(datetime.timedelta(days=1))
        services.concern_reject(actor=officer, concern=concern, reason=REASON)
        follow.concern_follow_updates_send()

    accepted, ending = _follow_updates()
    assert "How did we do?" not in accepted.body_text
    link = reverse("priorities:concern_status", args=[concern.follow_code]) + "#how-did-we-do"
    assert "How did we do?" in ending.body_text
    assert link in ending.body_text
    assert link in ending.body_html


def test_the_ending_email_does_not_ask_again_once_answered(officer, ward_a):
    recipient_confirmed(email=EMAIL)
    concern = _raise(ward_a, follow_by_email=True)
    follow.concern_follow_updates_send()
    concern = services.concern_reject(actor=officer, concern=concern, reason=REASON)
    concern_satisfaction_give(concern=concern, score=3, fixed="no")

    follow.concern_follow_updates_send()

    (ending,) = _follow_updates()
    assert REASON in ending.body_text
    assert "How did we do?" not in ending.body_text
