"""Secrets PACT has to read back, kept encrypted at rest: today the TOTP keys of staff authenticators.

A TOTP key cannot be hashed like a password (the server needs it to compute each code), so it
is encrypted with Fernet (AES-128 in CBC mode with an HMAC-SHA256, from ``cryptography``)
before it reaches the database, and decrypted only to check a code. A copy of the database,
a backup or a careless query then shows no working key.

The encryption key comes from settings: ``PACT_TOTP_ENCRYPTION_KEY`` (a long random string kept
apart from the database) or, when it is not set, ``SECRET_KEY``. Either is stretched by HKDF
into the Fernet key, so any string works and the TOTP keys are never encrypted with the raw
``SECRET_KEY``. Rotation: set the new key, list the old one in
``PACT_TOTP_ENCRYPTION_KEY_FALLBACKS`` (``SECRET_KEY_FALLBACKS`` while ``SECRET_KEY`` is the
key), run ``manage.py rotate_totp_keys`` to encrypt every stored key afresh under the new key,
then remove the old one. Until then both decrypt (MultiFernet).
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Binds the derived key to this one use: the same secret yields other keys for other uses.
_PURPOSE = b"pact.totp-key-encryption.v1"


class DecryptionError(Exception):
    """A stored secret that none of the configured keys decrypts (a key missing from the
    fallbacks during a rotation, or a damaged value)."""


@functools.lru_cache(maxsize=8)
def _fernet(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _secrets() -> list[str]:
    dedicated = settings.PACT_TOTP_ENCRYPTION_KEY
    if dedicated:
        return [dedicated, *settings.PACT_TOTP_ENCRYPTION_KEY_FALLBACKS]
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _box() -> MultiFernet:
    return MultiFernet([_fernet(secret) for secret in _secrets()])


def encrypt(text: str) -> str:
    """``text`` encrypted under the current key, as URL-safe text."""
    return _box().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The text ``token`` was made from, by the current key or any fallback."""
    try:
        return _box().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("no configured key decrypts this value") from error


def reencrypt(token: str) -> str:
    """``token`` encrypted afresh under the current key (for a key rotation)."""
    try:
        return _box().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("no configured key decrypts this value") from error
