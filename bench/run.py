"""Load PACT's ward page, postcode search and police.uk API against a bare Django view, on one server.

Sets up a PostgreSQL database (created if missing, migrated, reference data imported by
``setup_pact``), collects static files, starts gunicorn on a free loopback port with
production settings plus the bare view of bench/urls.py, and loads each target in turn
with wrk: a warm-up, then a fixed duration at a fixed number of connections. Prints and
writes to bench/out/ requests per second, latency percentiles, errors and each page's
throughput as a fraction of the bare view's. See bench/README.md.
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REPORTER = ROOT / "bench" / "report.lua"
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = f"postgres://postgres@{HOST}:5432/pact_bench"
# As deployed: Redis is the cache the public pages are kept in.
DEFAULT_REDIS_URL = f"redis://{HOST}:6379/3"
PREFERRED_WARD = "E05004867"
# Floor ratios (throughput as a fraction of the bare view's in the same run), issue 17.
FLOORS = {
    "ward page": 0.8,
    "team page": 0.8,
    "postcode search": 0.6,
    "place search": 0.6,
    "police.uk neighbourhood": 0.7,
    "police.uk boundary": 0.7,
    "police.uk people": 0.7,
    "police.uk events": 0.7,
    "police.uk priorities": 0.7,
    "police.uk locate": 0.7,
    "ward events.ics": 0.7,
    "team events.ics": 0.7,
    "team Atom feed": 0.7,
}
READY_SECONDS = 60

# The place searched for: a town that names its district and no other place, as Ashford does
# in Kent (the national set's districts are named so too), so the page is the same on both:
# the town's wards, then the district's others. Any town will do when none does.
PICK_PLACE = """
from django.db.models import Count, F
from wards.models import Place
once = Place.objects.values("search_name").annotate(places=Count("id")).filter(places=1).values("search_name")
towns = Place.objects.filter(kind="town").order_by("name").values_list("name", flat=True)
place = towns.filter(search_name__in=once, name=F("district__name")).first() or towns.first()
"""

PICK_TARGETS = f"""
import json
from shapely.geometry import shape
from django.conf import settings
from wards.models import Postcode, Ward
{PICK_PLACE}
wards = Ward.objects.active()
ward = wards.filter(code={PREFERRED_WARD!r}).first() or wards.filter(postcode_links__isnull=False).first()
postcodes = Postcode.objects.filter(ward_links__ward=ward, ward_links__generation_id=settings.PACT_WARD_GENERATION)
postcode = ward and postcodes.order_by("postcode").values_list("postcode", flat=True).first()
inside = ward and shape(ward.boundary).representative_point()
point = inside and f"{{inside.y:.6f}},{{inside.x:.6f}}"
team = ward and ward.team.slug
print(json.dumps({{"ward": ward and ward.code, "team": team, "postcode": postcode, "point": point, "place": place}}))
"""


class BenchError(Exception):
    """Something the benchmark needs is missing or failed; the message says what to do."""


class BelowTarget(Exception):
    """A figure missed its target (the run itself worked): a ratio below its floor, a page
    over its weight."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds measured per target (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load first (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument("--skip-setup", action="store_true", help="skip migrate and setup_pact (data already there)")
    parser.add_argument(
        "--national",
        action="store_true",
        help="then the same on the national data set of bench/national.py, compared with Kent, and the workers' memory",
    )
    return parser.parse_args()


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        raise BenchError("the benchmark needs the wrk load generator: apt-get install -y wrk (Debian/Ubuntu)")
    return wrk


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise BenchError(f"the benchmark runs on PostgreSQL; DATABASE_URL is {url.split(':')[0]}:…")
    return url


def ensure_database(url: str) -> None:
    """Create the benchmark database if the server does not have it yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        connection = psycopg2.connect(server, connect_timeout=5)
    except psycopg2.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432}: {error}") from None
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def bench_env(url: str) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files) on loopback, plain HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PACT_BENCH": "1",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        "DEBUG": "false",
        "PACT_HTTPS": "false",
        "PACT_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": HOST,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PACT_STATE_DIR": str(OUT / "state"),
        "PACT_STATIC_ROOT": str(OUT / "staticfiles"),
        "PACT_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # wrk is one client at thousands of requests a second: the API's per-client limit
        # (15 a second, as data.police.uk) is raised out of the way so that the figures
        # measure the API rather than its 429 answer. The limiter itself still runs.
        "PACT_API_RATE": "10000000",
        "PACT_API_BURST": "10000000",
    }


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command; its output goes to bench/out/setup.log (and is returned)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )
    with (OUT / "setup.log").open("a", encoding="utf-8") as log:
        log.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise BenchError(f"manage.py {' '.join(args)} failed (full output in bench/out/setup.log):\n{tail}")
    return result.stdout


def prepare(env: dict[str, str], skip_setup: bool) -> dict[str, str]:
    """Migrate, import the reference data, collect static files; return the ward and postcode to load."""
    if not skip_setup:
        print("migrating and importing the reference data (setup_pact; quick once done)")
        manage(env, "migrate", "--noinput")
        manage(env, "setup_pact")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    # Each run starts from an empty cache: nothing kept from another run or another data set.
    manage(env, "shell", "--no-imports", "-c", "from django.core.cache import cache; cache.clear()")
    picked = json.loads(manage(env, "shell", "--no-imports", "-c", PICK_TARGETS).strip().splitlines()[-1])
    if not picked["ward"] or not picked["postcode"]:
        raise BenchError("no ward with postcodes in the database: setup_pact imported none (see bench/out/setup.log)")
    return picked


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "pact.wsgi:application"]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers), "--worker-class", "sync"]
    command += ["--timeout", "30", "--log-level", "warning", "--error-logfile", str(OUT / "gunicorn.log")]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(port: int, path: str) -> tuple[int, str, bytes]:
    """One GET, redirects not followed: (status, Location, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        connection.close()


def wait_until_ready(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError("gunicorn exited at start-up; see bench/out/gunicorn.log")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within {READY_SECONDS}s; see bench/out/gunicorn.log")


def run_wrk(wrk: str, url: str, seconds: int, args: argparse.Namespace) -> dict:
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(REPORTER), url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise BenchError(f"wrk gave no figures for {url}:\n{result.stdout}{result.stderr}")


def measure(wrk: str, port: int, name: str, path: str, args: argparse.Namespace) -> dict:
    status, location, body = get(port, path)
    print(f"{name}: GET {path} -> {status} {location}".rstrip())
    url = f"http://{HOST}:{port}{path}"
    run_wrk(wrk, url, args.warmup, args)
    figures = run_wrk(wrk, url, args.duration, args)
    seconds = figures["duration_us"] / 1e6
    socket_errors = sum(count for kind, count in figures["errors"].items() if kind != "status")
    return {
        "target": name,
        "path": path,
        "probe_status": status,
        "probe_location": location,
        "probe_body": body[:300].decode("utf-8", "replace") if status >= 400 else "",
        "requests": figures["requests"],
        "seconds": round(seconds, 2),
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": figures["p50_us"] / 1000,
        "p95_ms": figures["p95_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "http_errors": figures["errors"]["status"],
        "socket_errors": socket_errors,
    }


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head}+dirty" if git("status", "--porcelain", "--untracked-files=no") else head


def summarise(rows: list[dict]) -> None:
    bare = rows[0]["rps"] or 1
    for row in rows:
        row["ratio_to_bare"] = round(row["rps"] / bare, 3)


def table(rows: list[dict]) -> str:
    lines = [
        "| target | path | status | req/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx | socket errors | × bare |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['target']} | `{r['path']}` | {r['probe_status']} | {r['rps']:.1f} | {r['p50_ms']:.1f} "
            f"| {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['http_errors']} | {r['socket_errors']} "
            f"| {r['ratio_to_bare']:.2f} |"
        )
    return "\n".join(lines)


def warnings_for(rows: list[dict]) -> list[str]:
    """Honest notes: errors mean the figures measure an error page, not the page."""
    notes = []
    for r in rows:
        if r["probe_status"] >= 400 or r["http_errors"] or r["socket_errors"]:
            notes.append(
                f"{r['target']}: answered {r['probe_status']}; {r['http_errors']} of {r['requests']} responses were "
                f"not 2xx/3xx and {r['socket_errors']} socket errors. {r['probe_body'][:120]!r}"
            )
    for r in rows:
        floor = FLOORS.get(r["target"])
        if floor is None:
            continue
        r["floor"] = floor
        r["floor_met"] = r["ratio_to_bare"] >= floor and not r["http_errors"] and r["probe_status"] < 400
        verdict = "met" if r["floor_met"] else "NOT met"
        notes.append(f"floor: {r['target']} ≥ {floor} × bare view: {verdict} ({r['ratio_to_bare']})")
    return notes


def report(rows: list[dict], meta: dict, name: str = "") -> list[str]:
    """Print and write the figures; the targets below their floor."""
    notes = warnings_for(rows)
    text = "\n".join([table(rows), "", *notes])
    print("\n" + text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data = {**meta, "results": rows, "notes": notes}
    for file in (f"results{name}-{stamp}", f"latest{name}"):
        (OUT / f"{file}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        (OUT / f"{file}.md").write_text(f"{json.dumps(meta)}\n\n{text}\n", encoding="utf-8")
    print(f"\nwritten to bench/out/results{name}-{stamp}.json and bench/out/latest{name}.json")
    return [r["target"] for r in rows if r.get("floor") and not r["floor_met"]]


def targets_for(picked: dict[str, str]) -> list[tuple[str, str]]:
    """Each target's name and address (none for what the data lacks, a place to search say)."""
    targets = [
        ("bare view", "/bench/bare/"),
        ("ward page", f"/wards/{picked['ward']}/"),
        ("team page", f"/teams/{picked['team']}/"),
        ("postcode search", f"/search/?q={quote(picked['postcode'])}"),
        ("place search", f"/search/?q={quote(str(picked['place']))}"),
        ("police.uk neighbourhood", f"/api/kent/{picked['ward']}"),
        ("police.uk boundary", f"/api/kent/{picked['ward']}/boundary"),
        ("police.uk people", f"/api/kent/{picked['ward']}/people"),
        ("police.uk events", f"/api/kent/{picked['ward']}/events"),
        ("police.uk priorities", f"/api/kent/{picked['ward']}/priorities"),
        ("police.uk locate", f"/api/locate-neighbourhood?q={picked['point']}"),
        ("ward events.ics", f"/wards/{picked['ward']}/events.ics"),
        ("team events.ics", f"/teams/{picked['team']}/events.ics"),
        ("team Atom feed", f"/teams/{picked['team']}/updates/feed/"),
    ]
    return [(name, path) for name, path in targets if "/None" not in path and "=None" not in path]


def load_all(args: argparse.Namespace, wrk: str, url: str, skip_setup: bool) -> list[dict]:
    """Every target against one server on the database at ``url``."""
    ensure_database(url)
    env = bench_env(url)
    picked = prepare(env, skip_setup)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    try:
        wait_until_ready(server, port)
        print(f"gunicorn on {HOST}:{port}, {args.workers} sync workers; wrk {args.connections} connections, ", end="")
        print(f"{args.warmup}s warm-up + {args.duration}s per target")
        rows = [measure(wrk, port, name, path, args) for name, path in targets_for(picked)]
    finally:
        stop(server)
    summarise(rows)
    return rows


def benchmark(args: argparse.Namespace) -> None:
    wrk = require_wrk()
    url = database_url()
    OUT.mkdir(exist_ok=True)
    (OUT / "setup.log").write_text("", encoding="utf-8")
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "gunicorn_workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "cache": bench_env(url)["REDIS_URL"],
    }
    if args.national:
        from bench.national_load import paired

        _rows, below = paired(args, wrk, url, meta)
    else:
        below = report(load_all(args, wrk, url, args.skip_setup), meta)
    if below:
        raise BelowTarget(f"below target: {', '.join(below)}")


def run_cli(work: Callable[[argparse.Namespace], None], args: argparse.Namespace) -> int:
    """Run a benchmark as a command: 0 when every target is met, 1 when one is missed, 2 when
    the run itself could not be made."""
    # A plain `kill` stops the benchmark the same way as Ctrl-C: gunicorn is stopped first.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        work(args)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    except BelowTarget as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    return run_cli(benchmark, parse_args())


if __name__ == "__main__":
    # As the module bench.run, so that bench/national_load.py shares its classes and functions.
    sys.path.insert(0, str(ROOT))
    from bench import run

    sys.exit(run.main())
