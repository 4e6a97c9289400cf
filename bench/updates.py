"""Time the monthly "you said, we did" updates: every team's update for one month, on PostgreSQL.

Two forces are measured, each in a database of its own:

- **demo**: the 47 real teams and 305 wards of ``DATABASE_URL`` (default the ``pact_bench``
  database of bench/run.py), set up by ``migrate``, ``setup_pact`` and ``create_demo_history``
  when missing, plus a few public progress entries per priority so the month is not empty;
- **x10**: a synthetic force ten times larger (470 teams, 3,050 wards, each with three
  priorities and their entries, a meeting held and one coming up per team), made in bulk
  in a database named like the first with ``_x10`` appended.

For each team ``monthly_update_create`` runs, one team after the other in one process, as the
``create_monthly_updates`` command runs it; the script prints seconds and queries per team and
in total. The update's emails are only queued (to Celery's
in-memory transport): sending them is the outbox's work, measured apart. Existing updates for
the month are deleted first, so each run measures creation.

``--national`` measures the real job instead, on the national data set of bench/national.py
(``pact_national_bench``, 4,800 teams): it starts a real Celery worker (prefork, two worker
processes, ``--concurrency``) on a Redis broker of its own (``--broker``, default database 9
of the local Redis, on a queue named for the run), sends the task beat sends on the 1st
(``monthly_updates_start_task``, for the month just ended), polls the database until every
team has its update, and prints the seconds, the updates a second and the queries per team;
it exits 1 when that took longer than ``--target`` (60 s, issue 17). The update's emails go
to the outbox as in the real job; the worker's email backend is ``locmem:``, so whatever the
outbox dispatch sends stays in its memory. See bench/README.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import OUT, BelowTarget, BenchError, database_url, ensure_database, run_cli  # noqa: E402

ENTRIES_PER_PRIORITY = 3
X10_TEAMS = 470
X10_WARDS = 3050
NATIONAL_DATABASE = "pact_national_bench"  # made by bench/national.py
NATIONAL_BROKER = "redis://127.0.0.1:6379/9"
NATIONAL_TARGET = 60.0  # seconds for every team's update, with two worker processes (issue 17)
WORKER_READY_SECONDS = 60
POLL_SECONDS = 0.2


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", choices=["demo", "x10", "both"], default="both", help="which force (default both)")
    parser.add_argument(
        "--national", action="store_true", help="the real monthly task on pact_national_bench, on a real worker"
    )
    parser.add_argument(
        "--database", default=NATIONAL_DATABASE, help=f"--national: the data set (default {NATIONAL_DATABASE})"
    )
    parser.add_argument("--broker", default=NATIONAL_BROKER, help=f"--national: Redis (default {NATIONAL_BROKER})")
    parser.add_argument("--concurrency", type=int, default=2, help="--national: worker processes (default 2)")
    parser.add_argument("--target", type=float, default=NATIONAL_TARGET, help="--national: seconds allowed (60)")
    parser.add_argument("--timeout", type=float, default=600, help="--national: give up after (default 600 s)")
    parser.add_argument("--measure", choices=["demo", "x10", "national"], help=argparse.SUPPRESS)
    return parser.parse_args()


def x10_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_x10"))


def run_child(url: str, force: str) -> None:
    """Measure one force in a fresh process, with Django set up on its own database."""
    ensure_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pact.settings", "PACT_LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, __file__, "--measure", force], cwd=ROOT, env=env, check=True)


# In the measuring process (Django set up).


def setup_demo() -> None:
    from django.core.management import call_command

    from priorities.models import Category, Priority
    from wards.models import NeighbourhoodTeam

    call_command("migrate", "--noinput", verbosity=0)
    if not NeighbourhoodTeam.objects.exists() or not Category.objects.exists():
        call_command("setup_pact")
    if not Priority.objects.exists():
        call_command("create_demo_history")


def add_entries(month) -> int:
    """A few public (and one internal) progress entries per active priority in ``month``, once."""
    import datetime

    from django.contrib.auth.models import User

    from priorities.models import Priority, ProgressEntry
    from wards.models import Officer

    if ProgressEntry.objects.filter(happened_on__gte=month, text__startswith="Bench:").exists():
        return 0
    author, _ = User.objects.get_or_create(username="bench-progress")
    officers = {officer.team_id: officer.pk for officer in Officer.objects.order_by("-pk")}
    entries = []
    for priority in Priority.objects.filter(status__in=Priority.ACTIVE_STATUSES).select_related("ward"):
        officer = officers.get(priority.ward.team_id)
        if officer is None:
            continue
        for n in range(ENTRIES_PER_PRIORITY + 1):
            entries.append(
                ProgressEntry(
                    priority=priority,
                    happened_on=month + datetime.timedelta(days=3 + 7 * n),
                    text=f"Bench: patrol and visit number {n + 1} about {priority.title}",
                    officer_id=officer,
                    visibility="internal" if n == ENTRIES_PER_PRIORITY else "public",
                    author=author,
                )
            )
    ProgressEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def measure(label: str, month) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pact.celery import app
    from priorities.models import MonthlyUpdate
    from priorities.selectors.updates import team_ids
    from priorities.services.updates import monthly_update_create

    # Queue the emails without running them here: this measures the updates alone.
    app.conf.task_always_eager = False
    MonthlyUpdate.objects.filter(month=month).delete()
    teams = team_ids()
    seconds, queries = [], []
    started = time.perf_counter()
    for team_id in teams:
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            update, created = monthly_update_create(team_id=team_id, month=month)
            seconds.append(time.perf_counter() - begun)
        if not created:
            raise BenchError(f"team {team_id} already had an update for {month:%B %Y}")
        queries.append(len(captured.captured_queries))
    total = time.perf_counter() - started
    made = MonthlyUpdate.objects.filter(month=month).count()
    print(f"{label}: {len(teams)} teams, {made} updates for {month:%B %Y} in {total:.2f} s")
    mean, median, most = (
        1000 * value for value in (statistics.mean(seconds), statistics.median(seconds), max(seconds))
    )
    print(f"  per team: {mean:.1f} ms mean, {median:.1f} ms median, {most:.1f} ms max")
    print(f"  queries: {sum(queries)} in total, per team min {min(queries)}, max {max(queries)}")


def measure_demo() -> None:
    from django.utils import timezone

    from priorities.selectors.updates import month_before

    setup_demo()
    month = month_before(timezone.now())
    print(f"demo force: {add_entries(month)} progress entries added")
    measure("demo force (47 teams)", month)


def _square(lng: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _x10_wards(teams: list, count: int) -> list:
    from wards.models import Ward

    wards = []
    for n in range(count):
        team = teams[n % len(teams)]
        lng, lat = 0.2 + (n % 100) * 0.01, 50.9 + (n // 100) * 0.01
        wards.append(
            Ward(
                code=f"E05{800000 + n:06d}",
                name=f"Synthetic ward {n + 1}",
                district_id=team.district_id,
                team=team,
                boundary=_square(lng, lat),
                centroid_lat=lat + 0.005,
                centroid_lng=lng + 0.005,
                min_lat=lat,
                min_lng=lng,
                max_lat=lat + 0.01,
                max_lng=lng + 0.01,
            )
        )
    return Ward.objects.bulk_create(wards, batch_size=1000)


def _x10_events(teams: list, wards: list, month) -> dict:
    """Per team a surgery held in ``month`` (where its priorities were agreed) and one coming up."""
    import datetime

    from priorities.models import Event

    start = datetime.datetime.combine(month, datetime.time(18), tzinfo=datetime.UTC)
    events = []
    for team in teams:
        for offset, status in ((9, Event.Status.HELD), (40, Event.Status.SCHEDULED)):
            at = start + datetime.timedelta(days=offset)
            events.append(
                Event(
                    kind=Event.Kind.SURGERY,
                    title=f"{team.name} surgery",
                    starts_at=at,
                    ends_at=at + datetime.timedelta(hours=1),
                    status=status,
                    venue="Community centre",
                )
            )
    events = Event.objects.bulk_create(events, batch_size=1000)
    held = {team.pk: events[2 * n] for n, team in enumerate(teams)}
    links = [
        Event.wards.through(event_id=events[2 * teams.index(team) + k].pk, ward_id=ward.pk)
        for team, team_wards in _by_team(teams, wards)
        for ward in team_wards
        for k in (0, 1)
    ]
    Event.wards.through.objects.bulk_create(links, batch_size=5000)
    return held


def _by_team(teams: list, wards: list) -> list:
    grouped: dict = {team.pk: [] for team in teams}
    for ward in wards:
        grouped[ward.team_id].append(ward)
    return [(team, grouped[team.pk]) for team in teams]


def x10_force_create(*, teams: int, wards: int, month) -> float:
    """A synthetic force of ``teams`` teams and ``wards`` wards, three priorities each; 0 if made already."""
    import datetime

    from priorities.models import Category, Priority
    from wards.models import District, NeighbourhoodTeam, Officer

    if NeighbourhoodTeam.objects.count() >= teams:
        return 0.0
    started = time.perf_counter()
    districts = [
        District.objects.get_or_create(code=f"E07{990000 + n:06d}", name=f"District {n + 1}")[0] for n in range(13)
    ]
    made = NeighbourhoodTeam.objects.bulk_create(
        NeighbourhoodTeam(slug=f"synthetic-{n + 1:03d}", name=f"Synthetic team {n + 1}", district=districts[n % 13])
        for n in range(teams)
    )
    Officer.objects.bulk_create(
        Officer(team=team, rank="pc", first_name="Sam", last_name=f"Officer {n}", collar_number=f"X{n:06d}")
        for n, team in enumerate(made)
    )
    ward_rows = _x10_wards(made, wards)
    held = _x10_events(made, ward_rows, month)
    category, _ = Category.objects.get_or_create(
        slug="anti-social-behaviour", defaults={"name": "Anti-social behaviour"}
    )
    agreed_on = month - datetime.timedelta(days=40)
    Priority.objects.bulk_create(
        (
            Priority(
                ward=ward,
                slot=slot,
                title=f"Priority {slot} of {ward.name}",
                category=category,
                agreed_on=agreed_on,
                agreed_at=held[ward.team_id],
            )
            for ward in ward_rows
            for slot in Priority.SLOTS
        ),
        batch_size=2000,
    )
    return time.perf_counter() - started


def measure_x10() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from priorities.selectors.updates import month_before

    call_command("migrate", "--noinput", verbosity=0)
    month = month_before(timezone.now())
    made = x10_force_create(teams=X10_TEAMS, wards=X10_WARDS, month=month)
    if made:
        print(f"x10 force: created in {made:.1f} s")
    print(f"x10 force: {add_entries(month)} progress entries added")
    measure(f"x10 force ({X10_TEAMS} teams)", month)


# The national run: the real monthly job, on a real worker (--national).


def national_env(args: argparse.Namespace) -> dict[str, str]:
    """The national database, the run's broker and a queue of its own; sent emails kept in memory."""
    url = urlsplit(database_url())
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pact.settings",
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{args.database}")),
        "REDIS_URL": args.broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # A queue of its own, so no other worker on that Redis takes the run's tasks.
        "PACT_CELERY_QUEUE": f"bench-updates-{uuid.uuid4().hex[:12]}",
        "EMAIL_URL": "locmem:",
        "PACT_STATE_DIR": str(OUT / "state"),
        "PACT_LOG_LEVEL": "WARNING",
    }


def run_national(args: argparse.Namespace) -> int:
    """Measure in a process of its own, with Django set up on the national database; its exit code."""
    command = [sys.executable, __file__, "--measure", "national", "--concurrency", str(args.concurrency)]
    command += ["--target", str(args.target), "--timeout", str(args.timeout)]
    return subprocess.run(command, cwd=ROOT, env=national_env(args), check=False).returncode


def start_worker(concurrency: int) -> tuple[subprocess.Popen, str]:
    """``celery -A pact worker`` (prefork, ``concurrency`` processes) on the run's queue; (process, node name)."""
    import socket

    from django.conf import settings

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    node = f"{queue}@{socket.gethostname()}"
    command = [str(Path(sys.executable).with_name("celery")), "-A", "pact", "worker", "--pool=prefork"]
    command += [f"--concurrency={concurrency}", "--loglevel=INFO", "-Q", queue, "-n", node]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    OUT.mkdir(parents=True, exist_ok=True)
    # The worker logs as deployed (INFO); only this process is quiet.
    env = {**os.environ, "PACT_LOG_LEVEL": "INFO"}
    with (OUT / "updates-worker.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    return process, node


def stop_worker(process: subprocess.Popen) -> float:
    """Stop the worker (warm shutdown; killed after 30 s); the CPU seconds it and its pool processes used."""
    process.terminate()
    deadline = time.monotonic() + 30
    while True:
        pid, _, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = 0
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(0.1)


def worker_log() -> str:
    return (OUT / "updates-worker.log").read_text(errors="replace")[-3000:]


def wait_until_ready(process: subprocess.Popen, node: str) -> None:
    from pact.celery import app

    deadline = time.monotonic() + WORKER_READY_SECONDS
    while not app.control.ping(destination=[node], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise BenchError(f"the worker did not start (bench/out/updates-worker.log):\n{worker_log()}")


def pool_shares(node: str) -> str:
    """How many tasks each worker process ran, from the worker's own count (prefork pool stats)."""
    from pact.celery import app

    stats = (app.control.inspect([node], timeout=5).stats() or {}).get(node, {})
    return stats.get("pool", {}).get("writes", {}).get("raw", "unknown")


def queue_empty() -> bool:
    """Nothing waiting on the run's queue and nothing taken but unacknowledged (acks_late tasks)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    return not client.llen(settings.CELERY_TASK_DEFAULT_QUEUE) and not client.hlen("unacked")


def delete_queue() -> None:
    """The run's queue and Kombu's bindings of it: each run names a new one, so none is kept."""
    import redis
    from django.conf import settings

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    redis.Redis.from_url(settings.REDIS_URL).delete(
        queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
    )


def wait_for(done, process: subprocess.Popen, timeout: float, what: str) -> float:
    """Seconds (from now) until ``done()``, polling; BelowTarget after ``timeout``."""
    started = time.perf_counter()
    while not done():
        if process.poll() is not None:
            raise BenchError(f"the worker stopped (bench/out/updates-worker.log):\n{worker_log()}")
        if time.perf_counter() - started > timeout:
            raise BelowTarget(f"{what}: not within {timeout:.0f} s")
        time.sleep(POLL_SECONDS)
    return time.perf_counter() - started


def run_monthly_job(process: subprocess.Popen, month, teams: int, timeout: float) -> tuple[float, float]:
    """Send the monthly task as beat does; (seconds until every team has its update, until the queue is empty)."""
    from django.conf import settings

    from pact.celery import app
    from priorities.models import MonthlyUpdate

    entry = settings.CELERY_BEAT_SCHEDULE["monthly-updates"]
    started = time.perf_counter()
    app.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
    updates = MonthlyUpdate.objects.filter(month=month)
    wait_for(lambda: updates.count() >= teams, process, timeout, "every team's update")
    published = time.perf_counter() - started
    wait_for(queue_empty, process, timeout, "every task of the job")
    return published, time.perf_counter() - started


def sample_batches() -> list[tuple[str, list[int]]]:
    """Two batches of the monthly task's size: the first it sends, and the teams with the most wards."""
    from django.conf import settings
    from django.db.models import Count

    from priorities.selectors.updates import team_ids
    from wards.models import NeighbourhoodTeam

    size = settings.PACT_MONTHLY_TEAMS_PER_TASK
    largest = NeighbourhoodTeam.objects.annotate(n=Count("wards")).order_by("-n", "pk")
    return [("the first", team_ids()[:size]), ("the largest", list(largest.values_list("pk", flat=True)[:size]))]


def queries_per_batch(month) -> list[tuple[str, int, int, int]]:
    """(which, teams, wards, queries) of a batch task and the email task it queues, run again in this process.

    The sampled teams' updates are deleted and made again, eagerly, so that every query of
    both tasks is counted here; the worker ran the same code.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pact.celery import app
    from priorities.models import MonthlyUpdate
    from priorities.tasks import monthly_updates_create_task
    from wards.models import Ward

    app.conf.task_always_eager = True
    counts = []
    for which, team_ids in sample_batches():
        MonthlyUpdate.objects.filter(team_id__in=team_ids, month=month).delete()
        with CaptureQueriesContext(connection) as captured:
            made = monthly_updates_create_task.apply(args=(team_ids, month.isoformat())).get()
        if made != len(team_ids):
            raise BenchError(f"the sampled batch made {made} updates, not {len(team_ids)}")
        wards = Ward.objects.filter(team_id__in=team_ids).count()
        counts.append((which, len(team_ids), wards, len(captured.captured_queries)))
    return counts


def planner_statistics() -> str:
    """Whether PostgreSQL has statistics of the data set's tables: without them it may pick poor plans."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FILTER (WHERE last_analyze IS NULL AND last_autoanalyze IS NULL), count(*) "
            "FROM pg_stat_user_tables"
        )
        never, tables = cursor.fetchone()
    return f"{never} of {tables} tables never analysed (autovacuum {autovacuum})"


def month_totals(month) -> dict[str, int]:
    from collections import Counter

    from priorities.models import MonthlyUpdate

    totals: Counter = Counter()
    for figures in MonthlyUpdate.objects.filter(month=month).values_list("content__totals", flat=True):
        totals.update(figures)
    return dict(totals)


def measure_national(args: argparse.Namespace) -> None:
    from django.db import OperationalError
    from django.utils import timezone

    from priorities.models import MonthlyUpdate
    from priorities.selectors.updates import month_before
    from wards.models import NeighbourhoodTeam

    try:
        teams = NeighbourhoodTeam.objects.count()
    except OperationalError as error:
        raise BenchError(f"no national data set ({error}): make it with bench/national.py") from None
    if not teams:
        raise BenchError("the national database has no teams: make it with bench/national.py")
    month = month_before(timezone.now())
    MonthlyUpdate.objects.filter(month=month).delete()
    load_before = os.getloadavg()
    process, node = start_worker(args.concurrency)
    try:
        wait_until_ready(process, node)
        published, drained = run_monthly_job(process, month, teams, args.timeout)
        shares = pool_shares(node)
    finally:
        cpu = stop_worker(process)
        delete_queue()
    load_after = os.getloadavg()
    report_national(args, month, teams, (published, drained, cpu), (load_before, load_after), shares)
    if published > args.target:
        raise BelowTarget(f"every team's update took {published:.1f} s, over {args.target:.0f} s")


def report_national(args, month, teams: int, seconds: tuple[float, float, float], loads, shares: str) -> None:
    from django.conf import settings

    published, drained, cpu = seconds
    totals = month_totals(month)
    print(
        f"national force: {teams} teams, {month:%B %Y}: {totals.get('wards', 0)} wards, "
        f"{totals.get('priorities', 0)} priorities, {totals.get('meetings_held', 0)} meetings held, "
        f"{totals.get('actions', 0)} actions"
    )
    print(f"  worker: celery prefork, {args.concurrency} processes, queue {settings.CELERY_TASK_DEFAULT_QUEUE}")
    print(f"  tasks run by each worker process: {shares}")
    verdict = "met" if published <= args.target else "MISSED"
    print(
        f"  every team's update in {published:.1f} s: {teams / published:.0f} updates a second "
        f"(target <= {args.target:.0f} s: {verdict})"
    )
    print(f"  every task of the job done (queue empty) in {drained:.1f} s")
    print(f"  worker CPU (its processes, start-up included): {cpu:.1f} s, {1000 * cpu / teams:.1f} ms per team")
    for which, size, wards, count in queries_per_batch(month):
        print(
            f"  queries of {which} batch ({size} teams, {wards} wards), its task and its email task, run again "
            f"here: {count}, {count / size:.2f} per team"
        )
    print(f"  planner statistics: {planner_statistics()}")
    before, after = (", ".join(f"{value:.2f}" for value in load) for load in loads)
    print(f"  load average before: {before}; after: {after} ({os.cpu_count()} cores)")


def main() -> int:
    args = parse_args()
    if args.measure == "national":
        import django

        django.setup()
        return run_cli(measure_national, args)
    if args.measure:
        import django

        django.setup()
        measure_demo() if args.measure == "demo" else measure_x10()
        return 0
    if args.national:
        return run_national(args)
    try:
        url = database_url()
        if args.force in ("demo", "both"):
            run_child(url, "demo")
        if args.force in ("x10", "both"):
            run_child(x10_url(url), "x10")
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
