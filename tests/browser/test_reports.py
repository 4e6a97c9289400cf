import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import CategoryFactory, PriorityFactory
from tests.wards.factories import WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


@pytest.fixture
def priorities():
    speeding = CategoryFactory(slug="speeding", name="Speeding")
    agreed = timezone.localdate() - datetime.timedelta(days=20)
    PriorityFactory(
        ward=WardFactory(name="Abbey"), title="Speeding on the London Road", category=speeding, agreed_on=agreed
    )
    PriorityFactory(ward=WardFactory(name="Barming"), title="Anti-social behaviour at the shops", agreed_on=agreed)


def test_administrator_filters_the_partnership_report_with_the_keyboard(page, admin_user, priorities):
    sign_in(page, admin_user.username)
    page.goto("/staff/reports/priorities/")
    assert_accessible(page)

    _tab_to(page, "el.name === 'category'")
    page.keyboard.press("End")  # the last category: Speeding
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Show priorities')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"category=speeding"))
    table = page.get_by_role("table", name=re.compile("^Priorities 1 to 1 of 1"))
    assert "Speeding on the London Road" in table.inner_text()
    assert "Anti-social behaviour at the shops" not in table.inner_text()
    assert_accessible(page)


def test_partnership_report_errors_are_accessible(page, admin_user, priorities):
    sign_in(page, admin_user.username)
    page.goto("/staff/reports/priorities/?stale_days=lots")

    page.wait_for_selector(".govuk-error-summary")
    assert_accessible(page)
