"""Encrypt every stored TOTP key afresh under the current key, the middle step of a key rotation
(README, "Two-factor keys")."""

from django.core.management.base import BaseCommand, CommandError

from core.encryption import DecryptionError
from core.two_factor import second_factor_keys_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every staff authenticator's TOTP key under PACT_TOTP_ENCRYPTION_KEY (or SECRET_KEY)."

    def handle(self, *args, **options):
        try:
            count = second_factor_keys_reencrypt()
        except DecryptionError as error:
            raise CommandError(
                "A stored key decrypts under none of the configured keys: list the old key in "
                "PACT_TOTP_ENCRYPTION_KEY_FALLBACKS (or SECRET_KEY_FALLBACKS) and run this again. "
                "Nothing was changed."
            ) from error
        self.stdout.write(f"Re-encrypted {count} TOTP key(s) under the current key.")
