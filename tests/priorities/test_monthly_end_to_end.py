"""The monthly job end to end: real data, a real beat and worker on Redis and PostgreSQL.

Beat fires the monthly update every minute here (PACT_MONTHLY_UPDATE_CRON), so in the time
the test waits it may fire more than once: every team must still get one update, and every
confirmed subscriber one email per update they should get.
"""

import itertools
import os
import subprocess
import sys
import time
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from core.models import OutboundEmail
from core.services import outbox_dispatch
from priorities.models import MonthlyUpdate, Subscription
from priorities.selectors.updates import month_before
from tests.conftest import _stop, _test_database_url
from wards.models import NeighbourhoodTeam

pytestmark = pytest.mark.worker

TEAMS = 47
# Beat fires at the next whole minute, then 47 teams are published one after the other.
WAIT_SECONDS = 150
POLL_SECONDS = 0.5


@pytest.fixture
def beat(real_worker, tmp_path):
    """``celery beat`` on the worker's queue, firing the monthly update every minute."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pact.settings",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PACT_CELERY_QUEUE": real_worker.queue,
        "PACT_MONTHLY_UPDATE_CRON": "* * * * *",
    }
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "-A", "pact", "beat", "--loglevel=INFO"]
    command += ["--schedule", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid")]
    log_path = tmp_path / "beat.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield log_path
    finally:
        _stop(process)


def _subscribe() -> dict[str, set[int]]:
    """Confirmed subscribers to teams, to wards, and one to a team and its ward; returns who gets which team's."""
    teams = list(NeighbourhoodTeam.objects.order_by("pk").prefetch_related("wards")[:6])
    now = timezone.now()
    expected: dict[str, set[int]] = {}
    tokens = itertools.count()

    def add(email, team, ward=None, **fields):
        target = {"ward": ward} if ward else {"team": team}
        token = f"token-{next(tokens)}"
        Subscription.objects.create(email=email, token=token, confirmed_at=now, **target, **fields)

    for number, team in enumerate(teams[:3]):
        add(f"team{number}@example.org", team)
        expected[f"team{number}@example.org"] = {team.pk}
    for number, team in enumerate(teams[3:6]):
        add(f"ward{number}@example.org", team, ward=team.wards.first())
        expected[f"ward{number}@example.org"] = {team.pk}
    add("both@example.org", teams[0])
    add("both@example.org", teams[0], ward=teams[0].wards.first())
    add("both@example.org", teams[4], ward=teams[4].wards.first())
    expected["both@example.org"] = {teams[0].pk, teams[4].pk}
    Subscription.objects.create(email="pending@example.org", token="t-pending", team=teams[1])
    add("gone@example.org", teams[2], unsubscribed_at=now)
    return expected


def _wait_for(done, real_worker, beat_log) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        if time.monotonic() > deadline:
            logs = f"beat:\n{beat_log.read_text()[-3000:]}\nworker:\n{real_worker.log()[-5000:]}"
            pytest.fail(f"not done in {WAIT_SECONDS}s.\n{logs}")
        time.sleep(POLL_SECONDS)


def test_monthly_job_on_a_real_beat_and_worker_publishes_and_emails_once(real_worker, beat):
    call_command("setup_pact", stdout=StringIO())
    call_command("create_demo_history", stdout=StringIO())
    assert NeighbourhoodTeam.objects.count() == TEAMS
    expected = _subscribe()
    month = month_before(timezone.now())
    emails_due = sum(len(teams) for teams in expected.values())

    def published_and_queued() -> bool:
        updates = MonthlyUpdate.objects.filter(month=month).count()
        return updates >= TEAMS and OutboundEmail.objects.filter(key__startswith="update:").count() >= emails_due

    _wait_for(published_and_queued, real_worker, beat)
    # Beat may send some of them too (outbox dispatch every minute); each row goes once either way.
    outbox_dispatch()

    assert Counter(MonthlyUpdate.objects.values_list("team_id", "month")) == {
        (team_id, month): 1 for team_id in NeighbourhoodTeam.objects.values_list("pk", flat=True)
    }
    rows = OutboundEmail.objects.filter(key__startswith="update:")
    assert rows.count() == emails_due
    assert set(rows.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    team_of_update = dict(MonthlyUpdate.objects.values_list("pk", "team_id"))
    received: dict[str, set[int]] = {}
    for to, key in rows.values_list("to", "key"):
        received.setdefault(to, set()).add(team_of_update[int(key.split(":")[1])])
    assert received == expected
