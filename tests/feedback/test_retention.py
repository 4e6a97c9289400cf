"""Retention, export and erasure of the feedback app's personal data (feedback/services/retention.py)."""

import datetime

import pytest
import time_machine

from core.personal_data import retention_apply
from feedback.models import Feedback, FeedbackNote, SurveyAnswer, SurveyResponse
from feedback.services import feedback as services
from feedback.services import retention
from tests.priorities.factories import SurveyFactory, SurveyQuestionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CLOSED = datetime.datetime(2026, 1, 10, 12, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
EMAIL = "Sam.Resident@Example.org"


def closed_feedback(admin_user, ward, *, when=CLOSED, email=EMAIL) -> Feedback:
    """Service feedback with contact details, a reply and a staff note, closed at ``when``."""
    with time_machine.travel(when - datetime.timedelta(days=5), tick=False):
        item = services.feedback_give(
            kind="service",
            ward=ward,
            treated_score=8,
            informed_score=6,
            overall_score=7,
            went_well="Quick to arrive.",
            wants_reply=True,
            contact_name="Sam Resident",
            contact_email=email,
            contact_phone="01632 960000",
        )
        services.feedback_reply(actor=admin_user, feedback=item, text="Dear Sam, thank you for writing.")
        services.feedback_note_add(actor=admin_user, feedback=item, text="Passed to the sergeant.")
    with time_machine.travel(when, tick=False):
        services.feedback_status_set(actor=admin_user, feedback=item, status=Feedback.Status.CLOSED)
    return item


def test_feedback_contact_kept_until_two_years_after_closing(admin_user, ward_a):
    item = closed_feedback(admin_user, ward_a)

    retention_apply(now=CLOSED + datetime.timedelta(days=730) - DAY)

    item.refresh_from_db()
    assert item.contact_email == EMAIL
    assert item.anonymised_at is None


def test_feedback_contact_anonymised_a_day_after_two_years(admin_user, ward_a):
    item = closed_feedback(admin_user, ward_a)
    now = CLOSED + datetime.timedelta(days=730) + DAY

    counts = retention_apply(now=now)

    item.refresh_from_db()
    assert counts["feedback.contact"] == 1
    assert (item.contact_name, item.contact_email, item.contact_phone) == ("", "", "")
    assert item.anonymised_at == now
    reply, note = FeedbackNote.objects.filter(feedback=item).order_by("created_at", "pk")
    assert reply.text == retention.REPLY_REMOVED
    assert note.text == "Passed to the sergeant."


def test_feedback_anonymised_keeps_item_and_scores_for_statistics(admin_user, ward_a):
    item = closed_feedback(admin_user, ward_a)

    retention_apply(now=CLOSED + datetime.timedelta(days=800))

    kept = Feedback.objects.get(pk=item.pk)
    assert (kept.treated_score, kept.informed_score, kept.overall_score) == (8, 6, 7)
    assert kept.went_well == "Quick to arrive."
    assert (kept.kind, kept.ward, kept.status) == ("service", ward_a, "closed")
    assert Feedback.objects.count() == 1


def test_feedback_still_open_is_never_anonymised_by_retention(admin_user, ward_a):
    item = closed_feedback(admin_user, ward_a)
    # Reopened after closing: its closing date no longer counts.
    services.feedback_status_set(actor=admin_user, feedback=item, status=Feedback.Status.RESPONDED)

    retention_apply(now=CLOSED + datetime.timedelta(days=2000))

    item.refresh_from_db()
    assert item.contact_email == EMAIL


def test_feedback_retention_run_twice_changes_once(admin_user, ward_a):
    closed_feedback(admin_user, ward_a)
    now = CLOSED + datetime.timedelta(days=731)

    first = retention_apply(now=now)
    second = retention_apply(now=now + DAY)

    assert first["feedback.contact"] == 1
    assert second["feedback.contact"] == 0
    assert Feedback.objects.get().anonymised_at == now


def test_feedback_retention_period_follows_the_setting(settings, admin_user, ward_a):
    settings.PACT_RETENTION_DAYS = {**settings.PACT_RETENTION_DAYS, "feedback_contact": 30}
    item = closed_feedback(admin_user, ward_a)

    retention_apply(now=CLOSED + datetime.timedelta(days=31))

    item.refresh_from_db()
    assert item.anonymised_at is not None


def test_feedback_export_finds_any_case_with_replies_and_counts_staff_notes(admin_user, ward_a):
    closed_feedback(admin_user, ward_a)
    services.feedback_give(kind="suggestion", ward=ward_a, description="Someone else's", contact_email="x@example.org")

    (item,) = retention.feedback_contact_export(EMAIL.upper())

    assert item["contact_email"] == EMAIL
    assert item["contact_name"] == "Sam Resident"
    assert item["scores"] == {"treated": 8, "informed": 6, "overall": 7}
    assert item["replies"][0]["text"] == "Dear Sam, thank you for writing."
    assert item["internal_staff_notes"] == 1
    assert "Passed to the sergeant." not in str(item)


def test_feedback_erase_anonymises_only_that_address(admin_user, ward_a):
    mine = closed_feedback(admin_user, ward_a)
    other = closed_feedback(admin_user, ward_a, email="other@example.org")

    assert retention.feedback_contact_erase(EMAIL.lower(), by=admin_user) == 1
    assert retention.feedback_contact_erase(EMAIL.lower(), by=admin_user) == 0

    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.contact_email == ""
    assert mine.anonymised_at is not None
    assert other.contact_email == "other@example.org"
    assert FeedbackNote.objects.get(feedback=other, is_reply=True).text.startswith("Dear Sam")


def test_feedback_anonymised_cannot_be_replied_to(admin_user, ward_a):
    item = closed_feedback(admin_user, ward_a)
    retention.feedback_contact_erase(EMAIL, by=admin_user)
    item.refresh_from_db()

    with pytest.raises(services.FeedbackError) as error:
        services.feedback_reply(actor=admin_user, feedback=item, text="Anyone there?")

    assert str(error.value) == services.ERROR_NO_EMAIL


# Surveys: free text a year after closing, repeat keys once closed.

SURVEY_CLOSED = datetime.datetime(2026, 3, 31, 23, tzinfo=UTC)


@pytest.fixture
def answered_survey():
    survey = SurveyFactory(opens_at=SURVEY_CLOSED - datetime.timedelta(days=30), closes_at=SURVEY_CLOSED)
    scale = SurveyQuestionFactory(survey=survey, position=1, kind="scale", text="How safe do you feel?")
    text = SurveyQuestionFactory(survey=survey, position=2, kind="text", text="Anything else?")
    for n in range(3):
        response = SurveyResponse.objects.create(survey=survey, repeat_key=f"{n:064d}")
        SurveyAnswer.objects.create(response=response, question=scale, scale=5 + n)
        SurveyAnswer.objects.create(response=response, question=text, text=f"My street, number {n}.")
    return survey


def test_survey_repeat_keys_kept_while_open_and_cleared_once_closed(answered_survey):
    retention_apply(now=SURVEY_CLOSED - DAY)
    assert SurveyResponse.objects.exclude(repeat_key="").count() == 3

    retention_apply(now=SURVEY_CLOSED + DAY)
    assert SurveyResponse.objects.exclude(repeat_key="").count() == 0


def test_survey_free_text_kept_until_a_year_after_closing(answered_survey):
    retention_apply(now=SURVEY_CLOSED + datetime.timedelta(days=365) - DAY)

    assert SurveyAnswer.objects.exclude(text="").count() == 3


def test_survey_free_text_blanked_a_day_after_a_year_keeping_the_answers(answered_survey):
    now = SURVEY_CLOSED + datetime.timedelta(days=365) + DAY

    first = retention_apply(now=now)
    second = retention_apply(now=now)

    # Three free-text answers blanked and, in the same run, three repeat keys cleared.
    assert first["feedback.surveys"] == 6
    assert second["feedback.surveys"] == 0
    assert SurveyAnswer.objects.exclude(text="").count() == 0
    # The answers themselves stay: the results (and the number answering) do not change.
    assert SurveyAnswer.objects.count() == 6
    assert sorted(SurveyAnswer.objects.exclude(scale=None).values_list("scale", flat=True)) == [5, 6, 7]


def test_survey_export_and_erase_find_nothing_by_address(answered_survey, admin_user):
    assert retention.survey_export(EMAIL) == []
    assert retention.survey_erase(EMAIL, by=admin_user) == 0
    assert "never linked to an email address" in str(retention.SURVEYS.description)
