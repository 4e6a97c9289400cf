"""Writes that belong to the project as a whole."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pact.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Note that the worker ``hostname`` just ran a task (one row per worker, upserted)."""
    now = timezone.now()
    beat = WorkerHeartbeat.objects.filter(hostname=hostname)
    if not beat.update(last_seen=now, beats=F("beats") + 1):
        _, created = WorkerHeartbeat.objects.get_or_create(hostname=hostname, defaults={"last_seen": now, "beats": 1})
        if not created:
            # Another process created the row between our update and our insert.
            beat.update(last_seen=now, beats=F("beats") + 1)
    return beat.get()


DEMO_STAFF = [
    ("demo-admin", "administrator"),
    ("demo-officer", "officer"),
    ("demo-chair", "chair"),
    ("demo-partner", "partner"),
]


def demo_staff_create(*, password: str) -> list[str]:
    """Create the demo staff accounts that do not exist yet; return the usernames created.

    The demo officer is linked to the first demo sergeant, so their ward rules apply.
    Existing accounts and their passwords are left alone.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from wards.models import Officer

    user_model = get_user_model()
    created = []
    with transaction.atomic():
        for username, role in DEMO_STAFF:
            if user_model.objects.filter(username=username).exists():
                continue
            user = user_model.objects.create_user(
                username=username, password=password, is_staff=role == "administrator"
            )
            user.groups.add(Group.objects.get(name=role))
            created.append(username)
            if role == "officer":
                sergeant = Officer.objects.filter(rank=Officer.Rank.SERGEANT, user=None).order_by("team__slug").first()
                if sergeant is not None:
                    Officer.objects.filter(pk=sergeant.pk).update(user=user)
    return created
