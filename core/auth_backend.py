"""Django's model backend, with each signed-in user's second factor loaded alongside.

Every request of a signed-in user loads the user once; the id of their second factor comes
in the same query (a subquery), so checking that the session is verified
(core.two_factor.is_verified) costs no query of its own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import OuterRef, Subquery

from core.models import SecondFactor
from core.two_factor import FACTOR_ATTRIBUTE


class PactBackend(ModelBackend):
    def get_user(self, user_id):
        confirmed = SecondFactor.objects.filter(user=OuterRef("pk")).values("pk")[:1]
        users = get_user_model()._default_manager.annotate(**{FACTOR_ATTRIBUTE: Subquery(confirmed)})
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
