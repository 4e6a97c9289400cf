"""The floor ratios on the national data set beside Kent's, and a web worker's memory there.

``bench/run.py --national`` serves Kent and ``pact_national_bench`` (made by
bench/national.py: 9,000 wards, 1.8 million postcodes, 4,800 teams) side by side, with the
same settings and each its own Redis database, and loads each target on one then the other,
so that the machine's drift over the run (±15 % between runs here) touches both alike. Each
national ratio must be within 10 % of Kent's (issue 17) and meet its floor. Then, before the
servers stop, a sweep asks the national one for the pages and API answers of
many wards, teams and postcodes (every one kept by the workers, polygons of every ward
built), and each worker's resident memory is read from /proc: it must stay under 200 MB.
Writes bench/out/latest-national.json and .md beside the Kent ones.
"""

import argparse
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from bench.national import NAME, national_url
from bench.run import (
    OUT,
    BenchError,
    bench_env,
    ensure_database,
    free_port,
    get,
    manage,
    measure,
    prepare,
    report,
    start_gunicorn,
    stop,
    summarise,
    targets_for,
    wait_until_ready,
)

TOLERANCE = 0.9
MEMORY_LIMIT_MB = 200
SWEEP_WARDS, SWEEP_TEAMS, SWEEP_POSTCODES = 2000, 600, 600

PICK_SWEEP = f"""
import json
from shapely.geometry import shape
from wards.models import NeighbourhoodTeam, Postcode, Ward
wards = list(Ward.objects.active().order_by("?").values_list("code", "boundary")[:{SWEEP_WARDS}])
points = []
for code, boundary in wards:
    inside = shape(boundary).representative_point()
    points.append(f"{{inside.y:.6f}},{{inside.x:.6f}}")
teams = list(NeighbourhoodTeam.objects.order_by("?").values_list("slug", flat=True)[:{SWEEP_TEAMS}])
postcodes = list(Postcode.objects.order_by("?").values_list("postcode", flat=True)[:{SWEEP_POSTCODES}])
print(json.dumps({{"wards": [code for code, _ in wards], "points": points, "teams": teams, "postcodes": postcodes}}))
"""


def sweep_paths(picked: dict[str, list[str]]) -> list[str]:
    paths = []
    for code, point in zip(picked["wards"], picked["points"], strict=True):
        paths += [f"/wards/{code}/", f"/api/kent/{code}", f"/api/kent/{code}/boundary"]
        paths.append(f"/api/locate-neighbourhood?q={point}")
    for slug in picked["teams"]:
        paths += [f"/teams/{slug}/", f"/teams/{slug}/events.ics"]
    paths += [f"/search/?q={quote(postcode)}" for postcode in picked["postcodes"]]
    return paths


def workers_of(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident at its peak) in MB, from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            values[name] = int(value.split()[0]) / 1024
    return round(values["VmRSS"], 1), round(values["VmHWM"], 1)


def sweep(server: subprocess.Popen, port: int, env: dict[str, str]) -> dict:
    picked = json.loads(manage(env, "shell", "--no-imports", "-c", PICK_SWEEP).strip().splitlines()[-1])
    paths = sweep_paths(picked)
    counts = {name: len(values) for name, values in picked.items()}
    print(f"memory sweep: {len(paths)} addresses of {counts['wards']} wards, {counts['teams']} teams, ", end="")
    print(f"{counts['postcodes']} postcodes")
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda path: get(port, path)[0], paths))
    failed = sum(1 for status in statuses if status >= 400 and status != 404)
    workers = {pid: memory_mb(pid) for pid in workers_of(server.pid)}
    return {"addresses": len(paths), "failed": failed, "workers": workers}


def compare(kent: list[dict], national: list[dict]) -> tuple[str, list[str]]:
    kent_by = {row["target"]: row for row in kent}
    lines = [
        "| target | Kent req/s | Kent × bare | national req/s | national × bare | national / Kent | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    below = []
    for row in national[1:]:
        before = kent_by.get(row["target"])
        if before is None:
            continue
        share = row["ratio_to_bare"] / before["ratio_to_bare"] if before["ratio_to_bare"] else 0
        met = share >= TOLERANCE and row.get("floor_met", True)
        if not met:
            below.append(f"{row['target']} (national)")
        lines.append(
            f"| {row['target']} | {before['rps']:.0f} | {before['ratio_to_bare']:.2f} | {row['rps']:.0f} "
            f"| {row['ratio_to_bare']:.2f} | {share:.2f} | {'met' if met else 'NOT met'} |"
        )
    return "\n".join(lines), below


def other_redis(url: str) -> str:
    """The next database of the same Redis: the two servers must not share kept answers."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + 1) % 16}"))


def paired(args: argparse.Namespace, wrk: str, kent_url: str, meta: dict) -> tuple[list[dict], list[str]]:
    """Kent and the national set served side by side, each target loaded on one then the other,
    so the machine's drift between targets touches both alike; the Kent rows and the targets
    missed (floors on either, ratios, memory)."""
    ensure_database(kent_url)
    kent_env = bench_env(kent_url)
    national_env = {**bench_env(national_url(kent_url)), "REDIS_URL": other_redis(kent_env["REDIS_URL"])}
    picked = {"kent": prepare(kent_env, args.skip_setup)}
    try:
        picked["national"] = prepare(national_env, True)
    except BenchError as error:
        raise BenchError(f"{error}\n(is the national set made? .venv/bin/python bench/national.py)") from None
    servers, rows = {}, {"kent": [], "national": []}
    try:
        for name, env in (("kent", kent_env), ("national", national_env)):
            port = free_port()
            servers[name] = (start_gunicorn(env, port, args.workers), port)
            wait_until_ready(*servers[name])
        print(f"Kent and {NAME} side by side, {args.workers} sync workers each; wrk {args.connections} connections, ")
        print(f"{args.warmup}s warm-up + {args.duration}s per target on each")
        targets = {name: dict(targets_for(picked[name])) for name in servers}
        for target in targets["kent"]:
            for name, (_server, port) in servers.items():
                if target in targets[name]:
                    rows[name].append(measure(wrk, port, target, targets[name][target], args))
        # The yardstick again at the end, and its mean taken: one 15 s sample of it moved the
        # ratios of every target by up to 17 % (the same code on both servers).
        for name, (_server, port) in servers.items():
            again = measure(wrk, port, "bare view", "/bench/bare/", args)
            bare = rows[name][0]
            bare["rps_start"], bare["rps_end"] = bare["rps"], again["rps"]
            bare["rps"] = round((bare["rps"] + again["rps"]) / 2, 1)
        memory = sweep(servers["national"][0], servers["national"][1], national_env)
    finally:
        for server, _port in servers.values():
            stop(server)
    for name in rows:
        summarise(rows[name])
    below = report(rows["kent"], meta)
    below += [f"{target} (national)" for target in report(rows["national"], {**meta, "database": NAME}, "-national")]
    text, missed = compare(rows["kent"], rows["national"])
    peak = max((peak for _now, peak in memory["workers"].values()), default=0)
    verdict = "met" if peak < MEMORY_LIMIT_MB and not memory["failed"] else "NOT met"
    text += (
        f"\n\nworker memory after {memory['addresses']} addresses ({memory['failed']} failed): "
        + ", ".join(f"{now} MB (peak {peak_mb})" for now, peak_mb in memory["workers"].values())
        + f"; peak {peak} MB, target < {MEMORY_LIMIT_MB} MB: {verdict}"
    )
    print("\n" + text)
    (OUT / "latest-national-compare.md").write_text(text + "\n", encoding="utf-8")
    if verdict != "met":
        missed.append("worker memory (national)")
    return rows["kent"], sorted(set(below) | set(missed))
