"""Page weight: the bytes a phone transfers for PACT's public pages, first visit and later pages.

Sets up the database and static files as bench/run.py does, starts gunicorn with the same
production settings, and opens pages in Debian's chromium through Playwright at a phone
viewport (390×844, a mobile user agent, Accept-Encoding gzip and br). Every response is
counted as transferred (CDP Network.loadingFinished encodedDataLength: body as sent plus
headers; 0 when the browser answered from its cache). Two visits, each in a fresh browser
context (an empty cache):

- a resident who lands on a ward page first (the issue 17 target: under 150 KB), once as it
  loads and once scrolled down to its map (which fetches Leaflet);
- a resident who opens the home page, then a search result, then a ward page, then the
  force map: every page after the first must stay under 30 KB (warm cache). The force map
  is reported without a target: its Leaflet layer fetches every ward's boundary (the overview
  of wards.map_boundaries), and once more zoomed in (the same page again, then its detail).

Prints a table, writes bench/out/weight-latest.json and exits 1 when a target is missed
(2 when something the run needs is missing). See bench/README.md.
"""

import argparse
import json
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
    prepare,
    run_cli,
    start_gunicorn,
    stop,
    wait_until_ready,
)

FIRST_PAGE_LIMIT = 150 * 1024
LATER_PAGE_LIMIT = 30 * 1024
VIEWPORT = {"width": 390, "height": 844}
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
# Chromium advertises br only over HTTPS; the benchmark is plain HTTP on loopback, so the
# header a phone sends to the deployed (HTTPS) site is set by hand.
ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass
class Resource:
    url: str
    kind: str = ""
    status: int = 0
    encoding: str = ""
    cached: bool = False
    transferred: int = 0
    body: int = 0


@dataclass
class Visit:
    name: str
    path: str
    first: bool
    # Scroll the page's map into view after load (map.js fetches Leaflet only then).
    scroll_to_map: bool = False
    # Reported without a target (the force map, whose Leaflet layer is most of its weight).
    measured_only: bool = False
    # Zoom the force map in past its overview after load (map.js then fetches every vertex).
    zoom_in: bool = False
    resources: list[Resource] = field(default_factory=list)

    @property
    def transferred(self) -> int:
        return sum(r.transferred for r in self.resources)

    @property
    def limit(self) -> int | None:
        if self.measured_only:
            return None
        return FIRST_PAGE_LIMIT if self.first else LATER_PAGE_LIMIT

    @property
    def over(self) -> bool:
        return self.limit is not None and self.transferred >= self.limit

    @property
    def label(self) -> str:
        return f"{self.name} ({'empty' if self.first else 'warm'} cache)"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-setup", action="store_true", help="skip migrate and setup_pact (data already there)")
    parser.add_argument("--verbose", action="store_true", help="list every response of every page")
    return parser.parse_args()


def require_chromium() -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise BenchError("the page-weight run needs Debian's chromium: apt-get install -y chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BenchError("the page-weight run needs Playwright (requirements-dev.txt): make install") from None
    return chromium


def open_page(context, base: str, visit: Visit) -> None:
    """Open one page in the context's tab and record what crossed the network for it."""
    page = context.pages[0] if context.pages else context.new_page()
    cdp = context.new_cdp_session(page)
    by_id: dict[str, Resource] = {}
    failed: list[dict] = []

    def on_response(event: dict) -> None:
        response = event["response"]
        headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
        by_id[event["requestId"]] = Resource(
            url=response["url"].removeprefix(base),
            kind=event.get("type", ""),
            status=response.get("status", 0),
            encoding=headers.get("content-encoding", ""),
            cached=bool(response.get("fromDiskCache") or response.get("fromPrefetchCache")),
        )

    def on_served_from_cache(event: dict) -> None:
        by_id.setdefault(event["requestId"], Resource(url="(memory cache)")).cached = True

    def on_data(event: dict) -> None:
        if event["requestId"] in by_id:
            by_id[event["requestId"]].body += event.get("dataLength", 0)

    def on_finished(event: dict) -> None:
        resource = by_id.get(event["requestId"])
        if resource is not None:
            resource.transferred = 0 if resource.cached else int(event.get("encodedDataLength", 0))
            visit.resources.append(resource)

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.requestServedFromCache", on_served_from_cache)
    cdp.on("Network.dataReceived", on_data)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.loadingFailed", lambda event: failed.append(event))
    cdp.send("Network.enable")
    page.goto(base + visit.path, wait_until="networkidle")
    if visit.scroll_to_map:
        page.locator("[data-module='pact-map']").first.scroll_into_view_if_needed()
        page.locator(".pact-map--enhanced .leaflet-container").first.wait_for()
        page.wait_for_load_state("networkidle")
    if visit.zoom_in:
        page.locator(".pact-map--enhanced .leaflet-container").first.wait_for()
        with page.expect_response(lambda response: "/map/boundaries-detail.json" in response.url):
            # A shift-click zooms in three levels at once.
            page.locator(".leaflet-control-zoom-in").first.click(modifiers=["Shift"])
        page.wait_for_load_state("networkidle")
    cdp.detach()
    if failed:
        raise BenchError(f"{visit.path}: {len(failed)} request(s) failed: {failed[0]}")


def browse(chromium: str, base: str, journeys: list[list[Visit]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for journey in journeys:
                context = browser.new_context(
                    viewport=VIEWPORT,
                    screen=VIEWPORT,
                    device_scale_factor=3,
                    is_mobile=True,
                    has_touch=True,
                    user_agent=USER_AGENT,
                    extra_http_headers={"Accept-Encoding": ACCEPT_ENCODING},
                )
                try:
                    for visit in journey:
                        open_page(context, base, visit)
                finally:
                    context.close()
        finally:
            browser.close()


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def table(visits: list[Visit], verbose: bool) -> str:
    lines = [
        "| page | path | cache | requests | from network | KB transferred | target KB | met |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for v in visits:
        fetched = sum(1 for r in v.resources if r.transferred)
        met = "–" if v.limit is None else ("NO" if v.over else "yes")
        lines.append(
            f"| {v.name} | `{v.path}` | {'empty' if v.first else 'warm'} | {len(v.resources)} | {fetched} "
            f"| {kb(v.transferred)} | {'–' if v.limit is None else kb(v.limit)} | {met} |"
        )
    if verbose:
        for v in visits:
            lines += ["", f"{v.label}:"]
            for r in sorted(v.resources, key=lambda r: -r.transferred):
                where = "cache" if r.cached else (r.encoding or "identity")
                lines.append(f"  {r.transferred:>8} B  {r.status} {where:<8} {r.kind:<10} {r.url}")
    return "\n".join(lines)


def weigh(args: argparse.Namespace) -> None:
    chromium = require_chromium()
    url = database_url()
    OUT.mkdir(exist_ok=True)
    (OUT / "setup.log").write_text("", encoding="utf-8")
    ensure_database(url)
    env = bench_env(url)
    picked = prepare(env, args.skip_setup)
    ward = f"/wards/{picked['ward']}/"
    search = f"/search/?q={quote(picked['place'])}"
    journeys = [
        [Visit("ward page", ward, first=True)],
        [Visit("ward page, map scrolled to", ward, first=True, scroll_to_map=True)],
        [
            Visit("home page", "/", first=True),
            Visit("search result", search, first=False),
            Visit("ward page", ward, first=False),
            Visit("force map", "/map/", first=False, measured_only=True),
            Visit("force map, zoomed in", "/map/", first=False, measured_only=True, zoom_in=True),
        ],
    ]
    port = free_port()
    server = start_gunicorn(env, port, workers=2)
    try:
        wait_until_ready(server, port)
        browse(chromium, f"http://{HOST}:{port}", journeys)
    finally:
        stop(server)
    visits = [visit for journey in journeys for visit in journey]
    for visit in visits:
        if not visit.resources or visit.resources[0].status >= 400:
            raise BenchError(f"{visit.name} {visit.path} did not load (see bench/out/gunicorn.log)")
    text = table(visits, args.verbose)
    print(text)
    data = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "accept_encoding": ACCEPT_ENCODING,
        "viewport": VIEWPORT,
        "pages": [
            {
                "page": v.name,
                "path": v.path,
                "cache": "empty" if v.first else "warm",
                "transferred": v.transferred,
                "limit": v.limit,
                "resources": [r.__dict__ for r in v.resources],
            }
            for v in visits
        ],
    }
    (OUT / "weight-latest.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    over = [v.label for v in visits if v.over]
    if over:
        raise BelowTarget(f"over its page-weight target: {', '.join(over)}")


def main() -> int:
    return run_cli(weigh, parse_args())


if __name__ == "__main__":
    sys.exit(main())
