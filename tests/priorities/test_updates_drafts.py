"""The team's own words: the draft on the 20th, writing, approval, publication on the 1st, late reports."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from core.models import AuditEvent, OutboundEmail
from core.services import outbox_dispatch
from priorities import tasks
from priorities.errors import PrioritiesError
from priorities.models import MonthlyUpdateDraft, MonthlyUpdateRevision
from priorities.services import updates as services
from tests.priorities.factories import SubscriptionFactory
from tests.priorities.test_updates_services import NOVEMBER_FIRST, OCTOBER, make_priority, progress
from tests.wards.factories import TeamFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 06:00 UK time (BST) on 20 October 2026: when beat prepares October's drafts.
OCTOBER_TWENTIETH = datetime.datetime(2026, 10, 20, 5, 0, tzinfo=UTC)


@pytest.fixture
def priority(ward_a):
    return make_priority(ward=ward_a, title="Speeding on Tonbridge Road")


def _prepare(team, at=OCTOBER_TWENTIETH):
    with time_machine.travel(at, tick=False):
        return services.monthly_draft_prepare(team_id=team.pk, month=OCTOBER)


def _publish(team, at=NOVEMBER_FIRST):
    with time_machine.travel(at, tick=False):
        return services.monthly_update_create(team_id=team.pk, month=OCTOBER)


NOTES = {"said": "Cars race past the school.", "did": "Speed checks twice a week.", "next": "A camera van in November."}


def _written(draft, priority, officer, message="A busy month on Tonbridge Road."):
    return services.monthly_draft_edit(actor=officer, draft=draft, message=message, notes={str(priority.pk): NOTES})


# The draft on the 20th.


def test_start_task_on_the_20th_makes_one_draft_per_team_even_fired_twice(celery_eager, ward_a, priority):
    other = TeamFactory(name="Medway Towns")
    with time_machine.travel(OCTOBER_TWENTIETH, tick=False):
        tasks.monthly_drafts_start_task.delay()
        tasks.monthly_drafts_start_task.delay()

    assert sorted(MonthlyUpdateDraft.objects.values_list("team_id", "month")) == sorted(
        [(ward_a.team_id, OCTOBER), (other.pk, OCTOBER)]
    )
    draft = MonthlyUpdateDraft.objects.get(team=ward_a.team)
    assert [p["title"] for w in draft.content["wards"] for p in w["priorities"]] == ["Speeding on Tonbridge Road"]
    assert AuditEvent.objects.filter(action="priorities.monthly_update.draft_prepared").count() == 2


def test_prepare_command_twice_one_draft(ward_a):
    with time_machine.travel(OCTOBER_TWENTIETH, tick=False):
        call_command("prepare_monthly_drafts", stdout=StringIO())
        out = StringIO()
        call_command("prepare_monthly_drafts", stdout=out)

    assert MonthlyUpdateDraft.objects.filter(team=ward_a.team, month=OCTOBER).count() == 1
    assert "0 created, 1 already existed" in out.getvalue()


def test_beat_schedule_names_the_draft_and_reminder_tasks(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {tasks.monthly_drafts_start_task.name, tasks.monthly_draft_reminders_task.name} <= scheduled


# Writing and approving.


def test_officers_write_and_edits_are_audited(officer, ward_a, priority):
    draft, _ = _prepare(ward_a.team)

    draft = _written(draft, priority, officer)

    assert draft.message == "A busy month on Tonbridge Road."
    assert draft.notes == {str(priority.pk): NOTES}
    event = AuditEvent.objects.get(action="priorities.monthly_update.draft_edited")
    assert event.actor == officer
    assert event.data["after"]["message"] == "A busy month on Tonbridge Road."


def test_notes_for_priorities_not_in_the_update_are_dropped(officer, ward_a, priority):
    draft, _ = _prepare(ward_a.team)

    draft = services.monthly_draft_edit(actor=officer, draft=draft, message="Hi", notes={"999999": NOTES})

    assert draft.notes == {}


def test_an_officer_of_another_team_cannot_write(other_officer, ward_a):
    draft, _ = _prepare(ward_a.team)

    with pytest.raises(PrioritiesError):
        services.monthly_draft_edit(actor=other_officer, draft=draft, message="Mine now", notes={})


def test_a_pc_cannot_approve_a_sergeant_can(officer, sergeant, ward_a, priority):
    draft, _ = _prepare(ward_a.team)
    _written(draft, priority, officer)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_A_SUPERVISOR)):
        services.monthly_draft_approve(actor=officer, draft=draft)
    approved = services.monthly_draft_approve(actor=sergeant, draft=draft)

    assert approved.approved_by == sergeant
    assert AuditEvent.objects.get(action="priorities.monthly_update.draft_approved").actor == sergeant


def test_an_empty_draft_cannot_be_approved(sergeant, ward_a):
    draft, _ = _prepare(ward_a.team)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_DRAFT_EMPTY)):
        services.monthly_draft_approve(actor=sergeant, draft=draft)


def test_editing_after_approval_withdraws_it(officer, sergeant, ward_a, priority):
    draft, _ = _prepare(ward_a.team)
    _written(draft, priority, officer)
    services.monthly_draft_approve(actor=sergeant, draft=draft)

    draft = _written(draft, priority, officer, message="Changed my mind.")

    assert not draft.is_approved


# Publication on the 1st.


def test_approved_text_is_published_on_the_1st_with_the_facts_of_the_whole_month(officer, sergeant, ward_a, priority):
    draft, _ = _prepare(ward_a.team)
    _written(draft, priority, officer)
    services.monthly_draft_approve(actor=sergeant, draft=draft)
    # Done after the draft was prepared: the update has the whole month's facts.
    progress(priority, datetime.date(2026, 10, 28), text="Camera van booked")

    update, created = _publish(ward_a.team)

    assert created
    assert update.summary == "A busy month on Tonbridge Road."
    assert update.notes == {str(priority.pk): NOTES}
    assert not update.report_pending
    assert update.content["totals"]["actions"] == 1


def test_approved_update_page_shows_the_teams_words(client, officer, sergeant, ward_a, priority):
    draft, _ = _prepare(ward_a.team)
    _written(draft, priority, officer)
    services.monthly_draft_approve(actor=sergeant, draft=draft)
    _publish(ward_a.team)

    content = client.get(f"/teams/{ward_a.team.slug}/updates/2026-10/").content.decode()

    assert "A busy month on Tonbridge Road." in content
    assert "Cars race past the school." in content
    assert "A camera van in November." in content
    assert "will follow" not in content


def test_unapproved_team_gets_the_generated_update_with_the_report_to_follow(client, officer, ward_a, priority):
    draft, _ = _prepare(ward_a.team)
    _written(draft, priority, officer)

    update, _ = _publish(ward_a.team)

    assert update.report_pending
    assert update.notes == {}
    assert update.summary.startswith("In October 2026") or update.summary.startswith("Nothing was recorded")
    content = client.get(f"/teams/{ward_a.team.slug}/updates/2026-10/").content.decode()
    assert "The team&#x27;s own report will follow." in content or "The team's own report will follow." in content


def test_unapproved_then_reminders_then_late_approval_publishes_one_revision_and_one_email_each(
    celery_eager, django_capture_on_commit_callbacks, officer, sergeant, ward_a, priority
):
    SubscriptionFactory(email="one@example.org", ward=ward_a)
    SubscriptionFactory(email="two@example.org", team=ward_a.team, ward=None)
    SubscriptionFactory(email="two@example.org", ward=ward_a)
    sergeant.officer.email = "sergeant@kent.police.invalid"
    sergeant.officer.save()
    draft, _ = _prepare(ward_a.team)
    with django_capture_on_commit_callbacks(execute=True):
        update, _ = _publish(ward_a.team)
    assert OutboundEmail.objects.filter(key__startswith=f"update:{update.pk}:").count() == 2

    # Reminded daily (beat and command run twice a day: one each day), until approved.
    for day in (1, 1, 2):
        with time_machine.travel(datetime.datetime(2026, 11, day, 9, tzinfo=UTC), tick=False):
            tasks.monthly_draft_reminders_task.delay()
            call_command("remind_monthly_reports", stdout=StringIO())
    reminders = OutboundEmail.objects.filter(key__startswith="update-report-reminder:")
    assert list(reminders.values_list("to", flat=True)) == ["sergeant@kent.police.invalid"] * 2

    _written(draft, priority, officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.monthly_draft_approve(actor=sergeant, draft=draft)
        services.monthly_draft_approve(actor=sergeant, draft=draft)

    update.refresh_from_db()
    assert (update.summary, update.revision, update.report_pending) == ("A busy month on Tonbridge Road.", 2, False)
    assert MonthlyUpdateRevision.objects.get(update=update).notes == {}
    assert AuditEvent.objects.filter(action="priorities.monthly_update.report_published").count() == 1
    report_emails = OutboundEmail.objects.filter(key__startswith=f"update:{update.pk}:report:")
    assert sorted(report_emails.values_list("to", flat=True)) == ["one@example.org", "two@example.org"]
    # A retried run of the 1st changes nothing and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        _again, created = _publish(ward_a.team)
    assert not created
    assert OutboundEmail.objects.filter(key__startswith=f"update:{update.pk}:").count() == 4
    outbox_dispatch()
    # No more reminders once approved.
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, tzinfo=UTC), tick=False):
        assert services.monthly_draft_remind() == 0


def test_correction_changes_listed_actions_and_notes_and_keeps_the_history(client, officer, sergeant, ward_a, priority):
    entry = progress(priority, datetime.date(2026, 10, 3), text="Speed chceks")
    draft, _ = _prepare(ward_a.team)
    _written(draft, priority, officer)
    services.monthly_draft_approve(actor=sergeant, draft=draft)
    update, _ = _publish(ward_a.team)

    corrected = services.monthly_update_correct(
        actor=officer,
        update=update,
        summary=update.summary,
        reason="Spelling",
        notes={str(priority.pk): {**NOTES, "next": "Two camera vans in November."}},
        entries={entry.pk: "Speed checks"},
    )

    texts = [e["text"] for w in corrected.content["wards"] for p in w["priorities"] for e in p["entries"]]
    assert texts == ["Speed checks"]
    assert corrected.notes[str(priority.pk)]["next"] == "Two camera vans in November."
    history = client.get(f"/teams/{ward_a.team.slug}/updates/2026-10/revisions/").content.decode()
    assert "Speed chceks" in history
    assert "A camera van in November." in history
    assert "Two camera vans in November." in history
