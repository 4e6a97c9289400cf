"""Settings for PACT, read from the environment.

With nothing set, PACT runs in its embedded mode: SQLite in a git-ignored data directory,
Celery tasks run in-process, a local-memory cache and email written to the console.
Setting ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` moves it onto real servers.
"""

import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp

from pact.env import email_config, env_bool, env_cron, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Git-ignored home of everything a running site writes: the SQLite file, the generated
# secret key, emails written to files, demo credentials.
STATE_DIR = Path(env_str("PACT_STATE_DIR", str(BASE_DIR / ".data")))
STATE_DIR.mkdir(parents=True, exist_ok=True)

# Where the importers read the open reference data from (see ../shared/data/SOURCES.md).
PACT_DATA_DIR = Path(env_str("PACT_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))
# The ward boundaries in use (wards.Generation): 2014 for the 305 wards of 2003–2015 the force
# organised PACT around, 2025 for the 279 of May 2025. Every generation imported keeps its pages.
PACT_WARD_GENERATION = env_int("PACT_WARD_GENERATION", 2014)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    # Generated once per installation and kept beside the database, so sessions survive a
    # restart without a secret ever being written into the code.
    key_file = STATE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# Earlier secret keys, still accepted while their signatures (sessions, links) run out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core.apps.PactAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "core",
    "wards",
    "priorities",
    "feedback",
    "pact",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policy headers too.
    "core.security.ContentSecurityPolicyMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves its own compressed static files. Django's GZip pads each
    # response against BREACH; kept public pages arrive already compressed (core/cache.py).
    "django.middleware.gzip.GZipMiddleware",
    # A kept public page is answered here, before the session is read (core/cache.py).
    "core.cache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.StaffAreaMiddleware",
]

ROOT_URLCONF = "pact.urls"
WSGI_APPLICATION = "pact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "pact.navigation.service_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{STATE_DIR / 'pact.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while an import or the in-process task writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# The cache is a help, never a dependency (core.cache): a Redis that hangs (frozen, swapping,
# a network that drops packets) must cost a page no more than this, in seconds, before it is
# built from the database; after a failure each process leaves Redis alone for
# PACT_CACHE_RETRY_SECONDS, so the pages after it do not wait at all.
PACT_CACHE_TIMEOUT_SECONDS = float(env_str("PACT_CACHE_TIMEOUT_SECONDS", "0.25"))
PACT_CACHE_RETRY_SECONDS = float(env_str("PACT_CACHE_RETRY_SECONDS", "5"))
# Bytes of kept public answers each web worker also holds in its own memory (core.worker_copy;
# 0: none, every kept answer is a round trip to Redis).
PACT_WORKER_COPY_BYTES = env_int("PACT_WORKER_COPY_BYTES", 16 * 1024 * 1024)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.PactRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pact",
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": PACT_CACHE_TIMEOUT_SECONDS,
                "socket_timeout": PACT_CACHE_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The model backend, loading each signed-in user's second factor with the user (core.two_factor).
AUTHENTICATION_BACKENDS = ["core.auth_backend.PactBackend"]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("PACT_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# static/ holds our own files; static/build/ the compiled Sass and the vendor copies made
# from npm packages by `make assets` (git-ignored).
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from static/ until collectstatic has run (the embedded mode and tests).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.static_storage.StaticFilesStorage"
            if env_bool("PACT_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Email: console by default; EMAIL_URL moves it to SMTP (or a folder, for demos).
for _name, _value in email_config(env_str("EMAIL_URL", "console:")).items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PACT Kent and Medway <pact@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no REDIS_URL the tasks run in-process (eagerly), so the site works with no
# broker at all. JSON only; time limits keep a stuck task from holding a worker forever.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that asks for a task must not hang when Redis is down: fail fast, and the
# periodic jobs pick the work up from the database later.
# A message a worker took but never acknowledged (the worker was killed, with the task
# running or waiting in its prefetch) is put back on the queue this long after it was taken,
# by a sweep every tenth of that (at most 10 s). Keep it well above the hard time limit: a
# message held longer is delivered again while the first copy may still run.
PACT_CELERY_VISIBILITY_TIMEOUT = env_int("PACT_CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": PACT_CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": min(10, max(1, PACT_CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# The queue tasks are sent to when none is named. Tests give a worker and beat their own
# queue so that runs on a shared Redis never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env_str("PACT_CELERY_QUEUE", "celery")
CELERY_BEAT_SCHEDULE = {
    # Every minute: each worker proves it is alive by recording a heartbeat, which
    # /healthz reports, so a stopped worker is noticed within minutes.
    "worker-heartbeat": {
        "task": "core.tasks.heartbeat_record_task",
        "schedule": crontab(minute="*"),
    },
    # Every minute: send the emails waiting in the outbox (core.models.OutboundEmail).
    "outbox-dispatch": {
        "task": "core.tasks.outbox_dispatch_task",
        "schedule": crontab(minute="*"),
    },
    # 03:45 every day: delete or anonymise personal data past its retention period. Early,
    # when the site is quiet, and clear of the hour the clocks change in (01:00-02:00).
    "retention-apply": {
        "task": "core.tasks.retention_apply_task",
        "schedule": crontab(minute="45", hour="3"),
    },
    # 06:00 UK time on the 1st of each month (PACT_MONTHLY_UPDATE_CRON): start the monthly
    # "you said, we did" update of every team for the month just ended.
    "monthly-updates": {
        "task": "priorities.tasks.monthly_updates_start_task",
        "schedule": crontab(**env_cron("PACT_MONTHLY_UPDATE_CRON", "0 6 1 * *")),
    },
    # 06:00 UK time on the 20th of each month: prepare every team's draft of this month's
    # update (the generated facts so far), for its officers to write and a supervisor to approve.
    "monthly-drafts": {
        "task": "priorities.tasks.monthly_drafts_start_task",
        "schedule": crontab(minute="0", hour="6", day_of_month="20"),
    },
    # 09:00 every day: remind the supervisors of each team whose update was published as
    # generated (not approved in time) until they approve the team's report.
    "monthly-report-reminders": {
        "task": "priorities.tasks.monthly_draft_reminders_task",
        "schedule": crontab(minute="0", hour="9"),
    },
    # At 20 past every hour: email each agenda whose meeting is now a week away (or changed
    # since it was sent), once per version: hourly, so a late agenda still goes out the same day.
    "agenda-emails": {
        "task": "priorities.tasks.agenda_emails_start_task",
        "schedule": crontab(minute="20"),
    },
    # 19:00 every day: one email per followed concern that moved today (the day's steps batched).
    "concern-follow-updates": {
        "task": "priorities.tasks.concern_follow_updates_task",
        "schedule": crontab(minute="0", hour="19"),
    },
    # 07:00 every Monday: remind lead officers of priorities with no recent progress.
    "stale-priorities": {
        "task": "priorities.tasks.stale_priorities_remind_task",
        "schedule": crontab(minute="0", hour="7", day_of_week="mon"),
    },
    # 05:30 on the 20th of each month (PACT_POLICE_UK_CRON): import each police.uk month not
    # held yet, when PACT_POLICE_UK_ARCHIVE_URL is set. police.uk publishes a month some weeks
    # after it ends; a month not out yet is asked for again next time.
    "crime-months-fetch": {
        "task": "wards.tasks.crime_months_fetch_task",
        "schedule": crontab(**env_cron("PACT_POLICE_UK_CRON", "30 5 20 * *")),
    },
    # 08:00 every day: remind the owners of feedback about to pass its response-time target.
    "feedback-due": {
        "task": "feedback.tasks.feedback_due_remind_task",
        "schedule": crontab(minute="0", hour="8"),
    },
}

# The monthly jobs (updates) send one task per this many teams: few enough tasks that a national
# service (thousands of teams) does not spend its time on the broker, enough that every worker
# process gets a share.
PACT_MONTHLY_TEAMS_PER_TASK = env_int("PACT_MONTHLY_TEAMS_PER_TASK", 50)

# Where the monthly task fetches police.uk street-level crime: the published monthly archive,
# with {month} for the YYYY-MM, e.g. https://data.police.uk/data/archive/{month}.zip. Empty:
# nothing is fetched (the figures are those imported by hand).
PACT_POLICE_UK_ARCHIVE_URL = env_str("PACT_POLICE_UK_ARCHIVE_URL", "")
# The force whose street-level file is taken out of the archive (its file name's part).
PACT_POLICE_UK_FORCE = env_str("PACT_POLICE_UK_FORCE", "kent")

# The site's own address, for links in emails and feeds written without a request.
PACT_SITE_URL = env_str("PACT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A priority with no progress entry for this many days is flagged and its lead reminded.
PACT_STALE_PRIORITY_DAYS = env_int("PACT_STALE_PRIORITY_DAYS", 28)
# Retention of personal data, in days (core.personal_data; the README gives the reasons).
PACT_RETENTION_DAYS = {
    # Feedback contact details and reply texts, from when the item was closed.
    "feedback_contact": env_int("PACT_RETENTION_FEEDBACK_CONTACT_DAYS", 730),
    # Free-text survey answers, from when the survey closed.
    "survey_text": env_int("PACT_RETENTION_SURVEY_TEXT_DAYS", 365),
    # A concern's contact address, from the concern's last change.
    "concern_contact": env_int("PACT_RETENTION_CONCERN_CONTACT_DAYS", 365),
    # Sent and failed emails in the outbox, from when they were sent or last tried.
    "outbound_email": env_int("PACT_RETENTION_OUTBOUND_EMAIL_DAYS", 90),
    # Subscriptions never confirmed, from when they were asked for.
    "unconfirmed_subscription": env_int("PACT_RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS", 7),
    # Subscriptions ended by unsubscribing, from when they ended.
    "unsubscribed": env_int("PACT_RETENTION_UNSUBSCRIBED_DAYS", 30),
    # Partner information reports (never public), from when they were sent.
    "information": env_int("PACT_RETENTION_INFORMATION_DAYS", 365),
    # Residents' incident logs, from their last entry.
    "incident_log": env_int("PACT_RETENTION_INCIDENT_LOG_DAYS", 365),
    # An address never confirmed (its count of emails, emails held for it), from its last email.
    "unconfirmed_address": env_int("PACT_RETENTION_UNCONFIRMED_ADDRESS_DAYS", 7),
    # That an address was confirmed, from when it was.
    "confirmed_address": env_int("PACT_RETENTION_CONFIRMED_ADDRESS_DAYS", 365),
    # Invitations to join a panel, from when they were accepted, withdrawn or expired.
    "panel_invitation": env_int("PACT_RETENTION_PANEL_INVITATION_DAYS", 30),
}
# Response-time target per kind of feedback, in calendar days (a complaint's 10 working days ≈ 14).
PACT_FEEDBACK_RESPONSE_DAYS = {
    "complaint": env_int("PACT_FEEDBACK_COMPLAINT_DAYS", 14),
    "service": env_int("PACT_FEEDBACK_SERVICE_DAYS", 20),
    "suggestion": env_int("PACT_FEEDBACK_SUGGESTION_DAYS", 20),
    "compliment": env_int("PACT_FEEDBACK_COMPLIMENT_DAYS", 30),
    # An answer to "How did we do?" after a concern: read, and a low score looked into.
    "satisfaction": env_int("PACT_FEEDBACK_SATISFACTION_DAYS", 20),
}
# Ask for a dispatch as soon as an email is queued (beat's every-minute dispatch remains).
PACT_SEND_EMAIL_AT_ONCE = env_bool("PACT_SEND_EMAIL_AT_ONCE", True)
# Equality monitoring is reported only for groups of at least this many people.
PACT_EQUALITY_MINIMUM = env_int("PACT_EQUALITY_MINIMUM", 10)
# Emails asked for by typing an address into a public form (confirmation requests,
# acknowledgements, links) that one address gets in a day at most, across the whole site.
PACT_EMAIL_ASKED_PER_DAY = env_int("PACT_EMAIL_ASKED_PER_DAY", 5)
# How many emails one run of the outbox dispatcher sends at most.
PACT_EMAIL_BATCH_SIZE = env_int("PACT_EMAIL_BATCH_SIZE", 200)

# Map tiles: pages work without them (the boundary is drawn on a plain background).
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

# Security. Nothing here exists only in production: the same settings run everywhere, and
# the HTTPS ones switch on with PACT_HTTPS (behind a TLS-terminating proxy).
PACT_HTTPS = env_bool("PACT_HTTPS", not DEBUG)
# Behind our own load balancer, trust its X-Forwarded-Proto and X-Forwarded-For: of the
# latter only the entries our own proxies appended, PACT_TRUSTED_PROXY_COUNT of them counted
# from the right (core.abuse.client_address; README, "Behind a proxy").
PACT_BEHIND_PROXY = env_bool("PACT_BEHIND_PROXY")
PACT_TRUSTED_PROXY_COUNT = max(1, env_int("PACT_TRUSTED_PROXY_COUNT", 1))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PACT_BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("PACT_SSL_REDIRECT", PACT_HTTPS)
# Load balancers and container health checks probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = PACT_HTTPS
CSRF_COOKIE_SECURE = PACT_HTTPS
SECURE_HSTS_SECONDS = env_int("PACT_HSTS_SECONDS", 31536000 if PACT_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PACT_HTTPS
SECURE_HSTS_PRELOAD = False
# Preloading HSTS binds every subdomain of the force's domain for good: a decision for the
# force's web team, not this application, so the check that asks for it is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp), with no 'unsafe-inline' anywhere: every script and
# stylesheet is a file of ours. core.security adds the map tile server to img-src and, under
# /admin/ only, the hash of the admin's one inline <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PACT_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A signed-in session also ends after this long without a request (core.sign_in).
PACT_SESSION_IDLE_SECONDS = env_int("PACT_SESSION_IDLE_SECONDS", 30 * 60)
# Staff sign-in lockouts (core.sign_in): this many failed passwords or codes for one account
# within the window pause it, for PACT_SIGN_IN_ACCOUNT_DELAY_SECONDS at first, doubling with
# each further pause within a day up to PACT_SIGN_IN_LOCK_SECONDS; this many from one address
# lock the address for PACT_SIGN_IN_LOCK_SECONDS. Raise the address limit where many staff
# share one outgoing address.
PACT_SIGN_IN_ACCOUNT_FAILURES = env_int("PACT_SIGN_IN_ACCOUNT_FAILURES", 5)
PACT_SIGN_IN_ACCOUNT_DELAY_SECONDS = max(60, env_int("PACT_SIGN_IN_ACCOUNT_DELAY_SECONDS", 60))
PACT_SIGN_IN_ADDRESS_FAILURES = env_int("PACT_SIGN_IN_ADDRESS_FAILURES", 20)
PACT_SIGN_IN_FAILURE_WINDOW_SECONDS = env_int("PACT_SIGN_IN_FAILURE_WINDOW_SECONDS", 15 * 60)
PACT_SIGN_IN_LOCK_SECONDS = max(60, env_int("PACT_SIGN_IN_LOCK_SECONDS", 15 * 60))
# Staff authenticators' TOTP keys are stored encrypted (core.encryption) under a key derived
# from this one, or from SECRET_KEY when it is empty; the fallbacks still decrypt during a
# rotation (README, "Two-factor keys").
PACT_TOTP_ENCRYPTION_KEY = env_str("PACT_TOTP_ENCRYPTION_KEY")
PACT_TOTP_ENCRYPTION_KEY_FALLBACKS = env_list("PACT_TOTP_ENCRYPTION_KEY_FALLBACKS")
# How long a two-factor set-up link an administrator issues stays usable (core.two_factor).
PACT_ENROLMENT_LINK_SECONDS = env_int("PACT_ENROLMENT_LINK_SECONDS", 3 * 24 * 3600)
# How long an invitation to join a PACT panel stays usable (priorities.services.panels).
PACT_PANEL_INVITATION_SECONDS = env_int("PACT_PANEL_INVITATION_SECONDS", 7 * 24 * 3600)
X_FRAME_OPTIONS = "DENY"
# While the database is unreachable pages and /healthz answer 503 with this Retry-After, in seconds.
PACT_RETRY_AFTER_SECONDS = env_int("PACT_RETRY_AFTER_SECONDS", 30)
# Request bodies: anything bigger, or with more fields, is refused with 400 before a view sees
# it. A text field at its limit (2,000 characters; 5,000 for feedback and news) of 4-byte
# characters is at most 60 KB percent-encoded, so 1 MiB holds a survey of over 15 such
# answers; the most fields any page posts are the admin's 100-row change list actions (~110).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PACT_MAX_BODY_BYTES", 1_048_576)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
# No form of PACT takes a file: a request with any file part is refused (400) before Django
# would stream it, of any size, to a temporary file. A form that takes files raises this.
DATA_UPLOAD_MAX_NUMBER_FILES = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Logs carry ids, never personal data; this filter masks any email address or full
    # postcode that reaches a log line or a traceback all the same.
    "filters": {"personal_data": {"()": "core.log_filters.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env_str("PACT_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default adds a second console handler to "django" when DEBUG is on.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # One line per task that succeeded says nothing the task's own log does not; failures
        # are still logged, as errors.
        "celery.app.trace": {"level": "WARNING"},
    },
}

PACT_FORCE_NAME = "Kent Police"
PACT_SITE_NAME = "PACT – Partners and Communities Together"

# The password of the demo staff accounts `make run` creates; generated when unset and
# written to the data directory.
PACT_DEMO_PASSWORD = env_str("PACT_DEMO_PASSWORD")

# The read APIs (the data.police.uk-compatible one first) allow each client this many
# requests a second on average, in bursts of up to PACT_API_BURST, as data.police.uk does;
# past that the answer is HTTP 429 with Retry-After.
PACT_API_RATE = float(env_str("PACT_API_RATE", "15"))
PACT_API_BURST = env_int("PACT_API_BURST", 30)

# PACT's own read API (/api/v1/): anonymous, read-only, JSON only. Its pagination, rate limit
# and content negotiation are set on its base view in pact/api.py (which DRF's own settings
# cannot name: that module imports DRF's views, and they read these settings).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PACT Kent and Medway API",
    "DESCRIPTION": (
        "Read-only data of PACT (Partners and Communities Together) in Kent and Medway: wards, "
        "neighbourhood teams, the priorities residents set at PACT meetings with their public progress, "
        "meetings and surgeries, and the monthly updates. Anonymous, JSON, paginated; see /api/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["core.api.own_api_only"],
}
