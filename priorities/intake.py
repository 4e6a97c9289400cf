"""How other apps raise a PACT concern (see core.intake): a thin adapter over concern_record."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.intake import ConcernIntake, ConcernIntakeError, concern_intake
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import Category
from priorities.services.concerns import concern_record
from wards.models import Ward

ERROR_CATEGORY_REQUIRED = _("Choose what the concern is about from the list")


def _categories() -> list[tuple[str, str]]:
    return list(Category.objects.order_by("position", "name").values_list("slug", "name"))


def _raise_concern(*, actor: AnyUser, ward: Ward, category_slug: str, description: str, source: str) -> str:
    category = Category.objects.filter(slug=category_slug).first()
    if category is None:
        raise ConcernIntakeError(str(ERROR_CATEGORY_REQUIRED))
    try:
        concern = concern_record(actor=actor, ward=ward, category=category, description=description, source=source)
    except PrioritiesError as error:
        raise ConcernIntakeError(str(error)) from error
    return concern.reference


def _staff_url(reference: str) -> str:
    return reverse("priorities:staff_concern", args=[reference])


def plug() -> None:
    concern_intake.plug(ConcernIntake(categories=_categories, raise_concern=_raise_concern, staff_url=_staff_url))
