"""The staff ballot pages and the public result page, through the HTTP client."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from priorities.models import Ballot, Priority, Vote
from priorities.services import ballots as services
from tests.priorities.factories import ChairFactory, MeetingFactory, ballot_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(ward_a, chair):
    return ballot_meeting(ward_a, chair_user=chair)


@pytest.fixture
def ballot(setup, chair, ward_a):
    return services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)


@pytest.fixture
def hands_ballot(setup, chair, ward_a):
    return services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.SHOW_OF_HANDS)


@pytest.fixture
def other_chair(ward_b):
    return ChairFactory(panel__wards=[ward_b]).user


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _options(ballot) -> list:
    return list(ballot.options.order_by("pk"))


def _staff_urls(setup, ballot) -> list[tuple[str, str]]:
    return [
        ("get", reverse("priorities:staff_ballots")),
        ("get", reverse("priorities:staff_ballot_open", args=[setup.meeting.pk])),
        ("get", reverse("priorities:staff_ballot", args=[ballot.pk])),
        ("post", reverse("priorities:staff_ballot_vote", args=[ballot.pk])),
        ("post", reverse("priorities:staff_ballot_hands", args=[ballot.pk])),
        ("post", reverse("priorities:staff_ballot_casting_vote", args=[ballot.pk])),
        ("post", reverse("priorities:staff_ballot_close", args=[ballot.pk])),
    ]


@pytest.mark.parametrize("persona", ["outsider", "officer", "partner"])
def test_ballot_staff_views_refuse_other_roles(client, request, setup, ballot, persona):
    client.force_login(request.getfixturevalue(persona))

    for method, url in _staff_urls(setup, ballot):
        assert getattr(client, method)(url).status_code == 403, url
    assert Vote.objects.count() == 0


def test_ballot_staff_views_hide_ballot_from_chair_of_another_panel(client, setup, ballot, other_chair):
    client.force_login(other_chair)

    for method, url in _staff_urls(setup, ballot)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN


def test_ballot_staff_views_send_anonymous_to_sign_in(client, setup, ballot):
    response = client.get(reverse("priorities:staff_ballot", args=[ballot.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("staff:login"))


def test_ballot_list_shows_held_meetings_of_the_chairs_panels(client, setup, chair, ballot):
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_ballots")).content.decode()

    assert reverse("priorities:staff_ballot", args=[ballot.pk]) in content
    assert reverse("priorities:staff_ballot_open", args=[setup.meeting.pk]) in content


def test_ballot_list_offers_meetings_from_their_start_not_before(client, setup, chair):
    now = timezone.now()
    started = MeetingFactory(panel=setup.panel, starts_at=now - datetime.timedelta(minutes=10))
    coming = MeetingFactory(panel=setup.panel, starts_at=now + datetime.timedelta(days=1))
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_ballots")).content.decode()

    assert reverse("priorities:staff_ballot_open", args=[started.pk]) in content
    assert reverse("priorities:staff_ballot_open", args=[coming.pk]) not in content


def test_ballot_open_page_opens_ballot_audits_and_says_so(client, setup, chair, ward_a):
    client.force_login(chair)
    url = reverse("priorities:staff_ballot_open", args=[setup.meeting.pk])
    assert ward_a.name in client.get(url).content.decode()

    response = client.post(url, {"ward": ward_a.pk, "method": "members"})

    ballot = Ballot.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("priorities:staff_ballot", args=[ballot.pk])
    assert _messages(response) == [f"Ballot opened for {ward_a.name}"]
    assert AuditEvent.objects.filter(action="priorities.ballot.opened", actor=chair).exists()


def test_ballot_open_page_without_choices_shows_errors(client, setup, chair):
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_ballot_open", args=[setup.meeting.pk]), {})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Open a ballot" in content
    assert "Select the ward the ballot is for" in content
    assert "Select how the panel will vote" in content


def test_ballot_page_shows_options_members_and_vote_form(client, setup, chair, ballot):
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_ballot", args=[ballot.pk])).content.decode()

    for concern in ("Concern 1.", "Concern 4."):
        assert concern in content
    for member in setup.members:
        assert member.name in content
    assert "Choose up to 3 options" in content
    assert "<legend" in content


def test_ballot_vote_records_one_vote_with_message(client, setup, chair, ballot):
    client.force_login(chair)
    options = _options(ballot)

    response = client.post(
        reverse("priorities:staff_ballot_vote", args=[ballot.pk]),
        {"member": setup.members[0].pk, "options": [options[0].pk, options[2].pk]},
    )

    assert response.status_code == 302
    assert _messages(response) == ["Vote of Member 1 recorded"]
    assert Vote.objects.get().choices.count() == 2
    assert AuditEvent.objects.filter(action="priorities.vote.recorded", actor=chair).exists()


def test_ballot_vote_double_submission_shows_message_and_keeps_one_vote(client, setup, chair, ballot):
    client.force_login(chair)
    url = reverse("priorities:staff_ballot_vote", args=[ballot.pk])
    data = {"member": setup.members[0].pk, "options": [_options(ballot)[0].pk]}
    client.post(url, data)

    response = client.post(url, data)

    assert response.status_code == 200
    assert str(services.ERROR_ALREADY_VOTED) in response.content.decode()
    assert Vote.objects.count() == 1


def test_ballot_vote_more_than_three_options_is_an_error(client, setup, chair, ballot):
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_ballot_vote", args=[ballot.pk]),
        {"member": setup.members[0].pk, "options": [option.pk for option in _options(ballot)]},
    )

    content = response.content.decode()
    assert "<title>Error: " in content
    assert "Select no more than 3 options" in content
    assert Vote.objects.count() == 0
    # What was entered stays, so the chair corrects it rather than starting again.
    assert f'<option value="{setup.members[0].pk}" selected>' in content
    assert content.count("checked") >= len(_options(ballot))


def test_ballot_hands_records_counts(client, setup, chair, hands_ballot):
    client.force_login(chair)
    options = _options(hands_ballot)
    data = {"people_voting": 10, **{f"option_{option.pk}": n for n, option in enumerate(options)}}

    response = client.post(reverse("priorities:staff_ballot_hands", args=[hands_ballot.pk]), data)

    assert _messages(response) == ["Show of hands recorded"]
    assert list(hands_ballot.options.order_by("pk").values_list("hands", flat=True)) == [0, 1, 2, 3]
    assert AuditEvent.objects.filter(action="priorities.ballot.hands_recorded").exists()


def test_ballot_hands_count_above_people_voting_is_an_error(client, setup, chair, hands_ballot):
    client.force_login(chair)
    options = _options(hands_ballot)
    data = {"people_voting": 2, **{f"option_{option.pk}": 3 for option in options}}

    response = client.post(reverse("priorities:staff_ballot_hands", args=[hands_ballot.pk]), data)

    assert "Votes for an option cannot be more than the number of people voting" in response.content.decode()
    hands_ballot.refresh_from_db()
    assert hands_ballot.people_voting is None


def _tie(ballot, chair, setup):
    options = _options(ballot)
    for member, picks in zip(setup.members, [(0, 1, 2), (0, 1, 3), (0,)], strict=True):
        services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[options[i] for i in picks])
    return options


def test_ballot_page_shows_tie_and_casting_vote_form(client, setup, chair, ballot):
    _tie(ballot, chair, setup)
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_ballot", args=[ballot.pk])).content.decode()

    assert "Tie for the third place" in content
    assert "Record the casting vote" in content


def _tie_with_two_of_three_votes(ballot, chair, setup):
    options = _options(ballot)
    for member, picks in zip(setup.members, [(0, 1, 2), (0, 1, 3)], strict=False):
        services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[options[i] for i in picks])
    return options


def test_ballot_page_announces_no_tie_until_every_member_present_has_voted(client, setup, chair, ballot):
    _tie_with_two_of_three_votes(ballot, chair, setup)
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_ballot", args=[ballot.pk])).content.decode()

    assert "Tie for" not in content
    assert "Record the casting vote" not in content
    assert "2 of 3 members present have voted" in content


def test_ballot_close_page_states_votes_against_members_present_and_warns(client, setup, chair, ballot):
    _tie_with_two_of_three_votes(ballot, chair, setup)
    client.force_login(chair)

    content = " ".join(client.get(reverse("priorities:staff_ballot_close", args=[ballot.pk])).content.decode().split())

    assert "2 votes recorded; 3 members present." in content
    assert "Not every member present has voted." in content
    # The chair going to close says counting is finished: now the tie is real and is decided here.
    assert "Tie for the third place" in content
    assert '<input type="hidden" name="next" value="close">' in content


def test_ballot_close_page_gives_no_warning_when_every_member_voted(client, setup, chair, ballot):
    options = _options(ballot)
    for member in setup.members:
        services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[options[0]])
    client.force_login(chair)

    content = " ".join(client.get(reverse("priorities:staff_ballot_close", args=[ballot.pk])).content.decode().split())

    assert "3 votes recorded; 3 members present." in content
    assert "Not every member present has voted" not in content
    assert "Tie for" not in content


def test_ballot_casting_vote_from_close_page_returns_there(client, setup, chair, ballot):
    options = _tie_with_two_of_three_votes(ballot, chair, setup)
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_ballot_casting_vote", args=[ballot.pk]),
        {"casting-options": [options[2].pk], "next": "close"},
    )

    assert response.url == reverse("priorities:staff_ballot_close", args=[ballot.pk])
    confirm = client.get(response.url).content.decode()
    assert "Tie for" not in confirm


def test_ballot_page_shows_members_choices_as_an_unordered_set(client, setup, chair, ballot):
    options = _options(ballot)
    services.ballot_vote_record(actor=chair, ballot=ballot, member=setup.members[0], options=[options[3], options[1]])
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_ballot", args=[ballot.pk])).content.decode()

    assert "govuk-list--number" not in content
    assert content.index(f"<li>{options[1].title}</li>") < content.index(f"<li>{options[3].title}</li>")


def test_ballot_casting_vote_and_close_through_the_pages(client, setup, chair, ballot, ward_a):
    options = _tie(ballot, chair, setup)
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_ballot_casting_vote", args=[ballot.pk]), {"casting-options": [options[2].pk]}
    )
    assert _messages(response) == ["Casting vote recorded"]
    confirm = client.get(reverse("priorities:staff_ballot_close", args=[ballot.pk])).content.decode()
    assert "together can undo this, by reopening the ballot" in confirm
    response = client.post(reverse("priorities:staff_ballot_close", args=[ballot.pk]))

    assert _messages(response) == ["Ballot closed: the ward's priorities are updated"]
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED
    assert Priority.objects.filter(ward=ward_a, status="current").count() == 3
    assert AuditEvent.objects.filter(action="priorities.ballot.closed", actor=chair).exists()


def test_ballot_close_with_undecided_tie_shows_the_reason(client, setup, chair, ballot):
    _tie(ballot, chair, setup)
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_ballot_close", args=[ballot.pk]))

    content = response.content.decode()
    assert "<title>Error: Close the ballot" in content
    assert "There is a tie for the third place between ‘Concern 3.’ and ‘Concern 4.’" in content.replace("&#x27;", "'")
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN


def test_ballot_casting_vote_wrong_number_is_an_error(client, setup, chair, ballot):
    options = _tie(ballot, chair, setup)
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_ballot_casting_vote", args=[ballot.pk]),
        {"casting-options": [options[2].pk, options[3].pk]},
    )

    assert "Select 1 of the tied options" in response.content.decode()


def test_ballot_result_while_open_shows_no_tally(client, setup, chair, ballot):
    _tie(ballot, chair, setup)

    content = client.get(reverse("priorities:ballot_result", args=[ballot.pk])).content.decode()

    assert "Voting is under way" in content
    assert "Concern 1." not in content


def test_ballot_result_shows_tally_places_and_casting_vote(client, setup, chair, ballot):
    options = _tie(ballot, chair, setup)
    services.ballot_casting_vote(actor=chair, ballot=ballot, options=[options[3]])
    services.ballot_close(actor=chair, ballot=ballot)

    content = client.get(reverse("priorities:ballot_result", args=[ballot.pk])).content.decode()

    assert "Tie for third place decided by the chair's casting vote (Pat Okafor)" in content
    assert "Panel members voting" in content
    assert content.count("Adopted as a priority") == 3
    assert "Not adopted" in content
    assert "Voting is under way" not in content


def test_ballot_result_show_of_hands_shows_people_voting(client, setup, chair, hands_ballot):
    options = _options(hands_ballot)
    services.ballot_hands_record(
        actor=chair, ballot=hands_ballot, people_voting=17, counts={o.pk: n for n, o in enumerate(options)}
    )
    services.ballot_close(actor=chair, ballot=hands_ballot)

    content = client.get(reverse("priorities:ballot_result", args=[hands_ballot.pk])).content.decode()

    assert "People voting" in content
    assert '<dd class="govuk-summary-list__value">17</dd>' in content
    assert "casting vote" not in content


@pytest.mark.parametrize("members", [3, 30])
def test_ballot_result_runs_fixed_queries(client, django_assert_num_queries, ward_a, chair, members):
    setup = ballot_meeting(ward_a, chair_user=chair, members=members)
    ballot = services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method="members")
    options = _options(ballot)
    for n, member in enumerate(setup.members):
        services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[options[n % 3]])
    services.ballot_close(actor=chair, ballot=ballot)

    # 1 the ballot with its meeting, panel, ward and number of members voting, 2 its options with
    # their categories, 3 residents' support for its concerns before the meeting, 4 its reopenings,
    # 5 the new priorities with their lead officers (a casting vote adds 1 query: the chair's name
    # on the panel)
    with django_assert_num_queries(5):
        response = client.get(reverse("priorities:ballot_result", args=[ballot.pk]))

    assert response.status_code == 200


def test_ballot_result_unknown_is_404(client):
    assert client.get(reverse("priorities:ballot_result", args=[999999])).status_code == 404


def test_ballot_page_offers_option_changes_only_before_the_first_vote(client, setup, chair, ballot):
    client.force_login(chair)
    url = reverse("priorities:staff_ballot", args=[ballot.pk])

    before = client.get(url).content.decode()
    services.ballot_vote_record(actor=chair, ballot=ballot, member=setup.members[0], options=_options(ballot)[:1])
    after = client.get(url).content.decode()

    assert "Change the options" in before
    assert "Change the options" not in after


def test_ballot_option_remove_and_add_through_the_page(client, setup, chair, ballot, ward_a):
    removed = _options(ballot)[0]
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_ballot_option_remove", args=[ballot.pk]), {"option": removed.pk})
    assert _messages(response) == [f"Option removed: {removed.title}"]
    response = client.post(
        reverse("priorities:staff_ballot_option_add", args=[ballot.pk]),
        {"add-candidate": f"concern:{removed.concern_id}"},
    )

    # The first redirect was not followed, so both messages are still to show.
    assert _messages(response) == [f"Option removed: {removed.title}", f"Option added: {removed.title}"]
    assert ballot.options.filter(concern=removed.concern_id).exists()


def test_ballot_option_remove_after_first_vote_says_why(client, setup, chair, ballot):
    options = _options(ballot)
    services.ballot_vote_record(actor=chair, ballot=ballot, member=setup.members[0], options=options[:1])
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_ballot_option_remove", args=[ballot.pk]), {"option": options[1].pk}
    )

    assert _messages(response) == ["The options can only be changed before the first vote is recorded"]
    assert ballot.options.count() == len(options)


def test_ballot_option_add_without_choice_shows_error(client, setup, chair, ballot):
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_ballot_option_add", args=[ballot.pk]), {"add-candidate": ""})

    assert "Select the concern or priority to add" in response.content.decode()


def test_ballot_cancel_page_cancels_and_the_result_page_says_why(client, setup, chair, ballot):
    client.force_login(chair)
    url = reverse("priorities:staff_ballot_cancel", args=[ballot.pk])

    assert "Why is the ballot cancelled?" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Opened before the members arrived"})

    assert _messages(response) == ["Ballot cancelled: you can open a new one at this meeting"]
    client.logout()
    public = client.get(reverse("priorities:ballot_result", args=[ballot.pk])).content.decode()
    assert "This ballot was cancelled on" in public
    assert "Opened before the members arrived" in public


def test_ballot_cancel_without_reason_shows_error(client, setup, chair, ballot):
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_ballot_cancel", args=[ballot.pk]), {"reason": ""})

    assert "<title>Error: Cancel the ballot" in response.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN
