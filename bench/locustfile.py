"""The residents of bench/mixed.py, for Locust: they read PACT's public pages and send its forms.

Run by bench/mixed.py, not by hand: it passes the server (``-H``), the users to start and,
through the environment, the targets picked from the database (``PACT_MIX_TARGETS``, a JSON
file), the rate of each kind of request (``PACT_MIX_RATES``, requests a second) and how many
requests a second one virtual user makes (``PACT_MIX_PER_USER``).

Each kind of request is one user class with a fixed number of users. A user sends at times
drawn in advance from a Poisson process (exponential gaps at its share of the rate), not
"a gap after each answer": a slow answer does not slow the schedule down, so the load stays
at the rate asked for, as with real residents who do not wait for one another. The measured
rate is still checked against the one asked for by bench/mixed.py.

Every user presents its own client address (X-Forwarded-For from the IPv6 documentation
prefix 2001:db8::/32, so no real address; the server trusts it because the bench runs with
PACT_BEHIND_PROXY as behind the force's load balancer). The forms' rate limits of five a
client an hour therefore stay as deployed and are counted as deployed, for many residents.
A form user fetches a form once for its CSRF cookie and token, sends four concerns and four
feedback forms with them, honeypot empty, then becomes a new resident (new address, new
cookies, new token).
"""

import json
import math
import os
import random
import re
import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import gevent
from locust import FastHttpUser, task

TARGETS = json.loads(Path(os.environ["PACT_MIX_TARGETS"]).read_text(encoding="utf-8"))
RATES: dict[str, float] = json.loads(os.environ["PACT_MIX_RATES"])
PER_USER = float(os.environ.get("PACT_MIX_PER_USER", "2"))
# Which pages are asked for, and when: repeatable from run to run, nothing secret.
RNG = random.Random(int(os.environ.get("PACT_MIX_SEED", "7")))  # noqa: S311
POSTS_PER_RESIDENT = 4  # of each form: under the limit of five a client an hour
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FEEDBACK_KINDS = ("compliment", "complaint", "suggestion")
DESCRIPTIONS = (
    "Cars race along the High Street after 10pm most nights.",
    "Groups drinking in the park leave broken glass by the play area.",
    "Vans park across the dropped kerbs outside the school at pick-up time.",
    "Thank you to the PCSO who helped my neighbour after the break-in.",
)


def users_for(kind: str) -> int:
    """How many users carry ``kind``'s rate: enough that each makes about PER_USER a second."""
    rate = RATES.get(kind, 0.0)
    return math.ceil(rate / PER_USER) if rate > 0 else 0


def resident_address() -> str:
    # Not from the seeded RNG: a new address every run, or the next run would be over the limit.
    return f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::{secrets.token_hex(2)}"


class Resident(FastHttpUser):
    """One kind of request at ``KIND``'s rate, shared by the class's users."""

    abstract = True
    KIND = ""
    network_timeout = 10.0
    connection_timeout = 10.0

    def wait_time(self) -> float:
        self.next_at += RNG.expovariate(self.rate)
        return max(0.0, self.next_at - time.monotonic())

    def on_start(self) -> None:
        self.rate = RATES[self.KIND] / users_for(self.KIND)
        self.address = resident_address()
        # Users start together; a random first gap spreads them out, so no burst is synchronised.
        gevent.sleep(RNG.expovariate(self.rate))
        self.next_at = time.monotonic()

    def fetch(self, path: str, name: str, *, redirect_to: str = "") -> None:
        """GET ``path`` as one resident; with ``redirect_to``, only a redirect there is a success."""
        headers = {"X-Forwarded-For": self.address}
        if not redirect_to:
            self.client.get(path, name=name, headers=headers)
            return
        with self.client.get(path, name=name, headers=headers, allow_redirects=False, catch_response=True) as answer:
            location = answer.headers.get("Location", "")
            if answer.status_code != 302 or redirect_to not in location:
                answer.failure(f"expected a redirect to {redirect_to}…, got {answer.status_code} {location}")


def _resident(kind: str, send) -> type[Resident]:
    """A user class named after ``kind`` whose task is ``send(user)``."""
    name = re.sub(r"[^A-Za-z]", "", kind.title())
    return type(name, (Resident,), {"KIND": kind, "fixed_count": users_for(kind), "send": task(send)})


def _postcode_search(user: Resident) -> None:
    postcode = RNG.choice(TARGETS["postcodes"])
    user.fetch(f"/search/?q={quote(postcode)}", "postcode search (302)", redirect_to="/wards/")


CLASSES = {
    "bare view": lambda user: user.fetch("/bench/bare/", "bare view"),
    "home page": lambda user: user.fetch("/", "home page"),
    "postcode search": _postcode_search,
    "ward page": lambda user: user.fetch(f"/wards/{RNG.choice(TARGETS['wards'])}/", "ward page"),
    "team page": lambda user: user.fetch(f"/teams/{RNG.choice(TARGETS['teams'])}/", "team page"),
    "updates feed": lambda user: user.fetch(f"/teams/{RNG.choice(TARGETS['teams'])}/updates/feed/", "updates feed"),
    "events .ics": lambda user: user.fetch(f"/wards/{RNG.choice(TARGETS['wards'])}/events.ics", "events .ics"),
}


class FormSender(Resident):
    """Sends the concern form and the feedback form in turn, as residents do, with a real CSRF token."""

    KIND = "form posts"
    fixed_count = users_for(KIND)
    abstract = fixed_count == 0

    def on_start(self) -> None:
        super().on_start()
        self.become_a_new_resident()

    def become_a_new_resident(self) -> None:
        self.client.cookiejar.clear()
        self.address = resident_address()
        self.sent = 0
        self.token = ""
        ward = RNG.choice(TARGETS["wards"])
        page = self.client.get(
            f"/wards/{ward}/concerns/new/", name="form page (token)", headers={"X-Forwarded-For": self.address}
        )
        found = TOKEN.search(page.text or "")
        if found:
            self.token = found.group(1)

    @task
    def send(self) -> None:
        if self.sent >= 2 * POSTS_PER_RESIDENT or not self.token:
            self.become_a_new_resident()
        if self.sent % 2:
            self.post(f"/have-your-say/{RNG.choice(FEEDBACK_KINDS)}/", "feedback form (POST)", self.feedback())
        else:
            self.post(f"/wards/{RNG.choice(TARGETS['wards'])}/concerns/new/", "concern form (POST)", self.concern())
        self.sent += 1

    def concern(self) -> dict[str, str]:
        return {
            "category": RNG.choice(TARGETS["categories"]),
            "description": RNG.choice(DESCRIPTIONS),
            "location_text": "Near the shops",
            "contact_email": RNG.choice(("", "resident@example.com")),
            "website": "",
        }

    def feedback(self) -> dict[str, str]:
        postcode = RNG.choice(("", RNG.choice(TARGETS["postcodes"])))
        answers = {"postcode": postcode, "officer_text": "", "wants_reply": "no", "website": ""}
        return answers | {"description": RNG.choice(DESCRIPTIONS)}

    def post(self, path: str, name: str, fields: dict[str, str]) -> None:
        body = urlencode({"csrfmiddlewaretoken": self.token, **fields})
        headers = {
            "X-Forwarded-For": self.address,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{self.host}{path}",
        }
        with self.client.post(
            path, name=name, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                error = re.search(r"govuk-error-summary__list.*?<a[^>]*>([^<]+)", answer.text or "", re.S)
                answer.failure(f"{answer.status_code}: {error.group(1).strip() if error else 'no redirect'}")


# Only the kinds given a rate exist as users, so Locust starts exactly the fixed counts.
for _kind, _send in CLASSES.items():
    if users_for(_kind):
        globals()[re.sub(r"[^A-Za-z]", "", _kind.title())] = _resident(_kind, _send)
