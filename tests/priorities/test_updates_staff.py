"""Staff pages of the monthly updates: the team's list, and correcting an update."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from priorities.models import MonthlyUpdate, MonthlyUpdateRevision
from priorities.services import updates as services
from tests.priorities.test_updates_services import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(ward_a):
    return publish(ward_a.team)[0]


@pytest.fixture
def other_update(ward_b):
    return publish(ward_b.team)[0]


def correct_url(update):
    return reverse("priorities:staff_update_correct", args=[update.pk])


def test_staff_list_shows_the_officers_team_only(client, officer, update, other_update):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_update_list")).content.decode()

    assert f'href="{correct_url(update)}"' in content
    assert f'href="{correct_url(other_update)}"' not in content


def test_staff_list_shows_every_team_to_administrators(client, admin_user, update, other_update):
    client.force_login(admin_user)

    content = client.get(reverse("priorities:staff_update_list")).content.decode()

    assert f'href="{correct_url(update)}"' in content
    assert f'href="{correct_url(other_update)}"' in content


def test_staff_list_empty_says_so(client, officer):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_update_list")).content.decode()

    assert "No monthly update has been published yet." in content


@pytest.mark.parametrize("count", [3, 30])
def test_staff_list_runs_fixed_queries(client, django_assert_num_queries, officer, ward_a, count):
    import datetime

    month = datetime.date(2026, 10, 1)
    for _ in range(count):
        publish(ward_a.team, month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    client.force_login(officer)

    # 1 session, 2 user, 3 roles, 4 the user's officer record (their team), 5 count, 6 the page with
    # teams, 7 the team's latest drafts
    with django_assert_num_queries(7):
        response = client.get(reverse("priorities:staff_update_list"))

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["chair", "partner", "outsider"])
def test_staff_pages_refuse_other_roles(client, request, persona, update):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("priorities:staff_update_list")).status_code == 403
    assert client.get(correct_url(update)).status_code == 403
    assert client.post(correct_url(update), {"summary": "X", "reason": "Y"}).status_code == 403
    assert MonthlyUpdate.objects.get().revision == 1


def test_staff_pages_send_visitors_to_sign_in(client, update):
    response = client.get(correct_url(update))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_correct_page_is_404_for_another_teams_officer(client, other_officer, update):
    client.force_login(other_officer)

    assert client.get(correct_url(update)).status_code == 404
    assert client.post(correct_url(update), {"summary": "X", "reason": "Y"}).status_code == 404
    assert not MonthlyUpdateRevision.objects.exists()


def test_correct_page_is_404_for_an_unknown_update(client, officer):
    client.force_login(officer)

    assert client.get(reverse("priorities:staff_update_correct", args=[999999])).status_code == 404


def test_correct_page_starts_with_the_current_summary(client, officer, update):
    client.force_login(officer)

    content = client.get(correct_url(update)).content.decode()

    assert update.summary in content
    assert '<label for="id_reason" class="govuk-label govuk-label--s">' in content


def test_correct_records_a_revision_audits_and_says_so(client, officer, update):
    client.force_login(officer)

    response = client.post(correct_url(update), {"summary": "One meeting was held.", "reason": "Meeting missed"})

    assert response.status_code == 302
    assert response["Location"] == reverse("priorities:staff_update_list")
    update.refresh_from_db()
    assert (update.summary, update.revision) == ("One meeting was held.", 2)
    assert MonthlyUpdateRevision.objects.get().reason == "Meeting missed"
    assert AuditEvent.objects.filter(action="priorities.monthly_update.corrected", actor=officer).count() == 1
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [f"The October 2026 update of {update.team.name} has been corrected"]


def test_correct_without_reason_shows_errors(client, officer, update):
    client.force_login(officer)

    response = client.post(correct_url(update), {"summary": "Changed", "reason": ""})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in content
    assert "Enter the reason for the correction" in content
    assert MonthlyUpdate.objects.get().revision == 1


def test_correct_unchanged_summary_shows_the_rule(client, officer, update):
    client.force_login(officer)

    response = client.post(correct_url(update), {"summary": update.summary, "reason": "No change"})

    assert str(services.ERROR_UNCHANGED) in response.content.decode()
    assert not MonthlyUpdateRevision.objects.exists()


# The team's draft: writing with a preview, approving.


@pytest.fixture
def draft(ward_a):
    from priorities.selectors.updates import now_month

    return services.monthly_draft_prepare(team_id=ward_a.team_id, month=now_month())[0]


@pytest.fixture
def draft_priority(ward_a, draft):
    from tests.priorities.test_updates_services import make_priority

    priority = make_priority(ward=ward_a, title="Parking on the verges")
    draft.content = services.selectors.month_content(team=ward_a.team, month=draft.month)
    draft.save()
    return priority


def draft_url(draft):
    return reverse("priorities:staff_draft_edit", args=[draft.pk])


def test_preview_shows_the_page_and_email_without_saving(client, officer, draft, draft_priority):
    client.force_login(officer)

    response = client.post(
        draft_url(draft),
        {"message": "Thanks to all who came.", f"said_{draft_priority.pk}": "Vans block the pavement.", "preview": "1"},
    )

    content = response.content.decode()
    assert "Preview of your unsaved changes" in content
    assert content.count("Thanks to all who came.") >= 3  # form, page preview, email preview
    assert "You said: Vans block the pavement." in content
    draft.refresh_from_db()
    assert draft.message == ""


def test_save_keeps_the_words_and_approve_publishes_approval(client, officer, sergeant, draft, draft_priority):
    client.force_login(officer)
    response = client.post(
        draft_url(draft),
        {"message": "Thanks to all who came.", f"did_{draft_priority.pk}": "Tickets issued.", "save": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.notes[str(draft_priority.pk)]["did"] == "Tickets issued."

    # A PC sees no approve button; a sergeant does, and approves.
    assert "Approve the" not in client.get(draft_url(draft)).content.decode()
    client.force_login(sergeant)
    assert "Approve the" in client.get(draft_url(draft)).content.decode()
    client.post(reverse("priorities:staff_draft_approve", args=[draft.pk]))

    draft.refresh_from_db()
    assert draft.approved_by == sergeant


def test_draft_page_runs_fixed_queries(client, officer, draft, draft_priority, django_assert_max_num_queries):
    client.force_login(officer)

    with django_assert_max_num_queries(12):
        assert client.get(draft_url(draft)).status_code == 200


def test_staff_list_links_the_teams_drafts(client, officer, draft):
    client.force_login(officer)

    assert f'href="{draft_url(draft)}"' in client.get(reverse("priorities:staff_update_list")).content.decode()


def test_correction_page_rewrites_and_removes_listed_actions(client, officer, ward_a):
    import datetime

    from tests.priorities.test_updates_services import make_priority, progress

    priority = make_priority(ward=ward_a, title="Speeding")
    typo = progress(priority, datetime.date(2026, 10, 3), text="Sped checks")
    wrong = progress(priority, datetime.date(2026, 10, 4), text="Posted by mistake")
    update = publish(ward_a.team)[0]
    client.force_login(officer)

    response = client.post(
        correct_url(update),
        {
            "summary": update.summary,
            f"entry_{typo.pk}": "Speed checks",
            f"entry_{wrong.pk}": "",
            "reason": "A typo, and an action that was not this team's",
        },
    )

    assert response.status_code == 302
    update.refresh_from_db()
    texts = [e["text"] for w in update.content["wards"] for p in w["priorities"] for e in p["entries"]]
    assert texts == ["Speed checks"]
    assert update.revision == 2
