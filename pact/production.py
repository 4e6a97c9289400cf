"""What a public site refuses to start with (its WSGI application and Celery workers call this).

Django's `check --deploy` reports; this refuses. Only what cannot be safe on a public site is
here, and only when the site is one (DEBUG off, PACT_HTTPS on): the embedded mode, tests and
trials on plain HTTP start as ever.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pact.env import production_email_refusal


def refuse_unsafe_production() -> None:
    refusal = production_email_refusal(
        email_backend=settings.EMAIL_BACKEND, debug=settings.DEBUG, https=settings.PACT_HTTPS
    )
    if refusal:
        raise ImproperlyConfigured(refusal)
