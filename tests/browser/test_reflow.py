"""Nothing scrolls sideways at 320 CSS px anywhere on the public site (WCAG 1.4.10 Reflow;
issue 13, item 7).

The pages are the access-control matrix's public entries (so a new public address is tried
here as soon as it is added there), with its objects, plus the cases one address has several
of: each kind of search result and each "Have your say" form. Feeds, JSON and the health check
are not pages a person reads and are left out.
"""

import pytest
from django.db import IntegrityError, transaction

from tests.browser.conftest import axe_violations, describe
from tests.pact.access_matrix import PUBLIC, PUBLIC_FORM, build_world
from tests.pact.test_access_matrix import MATRIX
from tests.wards.factories import PostcodeFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_PAGES = {
    "healthz",
    "api_schema",
    "wards:map_boundaries",
    "wards:map_boundaries_detail",
    "priorities:ward_feed",
    "priorities:team_feed",
    "priorities:update_feed",
}


def _public_pages(world) -> list[str]:
    urls = []
    for key, entry in MATRIX.items():
        if entry.rule not in (PUBLIC, PUBLIC_FORM) or key in NOT_PAGES or entry.methods != ("GET", "POST"):
            continue
        # Objects are made for one entry at a time in the matrix; here they share a world, and
        # two may not fit in one ward (a closed ballot's adopted priorities and another
        # priority): such an entry takes its object in ward B instead.
        try:
            with transaction.atomic():
                urls.append(entry.address(key, world, "A"))
        except IntegrityError:
            urls.append(entry.address(key, world, "B"))
    return urls


def test_no_public_page_scrolls_sideways_at_320_px(
    browser, live_server, ward_a, ward_b, officer, other_officer, chair, partner, admin_user
):
    world = build_world(
        ward_a=ward_a,
        ward_b=ward_b,
        officer=officer,
        other_officer=other_officer,
        chair=chair,
        partner=partner,
        admin_user=admin_user,
    )
    # A search that finds several wards, by outward code and by part of a name.
    for name in ["Abbey Wood", "Abbey Meads"]:
        WardFactory(name=name, team=ward_a.team, district=ward_a.district)
    PostcodeFactory(postcode="ME4 4TR", outward="ME4", ward=ward_a)
    PostcodeFactory(postcode="ME4 4TS", outward="ME4", ward=ward_b)
    urls = _public_pages(world) + [
        "/search/?q=ME4+4TR",
        "/search/?q=ME4",
        "/search/?q=Abb",
        "/search/?q=ME4+4T",  # the error page
        *(f"/have-your-say/{kind}/" for kind in ["compliment", "service", "suggestion", "complaint"]),
    ]
    assert len(urls) > 40

    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = []
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.status < 500, url
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            too_wide.append(f"{url}: {width[0]} px wide")
        if page.locator(".pact-table--stack").count():
            # A table stacked on a phone keeps its roles and names for assistive technology.
            violations = axe_violations(page)
            assert violations == [], f"{url}: {describe(violations)}"
    context.close()
    assert too_wide == [], "\n".join(too_wide)
