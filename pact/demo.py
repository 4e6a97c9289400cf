"""The demo staff accounts, one for each role, so a fresh demo site can be tried out."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from core.models import SecondFactor
from core.two_factor import enrolment_link_is_open, enrolment_link_issue
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


def demo_enrolment_links(*, known: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The two-factor set-up link token of each demo account that has no second factor yet.

    Demo accounts set up their authenticator like anyone else: with a single-use link. A
    token in ``known`` (username -> token, from the credentials file) is kept while nobody
    has opened it and it has not expired; otherwise a new link is issued (by the system,
    audited). Returns the tokens by username, and the usernames given a new link.
    """
    users = get_user_model().objects.filter(username__in=[username for username, _role in DEMO_STAFF])
    enrolled = set(SecondFactor.objects.filter(user__in=users).values_list("user__username", flat=True))
    tokens, renewed = {}, []
    for user in sorted(users, key=lambda user: [name for name, _role in DEMO_STAFF].index(user.username)):
        if user.username in enrolled:
            continue
        token = known.get(user.username, "")
        if not (token and enrolment_link_is_open(user=user, token=token)):
            token = enrolment_link_issue(actor=None, user=user)
            renewed.append(user.username)
        tokens[user.username] = token
    return tokens, renewed
