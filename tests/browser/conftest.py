"""Playwright driving Debian's Chromium against pytest-django's live server.

No browser is downloaded: Playwright launches the system Chromium. axe-core comes from the
npm packages the front-end build installs.
"""

import json
import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import CHROMIUM

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's synchronous API runs an event loop in this thread, which makes Django refuse
# ORM calls from the test body; the test body is still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("needs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def mobile_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.2 A and AA; return its violations."""
    # Evaluated through the DevTools protocol, which the page's Content Security Policy does
    # not govern: a <script> tag added to the page would be refused, as it should be.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return json.dumps(
        [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations],
        indent=2,
    )


PASSWORD = "correct horse battery staple"  # UserFactory's default


def next_code(user) -> str:
    """A code the user's authenticator app would show now that the server has not taken yet
    (a code works once: a second sign-in in the same 30 seconds takes the next one)."""
    from tests.core.factories import confirmed_second_factor, totp

    factor = confirmed_second_factor(user)
    factor.refresh_from_db()
    clock = totp(factor)
    step = max(clock.timecode(time.time()), factor.last_used_step + 1)
    assert step <= clock.timecode(time.time()) + 1, "no unused code left in this 30-second step"
    return clock.generate_otp(step)


def sign_in(page, username: str, *, next_path: str = "/staff/") -> None:
    """Sign in through the staff sign-in and second-factor pages, as a person does, and land on
    ``next_path``. The user gets a confirmed authenticator if they have none."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    code = next_code(user)
    page.goto(f"/staff/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/two-factor/check/"))
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 A or AA violation on the page as it stands."""
    violations = axe_violations(page)
    assert violations == [], describe(violations)
