"""The demo staff accounts, one for each role, so a fresh demo site can be tried out."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from wards.models import Officer

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
    user_model = get_user_model()
    created = []
    with transaction.atomic():
        for username, role in DEMO_STAFF:
            if user_model.objects.filter(username=username).exists():
                continue
            user = user_model.objects.create_user(
                username=username, password=password, is_staff=role == "administrator"
            )
            user.groups.add(Group.objects.get_or_create(name=role)[0])
            created.append(username)
            if role == "officer":
                sergeant = Officer.objects.filter(rank=Officer.Rank.SERGEANT, user=None).order_by("team__slug").first()
                if sergeant is not None:
                    Officer.objects.filter(pk=sergeant.pk).update(user=user)
    return created
