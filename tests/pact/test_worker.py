"""A real Celery worker, on Redis and PostgreSQL, runs the heartbeat end to end."""

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError

from core.models import WorkerHeartbeat
from core.tasks import heartbeat_record_task

pytestmark = pytest.mark.worker

# Bounds the whole round trip, worker start-up included; a healthy run takes seconds.
RESULT_TIMEOUT_SECONDS = 60


def test_heartbeat_record_task_runs_on_a_real_worker(real_worker):
    result = heartbeat_record_task.apply_async(queue=real_worker.queue)
    try:
        hostname = result.get(timeout=RESULT_TIMEOUT_SECONDS)
    except CeleryTimeoutError:
        pytest.fail(f"no result from the worker in {RESULT_TIMEOUT_SECONDS}s; its log:\n{real_worker.log()}")
    finally:
        result.forget()

    heartbeats = list(WorkerHeartbeat.objects.values_list("hostname", "beats"))
    assert hostname.startswith(real_worker.nodename.removesuffix("%h")), real_worker.log()
    assert heartbeats == [(hostname, 1)], real_worker.log()
