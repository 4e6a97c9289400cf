"""What a resident's first page fetches before it can be drawn (issue 17: Lighthouse on a phone).

On a slow phone network every file the first paint waits for costs a round trip or more, so
the resident's pages ask for one stylesheet, in the head, and name up front the module that
the page script imports rather than let the browser find it only once that script has arrived.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static

from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"')
BASE = Path(settings.BASE_DIR)
# A GOV.UK Frontend block's name in a class: govuk-<block>, then __element, --modifier or the end.
GOVUK_BLOCK = re.compile(r"(?<![\w-])govuk-([a-z]+(?:-[a-z]+)*)(?=__|--|[^\w-]|$)")


@pytest.fixture
def pages():
    ward = WardFactory()
    return ["/", "/search/", f"/wards/{ward.code}/"]


def test_resident_pages_ask_for_one_stylesheet_in_the_head(client, pages):
    for path in pages:
        html = client.get(path).content.decode()
        head, _body = html.split("</head>", 1)

        assert STYLESHEET.findall(html) == [static("build/css/pact.css")], path
        assert STYLESHEET.findall(head) == [static("build/css/pact.css")], path


def test_resident_pages_preload_the_module_their_script_imports(client, pages):
    preload = f'<link rel="modulepreload" href="{static("build/vendor/govuk-frontend.min.js")}">'
    for path in pages:
        head = client.get(path).content.decode().split("</head>", 1)[0]

        assert preload in head, path


def test_every_govuk_component_a_page_uses_is_in_the_stylesheet():
    # pact.css carries only the GOV.UK Frontend components the templates use
    # (static/scss/_govuk-components.scss); one used without being added would be unstyled.
    components = {path.name for path in (BASE / "node_modules/govuk-frontend/dist/govuk/components").iterdir()}
    compiled = set(re.findall(r'components/([a-z-]+)"', (BASE / "static/scss/_govuk-components.scss").read_text()))
    sources = [*(BASE / "templates").rglob("*.html"), *(BASE / "static/js").glob("*.js")]
    sources += [
        path for app in ("core", "pact", "wards", "priorities", "feedback") for path in (BASE / app).rglob("*.py")
    ]
    used = {block for path in sources for block in GOVUK_BLOCK.findall(path.read_text())} & components

    assert {"button", "service-navigation", "summary-list"} <= used
    assert used - compiled == set()
