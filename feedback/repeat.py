"""Blocking obvious repeat answers without tracking people (surveys, equality questions).

The browser holds a random token in a signed cookie scoped to the page's path; only a keyed
hash of the token and what it answered is stored, so the token cannot be traced back or
matched across surveys, meetings or panels.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RepeatToken:
    cookie: str
    salt: str
    max_age: int = 60 * 60 * 24 * 365

    def read(self, request: HttpRequest) -> str:
        """The browser's token, or a new one when it has none (or a tampered one)."""
        token = request.get_signed_cookie(self.cookie, default="", salt=self.salt, max_age=self.max_age)
        return token or secrets.token_urlsafe(24)

    def attach(self, request: HttpRequest, response: HttpResponse, token: str, *, path: str) -> HttpResponse:
        """Keep ``token`` in the browser for pages under ``path`` only."""
        response.set_signed_cookie(
            self.cookie,
            token,
            salt=self.salt,
            max_age=self.max_age,
            path=path,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response


def repeat_key(scope: str, token: str) -> str:
    """The keyed hash stored for a browser's token and what it answered; blank without a token."""
    if not token:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{token}".encode(), hashlib.sha256).hexdigest()
