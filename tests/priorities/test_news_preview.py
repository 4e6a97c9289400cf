"""Previewing news before it is published or corrected (issue 14, item 3): nothing is saved."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from priorities.models import NewsItem
from tests.priorities.factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def test_news_new_preview_shows_it_as_residents_will_and_saves_nothing(client, officer, ward_a):
    client.force_login(officer)
    data = {"area": f"ward-{ward_a.pk}", "kind": "advice", "title": "Lock your sheds", "body": "Thefts are up."}

    response = client.post(reverse("priorities:staff_news_new"), {**data, "preview": "1"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Preview: not published yet" in content
    assert f"by {ward_a.team.name} for Abbey" in content
    assert "<p>Thefts are up.</p>" in content
    assert 'value="Lock your sheds"' in content  # the form keeps the words to change or publish
    assert not NewsItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_news_new_preview_of_an_invalid_form_shows_errors_not_a_preview(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_news_new"), {"area": f"team-{ward_a.team.pk}", "kind": "news", "preview": "1"}
    )

    content = response.content.decode()
    assert "Enter a title" in content
    assert "Preview: not published yet" not in content


def test_news_edit_preview_leaves_the_published_item_as_it_is(client, officer, ward_a):
    item = NewsItemFactory(team=ward_a.team, title="Bike marking day", author=officer)
    client.force_login(officer)
    data = {"area": f"team-{ward_a.team.pk}", "kind": "news", "title": "Bike marking on Saturday", "body": "At 10am."}

    content = client.post(reverse("priorities:staff_news_edit", args=[item.pk]), {**data, "preview": "1"}).content

    assert "Bike marking on Saturday" in content.decode()
    item.refresh_from_db()
    assert item.title == "Bike marking day"
