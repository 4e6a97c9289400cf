"""Ward pages of two boundary generations in Chromium: the notice and links between them pass axe."""

import pytest

from tests.browser.conftest import axe_violations, describe
from tests.wards.factories import GenerationFactory, TeamFactory, WardFactory, WardSuccessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def replaced():
    team = TeamFactory(name="Gillingham")
    old = WardFactory(name="Gillingham South", team=team, district=team.district)
    new = WardFactory(name="Watling", generation_low=GenerationFactory(id=2025), district=team.district)
    WardSuccessionFactory(predecessor=old, successor=new, share=0.76)
    return old, new


def test_ward_pages_of_both_generations_link_each_other_without_wcag_violations(page, replaced):
    old, new = replaced

    page.goto(f"/wards/{old.code}/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("link", name="Watling").click()
    page.wait_for_url(f"**/wards/{new.code}/")

    assert "not one of the wards PACT works with now" in page.locator("#boundary-changes").inner_text()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Gillingham South").first.click()
    page.wait_for_url(f"**/wards/{old.code}/")
