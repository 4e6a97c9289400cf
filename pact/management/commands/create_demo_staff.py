"""Demo staff accounts, one for each role, so a fresh demo site can be tried out.

Their passwords and two-factor set-up links go into ``demo-credentials.txt`` in the data
directory (readable by its owner only). Run again, it renews the link of an account that has
not set up its authenticator once the link is spent or expired, and drops it once it has.
"""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from core.two_factor import enrolment_link_url
from pact.demo import DEMO_STAFF, demo_enrolment_links, demo_staff_create

# A password is known only when the account is made; a file written again without it says so.
NOT_RECORDED = "(password not recorded)"
SET_UP = "(two-factor set up)"


def _read(path) -> dict[str, tuple[str, str]]:
    """Username -> (password, set-up link) of the credentials file, if there is one."""
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if len(columns) >= 2 and not line.startswith("#"):
            found[columns[0]] = (columns[1], columns[2] if len(columns) > 2 else "")
    return found


def _token(link: str) -> str:
    """The token of a set-up link written before (the file may have been edited by hand)."""
    marker = reverse("staff:two_factor_enrol", args=["-"]).removesuffix("-/")
    return link.partition(marker)[2].strip("/")


def _render(passwords: dict[str, str], tokens: dict[str, str]) -> str:
    lines = [
        f"# PACT demo staff accounts: sign in at {settings.PACT_SITE_URL}{reverse('staff:login')}",
        "# Before the first sign-in, open the account's two-factor set-up link, sign in with the",
        "# password and set up an authenticator app. A link works once and expires; `make run`",
        "# issues a new one, once it is spent or expired, until the account has set up its app.",
        "# username\tpassword\ttwo-factor set-up link",
    ]
    for username, _role in DEMO_STAFF:
        if username in passwords:
            link = enrolment_link_url(tokens[username]) if username in tokens else SET_UP
            lines.append(f"{username}\t{passwords[username]}\t{link}")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Create demo staff accounts (administrator, officer, chair, partner) and their two-factor set-up links."

    def handle(self, *args, **options):
        path = settings.STATE_DIR / "demo-credentials.txt"
        password = settings.PACT_DEMO_PASSWORD or secrets.token_urlsafe(12)
        created = demo_staff_create(password=password)
        before = _read(path)
        passwords = {username: NOT_RECORDED for username, _role in DEMO_STAFF}
        passwords |= {username: entry[0] for username, entry in before.items()} | dict.fromkeys(created, password)
        known = {username: _token(entry[1]) for username, entry in before.items() if username not in created}
        tokens, renewed = demo_enrolment_links(known=known)
        text = _render(passwords, tokens)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
            path.chmod(0o600)
        self._report(created, [username for username in renewed if username not in created], changed)
        self.stdout.write(f"Their sign-in details and set-up links are in {path.name} in the data directory.")

    def _report(self, created: list[str], renewed: list[str], changed: bool) -> None:
        if created:
            self.stdout.write(f"Created demo staff accounts: {', '.join(created)}.")
        if renewed:
            self.stdout.write(f"New two-factor set-up links for: {', '.join(renewed)}.")
        if not (created or renewed or changed):
            self.stdout.write("Demo staff accounts: unchanged.")
