"""The monthly update tasks and command: fan-out per team, run twice, retried, one team failing."""

import contextlib
import datetime
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import OperationalError

from priorities import tasks
from priorities.models import MonthlyUpdate
from priorities.services import updates as services
from tests.priorities.test_updates_services import NOVEMBER_FIRST, OCTOBER, team_with_wards
from tests.wards.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    return [team_with_wards()[0], TeamFactory(name="Medway Towns"), TeamFactory(name="Dover Rural")]


@pytest.fixture
def celery_eager_retrying():
    """Eager tasks that retry as a worker would: Celery only re-runs an eager retry when errors do not propagate."""
    from pact.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def november_first():
    with time_machine.travel(NOVEMBER_FIRST, tick=False):
        yield


def test_tasks_are_named_for_the_beat_schedule():
    from django.conf import settings

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks.monthly_updates_start_task.name in scheduled
    assert tasks.monthly_update_create_task.name == "priorities.tasks.monthly_update_create_task"


def test_start_task_makes_the_previous_month_for_every_team(celery_eager, november_first, teams):
    started = tasks.monthly_updates_start_task.delay().get()

    assert started == 3
    assert sorted(MonthlyUpdate.objects.values_list("team_id", "month")) == sorted((team.pk, OCTOBER) for team in teams)


def test_start_task_fired_twice_makes_one_update_per_team(celery_eager, november_first, teams):
    tasks.monthly_updates_start_task.delay()
    tasks.monthly_updates_start_task.delay()

    assert MonthlyUpdate.objects.count() == 3
    assert {team.updates.count() for team in teams} == {1}


def test_start_task_works_out_the_month_in_uk_time(celery_eager, teams):
    # 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April: March has just ended.
    with time_machine.travel(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
        tasks.monthly_updates_start_task.delay()

    assert set(MonthlyUpdate.objects.values_list("month", flat=True)) == {datetime.date(2026, 3, 1)}


def test_create_task_run_twice_makes_one_update(celery_eager, november_first, teams):
    first = tasks.monthly_update_create_task.delay(teams[0].pk, "2026-10-01").get()
    second = tasks.monthly_update_create_task.delay(teams[0].pk, "2026-10-01").get()

    assert first == second
    assert MonthlyUpdate.objects.count() == 1


def test_create_task_retries_a_lost_connection_and_creates_once(celery_eager_retrying, november_first, teams):
    real = services.monthly_update_create
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with mock.patch("priorities.tasks.updates.monthly_update_create", side_effect=flaky):
        result = tasks.monthly_update_create_task.delay(teams[0].pk, "2026-10-01")

    assert result.state == "SUCCESS"
    update_id = result.get()
    assert len(calls) == 2
    assert MonthlyUpdate.objects.get().pk == update_id


def test_create_task_does_not_retry_a_rule_broken(celery_eager, november_first, teams):
    calls = []

    def refuse(**kwargs):
        calls.append(kwargs)
        raise services.PrioritiesError(services.ERROR_NO_TEAM)

    with (
        mock.patch("priorities.tasks.updates.monthly_update_create", side_effect=refuse),
        pytest.raises(services.PrioritiesError),
    ):
        tasks.monthly_update_create_task.delay(teams[0].pk, "2026-10-01")

    assert len(calls) == 1


def test_create_task_gives_up_after_bounded_retries(celery_eager_retrying, november_first, teams):
    calls = []

    def down(**kwargs):
        calls.append(kwargs)
        raise OperationalError("could not connect to server")

    with mock.patch("priorities.tasks.updates.monthly_update_create", side_effect=down):
        result = tasks.monthly_update_create_task.delay(teams[0].pk, "2026-10-01")

    assert result.state == "FAILURE"
    assert isinstance(result.result, OperationalError)
    assert len(calls) == 1 + tasks.monthly_update_create_task.max_retries


def test_one_team_failing_does_not_stop_the_others(celery_eager, november_first, teams):
    real = services.monthly_update_create
    broken = teams[1].pk

    def fail_for_one(*, team_id, month):
        if team_id == broken:
            raise services.PrioritiesError("Something about this team is wrong")
        return real(team_id=team_id, month=month)

    # Eager tasks propagate errors: each team's task is sent on its own, as beat's fan-out does.
    with mock.patch("priorities.tasks.updates.monthly_update_create", side_effect=fail_for_one):
        for team in teams:
            with contextlib.suppress(services.PrioritiesError):
                tasks.monthly_update_create_task.delay(team.pk, "2026-10-01")

    assert sorted(MonthlyUpdate.objects.values_list("team_id", flat=True)) == sorted([teams[0].pk, teams[2].pk])


def test_start_task_sends_one_task_per_batch_of_teams(november_first, teams, settings):
    settings.PACT_MONTHLY_TEAMS_PER_TASK = 2
    ids = sorted(team.pk for team in teams)

    with mock.patch.object(tasks.monthly_updates_create_task, "delay") as delay:
        started = tasks.monthly_updates_start_task()

    assert started == 3
    assert [call.args for call in delay.call_args_list] == [(ids[:2], "2026-10-01"), (ids[2:], "2026-10-01")]


def test_start_task_in_batches_makes_the_month_for_every_team(celery_eager, november_first, teams, settings):
    settings.PACT_MONTHLY_TEAMS_PER_TASK = 2

    tasks.monthly_updates_start_task.delay()

    assert sorted(MonthlyUpdate.objects.values_list("team_id", "month")) == sorted((team.pk, OCTOBER) for team in teams)


def test_batch_task_run_twice_makes_one_update_per_team(celery_eager, november_first, teams):
    ids = [team.pk for team in teams]

    first = tasks.monthly_updates_create_task.delay(ids, "2026-10-01").get()
    second = tasks.monthly_updates_create_task.delay(ids, "2026-10-01").get()

    assert (first, second) == (3, 0)
    assert MonthlyUpdate.objects.count() == 3


def test_batch_task_retries_a_lost_connection_and_creates_once(celery_eager_retrying, november_first, teams):
    real = services.monthly_updates_create
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with mock.patch("priorities.tasks.updates.monthly_updates_create", side_effect=flaky):
        result = tasks.monthly_updates_create_task.delay([team.pk for team in teams], "2026-10-01")

    assert result.state == "SUCCESS"
    assert result.get() == 3
    assert len(calls) == 2
    assert MonthlyUpdate.objects.count() == 3


def test_batch_task_does_not_retry_a_month_refused(celery_eager, teams):
    with (
        time_machine.travel(datetime.datetime(2026, 10, 15, tzinfo=datetime.UTC), tick=False),
        pytest.raises(services.PrioritiesError, match=str(services.ERROR_NOT_OVER)),
    ):
        tasks.monthly_updates_create_task.delay([teams[0].pk], "2026-10-01")

    assert not MonthlyUpdate.objects.exists()


def test_batch_task_logs_a_failing_team_and_publishes_the_others(celery_eager, november_first, teams, caplog):
    ids = [teams[0].pk, 987654, teams[1].pk]

    made = tasks.monthly_updates_create_task.delay(ids, "2026-10-01").get()

    assert made == 2
    assert sorted(MonthlyUpdate.objects.values_list("team_id", flat=True)) == sorted([teams[0].pk, teams[1].pk])
    (failure,) = [record for record in caplog.records if record.levelname == "ERROR"]
    assert failure.getMessage() == (f"monthly update of team 987654 for 2026-10-01 failed: {services.ERROR_NO_TEAM}")


# The management command, for back-filling.


def test_command_backfills_a_month_for_every_team(november_first, teams):
    out = StringIO()

    call_command("create_monthly_updates", "--month", "2026-06", stdout=out)

    assert set(MonthlyUpdate.objects.values_list("month", flat=True)) == {datetime.date(2026, 6, 1)}
    assert MonthlyUpdate.objects.count() == 3
    assert f"{teams[0].slug}: created" in out.getvalue()
    assert "June 2026: 3 created, 0 already existed, 0 failed." in out.getvalue()


def test_command_run_twice_reports_already_existed(november_first, teams):
    call_command("create_monthly_updates", stdout=StringIO())
    out = StringIO()

    call_command("create_monthly_updates", stdout=out)

    assert MonthlyUpdate.objects.count() == 3
    assert "October 2026: 0 created, 3 already existed, 0 failed." in out.getvalue()


def test_command_for_one_team(november_first, teams):
    out = StringIO()

    call_command("create_monthly_updates", "--team", teams[2].slug, stdout=out)

    assert list(MonthlyUpdate.objects.values_list("team_id", "month")) == [(teams[2].pk, OCTOBER)]


def test_command_reports_a_failing_team_and_does_the_others(november_first, teams):
    real = services.monthly_update_create

    def fail_for_one(*, team_id, month):
        if team_id == teams[0].pk:
            raise OperationalError("deadlock detected")
        return real(team_id=team_id, month=month)

    err = StringIO()
    with (
        mock.patch("priorities.management.commands.create_monthly_updates.monthly_update_create", fail_for_one),
        pytest.raises(CommandError, match="1 team"),
    ):
        call_command("create_monthly_updates", stdout=StringIO(), stderr=err)

    assert MonthlyUpdate.objects.count() == 2
    assert f"{teams[0].slug}: failed: deadlock detected" in err.getvalue()


@pytest.mark.parametrize(("args", "message"), [(["--month", "2026-13"], "--month"), (["--team", "nope"], "nope")])
def test_command_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_monthly_updates", *args, stdout=StringIO())
