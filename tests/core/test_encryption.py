"""TOTP keys at rest: encrypted under a key derived from settings, rotated without downtime."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from core import encryption, two_factor
from core.models import AuditEvent, SecondFactor
from tests.core.factories import SecondFactorFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.SECRET_KEY = "the secret key of this test, long enough to be one"
    settings.SECRET_KEY_FALLBACKS = []
    settings.PACT_TOTP_ENCRYPTION_KEY = ""
    settings.PACT_TOTP_ENCRYPTION_KEY_FALLBACKS = []


def test_a_key_is_stored_encrypted_and_read_back():
    token = encryption.encrypt(KEY)

    assert KEY not in token
    assert token != encryption.encrypt(KEY)  # a random IV each time
    assert encryption.decrypt(token) == KEY


def test_the_dedicated_key_is_used_when_set(settings):
    under_secret_key = encryption.encrypt(KEY)
    settings.PACT_TOTP_ENCRYPTION_KEY = "a dedicated key for TOTP keys"

    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(under_secret_key)
    assert encryption.decrypt(encryption.encrypt(KEY)) == KEY


def test_the_secret_key_is_not_the_fernet_key_itself(settings):
    import base64

    from cryptography.fernet import Fernet, InvalidToken

    raw = Fernet(base64.urlsafe_b64encode(settings.SECRET_KEY.encode()[:32]))

    with pytest.raises(InvalidToken):
        raw.decrypt(encryption.encrypt(KEY).encode())


def test_rotation_of_the_dedicated_key(settings):
    settings.PACT_TOTP_ENCRYPTION_KEY = "the old key"
    factor = SecondFactorFactory(encrypted_key=encryption.encrypt(KEY))
    settings.PACT_TOTP_ENCRYPTION_KEY = "the new key"
    settings.PACT_TOTP_ENCRYPTION_KEY_FALLBACKS = ["the old key"]
    assert two_factor.factor_key(factor) == KEY

    out = StringIO()
    call_command("rotate_totp_keys", stdout=out)

    assert "Re-encrypted 1 TOTP key(s)" in out.getvalue()
    settings.PACT_TOTP_ENCRYPTION_KEY_FALLBACKS = []
    factor.refresh_from_db()
    assert two_factor.factor_key(factor) == KEY
    assert AuditEvent.objects.get(action="pact.two_factor.keys_reencrypted").data == {"count": 1}


def test_rotation_of_the_secret_key_uses_its_fallbacks(settings):
    factor = SecondFactorFactory(encrypted_key=encryption.encrypt(KEY))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a brand new secret key, just as long as the old one"

    call_command("rotate_totp_keys", stdout=StringIO())

    settings.SECRET_KEY_FALLBACKS = []
    factor.refresh_from_db()
    assert two_factor.factor_key(factor) == KEY


def test_rotation_without_the_old_key_changes_nothing(settings):
    factors = [SecondFactorFactory(encrypted_key=encryption.encrypt(KEY)) for _ in range(2)]
    stored = [factor.encrypted_key for factor in factors]
    settings.PACT_TOTP_ENCRYPTION_KEY = "a key that encrypted none of them"
    SecondFactorFactory(user=UserFactory())

    with pytest.raises(CommandError, match="FALLBACKS"):
        call_command("rotate_totp_keys", stdout=StringIO())

    assert [SecondFactor.objects.get(pk=f.pk).encrypted_key for f in factors] == stored


def test_the_database_refuses_a_key_in_clear():
    with pytest.raises(IntegrityError):
        SecondFactorFactory(encrypted_key=KEY)
