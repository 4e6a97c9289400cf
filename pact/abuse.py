"""Protection of the public forms against automated abuse, without a third-party service.

Every public form has Django's CSRF protection, a honeypot field (pact.forms.HoneypotForm)
and a rate limit per client. Clients are counted by a keyed hash of their address, so no
address is stored. The limit fails open: a Redis outage must not stop a resident from
reporting something, and the other defences still stand.
"""

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit: int
    window_seconds: int

    @property
    def window_minutes(self) -> int:
        return max(1, round(self.window_seconds / 60))


def client_address(request: HttpRequest) -> str:
    """The client's address: the first X-Forwarded-For hop behind our own proxy, else the peer."""
    if settings.PACT_BEHIND_PROXY:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded.strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _client_key(request: HttpRequest) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def rate_limit_exceeded(request: HttpRequest, rule: RateLimit) -> bool:
    """Count one attempt by this client under ``rule``; True once it is over the limit."""
    window = int(time.time() // rule.window_seconds)
    key = f"ratelimit:{rule.scope}:{_client_key(request)}:{window}"
    try:
        if cache.add(key, 1, timeout=rule.window_seconds + 5):
            return False
        return cache.incr(key) > rule.limit
    except (RedisError, ConnectionError, OSError, ValueError):
        logger.warning("rate limit for %s not counted: cache unreachable", rule.scope)
        return False
