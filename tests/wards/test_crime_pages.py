"""The crime section of the ward page: figures by category, the change, the chart, the queries."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.wards.factories import CrimeCategoryFactory, CrimeMonthFactory, WardCrimeCountFactory, WardFactory
from wards import crime

pytestmark = pytest.mark.django_db

CATEGORIES = (("anti-social-behaviour", "Anti-social behaviour"), ("burglary", "Burglary"), ("drugs", "Drugs"))


@pytest.fixture
def categories():
    return {
        slug: CrimeCategoryFactory(slug=slug, name=name, position=position)
        for position, (slug, name) in enumerate(CATEGORIES)
    }


def _held(ward, categories, month: datetime.date, **counts: int) -> None:
    """Hold ``month`` with the given counts (by slug, dashes as underscores) in ``ward``."""
    held = CrimeMonthFactory(month=month)
    for slug, count in counts.items():
        WardCrimeCountFactory(ward=ward, month=held, category=categories[slug.replace("_", "-")], count=count)


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def _page(client, ward) -> str:
    response = client.get(reverse("wards:detail", args=[ward.code]))
    assert response.status_code == 200
    return response.content.decode()


def _section(content: str) -> str:
    start = content.index('id="crime"')
    return content[start : content.index("</table>", start)]


def _cells(content: str, name: str) -> list[str]:
    """The cells of the table row headed ``name``."""
    row = re.search(rf">{re.escape(name)}</th>(.*?)</tr>", content, re.S)
    assert row, name
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]


def test_ward_crime_section_without_figures_says_they_are_not_available(client, ward_a):
    content = _page(client, ward_a)

    assert f"Crime figures for {ward_a.name} are not available yet." in content
    assert 'href="https://www.police.uk/"' in content


def test_ward_crime_section_with_one_month_says_there_is_no_earlier_period(client, ward_a, categories):
    _held(ward_a, categories, _month(2019, 1), burglary=4, anti_social_behaviour=7)

    section = _section(_page(client, ward_a))

    assert "in January 2019" in section
    assert "We hold no figures for the period before, so no change is shown." in section
    assert "Change" not in section
    assert _cells(section, "Anti-social behaviour") == ["7"]
    assert _cells(section, "Burglary") == ["4"]
    assert _cells(section, "Drugs") == ["0"]


def test_ward_crime_section_compares_three_months_with_the_three_before(client, ward_a, ward_b, categories):
    for month in range(1, 7):
        _held(ward_a, categories, _month(2019, month), burglary=month, drugs=2)
    _held(ward_b, categories, _month(2019, 6), burglary=50)  # another ward's figures stay out

    section = _section(_page(client, ward_a))

    assert "in April to June 2019" in section
    assert "The change is against January to March 2019." in section
    assert _cells(section, "Burglary") == ["15", "6", "Up 9"]  # 4+5+6 against 1+2+3
    assert _cells(section, "Drugs") == ["6", "6", "No change"]
    assert _cells(section, "Anti-social behaviour") == ["0", "0", "No change"]
    content = _page(client, ward_a)
    assert _cells(content, "All crime and anti-social behaviour") == ["21", "12", "Up 9"]


def test_ward_crime_section_gives_no_change_against_a_shorter_earlier_period(client, ward_a, categories):
    for month in (1, 4, 5, 6):
        _held(ward_a, categories, _month(2019, month), burglary=1)

    section = _section(_page(client, ward_a))

    assert "We hold only 1 month of the period before (January 2019), so no change is shown." in section
    assert _cells(section, "Burglary") == ["3"]


def test_ward_crime_change_down_is_said_in_words(ward_a, categories):
    _held(ward_a, categories, _month(2018, 12), burglary=5)
    _held(ward_a, categories, _month(2019, 1), burglary=2)

    rows = {row.slug: row for row in crime.ward_crime(ward_a, months=1).rows}

    assert (rows["burglary"].latest, rows["burglary"].previous, rows["burglary"].change_text) == (2, 5, "Down 3")


def test_ward_crime_periods_span_a_new_year(ward_a, categories):
    for month in (_month(2018, 11), _month(2018, 12), _month(2019, 1), _month(2019, 2)):
        _held(ward_a, categories, month, drugs=1)

    periods = crime.crime_periods(2)

    assert (periods.latest.label, periods.previous.label) == ("January to February 2019", "November to December 2018")


def test_ward_crime_chart_prints_each_number_and_needs_no_inline_style(client, ward_a, categories):
    _held(ward_a, categories, _month(2019, 1), burglary=4, anti_social_behaviour=8)

    content = _page(client, ward_a)
    chart = content[
        content.index("<svg", content.index('id="crime"')) : content.index("</svg>", content.index('id="crime"'))
    ]

    assert 'role="img"' in chart
    assert "<title" in chart
    assert "The table below gives the same figures." in chart
    assert re.search(r'<text class="pact-crime-chart__value"[^>]*>8</text>', chart)
    assert re.search(r'<text class="pact-crime-chart__value"[^>]*>0</text>', chart)
    assert 'width="300.0"' in chart  # the largest bar is full length
    assert 'width="150.0"' in chart
    assert "style=" not in chart


def test_ward_crime_chart_is_left_out_when_nothing_was_recorded(client, ward_a, ward_b, categories):
    _held(ward_b, categories, _month(2019, 1), burglary=4)

    content = _page(client, ward_a)

    assert f"No crimes or anti-social behaviour were recorded in {ward_a.name} in January 2019." in content
    assert "pact-crime-chart" not in content


@pytest.mark.parametrize("wards", [3, 30])
def test_ward_crime_section_runs_three_queries_whatever_the_data(django_assert_num_queries, categories, wards):
    ward, *others = WardFactory.create_batch(wards)
    for month in range(1, 7):
        for each in [ward, *others]:
            _held(each, categories, _month(2019, month), burglary=month, drugs=1, anti_social_behaviour=3)

    # 1 the months held, 2 the ward's counts summed per category and period, 3 the categories
    with django_assert_num_queries(3):
        context = crime.ward_section(ward)

    assert context["crime"].total.latest == (4 + 5 + 6) + 3 + 9


def test_ward_page_with_figures_runs_fixed_queries(client, django_assert_num_queries, ward_a, categories):
    for month in range(1, 7):
        _held(ward_a, categories, _month(2019, month), burglary=month, drugs=1, anti_social_behaviour=3)

    # the 14 of tests/wards/test_pages.py (crime months among them), and with figures held: the
    # ward's counts and their categories
    with django_assert_num_queries(16):
        content = _page(client, ward_a)

    assert _cells(content, "Burglary") == ["15", "6", "Up 9"]


def test_ward_page_shows_new_figures_straight_after_an_import(client, ward_a, categories, tmp_path, settings):
    assert "are not available yet" in _page(client, ward_a)  # now cached
    folder = tmp_path / "police_uk"
    folder.mkdir()
    (folder / "police_uk_crime_categories.csv").write_text(
        "api_slug,name,is_aggregate\nburglary,Burglary,no\n", encoding="utf-8"
    )
    for name in ("kent_medway_wards_2013.geojson", "kent_medway_wards_2025.geojson"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    lng, lat = ward_a.centroid_lng, ward_a.centroid_lat
    (folder / "2019-03-kent-street.csv").write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
        f"Last outcome category,Context\nx1,2019-03,Kent Police,Kent Police,{lng},{lat},Here,,,Burglary,,\n",
        encoding="utf-8",
    )
    settings.PACT_DATA_DIR = tmp_path

    call_command("import_crime", "--commit", stdout=StringIO())

    assert _cells(_section(_page(client, ward_a)), "Burglary") == ["1"]


def test_ward_page_labels_its_figures_with_their_month(client, ward_a, categories, monkeypatch):
    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2019, 3, 10))
    _held(ward_a, categories, _month(2019, 1), burglary=2)

    section = _section(_page(client, ward_a))

    assert "Figures for January 2019" in section
    assert "more than three months ago" not in section


def test_ward_page_says_when_its_newest_figures_are_more_than_three_months_old(client, ward_a, categories, monkeypatch):
    monkeypatch.setattr("wards.crime._today", lambda: datetime.date(2026, 12, 6))
    _held(ward_a, categories, _month(2019, 1), burglary=2)

    section = _section(_page(client, ward_a))

    assert "Figures for January 2019" in section
    assert "they stop at January 2019: more than three months ago" in section
