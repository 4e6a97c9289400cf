"""Secrets in logs (finding 9 of issue 12): the private links of incident logs and
subscriptions carry their token in the path, and paths reach Django's warnings, gunicorn's
access log and, through the console email backend, whole emails."""

import io
import logging
import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from gunicorn.config import Config

from core.log_filters import mask

pytestmark = pytest.mark.django_db

TOKEN = "Zq3xK9vB2mN7pL4wR8tY1uI6oP0aS5dF-gH_jKlMnBv"  # the shape of secrets.token_urlsafe(32)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Not Found: /logs/{TOKEN}/", "Not Found: /logs/[token]/"),
        (f'"GET /logs/{TOKEN}/turn-off/" 200', '"GET /logs/[token]/turn-off/" 200'),
        (f"Gone: /subscriptions/unsubscribe/{TOKEN}/", "Gone: /subscriptions/unsubscribe/[token]/"),
        (
            f"link https://pact.example.org/subscriptions/confirm/{TOKEN}/?x=1",
            "link https://pact.example.org/subscriptions/confirm/[token]/?x=1",
        ),
    ],
)
def test_finding_9_a_token_in_a_path_is_masked(text, expected):
    assert mask(text) == expected


def test_finding_9_any_token_of_the_sites_shape_is_masked():
    for _ in range(50):
        token = secrets.token_urlsafe(32)
        assert token not in mask(f"/logs/{token}/ and /subscriptions/confirm/{token}/")


@pytest.mark.parametrize(
    "text",
    [
        "/teams/maidstone-town-centre-and-north-east-villages/",
        "page:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "/wards/E05002160/concerns/PACT-7K2M9Q/",
        "core.tasks.outbox_dispatch_task[0b9c3f0e-6d4f-4b8e-9d3a-1c2b3a4d5e6f]",
    ],
)
def test_log_mask_keeps_slugs_digests_codes_and_task_ids(text):
    assert mask(text) == text


@pytest.fixture
def django_console():
    """What Django's configured console handler writes."""
    handler = logging.getLogger("django").handlers[0]
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


def test_finding_9_a_private_link_reaches_no_warning_log(client, django_console):
    assert client.get(f"/logs/{TOKEN}/").status_code == 404
    assert client.get(f"/subscriptions/unsubscribe/{TOKEN}/").status_code == 404

    written = django_console.getvalue()
    assert "Not Found: /logs/[token]/" in written
    assert "Not Found: /subscriptions/unsubscribe/[token]/" in written
    assert TOKEN not in written


def test_finding_9_gunicorn_logs_mask_tokens(tmp_path):
    conf = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("logger_class", conf["logger_class"])
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    logger = cfg.logger_class(cfg)

    logger.access_log.info('"%(m)s %(U)s" %(s)s', {"m": "GET", "U": f"/logs/{TOKEN}/", "s": "200"})
    logger.error("Error handling request /subscriptions/confirm/%s/", TOKEN)
    logger.close_on_exec()

    assert (tmp_path / "access.log").read_text() == '"GET /logs/[token]/" 200\n'
    error = (tmp_path / "error.log").read_text()
    assert "/subscriptions/confirm/[token]/" in error
    assert TOKEN not in error


def _start_web_app(**env) -> subprocess.CompletedProcess:
    """Load the WSGI application as gunicorn does, with a server's environment."""
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment |= {"DJANGO_SETTINGS_MODULE": "pact.settings", "SECRET_KEY": secrets.token_urlsafe(50), **env}
    return subprocess.run(
        [sys.executable, "-c", "import pact.wsgi"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_finding_9_production_refuses_console_email(tmp_path):
    result = _start_web_app(DEBUG="false", PACT_HTTPS="true", EMAIL_URL="console:", PACT_STATE_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "EMAIL_URL=console: writes every email" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "false", "PACT_HTTPS": "true", "EMAIL_URL": "smtp+tls://pact@smtp.example.org:587"},
        {"DEBUG": "false", "PACT_HTTPS": "false", "EMAIL_URL": "console:"},
        {"DEBUG": "true", "PACT_HTTPS": "true", "EMAIL_URL": "console:"},
    ],
)
def test_console_email_is_allowed_in_a_trial_or_with_debug(tmp_path, env):
    result = _start_web_app(PACT_STATE_DIR=str(tmp_path), **env)

    assert result.returncode == 0, result.stderr


def test_finding_9_a_worker_of_a_public_site_refuses_console_email(settings):
    from django.core.exceptions import ImproperlyConfigured

    from pact.celery import _refuse_unsafe_production

    settings.DEBUG, settings.PACT_HTTPS = False, True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL=console: writes every email"):
        _refuse_unsafe_production()
