"""A worker killed (SIGKILL) in the middle of the monthly update: still one update per team
and one email per subscriber.

Real Celery workers on a Redis of the test's own and the test database, sending to an SMTP
sink. What makes it hold: the fan-out's task (a batch of teams) is acknowledged only when
done (acks_late), so a killed worker's tasks go back on the queue (after the visibility timeout,
a few seconds here) and run again; the one-update-per-team-per-month constraint and the
outbox's unique keys make the second run change nothing; the outbox claims each row by a
conditional UPDATE. An email being handed to the mail server at the moment of the kill is
the one case SMTP cannot settle: it is never resent, and marked failed for a person to check.
"""

import datetime
import threading
from collections import Counter

import psycopg2
import pytest
import time_machine
from django.utils import timezone

from core.models import OutboundEmail, WorkerHeartbeat
from core.services import OUTBOX_INTERRUPTED, OUTBOX_STUCK_AFTER, outbox_release_stuck
from priorities.models import MonthlyUpdate
from priorities.selectors.updates import month_before
from tests.conftest import _test_database_url
from tests.faults.conftest import send_task
from tests.faults.servers import Worker, app_env, wait_for
from tests.priorities.factories import SubscriptionFactory
from tests.wards.factories import WardFactory

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

TEAMS = 8
# The fan-out sends a task per this many teams; each batch commits its teams' updates together.
TEAMS_PER_TASK = "3"
# The worker is stopped at this team (0-based, in the fan-out's order), the first of the
# second batch: the batch before it is published, the rest are not.
BLOCKED_TEAM = 3
# A killed worker's tasks are run again this long after it took them (production: an hour).
VISIBILITY_SECONDS = "5"
DONE_SECONDS = 120
QUEUE = "faults-monthly"


@pytest.fixture
def workers(transactional_db, celery_broker, own_redis, smtp_sink, tmp_path):
    """Makes workers on our own Redis (broker), the test database and the SMTP sink; stops them all."""
    env = app_env(
        database_url=_test_database_url(),
        redis_url=own_redis.url,
        email_url=smtp_sink.url,
        PACT_CELERY_VISIBILITY_TIMEOUT=VISIBILITY_SECONDS,
        PACT_SEND_EMAIL_AT_ONCE="true",
        PACT_MONTHLY_TEAMS_PER_TASK=TEAMS_PER_TASK,
    )
    started: list[Worker] = []

    def start(name: str) -> Worker:
        worker = Worker(env=env, queue=QUEUE, log_path=tmp_path / f"{name}.log")
        worker.start()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def _logs(*workers: Worker):
    return lambda: "\n".join(worker.log() for worker in workers)


def _teams_with_subscribers() -> dict[str, int]:
    """TEAMS teams of one ward each; a subscriber to each team and one to each ward. Returns address → team."""
    expected = {}
    for number in range(TEAMS):
        ward = WardFactory()
        SubscriptionFactory(email=f"team{number}@example.org", team=ward.team, ward=None)
        SubscriptionFactory(email=f"ward{number}@example.org", ward=ward)
        expected[f"team{number}@example.org"] = expected[f"ward{number}@example.org"] = ward.team_id
    return expected


def _waiting_on_a_lock(database: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [database]
        )
        return cursor.fetchone()[0] > 0


def test_worker_killed_mid_monthly_update_still_one_update_and_one_email_each(workers, own_redis, smtp_sink):
    expected = _teams_with_subscribers()
    team_ids = sorted(set(expected.values()))
    month = month_before(timezone.now())
    # Hold the row of one team. Django's foreign keys are checked when a transaction commits,
    # so the worker stops in the COMMIT of the updates of that team's batch: the batch before
    # it is published, the rest still queued. Killed there, the batch is committed once the
    # lock goes but the worker never asked for its emails: the task, run again, must ask.
    blocker = psycopg2.connect(_test_database_url())
    try:
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM wards_neighbourhoodteam WHERE id = %s FOR UPDATE", [team_ids[BLOCKED_TEAM]])
        first = workers("first-worker")
        send_task(own_redis.url, "priorities.tasks.monthly_updates_start_task", queue=QUEUE)
        wait_for(
            lambda: MonthlyUpdate.objects.count() == BLOCKED_TEAM and _waiting_on_a_lock(blocker.info.dbname),
            seconds=DONE_SECONDS,
            what="first worker stopped inside a team's update",
            log=_logs(first),
        )
        first.kill()
    finally:
        blocker.rollback()
        blocker.close()

    second = workers("second-worker")
    emails = OutboundEmail.objects.filter(key__startswith="update:")
    wait_for(
        lambda: MonthlyUpdate.objects.count() == TEAMS and emails.count() == len(expected),
        seconds=DONE_SECONDS,
        what="every update published and its emails queued",
        log=_logs(first, second),
    )
    _dispatch_and_wait(own_redis, second, beats=1)
    assert not emails.exclude(status=OutboundEmail.Status.SENT).exists()
    # The next minute's dispatch finds nothing more to send.
    _dispatch_and_wait(own_redis, second, beats=2)

    assert Counter(MonthlyUpdate.objects.values_list("team_id", "month")) == {(pk, month): 1 for pk in team_ids}
    team_of_update = dict(MonthlyUpdate.objects.values_list("pk", "team_id"))
    keys = OutboundEmail.objects.filter(key__startswith="update:").values_list("to", "key")
    assert {to: team_of_update[int(key.split(":")[1])] for to, key in keys} == expected
    received = Counter((to, email.subject) for email in smtp_sink.messages() for to in email.to)
    assert set(received.values()) == {1}
    assert Counter(to for to, _ in received) == dict.fromkeys(expected, 1)


def test_worker_killed_while_handing_an_email_to_smtp_never_sends_it_twice(workers, own_redis, smtp_sink):
    ward = WardFactory()
    addresses = [f"resident{number}@example.org" for number in range(3)]
    for address in addresses:
        SubscriptionFactory(email=address, ward=ward)
    held, release = threading.Event(), threading.Event()

    def hold_the_second(email) -> None:
        if len(smtp_sink.messages()) == 2:
            held.set()
            release.wait(timeout=DONE_SECONDS)

    smtp_sink.hold = hold_the_second
    first = workers("first-worker")
    send_task(own_redis.url, "priorities.tasks.monthly_update_create_task", args=(ward.team_id, _month()), queue=QUEUE)
    wait_for(
        lambda: OutboundEmail.objects.count() == len(addresses),
        seconds=DONE_SECONDS,
        what="emails queued",
        log=_logs(first),
    )
    send_task(own_redis.url, "core.tasks.outbox_dispatch_task", queue=QUEUE)
    wait_for(held.is_set, seconds=DONE_SECONDS, what="second email handed to the SMTP server", log=_logs(first))
    # The server has the message; the worker dies before it hears "250 accepted".
    first.kill()
    smtp_sink.hold = None
    release.set()
    interrupted = OutboundEmail.objects.get(status=OutboundEmail.Status.SENDING)

    second = workers("second-worker")
    _dispatch_and_wait(own_redis, second, beats=1)
    statuses = Counter(OutboundEmail.objects.values_list("status", flat=True))
    assert statuses == {OutboundEmail.Status.SENT: 2, OutboundEmail.Status.SENDING: 1}
    assert OutboundEmail.objects.get(pk=interrupted.pk).status == OutboundEmail.Status.SENDING

    # Once it has been "sending" for longer than any worker could take, it is failed, never resent.
    with time_machine.travel(timezone.now() + OUTBOX_STUCK_AFTER + datetime.timedelta(minutes=1)):
        assert outbox_release_stuck() == 1
    interrupted.refresh_from_db()
    assert (interrupted.status, interrupted.last_error) == (OutboundEmail.Status.FAILED, OUTBOX_INTERRUPTED)
    assert Counter(to for email in smtp_sink.messages() for to in email.to) == dict.fromkeys(addresses, 1)


def _dispatch_and_wait(own_redis, worker: Worker, *, beats: int) -> None:
    """Run the outbox dispatch as beat does each minute; return once the worker has run it.

    The monthly update's emails are written in bulk and left to this dispatch. The worker
    takes one task at a time, in order, so the heartbeat sent after the dispatch ends it.
    """
    send_task(own_redis.url, "core.tasks.outbox_dispatch_task", queue=QUEUE)
    send_task(own_redis.url, "core.tasks.heartbeat_record_task", queue=QUEUE)
    wait_for(
        lambda: sum(WorkerHeartbeat.objects.values_list("beats", flat=True)) == beats,
        seconds=DONE_SECONDS,
        what="outbox dispatch run",
        log=worker.log,
    )


def _month() -> str:
    return month_before(timezone.now()).isoformat()
