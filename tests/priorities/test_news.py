"""Local news: publishing, correcting and removing it; the public item, team list and page sections."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import NewsItem
from priorities.selectors import news as selectors
from priorities.services import news as services
from tests.priorities.factories import NewsItemFactory, PartnerUserFactory
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db


def _publish(actor, team, **changes):
    values = {"kind": "appeal", "title": "Witness appeal", "body": "Did you see anything?", **changes}
    return services.news_publish(actor=actor, team=team, **values)


# Services


def test_news_publish_for_the_team_and_audits(officer, ward_a):
    item = _publish(officer, ward_a.team, title="  Witness   appeal ")

    assert (item.team, item.ward, item.title, item.author) == (ward_a.team, None, "Witness appeal", officer)
    assert item.published_at is not None
    event = AuditEvent.objects.get(action="priorities.news.published")
    assert event.actor == officer
    assert event.data["after"]["title"] == "Witness appeal"


def test_news_publish_for_one_ward_of_the_team(officer, ward_a):
    assert _publish(officer, ward_a.team, ward=ward_a).ward == ward_a


def test_news_publish_refuses_ward_of_another_team(officer, ward_a, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_WARD_NOT_IN_TEAM)):
        _publish(officer, ward_a.team, ward=ward_b)


@pytest.mark.parametrize("persona", ["other_officer", "chair", "partner", "outsider"])
def test_news_publish_refuses_others(request, ward_a, persona):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        _publish(request.getfixturevalue(persona), ward_a.team)
    assert not NewsItem.objects.exists()


def test_news_publish_by_administrator_for_any_team(admin_user, ward_b):
    assert _publish(admin_user, ward_b.team).team == ward_b.team


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": "  "}, services.ERROR_TITLE_REQUIRED),
        ({"body": " "}, services.ERROR_BODY_REQUIRED),
        ({"kind": "gossip"}, services.ERROR_KIND),
    ],
)
def test_news_publish_refuses_bad_input(officer, ward_a, changes, error):
    with pytest.raises(PrioritiesError, match=str(error)):
        _publish(officer, ward_a.team, **changes)


def test_news_update_changes_and_audits_before_and_after(officer, ward_a):
    item = _publish(officer, ward_a.team)

    services.news_update(actor=officer, item=item, ward=ward_a, kind="result", title="Arrest made", body="Thank you.")

    item.refresh_from_db()
    assert (item.ward, item.kind, item.title) == (ward_a, "result", "Arrest made")
    event = AuditEvent.objects.get(action="priorities.news.updated")
    assert event.data["before"]["title"] == "Witness appeal"
    assert event.data["after"]["title"] == "Arrest made"


def test_news_update_refuses_officer_of_another_team(other_officer, officer, ward_a):
    item = _publish(officer, ward_a.team)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        services.news_update(actor=other_officer, item=item, ward=None, kind="news", title="Mine", body="Now.")


def test_news_delete_removes_and_audits(officer, ward_a):
    item = _publish(officer, ward_a.team)

    services.news_delete(actor=officer, item=item)

    assert not NewsItem.objects.exists()
    assert AuditEvent.objects.get(action="priorities.news.deleted").data["before"]["title"] == "Witness appeal"


def test_news_delete_refuses_officer_of_another_team(other_officer, officer, ward_a):
    item = _publish(officer, ward_a.team)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        services.news_delete(actor=other_officer, item=item)
    assert NewsItem.objects.exists()


# Staff pages


@pytest.fixture
def item(ward_a, officer):
    return NewsItemFactory(team=ward_a.team, title="Bike marking day", author=officer)


def _staff_urls(item) -> list[str]:
    return [
        reverse("priorities:staff_news"),
        reverse("priorities:staff_news_new"),
        reverse("priorities:staff_news_edit", args=[item.pk]),
        reverse("priorities:staff_news_delete", args=[item.pk]),
    ]


@pytest.mark.parametrize("persona", ["outsider", "partner", "chair"])
def test_news_staff_views_refuse_other_roles(client, request, item, persona):
    client.force_login(request.getfixturevalue(persona))

    for url in _staff_urls(item):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "x"}).status_code == 403
    assert NewsItem.objects.filter(title="Bike marking day").exists()


def test_news_staff_views_refuse_partner_user(client, item):
    client.force_login(PartnerUserFactory().user)

    assert client.get(reverse("priorities:staff_news")).status_code == 403


def test_news_staff_views_hide_item_of_another_team(client, other_officer, item):
    client.force_login(other_officer)

    for url in _staff_urls(item)[2:]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "x"}).status_code == 404
    assert "Bike marking day" not in client.get(reverse("priorities:staff_news")).content.decode()
    assert NewsItem.objects.filter(title="Bike marking day").exists()


def test_news_new_page_publishes_with_message(client, officer, ward_a):
    client.force_login(officer)
    url = reverse("priorities:staff_news_new")
    content = client.get(url).content.decode()
    assert f"All of {ward_a.team.name}" in content

    data = {"area": f"ward-{ward_a.pk}", "kind": "advice", "title": "Lock your sheds", "body": "Thefts are up."}
    response = client.post(url, data)

    assert response.url == reverse("priorities:staff_news")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Lock your sheds has been published"]
    item = NewsItem.objects.get()
    assert (item.team, item.ward, item.kind) == (ward_a.team, ward_a, "advice")
    assert AuditEvent.objects.filter(action="priorities.news.published", actor=officer).exists()


def test_news_new_page_does_not_offer_another_teams_wards(client, officer, ward_b):
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_news_new"), {"area": f"ward-{ward_b.pk}", "kind": "news", "title": "x", "body": "y"}
    )

    assert "<title>Error: Publish news" in response.content.decode()
    assert "Choose where the news is for" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_news_new_page_without_title_shows_error(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_news_new"), {"area": f"team-{ward_a.team.pk}", "kind": "news", "body": "y"}
    )

    assert "Enter a title" in response.content.decode()


def test_news_edit_page_corrects_with_message_and_audit(client, officer, item, ward_a):
    client.force_login(officer)
    url = reverse("priorities:staff_news_edit", args=[item.pk])
    assert "Bike marking day" in client.get(url).content.decode()

    data = {"area": f"team-{ward_a.team.pk}", "kind": "news", "title": "Bike marking on Saturday", "body": "At 10am."}
    response = client.post(url, data)

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Bike marking on Saturday has been updated"]
    item.refresh_from_db()
    assert item.title == "Bike marking on Saturday"
    assert AuditEvent.objects.filter(action="priorities.news.updated", actor=officer).exists()


def test_news_delete_page_asks_then_removes(client, officer, item):
    client.force_login(officer)
    url = reverse("priorities:staff_news_delete", args=[item.pk])
    assert "Remove this news?" in client.get(url).content.decode()
    assert NewsItem.objects.exists()

    response = client.post(url)

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Bike marking day has been removed"]
    assert not NewsItem.objects.exists()
    assert AuditEvent.objects.filter(action="priorities.news.deleted", actor=officer).exists()


def test_news_administrator_sees_every_team(client, admin_user, item):
    client.force_login(admin_user)

    assert "Bike marking day" in client.get(reverse("priorities:staff_news")).content.decode()
    assert client.get(reverse("priorities:staff_news_edit", args=[item.pk])).status_code == 200


# Public pages


def test_news_page_shows_item_without_personal_data(client, item, ward_a):
    content = client.get(reverse("priorities:news_detail", args=[item.pk])).content.decode()

    assert '<h1 class="govuk-heading-xl">Bike marking day</h1>' in content
    assert ward_a.team.name in content
    assert item.author.email not in content


def test_news_page_unknown_is_404(client):
    assert client.get(reverse("priorities:news_detail", args=[999999])).status_code == 404


def test_news_page_runs_fixed_queries(client, django_assert_num_queries, item):
    # 1 the item with its team and ward
    with django_assert_num_queries(1):
        response = client.get(reverse("priorities:news_detail", args=[item.pk]))

    assert response.status_code == 200


def _news(team, count, **extra):
    now = timezone.now()
    for n in range(count):
        NewsItemFactory(
            team=team, title=f"News {n:02d}", published_at=now - datetime.timedelta(hours=count - n), **extra
        )


@pytest.mark.parametrize("count", [3, 30])
def test_team_news_lists_newest_first_in_fixed_queries(client, django_assert_num_queries, ward_a, count):
    _news(ward_a.team, count, ward=ward_a)

    # 1 the team, 2 the count of its items, 3 a page of items with their team and ward
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:team_news", args=[ward_a.team.slug]))

    content = response.content.decode()
    assert content.count('class="pact-news') == min(count, 10)
    assert content.index(f"News {count - 1:02d}") < content.index(f"News {count - 2:02d}")
    assert f"for {ward_a.name}" in content


def test_team_news_is_paginated(client, ward_a):
    _news(ward_a.team, 12)

    content = client.get(reverse("priorities:team_news", args=[ward_a.team.slug]), {"page": 2}).content.decode()

    assert content.count('class="pact-news') == 2
    assert "News 00" in content


def test_team_news_empty_says_so(client, ward_a):
    content = client.get(reverse("priorities:team_news", args=[ward_a.team.slug])).content.decode()

    assert "The team has not published any news yet." in content


def test_team_news_unknown_team_is_404(client):
    assert client.get(reverse("priorities:team_news", args=["no-such-team"])).status_code == 404


def test_ward_section_shows_latest_three_for_the_ward_or_whole_team(ward_a):
    sibling = WardFactory(team=ward_a.team, district=ward_a.district, name="Sibling")
    now = timezone.now()
    NewsItemFactory(team=ward_a.team, title="Team-wide", published_at=now - datetime.timedelta(hours=1))
    NewsItemFactory(team=ward_a.team, ward=ward_a, title="Ours", published_at=now - datetime.timedelta(hours=2))
    NewsItemFactory(team=ward_a.team, ward=sibling, title="Sibling only", published_at=now)
    NewsItemFactory(team=ward_a.team, title="Old", published_at=now - datetime.timedelta(days=9))
    NewsItemFactory(team=ward_a.team, title="Oldest", published_at=now - datetime.timedelta(days=10))

    titles = [item.title for item in selectors.ward_section(ward_a)["news"]]

    assert titles == ["Team-wide", "Ours", "Old"]


@pytest.mark.parametrize("count", [3, 30])
def test_ward_and_team_news_sections_run_fixed_queries(django_assert_num_queries, ward_a, count):
    _news(ward_a.team, count, ward=ward_a)

    # 1 the latest items of the ward or its team, with their ward
    with django_assert_num_queries(1):
        html = render_to_string(
            "priorities/sections/_ward_news.html", {"ward": ward_a, **selectors.ward_section(ward_a)}
        )
    assert html.count('class="pact-news') == 3

    # 1 the team's latest items, with their ward
    team = ward_a.team
    with django_assert_num_queries(1):
        html = render_to_string("priorities/sections/_team_news.html", {"team": team, **selectors.team_section(team)})
    assert html.count('class="pact-news') == min(count, 5)


def test_ward_and_team_pages_show_news_and_empty_states(client, ward_a):
    ward_content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()
    team_content = client.get(reverse("wards:team", args=[ward_a.team.slug])).content.decode()
    assert "There is no local news for this ward at the moment." in ward_content
    assert "The team has not published any news yet." in team_content

    NewsItemFactory(team=ward_a.team, title="Bike marking day")

    assert "Bike marking day" in client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()
    assert "Bike marking day" in client.get(reverse("wards:team", args=[ward_a.team.slug])).content.decode()


def test_news_for_feed_gives_latest_items_of_the_team(ward_a, ward_b):
    _news(ward_a.team, 4)
    NewsItemFactory(team=ward_b.team, title="Elsewhere")

    items = selectors.news_for_feed(ward_a.team, 3)

    assert [item.title for item in items] == ["News 03", "News 02", "News 01"]
