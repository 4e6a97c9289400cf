"""Demo staff accounts, one for each role, so a fresh demo site can be tried out."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from pact.demo import demo_staff_create


class Command(BaseCommand):
    help = "Create demo staff accounts (administrator, officer, chair, partner) if they do not exist."

    def handle(self, *args, **options):
        credentials = settings.STATE_DIR / "demo-credentials.txt"
        password = settings.PACT_DEMO_PASSWORD or secrets.token_urlsafe(12)
        created = demo_staff_create(password=password)
        if created:
            credentials.write_text("".join(f"{username}\t{password}\n" for username in created), encoding="utf-8")
            credentials.chmod(0o600)
            self.stdout.write(f"Created demo staff accounts: {', '.join(created)}.")
        else:
            self.stdout.write("Demo staff accounts: unchanged.")
        if credentials.exists():
            self.stdout.write(f"Their sign-in details are in {credentials.name} in the data directory.")
