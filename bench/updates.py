"""Time the monthly "you said, we did" updates: every team's update for one month, on PostgreSQL.

Two forces are measured, each in a database of its own:

- **demo**: the 47 real teams and 305 wards of ``DATABASE_URL`` (default the ``pact_bench``
  database of bench/run.py), set up by ``migrate``, ``setup_pact`` and ``create_demo_history``
  when missing, plus a few public progress entries per priority so the month is not empty;
- **x10**: a synthetic force ten times larger (470 teams, 3,050 wards, each with three
  priorities and their entries, a meeting held and one coming up per team), made in bulk
  in a database named like the first with ``_x10`` appended.

For each team ``monthly_update_create`` runs as the monthly task runs it; the script prints
seconds and queries per team and in total. The update's emails are only queued (to Celery's
in-memory transport): sending them is the outbox's work, measured apart. Existing updates for
the month are deleted first, so each run measures creation. See bench/README.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import BenchError, database_url, ensure_database  # noqa: E402

ENTRIES_PER_PRIORITY = 3
X10_TEAMS = 470
X10_WARDS = 3050


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", choices=["demo", "x10", "both"], default="both", help="which force (default both)")
    parser.add_argument("--measure", choices=["demo", "x10"], help=argparse.SUPPRESS)
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


def main() -> int:
    args = parse_args()
    if args.measure:
        import django

        django.setup()
        measure_demo() if args.measure == "demo" else measure_x10()
        return 0
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
