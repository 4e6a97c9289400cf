"""The ward-page section registry: titles make the contents, folded sections need a heading."""

import pytest
from django.template import Context, Template

from tests.wards.factories import WardFactory
from wards import sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(sections, "_sections", {"ward": [], "team": []})
    return sections


def test_a_folded_section_needs_a_title_and_an_anchor(registry):
    with pytest.raises(ValueError, match="needs a title and an anchor"):
        registry.register_ward_section(order=1, template="wards/_covered_by.html", context=lambda ward: {}, folded=True)


def test_rendered_sections_keep_order_title_and_fold_and_print_as_their_html(registry):
    registry.register_ward_section(
        order=20, template="includes/_team_contact.html", context=lambda ward: {}, title="B", anchor="b"
    )
    registry.register_ward_section(
        order=10,
        template="wards/_covered_by.html",
        context=lambda ward: {"officers": []},
        title="A",
        anchor="a",
        folded=True,
    )
    registry.register_ward_section(order=30, template="wards/_crime_section.html", context=lambda ward: {})

    rendered = registry.render_sections("ward", WardFactory())

    assert [(section.title, section.anchor, section.folded) for section in rendered] == [
        ("A", "a", True),
        ("B", "b", False),
        ("", "", False),
    ]
    # A page that prints a section as it stands ({{ section }}) gets its HTML, unescaped.
    html = Template("{% for section in sections %}{{ section }}{% endfor %}").render(Context({"sections": rendered}))
    assert "the whole team" in html
    assert 'href="tel:101"' in html
    assert 'id="crime"' in html  # not folded: the section keeps its own heading
