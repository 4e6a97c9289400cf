"""Public pages of the monthly updates: the month, its revisions, the archive, the sections, the Atom feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from priorities.models import MonthlyUpdate, NewsItem
from priorities.services import updates as services
from tests.priorities.test_updates_services import (
    NOVEMBER_FIRST,
    UTC,
    held_on,
    make_priority,
    progress,
    publish,
    team_with_wards,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def news(team, title="Witness appeal", published_at=NOVEMBER_FIRST):
    """A news item of ``team`` (made directly: its rules are the news app's)."""
    from tests.core.factories import UserFactory

    return NewsItem.objects.create(
        team=team,
        kind=NewsItem.Kind.APPEAL,
        title=title,
        body="Did you see anything?",
        published_at=published_at,
        author=UserFactory(),
    )


def month_url(update):
    return reverse("priorities:update_detail", args=[update.team.slug, f"{update.month:%Y}", f"{update.month:%m}"])


@pytest.fixture
def busy_october():
    team, (abbey, barming, _) = team_with_wards()
    shops = make_priority(ward=abbey, title="Anti-social behaviour by the shops", agreed_on=datetime.date(2026, 9, 2))
    progress(shops, datetime.date(2026, 10, 3), "Dispersal order on Friday night")
    held_on(barming, datetime.datetime(2026, 10, 14, 18, 0, tzinfo=UTC), title="Barming PACT meeting")
    update, _ = publish(team)
    return update


def months_of_updates(team, count):
    """``count`` updates of ``team``, one a month back from October 2026."""
    month = datetime.date(2026, 10, 1)
    for _ in range(count):
        publish(team, month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)


def test_update_page_shows_each_ward_with_what_was_done(client, busy_october):
    content = client.get(month_url(busy_october)).content.decode()

    assert "<title>Maidstone Rural: monthly update for October 2026" in content
    assert "You said, we did: October 2026" in content
    assert busy_october.summary in content
    assert '<h2 class="govuk-heading-l" id="ward-' in content
    assert ">Abbey</h2>" in content
    # Per-ward navigation: a link to each ward's part of the update.
    assert 'aria-labelledby="wards-in-update"' in content
    assert content.count('<a class="govuk-link" href="#ward-') == 3
    assert "3 October 2026: Dispersal order on Friday night (Police Constable Jo Sharma)" in content
    # 18:00 UTC on 14 October is 7pm in the UK (BST).
    assert "Barming PACT meeting</a>,\n        Wednesday 14 October 2026, 7pm" in content
    assert "No meeting was held this month." in content


def test_update_page_never_shows_personal_data(client, busy_october):
    content = client.get(month_url(busy_october)).content.decode()

    assert "@" not in content.split('<main class="govuk-main-wrapper"')[1].split("</main>")[0]


def test_update_page_of_a_month_without_update_is_404(client, busy_october):
    team = busy_october.team

    assert client.get(reverse("priorities:update_detail", args=[team.slug, "2026", "09"])).status_code == 404
    assert client.get(reverse("priorities:update_detail", args=[team.slug, "2026", "13"])).status_code == 404
    assert client.get(reverse("priorities:update_detail", args=["nobody", "2026", "10"])).status_code == 404


@pytest.mark.parametrize("corrections", [1, 3])
def test_update_page_runs_fixed_queries(client, django_assert_num_queries, busy_october, admin_user, corrections):
    for n in range(corrections):
        services.monthly_update_correct(actor=admin_user, update=busy_october, summary=f"Fix {n}", reason=f"Reason {n}")

    # 1 the update with its team, 2 its revisions
    with django_assert_num_queries(2):
        response = client.get(month_url(busy_october))

    assert response.status_code == 200
    assert response.content.decode().count("Corrected on ") == corrections


def test_update_page_shows_corrections_and_earlier_versions(client, busy_october, admin_user):
    original = busy_october.summary
    with time_machine.travel(datetime.datetime(2026, 11, 3, 12, tzinfo=UTC), tick=False):
        services.monthly_update_correct(
            actor=admin_user, update=busy_october, summary="Corrected summary", reason="The meeting count was wrong"
        )

    content = client.get(month_url(busy_october)).content.decode()
    revisions = client.get(month_url(busy_october) + "revisions/").content.decode()

    assert "Corrected summary" in content
    assert "Corrected on 3 November 2026: The meeting count was wrong" in content
    assert "Earlier versions of this update" in content
    assert "Version 1" in revisions
    assert original in revisions
    assert "Version 2 (current)" in revisions


def test_update_revisions_of_an_uncorrected_update_say_so(client, busy_october):
    content = client.get(month_url(busy_october) + "revisions/").content.decode()

    assert "This update has not been corrected since it was published." in content


@pytest.mark.parametrize("count", [3, 30])
def test_archive_runs_fixed_queries_newest_first(client, django_assert_num_queries, count):
    team, _ = team_with_wards()
    months_of_updates(team, count)

    # 1 the team, 2 count of its updates, 3 the page of updates (without their content)
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:update_archive", args=[team.slug]))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="govuk-!-margin-bottom-4 pact-update"') == min(count, 12)
    assert content.index("October 2026") < content.index("September 2026")


def test_archive_is_paginated(client):
    team, _ = team_with_wards()
    months_of_updates(team, 13)

    content = client.get(reverse("priorities:update_archive", args=[team.slug]) + "?page=2").content.decode()

    assert "Showing 13 to 13 of 13 updates." in content
    assert "October 2025" in content


def test_archive_empty_says_so(client):
    team, _ = team_with_wards()

    content = client.get(reverse("priorities:update_archive", args=[team.slug])).content.decode()

    assert "The team has not published a monthly update yet." in content


def test_archive_of_unknown_team_is_404(client):
    assert client.get(reverse("priorities:update_archive", args=["nobody"])).status_code == 404


# The ward and team pages' sections.


def test_ward_page_shows_its_part_of_the_latest_update(client, busy_october):
    abbey = busy_october.team.wards.get(name="Abbey")

    content = client.get(reverse("wards:detail", args=[abbey.code])).content.decode()

    assert "You said, we did in October 2026." in content
    assert "3 October 2026: Dispersal order on Friday night" in content
    assert "Barming PACT meeting" not in content
    assert f'href="{month_url(busy_october)}"' in content
    assert f'href="{reverse("priorities:update_archive", args=[busy_october.team.slug])}"' in content


def test_team_page_shows_the_latest_update_with_archive_and_feed(client, busy_october):
    team = busy_october.team
    publish(team, datetime.date(2026, 9, 1))

    content = client.get(reverse("wards:team", args=[team.slug])).content.decode()

    assert "You said, we did: October 2026" in content
    assert busy_october.summary in content
    assert "September 2026" not in content
    assert f'href="{reverse("priorities:update_feed", args=[team.slug])}"' in content


def test_team_page_without_updates_says_so(client):
    team, _ = team_with_wards()

    content = client.get(reverse("wards:team", args=[team.slug])).content.decode()

    assert "The team has not published a monthly update yet." in content


def test_new_update_is_shown_on_a_cached_ward_page(client, django_capture_on_commit_callbacks):
    team, (abbey, *_) = team_with_wards()
    url = reverse("wards:detail", args=[abbey.code])
    assert "There are no monthly updates for this ward yet." in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish(team)

    assert "You said, we did in October 2026." in client.get(url).content.decode()


# The Atom feed.


def parse_feed(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - the site's own response


def test_feed_is_valid_atom_with_updates_and_news(client, busy_october, settings):
    settings.PACT_SITE_URL = "https://pact.example.org"
    team = busy_october.team
    publish(team, datetime.date(2026, 9, 1), at=datetime.datetime(2026, 10, 1, 5, tzinfo=UTC))
    news(team, "Witness appeal", datetime.datetime(2026, 10, 20, tzinfo=UTC))

    feed = parse_feed(client.get(reverse("priorities:update_feed", args=[team.slug])))

    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Maidstone Rural neighbourhood team"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text
        assert entry.find(f"{ATOM}link").get("href").startswith("https://pact.example.org/")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids)
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == ["Monthly update: October 2026", "Appeal: Witness appeal", "Monthly update: September 2026"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"https://pact.example.org{month_url(busy_october)}"


def test_feed_of_a_team_with_nothing_yet_is_valid_atom(client):
    team, _ = team_with_wards()

    feed = parse_feed(client.get(reverse("priorities:update_feed", args=[team.slug])))

    assert feed.find(f"{ATOM}updated").text
    assert feed.findall(f"{ATOM}entry") == []


def test_feed_entry_is_updated_when_corrected(client, busy_october, admin_user):
    with time_machine.travel(datetime.datetime(2026, 11, 5, 9, tzinfo=UTC), tick=False):
        services.monthly_update_correct(actor=admin_user, update=busy_october, summary="Fixed", reason="Typo")

    feed = parse_feed(client.get(reverse("priorities:update_feed", args=[busy_october.team.slug])))

    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text.startswith("2026-11-05T09:00:00")
    assert entry.find(f"{ATOM}published").text.startswith(NOVEMBER_FIRST.strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize("count", [3, 30])
def test_feed_runs_fixed_queries(client, django_assert_num_queries, count):
    team, _ = team_with_wards()
    months_of_updates(team, count)
    for n in range(3):
        news(team, f"Appeal {n}")

    # 1 the team, 2 its latest updates with when each was last corrected, 3 its latest news
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:update_feed", args=[team.slug]))

    assert len(parse_feed(response).findall(f"{ATOM}entry")) == min(count, 12) + 3


def test_feed_of_unknown_team_is_404(client):
    assert client.get(reverse("priorities:update_feed", args=["nobody"])).status_code == 404


def test_update_count_is_one_per_team_and_month_on_the_pages(client, busy_october):
    publish(busy_october.team)

    assert MonthlyUpdate.objects.count() == 1
