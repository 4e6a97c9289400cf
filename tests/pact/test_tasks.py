import pytest

from core.models import WorkerHeartbeat
from core.tasks import heartbeat_record_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_heartbeat_record_task_records_the_running_host():
    hostname = heartbeat_record_task.delay().get()

    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.hostname == hostname
    assert heartbeat.beats == 1


def test_heartbeat_record_task_run_twice_keeps_one_row_per_host():
    heartbeat_record_task.delay()
    first_seen = WorkerHeartbeat.objects.get().last_seen

    heartbeat_record_task.delay()

    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.beats == 2
    assert heartbeat.last_seen >= first_seen
