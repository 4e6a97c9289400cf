"""Lighthouse on PACT's resident pages: home, a place search result and a ward page, as a phone.

Sets up the database and static files as bench/run.py does, starts gunicorn with the same
production settings, and runs Lighthouse (npm, pinned by bench/lighthouse/package-lock.json
and installed on demand into bench/lighthouse/node_modules) against Debian's chromium in its
default mode: mobile emulation, simulated throttling (slow 4G, 4× CPU slowdown). Lighthouse's
simulated figures vary from run to run on a busy machine, so each page is run several times
(``--runs``, default 3) and the median of each figure is taken.

Targets (issue 17): performance ≥ 95, accessibility 100, largest contentful paint < 1.5 s.
Prints a table and the audits that cost points, writes the reports to bench/out/lighthouse/
and exits 1 when a target is missed (2 when something the run needs is missing).
See bench/README.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bench.run import (
    HOST,
    OUT,
    BelowTarget,
    BenchError,
    bench_env,
    commit,
    database_url,
    ensure_database,
    free_port,
    get,
    prepare,
    run_cli,
    start_gunicorn,
    stop,
    wait_until_ready,
)

HERE = Path(__file__).resolve().parent
REPORTS = OUT / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
PERFORMANCE_TARGET = 95
ACCESSIBILITY_TARGET = 100
LCP_LIMIT_MS = 1500
# Enough sequential fetches that each of the (3) workers has most likely served the page once.
WARM_UP_FETCHES = 10
PAGES = {"home": "home page", "search": "search result", "ward": "ward page"}
# Headless chromium as root in a container needs --no-sandbox; the rest is Lighthouse's default.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


class LighthouseFailed(BenchError):
    """Lighthouse could not measure the page this time."""


@dataclass
class Page:
    name: str
    path: str
    runs: list[dict] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)

    @property
    def misses(self) -> list[str]:
        missed = []
        if self.median("performance") < PERFORMANCE_TARGET:
            missed.append("performance")
        if self.median("accessibility") < ACCESSIBILITY_TARGET:
            missed.append("accessibility")
        if self.median("lcp_ms") >= LCP_LIMIT_MS:
            missed.append("LCP")
        return missed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-setup", action="store_true", help="skip migrate and setup_pact (data already there)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is taken (default 3)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3, as deployed)")
    parser.add_argument(
        "--page", action="append", choices=PAGES, help="only this page (repeat for more; default all three)"
    )
    return parser.parse_args()


def require_chromium() -> str:
    chromium = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise BenchError("the Lighthouse run needs Debian's chromium: apt-get install -y chromium")
    return chromium


def require_lighthouse() -> Path:
    """Install Lighthouse from the lockfile into bench/lighthouse/node_modules when it is missing
    or older than the lockfile: it is heavy, so neither `make install` nor CI installs it."""
    installed = HERE / "node_modules" / ".package-lock.json"
    lockfile = HERE / "package-lock.json"
    if LIGHTHOUSE.exists() and installed.exists() and installed.stat().st_mtime >= lockfile.stat().st_mtime:
        return LIGHTHOUSE
    npm = shutil.which("npm")
    if not npm:
        raise BenchError("the Lighthouse run needs Node.js 20 or newer with npm")
    print("installing Lighthouse into bench/lighthouse/node_modules (npm ci, once)")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, capture_output=True, text=True
    )
    if result.returncode or not LIGHTHOUSE.exists():
        raise BenchError(f"npm ci in bench/lighthouse failed:\n{result.stdout}{result.stderr}")
    return LIGHTHOUSE


def lighthouse(chromium: str, url: str, output: Path) -> dict:
    """One Lighthouse run in its default (mobile, simulated throttling) mode; the JSON report."""
    command = [str(LIGHTHOUSE), url, "--only-categories=performance,accessibility", "--quiet"]
    command += [f"--chrome-flags={CHROME_FLAGS}", "--output=json", "--output=html", f"--output-path={output}"]
    result = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, timeout=300
    )
    report = output.with_name(output.name + ".report.json")
    if result.returncode or not report.exists():
        raise LighthouseFailed(f"lighthouse {url} failed: {result.stderr.strip()[-500:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise LighthouseFailed(f"lighthouse {url}: {data['runtimeError']['message']}")
    return data


def measured(chromium: str, url: str, output: Path) -> dict:
    """One run's figures. Lighthouse now and then fails to record a trace (NO_NAVSTART, NO_FCP)
    and asks to be run again: it is, once."""
    try:
        return figures(lighthouse(chromium, url, output))
    except LighthouseFailed as error:
        print(f"  {error}; running it again")
        return figures(lighthouse(chromium, url, output))


def figures(report: dict) -> dict:
    audits, categories = report["audits"], report["categories"]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "si_ms": audits["speed-index"]["numericValue"],
        "lost": lost_points(report),
    }


def lost_points(report: dict) -> list[str]:
    """The audits that cost the page points: failing accessibility checks, and performance
    audits that are not passed (opportunities and diagnostics with their estimate)."""
    audits = report["audits"]
    lost = []
    for category in ("performance", "accessibility"):
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if audit.get("score") is None or audit["score"] >= 0.9:
                continue
            if category == "performance" and ref.get("group") == "metrics":
                continue
            shown = audit.get("displayValue", "")
            lost.append(f"{category}: {ref['id']} ({audit['title']}){' – ' + shown if shown else ''}")
    return lost


def audit(chromium: str, port: int, pages: list[Page], runs: int) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    for page in pages:
        # Fetched a few times first: a resident's page is nearly always answered from the public
        # page cache by a worker that has served before, and every run should measure that.
        for _ in range(WARM_UP_FETCHES):
            status = get(port, page.path)[0]
            if status != 200:
                raise BenchError(f"{page.name} {page.path} answered {status} (see bench/out/gunicorn.log)")
        slug = page.name.replace(" ", "-")
        for number in range(1, runs + 1):
            page.runs.append(measured(chromium, f"http://{HOST}:{port}{page.path}", REPORTS / f"{slug}-{number}"))
            run = page.runs[-1]
            print(
                f"  {page.name} run {number}: performance {run['performance']}, "
                f"accessibility {run['accessibility']}, LCP {run['lcp_ms'] / 1000:.2f} s"
            )


def table(pages: list[Page]) -> str:
    lines = [
        "| page | path | performance | accessibility | LCP s | FCP s | TBT ms | CLS | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in pages:
        lines.append(
            f"| {p.name} | `{p.path}` | {p.median('performance'):.0f} | {p.median('accessibility'):.0f} "
            f"| {p.median('lcp_ms') / 1000:.2f} | {p.median('fcp_ms') / 1000:.2f} | {p.median('tbt_ms'):.0f} "
            f"| {p.median('cls'):.3f} | {'NO: ' + ', '.join(p.misses) if p.misses else 'yes'} |"
        )
    return "\n".join(lines)


def lost_by_page(pages: list[Page]) -> str:
    lines = []
    for page in pages:
        seen = sorted({item for run in page.runs for item in run["lost"]})
        lines += [f"{page.name}: {'nothing' if not seen else ''}", *(f"  {item}" for item in seen)]
    return "\n".join(lines)


def version() -> str:
    result = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True)
    return result.stdout.strip()


def score(args: argparse.Namespace) -> None:
    chromium = require_chromium()
    require_lighthouse()
    url = database_url()
    OUT.mkdir(exist_ok=True)
    (OUT / "setup.log").write_text("", encoding="utf-8")
    ensure_database(url)
    env = bench_env(url)
    picked = prepare(env, args.skip_setup)
    paths = {"home": "/", "search": f"/search/?q={quote(picked['place'])}", "ward": f"/wards/{picked['ward']}/"}
    pages = [Page(PAGES[key], paths[key]) for key in PAGES if key in (args.page or PAGES)]
    port = free_port()
    server = start_gunicorn(env, port, workers=args.workers)
    try:
        wait_until_ready(server, port)
        print(f"Lighthouse {version()}, {args.runs} run(s) a page, the median of each figure:")
        load_before = os.getloadavg()[0]
        audit(chromium, port, pages, args.runs)
        load_after = os.getloadavg()[0]
    finally:
        stop(server)
    print(table(pages))
    # Simulated throttling scales the CPU time this machine took, so a busy machine shows slower.
    print(f"1-minute load average: {load_before:.1f} at the start, {load_after:.1f} at the end ({os.cpu_count()} CPUs)")
    print("\nAudits that cost points (in any run):")
    print(lost_by_page(pages))
    data = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "lighthouse": version(),
        "runs": args.runs,
        "load_average": [load_before, load_after],
        "cpus": os.cpu_count(),
        "pages": [{"page": p.name, "path": p.path, "runs": p.runs} for p in pages],
    }
    (OUT / "lighthouse-latest.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    missed = [f"{p.name} ({', '.join(p.misses)})" for p in pages if p.misses]
    if missed:
        raise BelowTarget(f"below its Lighthouse target: {'; '.join(missed)}")


def main() -> int:
    return run_cli(score, parse_args())
