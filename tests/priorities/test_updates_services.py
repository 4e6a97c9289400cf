"""The monthly update services: what a month holds (UK time), publishing once, corrections."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import Event, MonthlyUpdate, MonthlyUpdateRevision, Priority, ProgressEntry
from priorities.selectors import updates as selectors
from priorities.services import updates as services
from tests.priorities.factories import EventFactory, PriorityFactory
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OCTOBER = datetime.date(2026, 10, 1)
# 06:00 UK time on 1 November 2026 (GMT again since 25 October): when beat starts October's updates.
NOVEMBER_FIRST = datetime.datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


def team_with_wards(names=("Abbey", "Barming", "Coxheath")):
    team = TeamFactory(name="Maidstone Rural")
    wards = [WardFactory(name=name, team=team, district=team.district) for name in names]
    return team, wards


def progress(priority, happened_on, text="Patrols at the shops", *, visibility=ProgressEntry.Visibility.PUBLIC):
    """A progress entry by an officer of the priority's team (created directly: the rules are the progress app's)."""
    from tests.core.factories import UserFactory

    officer = OfficerFactory(team=priority.ward.team, first_name="Jo", last_name="Sharma", rank="pc")
    return ProgressEntry.objects.create(
        priority=priority,
        happened_on=happened_on,
        text=text,
        officer=officer,
        visibility=visibility,
        author=UserFactory(),
    )


def held_on(ward, starts_at, title="Abbey PACT meeting"):
    return EventFactory(
        wards=[ward],
        title=title,
        status=Event.Status.HELD,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
    )


def make_priority(*, ward, **kwargs):
    """A priority agreed at a meeting in June, so the factory's own meeting falls in no month under test."""
    agreed_at = held_on(ward, datetime.datetime(2026, 6, 1, 18, tzinfo=UTC), title="June PACT meeting")
    return PriorityFactory(ward=ward, agreed_at=agreed_at, **kwargs)


def publish(team, month=OCTOBER, at=NOVEMBER_FIRST):
    with time_machine.travel(at, tick=False):
        return services.monthly_update_create(team_id=team.pk, month=month)


# Month bounds and the month before, in UK time across the clock changes.


def test_month_bounds_march_ends_at_midnight_bst():
    start, end = selectors.month_bounds(datetime.date(2026, 3, 1))

    assert start == datetime.datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    # Clocks went forward on 29 March: midnight on 1 April UK time is 23:00 UTC on 31 March.
    assert end == datetime.datetime(2026, 3, 31, 23, 0, tzinfo=UTC)


def test_month_bounds_october_starts_in_bst_and_ends_in_gmt():
    start, end = selectors.month_bounds(OCTOBER)

    assert start == datetime.datetime(2026, 9, 30, 23, 0, tzinfo=UTC)
    assert end == datetime.datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


def test_month_bounds_december_runs_into_the_new_year():
    start, end = selectors.month_bounds(datetime.date(2026, 12, 1))

    assert (start, end) == (datetime.datetime(2026, 12, 1, tzinfo=UTC), datetime.datetime(2027, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(2026, 11, 1, 6, 0, tzinfo=UTC), datetime.date(2026, 10, 1)),
        # 23:30 UTC on 31 March is 00:30 on 1 April in the UK: March has ended.
        (datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), datetime.date(2026, 3, 1)),
        # 23:30 UTC on 31 October is still October in the UK (GMT): the month before is September.
        (datetime.datetime(2026, 10, 31, 23, 30, tzinfo=UTC), datetime.date(2026, 9, 1)),
        (datetime.datetime(2027, 1, 1, 6, 0, tzinfo=UTC), datetime.date(2026, 12, 1)),
    ],
)
def test_month_before_is_the_previous_uk_calendar_month(moment, expected):
    assert selectors.month_before(moment) == expected


def test_update_counts_meetings_by_uk_time_across_clock_changes():
    team, (ward, *_) = team_with_wards()
    # 00:30 BST on 1 October (still 30 September in UTC) belongs to October...
    held_on(ward, datetime.datetime(2026, 9, 30, 23, 30, tzinfo=UTC), title="Early October meeting")
    # ...and 00:30 BST on 1 April to April, not March.
    held_on(ward, datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), title="Early April meeting")
    # 23:30 GMT on 31 October is October.
    held_on(ward, datetime.datetime(2026, 10, 31, 23, 30, tzinfo=UTC), title="Late October meeting")

    october, _ = publish(team)
    march, _ = publish(team, datetime.date(2026, 3, 1))

    october_titles = [event["title"] for event in october.content["wards"][0]["meetings_held"]]
    assert october_titles == ["Early October meeting", "Late October meeting"]
    assert march.content["wards"][0]["meetings_held"] == []


# What the update holds.


def test_update_holds_public_entries_of_the_month_per_ward():
    team, (abbey, barming, _) = team_with_wards()
    shops = make_priority(ward=abbey, title="Anti-social behaviour by the shops", agreed_on=datetime.date(2026, 9, 2))
    speeding = make_priority(ward=barming, title="Speeding on the A20", agreed_on=datetime.date(2026, 9, 2))
    progress(shops, datetime.date(2026, 10, 3), "Dispersal order on Friday night")
    progress(shops, datetime.date(2026, 10, 31), "Youth club opened on Saturdays")
    progress(shops, datetime.date(2026, 9, 30), "Last month: not in October's update")
    progress(shops, datetime.date(2026, 11, 1), "Next month: not in October's update")
    progress(shops, datetime.date(2026, 10, 10), "Internal: suspects named", visibility="internal")

    update, created = publish(team)

    assert created is True
    abbey_part, barming_part, coxheath_part = update.content["wards"]
    assert abbey_part["name"] == "Abbey"
    (priority,) = abbey_part["priorities"]
    assert priority["title"] == "Anti-social behaviour by the shops"
    assert [entry["text"] for entry in priority["entries"]] == [
        "Dispersal order on Friday night",
        "Youth club opened on Saturdays",
    ]
    assert priority["entries"][0] == {
        "id": priority["entries"][0]["id"],
        "happened_on": "2026-10-03",
        "text": "Dispersal order on Friday night",
        "by": "Police Constable Jo Sharma",
    }
    assert barming_part["priorities"][0]["id"] == speeding.pk
    assert barming_part["priorities"][0]["entries"] == []
    assert coxheath_part["priorities"] == []
    assert update.content["totals"]["actions"] == 2
    assert "Internal" not in str(update.content)


def test_update_lists_priorities_adopted_and_resolved_in_the_month():
    team, (ward, *_) = team_with_wards()
    adopted = make_priority(ward=ward, slot=1, title="Drug dealing in the park", agreed_on=datetime.date(2026, 10, 8))
    resolved = PriorityFactory(
        ward=ward,
        slot=2,
        title="Parking on the school run",
        agreed_on=datetime.date(2026, 6, 1),
        status=Priority.Status.RESOLVED,
        ended_on=datetime.date(2026, 10, 20),
        outcome="Parking enforcement and a school travel plan",
    )
    PriorityFactory(
        ward=ward,
        slot=3,
        title="Ended before October",
        agreed_on=datetime.date(2026, 3, 1),
        status=Priority.Status.CLOSED,
        ended_on=datetime.date(2026, 9, 30),
    )
    make_priority(ward=ward, slot=3, title="Agreed in November", agreed_on=datetime.date(2026, 11, 1))

    update, _ = publish(team)

    part = update.content["wards"][0]
    assert sorted(priority["title"] for priority in part["priorities"]) == [
        "Drug dealing in the park",
        "Parking on the school run",
    ]
    assert part["adopted"] == [adopted.pk]
    assert part["ended"] == [resolved.pk]
    ended = next(priority for priority in part["priorities"] if priority["id"] == resolved.pk)
    assert ended["status_label"] == "Resolved"
    assert ended["outcome"] == "Parking enforcement and a school travel plan"
    assert "1 priority adopted, 1 resolved or closed" in update.summary


def test_update_lists_the_next_meetings_after_the_month():
    team, (ward, *_) = team_with_wards()
    for day in (3, 10, 17, 24):
        EventFactory(
            wards=[ward], title=f"Surgery {day} November", starts_at=datetime.datetime(2026, 11, day, 18, tzinfo=UTC)
        )

    update, _ = publish(team)

    upcoming = update.content["wards"][0]["meetings_next"]
    assert [event["title"] for event in upcoming] == [
        "Surgery 3 November",
        "Surgery 10 November",
        "Surgery 17 November",
    ]


def test_update_summary_counts_actions_priorities_wards_and_meetings():
    team, (abbey, barming, _) = team_with_wards()
    shops = make_priority(ward=abbey, agreed_on=datetime.date(2026, 9, 2))
    make_priority(ward=barming, agreed_on=datetime.date(2026, 9, 2))
    progress(shops, datetime.date(2026, 10, 3))
    # One meeting for two wards counts once.
    EventFactory(
        wards=[abbey, barming],
        status=Event.Status.HELD,
        starts_at=datetime.datetime(2026, 10, 14, 18, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 10, 14, 19, tzinfo=UTC),
    )

    update, _ = publish(team)

    assert (
        update.summary == "In October 2026 the team recorded 1 action on 2 priorities in 3 wards; 1 meeting was held."
    )


def test_update_of_an_empty_month_says_so_honestly():
    team, _ = team_with_wards()

    update, created = publish(team)

    assert created is True
    assert update.summary.startswith("Nothing was recorded for October 2026")
    assert update.content["totals"] == {
        "wards": 3,
        "priorities": 0,
        "actions": 0,
        "meetings_held": 0,
        "adopted": 0,
        "ended": 0,
    }
    assert update.published_at == NOVEMBER_FIRST


def test_update_creation_is_audited_as_the_system():
    team, _ = team_with_wards()

    update, _ = publish(team)

    event = AuditEvent.objects.get(action="priorities.monthly_update.published")
    assert (event.actor, event.actor_label, event.object_id) == (None, "system", str(update.pk))
    assert event.data["month"] == "2026-10-01"


def test_update_content_costs_a_fixed_number_of_queries(django_assert_num_queries):
    def busy_team(name):
        team = TeamFactory(name=name)
        for n in range(3):
            ward = WardFactory(team=team, district=team.district)
            priority = make_priority(ward=ward, agreed_on=datetime.date(2026, 9, 2))
            for day in range(1, 4):
                progress(priority, datetime.date(2026, 10, day + n))
            held_on(ward, datetime.datetime(2026, 10, 5 + n, 18, tzinfo=UTC))
            EventFactory(wards=[ward], starts_at=datetime.datetime(2026, 11, 5 + n, 18, tzinfo=UTC))
        return team

    team = busy_team("Busy")

    # 1 wards, 2 their priorities with category, 3 the month's public entries with officer
    # and agency, 4 meetings held in the month, 5 next meetings (three per ward)
    with django_assert_num_queries(5):
        content = selectors.month_content(team=team, month=OCTOBER)

    assert content["totals"]["actions"] == 9
    assert content["totals"]["meetings_held"] == 3


# One update per team per month.


def test_update_run_twice_makes_one_update():
    team, _ = team_with_wards()

    first, first_created = publish(team)
    second, second_created = publish(team, at=NOVEMBER_FIRST + datetime.timedelta(hours=1))

    assert (first_created, second_created) == (True, False)
    assert first.pk == second.pk
    assert MonthlyUpdate.objects.filter(team=team).count() == 1
    assert second.published_at == NOVEMBER_FIRST


def test_update_race_lost_to_another_run_returns_theirs():
    team, _ = team_with_wards()
    theirs = MonthlyUpdate.objects.create(team=team, month=OCTOBER, summary="Theirs", published_at=NOVEMBER_FIRST)
    real_first = MonthlyUpdate.objects.filter

    # Our look finds nothing (the other run has not committed yet); our insert then collides.
    def filter_missing_once(*args, **kwargs):
        found = real_first(*args, **kwargs)
        return found.none() if kwargs == {"team_id": team.pk, "month": OCTOBER} else found

    with mock.patch.object(MonthlyUpdate.objects, "filter", side_effect=filter_missing_once):
        update, created = publish(team)

    assert created is False
    assert update.pk == theirs.pk
    assert MonthlyUpdate.objects.filter(team=team).count() == 1


def test_update_database_refuses_a_second_for_the_same_month():
    team, _ = team_with_wards()
    publish(team)

    with pytest.raises(IntegrityError):
        MonthlyUpdate.objects.create(team=team, month=OCTOBER, published_at=NOVEMBER_FIRST)


def test_update_queues_its_emails_whether_created_or_not(monkeypatch, django_capture_on_commit_callbacks):
    import priorities.tasks

    queued = []
    monkeypatch.setattr(
        priorities.tasks, "monthly_update_email_task", mock.Mock(delay_on_commit=queued.append), raising=False
    )
    team, _ = team_with_wards()

    with django_capture_on_commit_callbacks(execute=True):
        first, _ = publish(team)
        second, _ = publish(team)

    assert queued == [first.pk, second.pk]


@pytest.mark.parametrize(
    ("month", "message"),
    [(datetime.date(2026, 10, 2), services.ERROR_NOT_FIRST), (datetime.date(2026, 11, 1), services.ERROR_NOT_OVER)],
)
def test_update_refuses_a_month_not_ended_or_not_a_first(month, message):
    team, _ = team_with_wards()

    with pytest.raises(PrioritiesError, match=str(message)):
        publish(team, month)

    assert not MonthlyUpdate.objects.exists()


def test_update_refuses_an_unknown_team():
    with (
        pytest.raises(PrioritiesError, match=str(services.ERROR_NO_TEAM)),
        time_machine.travel(NOVEMBER_FIRST, tick=False),
    ):
        services.monthly_update_create(team_id=999999, month=OCTOBER)


# Corrections.


def test_correction_keeps_the_old_version_and_is_audited(officer, ward_a):
    update, _ = publish(ward_a.team)
    old_summary = update.summary

    corrected = services.monthly_update_correct(
        actor=officer, update=update, summary="One meeting was held on 14 October.", reason="The meeting was missing"
    )

    assert corrected.summary == "One meeting was held on 14 October."
    assert corrected.revision == 2
    kept = MonthlyUpdateRevision.objects.get(update=update)
    assert (kept.number, kept.summary, kept.reason, kept.corrected_by) == (
        1,
        old_summary,
        "The meeting was missing",
        officer,
    )
    assert kept.content == update.content
    event = AuditEvent.objects.get(action="priorities.monthly_update.corrected")
    assert event.actor == officer
    assert event.data["before"] == {"summary": old_summary, "revision": 1}
    assert event.data["after"]["revision"] == 2


def test_correction_twice_numbers_the_revisions(admin_user, ward_a):
    update, _ = publish(ward_a.team)
    original = update.summary

    services.monthly_update_correct(actor=admin_user, update=update, summary="Second", reason="First fix")
    services.monthly_update_correct(actor=admin_user, update=update, summary="Third", reason="Second fix")

    update.refresh_from_db()
    assert (update.revision, update.summary) == (3, "Third")
    assert list(update.revisions.values_list("number", "summary", "reason")) == [
        (1, original, "First fix"),
        (2, "Second", "Second fix"),
    ]


@pytest.mark.parametrize("persona", ["other_officer", "chair", "partner", "outsider"])
def test_correction_refused_to_anyone_but_the_team_and_administrators(request, persona, ward_a):
    update, _ = publish(ward_a.team)
    actor = request.getfixturevalue(persona)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_TEAM)):
        services.monthly_update_correct(actor=actor, update=update, summary="Changed", reason="Because")

    assert not MonthlyUpdateRevision.objects.exists()


@pytest.mark.parametrize(
    ("summary", "reason", "message"),
    [
        ("  ", "A reason", services.ERROR_SUMMARY_REQUIRED),
        ("New summary", " ", services.ERROR_REASON_REQUIRED),
        (None, "A reason", services.ERROR_UNCHANGED),
    ],
)
def test_correction_needs_a_new_summary_and_a_reason(officer, ward_a, summary, reason, message):
    update, _ = publish(ward_a.team)

    with pytest.raises(PrioritiesError, match=str(message)):
        services.monthly_update_correct(
            actor=officer, update=update, summary=update.summary if summary is None else summary, reason=reason
        )

    assert MonthlyUpdate.objects.get().revision == 1


@pytest.mark.parametrize("ward_count", [3, 10])
def test_update_creation_costs_a_fixed_number_of_queries(django_assert_num_queries, ward_count):
    team, wards = team_with_wards([f"Ward {n}" for n in range(ward_count)])
    for ward in wards:
        progress(make_priority(ward=ward, agreed_on=datetime.date(2026, 9, 2)), datetime.date(2026, 10, 5))

    # 1 is there an update already, 2 the team, 3-7 the month's content (wards, priorities,
    # entries, meetings held, meetings next), 8 savepoint, 9 the approved draft, 10 insert,
    # 11 audit, 12 release
    with django_assert_num_queries(12), time_machine.travel(NOVEMBER_FIRST, tick=False):
        update, _ = services.monthly_update_create(team_id=team.pk, month=OCTOBER)

    assert update.content["totals"]["actions"] == ward_count
