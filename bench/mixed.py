"""Load PACT with a mix of residents at fixed rates, beside the bare view, and check the targets.

Sets up the PostgreSQL database as bench/run.py does, starts gunicorn (sync or gthread
workers) with production settings on Redis, and runs Locust (bench/locustfile.py) in passes
at fixed request rates: the residents' mix (ward pages across every ward, postcode search,
team pages, the home page, the Atom feed, .ics calendars and a few form posts), then the
forms alone at 50 posts a second, each with the bare view alongside. Prints per-endpoint
throughput, p50/p95/p99 and errors, the CPU used by gunicorn, PostgreSQL, Redis and Locust,
appends a Markdown table to bench/RESULTS.md and exits 1 when a target is missed.
See bench/README.md.
"""

import argparse
import csv
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.run import (
    HOST,
    OUT,
    ROOT,
    BenchError,
    bench_env,
    commit,
    database_url,
    ensure_database,
    free_port,
    get,
    manage,
    stop,
    wait_until_ready,
)

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
RESULTS = ROOT / "bench" / "RESULTS.md"
TICKS = os.sysconf("SC_CLK_TCK")
FORM_POSTS = ("concern form (POST)", "feedback form (POST)")
# Requests a second of each kind besides the ward pages in the residents' pass: searches,
# other pages and feeds in proportions a ward page (the most read) would draw.
RESIDENTS_MIX = {
    "postcode search": 60.0,
    "team page": 40.0,
    "home page": 30.0,
    "events .ics": 20.0,
    "updates feed": 10.0,
    "bare view": 30.0,
}
RESIDENT_POSTS = 2.0

PICK_TARGETS = """
import json
from django.conf import settings
from priorities.models import Category
from wards.models import NeighbourhoodTeam, Postcode, Ward
wards = list(Ward.objects.active().filter(team__isnull=False).order_by("code").values_list("code", flat=True))
postcodes = list(
    Postcode.objects.filter(ward_links__ward__code__in=wards, ward_links__generation_id=settings.PACT_WARD_GENERATION)
    .order_by("?")
    .values_list("postcode", flat=True)[:3000]
)
teams = list(NeighbourhoodTeam.objects.order_by("slug").values_list("slug", flat=True))
categories = list(Category.objects.order_by("slug").values_list("slug", flat=True))
print(json.dumps({"wards": wards, "postcodes": postcodes, "teams": teams, "categories": categories}))
"""


@dataclass(frozen=True)
class Target:
    """A figure to meet: ``kinds``' p95 under ``p95_ms`` while they are asked for at ``rate`` a second."""

    name: str
    kinds: tuple[str, ...]
    rate: float
    p95_ms: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--duration", type=int, default=60, help="seconds measured per pass (default 60)")
    add("--warmup", type=int, default=15, help="seconds of the same load, unmeasured, before each pass (default 15)")
    add("--ward-rate", type=float, default=300.0, help="ward pages a second in the residents' pass (default 300)")
    add("--form-rate", type=float, default=50.0, help="form posts a second in the forms pass (default 50)")
    add("--resident-posts", type=float, default=RESIDENT_POSTS, help="form posts a second among the residents")
    add("--per-user", type=float, default=1.0, help="requests a second per virtual user (default 1)")
    add("--worker-class", choices=("sync", "gthread"), default="gthread", help="gunicorn workers (default gthread)")
    add("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    add("--threads", type=int, default=8, help="threads per gthread worker (default 8)")
    add("--passes", default="residents,forms", help="which passes, in order (default residents,forms)")
    add("--max-load", type=float, default=1.5, help="wait for a 1-minute load average under this (default 1.5)")
    add("--wait-quiet", type=int, default=900, help="seconds to wait for it before running anyway (default 900)")
    add("--no-record", action="store_true", help="do not append the results to bench/RESULTS.md")
    add("--skip-setup", action="store_true", help="skip migrate and setup_pact (data already there)")
    return parser.parse_args()


def require_locust() -> str:
    locust = shutil.which("locust")
    if not locust:
        raise BenchError(
            "the mixed benchmark needs Locust: apt-get install -y python3-locust (Debian 12), "
            "or pip install locust in a virtualenv of its own and put its bin on PATH"
        )
    return locust


def passes(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    every = {
        "residents": {"ward page": args.ward_rate, **RESIDENTS_MIX, "form posts": args.resident_posts},
        "forms": {"form posts": args.form_rate, "bare view": RESIDENTS_MIX["bare view"]},
    }
    chosen = [name.strip() for name in args.passes.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(every))
    if unknown:
        raise BenchError(f"no such pass: {', '.join(unknown)} (there are: {', '.join(every)})")
    return {name: every[name] for name in chosen}


def targets(args: argparse.Namespace) -> dict[str, Target]:
    return {
        "residents": Target("ward page p95 < 100 ms", ("ward page",), args.ward_rate, 100.0),
        "forms": Target("form posts p95 < 300 ms", FORM_POSTS, args.form_rate, 300.0),
    }


def mixed_env(url: str) -> dict[str, str]:
    # Every virtual resident presents its own address, as the load balancer would pass it on,
    # so the forms' limits (five a client an hour) are counted as deployed, never raised.
    return {**bench_env(url), "PACT_BEHIND_PROXY": "true"}


def pick_targets(env: dict[str, str], skip_setup: bool) -> Path:
    if not skip_setup:
        print("migrating and importing the reference data (setup_pact; quick once done)")
        manage(env, "migrate", "--noinput")
        manage(env, "setup_pact")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    picked = json.loads(manage(env, "shell", "--no-imports", "-c", PICK_TARGETS).strip().splitlines()[-1])
    if not picked["wards"] or not picked["postcodes"] or not picked["teams"] or not picked["categories"]:
        raise BenchError("the database lacks wards, postcodes, teams or categories: see bench/out/setup.log")
    path = OUT / "mixed-targets.json"
    path.write_text(json.dumps(picked), encoding="utf-8")
    print(f"{len(picked['wards'])} wards, {len(picked['teams'])} teams, {len(picked['postcodes'])} postcodes")
    return path


def start_gunicorn(env: dict[str, str], port: int, args: argparse.Namespace) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "pact.wsgi:application", "--no-control-socket"]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(args.workers), "--worker-class", args.worker_class]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    command += ["--backlog", "2048", "--timeout", "30", "--log-level", "warning"]
    command += ["--error-logfile", str(OUT / "gunicorn.log")]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_for_quiet(max_load: float, patience: int) -> float:
    """Poll the 1-minute load average until it is under ``max_load``; return it (waited ``patience`` s at most)."""
    deadline = time.monotonic() + patience
    load = os.getloadavg()[0]
    while load >= max_load and time.monotonic() < deadline:
        print(f"load average {load:.2f} ≥ {max_load}: waiting for the machine to be quiet", flush=True)
        time.sleep(20)
        load = os.getloadavg()[0]
    return load


class CpuMeter:
    """CPU used by gunicorn (master and workers), the bench database's PostgreSQL backends and
    Redis while a pass runs, and by the whole machine.

    /proc is read every half second, so a process that ends mid-pass (a database connection
    reaching its maximum age) still counts up to its last sample.
    """

    def __init__(self, server: int, database: str) -> None:
        self.server, self.database = server, database
        self.first: dict[int, int] = {}
        self.last: dict[int, tuple[str, int]] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def __enter__(self) -> "CpuMeter":
        self.machine_before, self.started = _machine_ticks(), time.monotonic()
        self._sample(first=True)
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        self.thread.join()
        self._sample()
        self.seconds = time.monotonic() - self.started
        self.machine_after = _machine_ticks()

    def _sample_until_stopped(self) -> None:
        while not self.stopping.wait(0.5):
            self._sample()

    def _group(self, pid: int, name: str, parent: int) -> str:
        if self.server in (pid, parent):
            return "gunicorn"
        if name.startswith("redis-server"):
            return "redis"
        if name == "postgres" and self.database in _command_line(pid):
            return "postgresql"
        return ""

    def _sample(self, first: bool = False) -> None:
        for pid, (name, parent, ticks) in _process_ticks().items():
            group = self.last[pid][0] if pid in self.last else self._group(pid, name, parent)
            if group:
                self.first.setdefault(pid, ticks if first else 0)
                self.last[pid] = (group, ticks)

    def cores(self) -> dict[str, float]:
        used = {"gunicorn": 0, "postgresql": 0, "redis": 0}
        for pid, (group, ticks) in self.last.items():
            used[group] += ticks - self.first[pid]
        found = {group: round(ticks / TICKS / self.seconds, 2) for group, ticks in used.items()}
        busy = [after - before for before, after in zip(self.machine_before, self.machine_after, strict=True)]
        found["machine_busy_pct"] = round(100 * busy[0] / max(1, busy[1]), 1)
        return found


def _process_ticks() -> dict[int, tuple[str, int, int]]:
    """Every process's (name, parent, CPU ticks)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        found[int(entry.name)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _command_line(pid: int) -> str:
    # A PostgreSQL backend's title names its database: "postgres: user pact_bench 127.0.0.1(…) idle".
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def run_locust(locust: str, port: int, rates: dict[str, float], seconds: int, prefix: Path, args, targets_file) -> dict:
    """One Locust run at ``rates``; returns its exit status and CPU seconds."""
    users = sum(-(-rate // args.per_user) for rate in rates.values() if rate > 0)
    env = {
        **os.environ,
        "PACT_MIX_TARGETS": str(targets_file),
        "PACT_MIX_RATES": json.dumps(rates),
        "PACT_MIX_PER_USER": str(args.per_user),
    }
    command = [locust, "-f", str(LOCUSTFILE), "--headless", "-H", f"http://{HOST}:{port}", "-u", str(int(users))]
    command += ["-r", str(int(users)), "-t", f"{seconds}s", "--csv", str(prefix), "--only-summary"]
    command += ["--loglevel", "WARNING", "--logfile", str(OUT / "locust.log")]
    # Headless Locust listens to its standard input for keys that change the load; given
    # /dev/null (as under cron or a background job) it never starts the users, so it gets a
    # pipe of its own that stays open and silent.
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.stdin.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"users": int(users), "locust_cpu_s": usage.ru_utime + usage.ru_stime, "status": process.returncode}


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def read_stats(prefix: Path, rates: dict[str, float], seconds: float) -> list[dict]:
    """Per-endpoint rows from Locust's CSV files: rate asked and measured, percentiles, errors."""
    failures: dict[str, dict[str, int]] = {}
    with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            kind = _failure_kind(row["Error"])
            counts = failures.setdefault(row["Name"], {"http": 0, "timeout": 0, "socket": 0, "examples": []})
            counts[kind] += int(row["Occurrences"])
            counts["examples"].append(row["Error"][:160])
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = row["Name"]
            kind = "form posts" if name in FORM_POSTS else name.removesuffix(" (302)")
            asked = rates.get(kind) if name != "Aggregated" else sum(rates.values())
            if name in FORM_POSTS and asked:
                asked /= 2
            errors = failures.get(name, {"http": 0, "timeout": 0, "socket": 0, "examples": []})
            if name == "Aggregated":
                errors = _total_errors(failures)
            rows.append(
                {
                    "name": "all requests" if name == "Aggregated" else name,
                    "asked_rps": asked,
                    "requests": int(row["Request Count"]),
                    "rps": round(int(row["Request Count"]) / seconds, 1),
                    "p50_ms": _number(row["50%"]),
                    "p95_ms": _number(row["95%"]),
                    "p99_ms": _number(row["99%"]),
                    "max_ms": _number(row["Max Response Time"]),
                    **errors,
                }
            )
    return rows


def _failure_kind(error: str) -> str:
    """Locust's error text as timeout, HTTP (an answer, but a wrong one) or socket (no answer)."""
    lowered = error.lower()
    if "timeout" in lowered or "timed out" in lowered:
        return "timeout"
    if "catchresponseerror" in lowered or "httperror" in lowered or re.search(r"\b[1-5][0-9][0-9]\b", error):
        return "http"
    return "socket"


def _total_errors(failures: dict[str, dict]) -> dict:
    total = {"http": 0, "timeout": 0, "socket": 0, "examples": []}
    for counts in failures.values():
        for kind in ("http", "timeout", "socket"):
            total[kind] += counts[kind]
    return total


def measure_pass(name: str, rates: dict[str, float], locust: str, port: int, server: int, args, targets_file) -> dict:
    print(f"\n{name}: {', '.join(f'{kind} {rate:g}/s' for kind, rate in rates.items())}", flush=True)
    run_locust(locust, port, rates, args.warmup, OUT / f"mixed-{name}-warmup", args, targets_file)
    with CpuMeter(server, args.database) as meter:
        run = run_locust(locust, port, rates, args.duration, OUT / f"mixed-{name}", args, targets_file)
    cpu = {**meter.cores(), "locust": round(run["locust_cpu_s"] / meter.seconds, 2)}
    rows = read_stats(OUT / f"mixed-{name}", rates, args.duration)
    return {"pass": name, "rates": rates, "users": run["users"], "cpu_cores": cpu, "rows": rows}


def verdicts(results: list[dict], wanted: dict[str, Target]) -> list[tuple[str, bool, str]]:
    """(target, met, why) for each pass's target and for "no errors" over all of them."""
    found = []
    for result in results:
        target = wanted[result["pass"]]
        rows = [row for row in result["rows"] if row["name"] in target.kinds]
        rate = sum(row["rps"] for row in rows)
        worst = max((row["p95_ms"] for row in rows), default=float("inf"))
        met = bool(rows) and worst < target.p95_ms and rate >= 0.95 * target.rate
        found.append((f"{target.name} at {target.rate:g}/s", met, f"p95 {worst:g} ms at {rate:.1f}/s measured"))
    totals = [row for result in results for row in result["rows"] if row["name"] == "all requests"]
    errors = sum(row["http"] + row["timeout"] + row["socket"] for row in totals)
    found.append(("0 errors", errors == 0, f"{errors} errors"))
    return found


def table(result: dict) -> str:
    lines = [
        "| endpoint | asked /s | measured /s | requests | p50 ms | p95 ms | p99 ms | max ms "
        "| non-2xx/3xx | timeouts | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        asked = f"{row['asked_rps']:g}" if row["asked_rps"] else "–"
        name = f"**{row['name']}**" if row["name"] == "all requests" else row["name"]
        lines.append(
            f"| {name} | {asked} | {row['rps']:.1f} | {row['requests']} | {row['p50_ms']:g} | {row['p95_ms']:g} "
            f"| {row['p99_ms']:g} | {row['max_ms']:g} | {row['http']} | {row['timeout']} | {row['socket']} |"
        )
    cpu = result["cpu_cores"]
    lines.append("")
    lines.append(
        f"CPU in cores (of 2): gunicorn {cpu['gunicorn']}, PostgreSQL {cpu['postgresql']}, Redis {cpu['redis']}, "
        f"Locust {cpu['locust']}; the machine was {cpu['machine_busy_pct']}% busy ({result['users']} virtual users)."
    )
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    memory = f"{memory_kib / 1048576:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({model}), {memory}, {platform.system()} {platform.release()}"


def markdown(results: list[dict], found: list[tuple[str, bool, str]], meta: dict) -> str:
    workers = f"{meta['workers']} {meta['worker_class']} workers"
    if meta["worker_class"] == "gthread":
        workers += f" × {meta['threads']} threads"
    lines = [
        f"## {meta['date'][:10]}, mixed load (bench/mixed.py)",
        "",
        f"- When: {meta['date']}; commit {meta['commit']}.",
        f"- Machine: {meta['machine']}; load average before the run {meta['load_before']:.2f} "
        f"(waited for < {meta['max_load']}).",
        f"- Settings: gunicorn {workers}, `bench.settings` (DEBUG off, PACT_BEHIND_PROXY on, every virtual "
        f"resident its own address; form limits as deployed; API limit raised), PostgreSQL, Redis cache "
        f"`{meta['cache']}`; Locust, each virtual user sending {meta['per_user']:g} a second, Poisson arrivals; "
        f"{meta['warmup']} s warm-up then {meta['duration']} s measured per pass.",
        "",
    ]
    for result in results:
        lines += [f"### pass: {result['pass']}", "", table(result), ""]
    lines += ["Targets:", ""]
    lines += [f"- {name}: **{'met' if met else 'NOT met'}** ({why})" for name, met, why in found]
    return "\n".join(lines) + "\n"


def benchmark(args: argparse.Namespace) -> bool:
    locust = require_locust()
    chosen, wanted = passes(args), targets(args)
    url = database_url()
    OUT.mkdir(exist_ok=True)
    (OUT / "setup.log").write_text("", encoding="utf-8")
    ensure_database(url)
    args.database = urlsplit(url).path.lstrip("/")
    env = mixed_env(url)
    targets_file = pick_targets(env, args.skip_setup)
    port = free_port()
    server = start_gunicorn(env, port, args)
    try:
        wait_until_ready(server, port)
        for path in ("/bench/bare/", "/", "/have-your-say/"):
            status = get(port, path)[0]
            if status != 200:
                raise BenchError(f"GET {path} answered {status} before the load; see bench/out/gunicorn.log")
        load = wait_for_quiet(args.max_load, args.wait_quiet)
        print(f"load average {load:.2f}; gunicorn on {HOST}:{port}, {args.workers} {args.worker_class} workers")
        results = [
            measure_pass(name, rates, locust, port, server.pid, args, targets_file) for name, rates in chosen.items()
        ]
    finally:
        stop(server)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "load_before": load,
        **{key: getattr(args, key) for key in ("max_load", "worker_class", "workers", "threads", "per_user")},
        **{key: getattr(args, key) for key in ("warmup", "duration")},
        "cache": env["REDIS_URL"],
    }
    found = verdicts(results, {name: wanted[name] for name in chosen})
    text = markdown(results, found, meta)
    print("\n" + text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data = json.dumps({**meta, "results": results, "targets": found}, indent=2) + "\n"
    for name in (f"mixed-{stamp}", "mixed-latest"):
        (OUT / f"{name}.json").write_text(data, encoding="utf-8")
        (OUT / f"{name}.md").write_text(text, encoding="utf-8")
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as results_file:
            results_file.write("\n" + text)
        print("appended to bench/RESULTS.md")
    return all(met for _, met, _ in found)


def main() -> int:
    # A plain `kill` stops the benchmark the same way as Ctrl-C: gunicorn is stopped first.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        met = benchmark(parse_args())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
