"""Correcting a published monthly update (issue 14, item 1): any part of it, the team's words
and the listed actions included, with the version it replaces kept public."""

import datetime

import pytest
from django.urls import reverse

from core.models import AuditEvent
from priorities.models import MonthlyUpdateRevision
from tests.priorities.test_updates_services import make_priority, progress, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(ward_a):
    priority = make_priority(ward=ward_a, title="Speeding")
    entry = progress(priority, datetime.date(2026, 10, 3), text="Sped checks")
    return publish(ward_a.team)[0], priority, entry


def _url(update):
    return reverse("priorities:staff_update_correct", args=[update.pk])


def test_correction_page_offers_the_teams_words_and_the_actions(client, officer, published):
    update, priority, entry = published
    client.force_login(officer)

    content = client.get(_url(update)).content.decode()

    assert "Message from the team" in content
    for name in (f"said_{priority.pk}", f"did_{priority.pk}", f"next_{priority.pk}", f"entry_{entry.pk}"):
        assert f'name="{name}"' in content
    assert "Speeding (Abbey): You said" in content


def test_correction_changes_message_notes_and_actions_and_keeps_the_old_version(client, officer, published):
    update, priority, entry = published
    old_summary = update.summary
    client.force_login(officer)

    response = client.post(
        _url(update),
        {
            "summary": "A busy month on the roads.",
            f"said_{priority.pk}": "Cars speed on the London Road.",
            f"did_{priority.pk}": "Speed checks twice a week.",
            f"next_{priority.pk}": "",
            f"entry_{entry.pk}": "Speed checks",
            "reason": "The team's report, and a typo",
        },
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert update.summary == "A busy month on the roads."
    assert update.notes == {
        str(priority.pk): {"said": "Cars speed on the London Road.", "did": "Speed checks twice a week.", "next": ""}
    }
    texts = [e["text"] for w in update.content["wards"] for p in w["priorities"] for e in p["entries"]]
    assert texts == ["Speed checks"]
    kept = MonthlyUpdateRevision.objects.get(update=update)
    assert (kept.summary, kept.notes, kept.reason) == (old_summary, {}, "The team's report, and a typo")
    event = AuditEvent.objects.get(action="priorities.monthly_update.corrected")
    assert event.data["after"]["notes"][str(priority.pk)]["did"] == "Speed checks twice a week."


def test_correction_of_the_notes_alone_shows_publicly_with_history(client, officer, published):
    update, priority, _entry = published
    client.force_login(officer)
    client.post(
        _url(update),
        {"summary": update.summary, f"did_{priority.pk}": "Extra patrols.", "reason": "Our words were missing"},
    )

    page = client.get(
        reverse("priorities:update_detail", args=[update.team.slug, f"{update.month:%Y}", f"{update.month:%m}"])
    ).content.decode()

    assert "Extra patrols." in page
    assert "Our words were missing" in page
