"""The monthly updates of many teams at once, as the monthly task publishes them: the same
updates as one by one, in a fixed number of queries, one team failing alone."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from core.services import outbox_dispatch
from priorities.errors import PrioritiesError
from priorities.models import MonthlyUpdate, MonthlyUpdateDraft
from priorities.selectors import updates as selectors
from priorities.services import updates as services
from priorities.services.subscriptions import update_emails_queue, updates_emails_queue
from priorities.tasks import monthly_updates_email_task
from tests.core.factories import UserFactory
from tests.priorities.factories import EventFactory, SubscriptionFactory
from tests.priorities.test_updates_services import (
    NOVEMBER_FIRST,
    OCTOBER,
    held_on,
    make_priority,
    progress,
)
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def busy_team(name: str, wards: int = 2):
    """A team whose wards each had a priority, two actions and a meeting in October, and one coming up."""
    team = TeamFactory(name=name)
    for n in range(wards):
        ward = WardFactory(team=team, district=team.district, name=f"{name} ward {n}")
        priority = make_priority(ward=ward, agreed_on=datetime.date(2026, 9, 2))
        for day in (3, 17):
            progress(priority, datetime.date(2026, 10, day + n))
        held_on(ward, datetime.datetime(2026, 10, 5 + n, 18, tzinfo=UTC), title=f"{name} meeting {n}")
        EventFactory(wards=[ward], starts_at=datetime.datetime(2026, 11, 5 + n, 18, tzinfo=UTC))
    return team


def publish_all(teams, month=OCTOBER):
    with time_machine.travel(NOVEMBER_FIRST, tick=False):
        return services.monthly_updates_create(team_ids=[team.pk for team in teams], month=month)


@pytest.fixture
def emails_queued(monkeypatch, django_capture_on_commit_callbacks):
    """The update ids each email task was queued with, once the transaction commits."""
    import priorities.tasks

    queued = []
    task = mock.Mock(delay_on_commit=queued.append)
    monkeypatch.setattr(priorities.tasks, "monthly_updates_email_task", task, raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        yield queued


# The content.


def test_months_content_is_each_team_s_month_content():
    teams = [busy_team("Abbey"), busy_team("Barming", wards=3), TeamFactory(name="No wards")]

    contents = selectors.months_content(teams=teams, month=OCTOBER)

    assert contents == {team.pk: selectors.month_content(team=team, month=OCTOBER) for team in teams}
    assert contents[teams[1].pk]["totals"]["actions"] == 6


@pytest.mark.parametrize(("teams", "wards"), [(2, 1), (5, 3)])
def test_months_content_costs_five_queries_however_many_teams(django_assert_num_queries, teams, wards):
    many = [busy_team(f"Team {n}", wards=wards) for n in range(teams)]

    # 1 wards, 2 their priorities with category, 3 the month's public entries with officer
    # and agency, 4 meetings held in the month, 5 next meetings (three per ward)
    with django_assert_num_queries(5):
        contents = selectors.months_content(teams=many, month=OCTOBER)

    assert {content["totals"]["actions"] for content in contents.values()} == {2 * wards}


# Publishing.


def test_batch_publishes_each_team_as_one_by_one_would():
    plain, reported = busy_team("Abbey"), busy_team("Barming")
    draft = MonthlyUpdateDraft.objects.create(
        team=reported, month=OCTOBER, message="Our own words.", approved_by=UserFactory(), approved_at=timezone.now()
    )

    result = publish_all([plain, reported])

    assert result.created == {plain.pk, reported.pk}
    assert result.failed == {}
    plain_update, reported_update = (MonthlyUpdate.objects.get(team=team) for team in (plain, reported))
    assert result.update_ids == {plain.pk: plain_update.pk, reported.pk: reported_update.pk}
    for team, update in ((plain, plain_update), (reported, reported_update)):
        assert update.content == selectors.month_content(team=team, month=OCTOBER)
        assert update.published_at == NOVEMBER_FIRST
    assert plain_update.summary == selectors.month_summary(plain_update.content, OCTOBER)
    assert plain_update.report_pending is True
    assert (reported_update.summary, reported_update.report_pending) == ("Our own words.", False)
    audited = AuditEvent.objects.filter(action="priorities.monthly_update.published").order_by("object_id")
    assert [(event.actor_label, event.object_id, event.data["approved_draft"]) for event in audited] == sorted(
        [("system", str(plain_update.pk), None), ("system", str(reported_update.pk), draft.pk)],
        key=lambda row: row[1],
    )
    assert audited[0].data["totals"] == MonthlyUpdate.objects.get(pk=audited[0].object_id).content["totals"]


@pytest.mark.parametrize(("teams", "wards"), [(2, 1), (6, 3)])
def test_batch_costs_a_fixed_number_of_queries(django_assert_num_queries, teams, wards):
    many = [busy_team(f"Team {n}", wards=wards) for n in range(teams)]

    # 1 which have an update already, 2 the teams, 3-7 the month's content (wards,
    # priorities, entries, meetings held, meetings next), 8 approved drafts, 9 savepoint,
    # 10 the updates, 11 their audit records, 12 release
    with django_assert_num_queries(12):
        result = publish_all(many)

    assert len(result.created) == teams


def test_batch_run_twice_makes_one_update_per_team_and_queues_the_emails_both_times(emails_queued):
    teams = [busy_team("Abbey"), busy_team("Barming")]

    first = publish_all(teams)
    second = publish_all(teams)

    assert (len(first.created), second.created) == (2, set())
    assert second.update_ids == first.update_ids
    assert MonthlyUpdate.objects.count() == 2
    assert AuditEvent.objects.filter(action="priorities.monthly_update.published").count() == 2
    assert emails_queued == [sorted(first.update_ids.values())] * 2


def test_batch_publishes_the_others_when_a_team_is_unknown():
    team = busy_team("Abbey")

    result = publish_all([TeamFactory.build(pk=987654), team])

    assert result.failed == {987654: str(services.ERROR_NO_TEAM)}
    assert list(MonthlyUpdate.objects.values_list("team_id", flat=True)) == [team.pk]


def test_batch_publishes_the_others_when_a_team_s_update_is_invalid():
    broken, fine = busy_team("Abbey"), busy_team("Barming")
    real = services._new_update

    def invalid_for_one(team, *args):
        if team.pk == broken.pk:
            raise ValidationError("This update is not valid")
        return real(team, *args)

    with mock.patch.object(services, "_new_update", side_effect=invalid_for_one):
        result = publish_all([broken, fine])

    assert result.failed == {broken.pk: "This update is not valid"}
    assert list(MonthlyUpdate.objects.values_list("team_id", flat=True)) == [fine.pk]


def test_batch_race_lost_to_another_run_keeps_theirs_and_publishes_the_others():
    raced, other = busy_team("Abbey"), busy_team("Barming")
    theirs = MonthlyUpdate.objects.create(team=raced, month=OCTOBER, summary="Theirs", published_at=NOVEMBER_FIRST)
    real_filter = MonthlyUpdate.objects.filter

    # Our look finds nothing (the other run has not committed yet); our insert then collides.
    def filter_missing_once(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        return found.none() if "team_id__in" in kwargs else found

    with mock.patch.object(MonthlyUpdate.objects, "filter", side_effect=filter_missing_once):
        result = publish_all([raced, other])

    assert result.created == {other.pk}
    assert result.update_ids[raced.pk] == theirs.pk
    assert MonthlyUpdate.objects.get(team=raced).summary == "Theirs"
    assert MonthlyUpdate.objects.filter(team=other).count() == 1
    audited = AuditEvent.objects.filter(action="priorities.monthly_update.published")
    assert list(audited.values_list("object_id", flat=True)) == [str(result.update_ids[other.pk])]


@pytest.mark.parametrize(
    ("month", "message"),
    [(datetime.date(2026, 10, 2), services.ERROR_NOT_FIRST), (datetime.date(2026, 11, 1), services.ERROR_NOT_OVER)],
)
def test_batch_refuses_a_month_not_ended_or_not_a_first(month, message):
    with pytest.raises(PrioritiesError, match=str(message)):
        publish_all([busy_team("Abbey")], month)

    assert not MonthlyUpdate.objects.exists()


# The emails of many updates.


def _published(*teams):
    return sorted(publish_all(teams).update_ids.values())


def test_updates_emails_queue_emails_each_update_s_subscribers_once():
    followed, by_ward, quiet = busy_team("Abbey"), busy_team("Barming"), busy_team("Coxheath")
    SubscriptionFactory(email="team@example.org", ward=None, team=followed)
    SubscriptionFactory(email="ward@example.org", ward=by_ward.wards.first())
    SubscriptionFactory(email="both@example.org", ward=None, team=by_ward)
    SubscriptionFactory(email="both@example.org", ward=by_ward.wards.last())
    SubscriptionFactory(email="pending@example.org", ward=quiet.wards.first(), confirmed_at=None)
    SubscriptionFactory(email="gone@example.org", ward=None, team=quiet, unsubscribed_at=timezone.now())
    SubscriptionFactory(email="meetings@example.org", ward=quiet.wards.first(), wants_updates=False)
    update_ids = _published(followed, by_ward, quiet)

    assert updates_emails_queue(update_ids=update_ids) == 3
    assert updates_emails_queue(update_ids=update_ids) == 0

    team_of = dict(MonthlyUpdate.objects.values_list("pk", "team__name"))
    sent = {(email.to, team_of[int(email.key.split(":")[1])]) for email in OutboundEmail.objects.all()}
    assert sent == {
        ("team@example.org", "Abbey"),
        ("ward@example.org", "Barming"),
        ("both@example.org", "Barming"),
    }
    assert sum(update_emails_queue(update_id=pk) for pk in update_ids) == 0


def test_updates_emails_queue_of_updates_nobody_follows_costs_two_queries(django_assert_num_queries):
    update_ids = _published(busy_team("Abbey"), busy_team("Barming"), busy_team("Coxheath"))

    # 1 the updates' teams, 2 which of them have subscribers
    with django_assert_num_queries(2):
        assert updates_emails_queue(update_ids=update_ids) == 0


def test_monthly_updates_email_task_twice_sends_one_email_each(celery_eager):
    team = busy_team("Abbey")
    SubscriptionFactory.create_batch(2, ward=team.wards.first())
    update_ids = _published(team)

    monthly_updates_email_task.delay(update_ids)
    monthly_updates_email_task.delay(update_ids)
    outbox_dispatch()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        OutboundEmail.objects.values_list("to", flat=True)
    )
    assert len(mail.outbox) == 2
