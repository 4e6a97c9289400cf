"""Small typed readers for settings that come from the environment.

Every setting has a default that works with no servers (the embedded mode). A secret can
also be given as ``<NAME>_FILE``, the path of a file holding it (Docker and Kubernetes
secrets), so that it never has to sit in the process environment.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


def env_str(name: str, default: str = "") -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def env_cron(name: str, default: str) -> dict[str, str]:
    """A five-field cron line (minute hour day-of-month month day-of-week) as crontab() keywords.

    Celery's crontab() takes day_of_week before day_of_month when called by position, so a
    cron line split straight into it would run "on the 1st" every Monday instead.
    """
    fields = env_str(name, default).split()
    if len(fields) != 5:
        raise ValueError(f"{name} must be five cron fields (minute hour day month weekday), not {fields!r}")
    keys = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
    return dict(zip(keys, fields, strict=True))


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name, "")
    if not raw.strip():
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
}


def email_config(url: str) -> dict[str, object]:
    """Turn an ``EMAIL_URL`` into Django email settings.

    ``console:``, ``file:///path``, ``locmem:``, ``smtp://user:pass@host:25``,
    ``smtp+tls://…:587`` (STARTTLS) and ``smtps://…:465`` (implicit TLS) are understood.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _EMAIL_BACKENDS:
        raise ValueError(f"EMAIL_URL scheme {scheme!r} is not one of {sorted(_EMAIL_BACKENDS)}")
    config: dict[str, object] = {"EMAIL_BACKEND": _EMAIL_BACKENDS[scheme]}
    if scheme == "file":
        config["EMAIL_FILE_PATH"] = unquote(parts.path)
    elif scheme.startswith("smtp"):
        query = parse_qs(parts.query)
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or {"smtps": 465, "smtp+tls": 587}.get(scheme, 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_TIMEOUT=int(query.get("timeout", ["10"])[0]),
        )
    return config


def production_email_refusal(*, email_backend: str, debug: bool, https: bool) -> str | None:
    """Why the site must not start with this email set-up, or None.

    A public site (served over HTTPS, without DEBUG) must not write its emails to the console:
    they would land in the logs whole, with the private links of incident logs and
    subscriptions in them. A trial on plain HTTP, or with DEBUG, may.
    """
    if debug or not https or email_backend != _EMAIL_BACKENDS["console"]:
        return None
    return (
        "EMAIL_URL=console: writes every email, with the secret links in them, into the logs. "
        "Set EMAIL_URL to the mail server (smtp+tls://user:password@host:587), or to file:///path "
        "for a trial; the console is allowed only with DEBUG or PACT_HTTPS=false."
    )
