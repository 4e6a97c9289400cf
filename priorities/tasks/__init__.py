"""The PACT cycle's Celery tasks, one module per job; each task names itself
``priorities.tasks.<name>`` so the beat schedule and callers need not know the module."""

from priorities.tasks.agendas import *  # noqa: F403
from priorities.tasks.concern_follow import *  # noqa: F403
from priorities.tasks.reminders import *  # noqa: F403
from priorities.tasks.subscriptions import *  # noqa: F403
from priorities.tasks.updates import *  # noqa: F403
