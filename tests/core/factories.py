import factory
import pyotp
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.encryption import encrypt
from core.two_factor import factor_key


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; pass ``roles=["officer"]`` to put them in role groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@staff.pact.invalid")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        # get_or_create: transactional tests flush the groups the data migration made.
        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class SecondFactorFactory(factory.django.DjangoModelFactory):
    """A user's confirmed authenticator app; ``totp(factor).now()`` is its current code."""

    class Meta:
        model = "pact.SecondFactor"
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    encrypted_key = factory.LazyFunction(lambda: encrypt(pyotp.random_base32(32)))
    confirmed_at = factory.LazyFunction(timezone.now)


def totp(factor) -> pyotp.TOTP:
    return pyotp.TOTP(factor_key(factor))


def confirmed_second_factor(user):
    """The user's authenticator, confirmed (as a right first code would leave it)."""
    factor = SecondFactorFactory(user=user)
    if factor.confirmed_at is None:
        factor.confirmed_at = timezone.now()
        factor.save(update_fields=["confirmed_at"])
    return factor


def confirmed_address(email: str) -> None:
    """Record that ``email`` was confirmed by its owner, as the link in a confirmation request
    does: emails to it are then sent rather than held (core.recipients)."""
    from core.recipients import recipient_confirmed

    recipient_confirmed(email=email)
