"""The Celery app, configured from Django settings (the ``CELERY_`` names)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pact.settings")

app = Celery("pact")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_production(**kwargs) -> None:
    # Workers send the emails: on a public site, the console would put their links in the logs.
    from pact.production import refuse_unsafe_production

    refuse_unsafe_production()
