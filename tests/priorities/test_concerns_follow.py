"""Following a concern: its public history and its status page (issue 13, item 1)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from priorities.models import Ballot, Concern, ConcernEvent, Priority
from priorities.services import ballots as ballot_services
from priorities.services import concerns as services
from priorities.services import priorities as priority_services
from priorities.services import progress as progress_services
from priorities.views.concerns.public import normalise_follow_code
from tests.priorities.factories import CategoryFactory, ConcernFactory, MeetingFactory, PanelFactory, ballot_meeting

pytestmark = pytest.mark.django_db

TEXT = "Someone keeps dumping rubbish behind number 12 Mill Lane, it is Mr Jones."
WHERE = "12 Mill Lane"
EMAIL = "resident.private@example.com"
REASON = "This is a matter for the council environmental team: we passed it to them."


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _raise(ward):
    return services.concern_raise(
        ward=ward,
        category=CategoryFactory(name="Fly-tipping"),
        description=TEXT,
        location_text=WHERE,
        contact_email=EMAIL,
    )


def _meeting(ward):
    return MeetingFactory(panel=PanelFactory(wards=[ward]))


def _kinds(concern):
    return list(ConcernEvent.objects.filter(concern=concern).values_list("kind", flat=True))


def _status(client, concern):
    return client.get(reverse("priorities:concern_status", args=[concern.follow_code]))


def test_follow_code_is_long_random_and_not_the_reference(ward_a):
    first, second = _raise(ward_a), _raise(ward_a)

    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", first.follow_code)
    assert first.follow_code != second.follow_code
    assert first.reference not in first.follow_code


def test_each_moderation_is_a_step_of_the_history(officer, ward_a):
    meeting = _meeting(ward_a)
    accepted, shortlisted, rejected, merged = (_raise(ward_a) for _ in range(4))

    services.concern_accept(actor=officer, concern=accepted)
    services.concern_shortlist(actor=officer, concern=shortlisted, meeting=meeting)
    services.concern_reject(actor=officer, concern=rejected, reason=REASON)
    services.concern_merge(actor=officer, concern=merged, into=accepted)

    assert _kinds(accepted) == ["received", "accepted"]
    assert _kinds(shortlisted) == ["received", "shortlisted"]
    assert ConcernEvent.objects.get(concern=shortlisted, kind="shortlisted").meeting == meeting
    assert _kinds(rejected) == ["received", "rejected"]
    assert ConcernEvent.objects.get(concern=rejected, kind="rejected").text == REASON
    assert ConcernEvent.objects.get(concern=merged, kind="merged").merged_into == accepted


def test_a_concern_merged_again_moves_with_its_target(officer, ward_a):
    first, second, third = (_raise(ward_a) for _ in range(3))
    services.concern_merge(actor=officer, concern=first, into=second)

    services.concern_merge(actor=officer, concern=second, into=third)

    assert [e.merged_into for e in ConcernEvent.objects.filter(concern=first)[1:]] == [second, third]


def test_the_vote_adopts_or_does_not_choose_with_the_tally(ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair)
    ballot = ballot_services.ballot_open(
        actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.SHOW_OF_HANDS
    )
    options = list(ballot.options.order_by("pk"))
    counts = dict(zip([o.pk for o in options], [12, 3, 9, 7], strict=True))
    ballot_services.ballot_hands_record(actor=chair, ballot=ballot, people_voting=12, counts=counts)

    ballot_services.ballot_close(actor=chair, ballot=ballot)

    steps = {e.concern_id: e for e in ConcernEvent.objects.filter(ballot=ballot)}
    lost = options[1].concern
    assert steps[lost.pk].kind == "not_chosen"
    assert steps[lost.pk].votes == 3
    won = options[0].concern
    assert steps[won.pk].kind == "adopted"
    assert steps[won.pk].priority == Priority.objects.get(concern=won)


def test_status_page_links_the_priority_a_vote_adopted_with_one_full_stop(client, ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair, concerns=1)
    ballot = ballot_services.ballot_open(
        actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.SHOW_OF_HANDS
    )
    (option,) = ballot.options.all()
    ballot_services.ballot_hands_record(actor=chair, ballot=ballot, people_voting=3, counts={option.pk: 3})
    ballot_services.ballot_close(actor=chair, ballot=ballot)

    content = _status(client, setup.concerns[0]).content.decode()
    priority = Priority.objects.get(concern=setup.concerns[0])
    assert priority.title == "Concern 1."
    assert re.search(rf'href="{reverse("priorities:priority_detail", args=[priority.pk])}">Concern 1\.</a>\s', content)


def test_progress_and_resolution_of_its_priority_are_steps(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, status="adopted")
    priority = Priority.objects.create(
        ward=ward_a,
        slot=1,
        title="Fly-tipping",
        category=concern.category,
        concern=concern,
        agreed_on=timezone.localdate(),
        agreed_at=_meeting(ward_a),
    )
    today = timezone.localdate()
    entry = progress_services.progress_add(
        actor=officer, priority=priority, happened_on=today, text="Cameras put up.", visibility="public"
    )
    progress_services.progress_add(
        actor=officer, priority=priority, happened_on=today, text="Internal note.", visibility="internal"
    )

    priority_services.priority_resolve(actor=officer, priority=priority, outcome="No dumping for three months.")

    assert _kinds(concern) == ["progress", "resolved"]
    assert ConcernEvent.objects.get(concern=concern, kind="progress").progress == entry


def test_status_page_of_a_pending_concern_shows_its_state_without_its_text(client, ward_a):
    concern = _raise(ward_a)

    response = _status(client, concern)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Received" in content
    assert "Fly-tipping" in content
    assert ward_a.name in content
    assert TEXT not in content
    assert WHERE not in content
    assert EMAIL not in content
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_status_page_of_a_shortlisted_concern_links_the_meeting(client, officer, ward_a):
    meeting = _meeting(ward_a)
    concern = services.concern_shortlist(actor=officer, concern=_raise(ward_a), meeting=meeting)

    content = _status(client, concern).content.decode()

    assert reverse("priorities:event_detail", args=[meeting.uid]) in content
    assert "Mill Lane" in content  # published: its own words show
    assert EMAIL not in content


def test_a_rejected_concern_never_shows_its_text_or_address_in_any_public_response(client, officer, ward_a):
    concern = services.concern_reject(actor=officer, concern=_raise(ward_a), reason=REASON)
    addresses = [
        reverse("priorities:concern_status", args=[concern.follow_code]),
        reverse("priorities:concern_raised", args=[concern.follow_code]),
        reverse("priorities:concern_follow_lookup") + f"?code={concern.follow_code}",
        reverse("priorities:ward_concerns", args=[ward_a.code]),
        reverse("wards:detail", args=[ward_a.code]),
    ]

    for address in addresses:
        response = client.get(address, follow=True)
        content = response.content.decode()
        assert response.status_code == 200, address
        assert TEXT not in content, address
        assert WHERE not in content, address
        assert EMAIL not in content, address
    assert REASON in _status(client, concern).content.decode()


def test_status_page_of_a_merged_concern_links_its_target_only_when_published(client, officer, ward_a):
    target, hidden_target = _raise(ward_a), _raise(ward_a)
    services.concern_accept(actor=officer, concern=target)
    merged = services.concern_merge(actor=officer, concern=_raise(ward_a), into=target)
    merged_hidden = services.concern_merge(actor=officer, concern=_raise(ward_a), into=hidden_target)

    assert reverse("priorities:concern_status", args=[target.follow_code]) in _status(client, merged).content.decode()
    content = _status(client, merged_hidden).content.decode()
    assert hidden_target.follow_code not in content


def test_status_page_runs_fixed_queries(client, officer, ward_a, django_assert_num_queries):
    concern = _raise(ward_a)
    services.concern_shortlist(actor=officer, concern=concern, meeting=_meeting(ward_a))

    with django_assert_num_queries(2):
        assert _status(client, concern).status_code == 200


def test_short_reference_and_unknown_codes_open_nothing(client, ward_a):
    concern = _raise(ward_a)

    assert client.get(f"/concerns/{concern.reference}/").status_code == 404
    assert client.get("/concerns/AAAA-AAAA-AAAA-AAAA/").status_code == 404


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{bare}", " {code} ", "https://pact.example/concerns/{code}/"])
def test_lookup_redirects_to_the_status_page(client, ward_a, typed):
    concern = _raise(ward_a)
    code = concern.follow_code
    text = typed.format(code=code, lower=code.lower(), bare=code.replace("-", ""))

    response = client.get(reverse("priorities:concern_follow_lookup"), {"code": text})

    assert response.status_code == 302
    assert response.url == reverse("priorities:concern_status", args=[code])


def test_lookup_says_clearly_when_it_finds_nothing(client, ward_a):
    response = client.get(reverse("priorities:concern_follow_lookup"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})

    assert response.status_code == 404
    assert "We found no concern with that follow code" in response.content.decode()


def test_lookup_is_rate_limited(client, ward_a):
    url = reverse("priorities:concern_follow_lookup")
    for _ in range(30):
        client.get(url, {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})

    response = client.get(url, {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})

    assert response.status_code == 429


def test_normalise_follow_code_finds_nothing_in_nonsense():
    assert normalise_follow_code("PACT-7KQ2MX") == ""


def test_confirmation_page_links_the_status_page_and_the_ward_page_has_the_follow_box(client, ward_a):
    concern = _raise(ward_a)

    content = client.get(reverse("priorities:concern_raised", args=[concern.follow_code])).content.decode()
    ward_page = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert reverse("priorities:concern_status", args=[concern.follow_code]) in content
    assert concern.follow_code in content
    assert reverse("priorities:concern_follow_lookup") in ward_page
    assert Concern.objects.count() == 1
