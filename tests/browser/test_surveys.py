import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.demo import SLUG, demo_survey_create
from feedback.models import SurveyAnswer, SurveyResponse
from tests.browser.conftest import axe_violations, describe
from tests.wards.factories import DistrictFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_survey():
    """The demo survey's shape, open now and not yet answered."""
    survey = demo_survey_create(responses=0).survey
    survey.opens_at = timezone.now() - datetime.timedelta(days=1)
    survey.closes_at = timezone.now() + datetime.timedelta(days=30)
    survey.save()
    return survey


def _tab_to(page, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def _label_is(text: str) -> str:
    return f"el.labels && el.labels.length && el.labels[0].textContent.trim() === {text!r}"


def test_resident_answers_a_survey_with_the_keyboard_alone(page, open_survey):
    page.goto(f"/surveys/{SLUG}/")
    safe, victim, satisfied, issues = open_survey.questions.order_by("position")

    _tab_to(page, f"el.name === 'question_{safe.pk}'")
    for _ in range(6):
        page.keyboard.press("ArrowRight")  # 1 → 7
    _tab_to(page, f"el.name === 'question_{victim.pk}'")
    page.keyboard.press("Space")  # Yes
    _tab_to(page, f"el.name === 'question_{satisfied.pk}'")
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # 1 → 5
    for choice in ["Burglary", "Speeding and dangerous driving"]:
        _tab_to(page, _label_is(choice))
        page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send answers')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"/surveys/{SLUG}/thank-you/$"))
    assert "Your answers have been sent" in page.locator(".govuk-panel").inner_text()
    response = SurveyResponse.objects.get()
    answers = {answer.question_id: answer for answer in SurveyAnswer.objects.filter(response=response)}
    assert answers[safe.pk].scale == 7
    assert answers[victim.pk].yes is True
    assert answers[satisfied.pk].scale == 5
    assert sorted(answers[issues.pk].choices.values_list("text", flat=True)) == [
        "Burglary",
        "Speeding and dangerous driving",
    ]
    assert axe_violations(page) == []


def test_survey_page_has_no_wcag_violations(page, open_survey):
    page.goto(f"/surveys/{SLUG}/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_survey_errors_have_no_wcag_violations(page, open_survey):
    page.goto(f"/surveys/{SLUG}/")
    page.get_by_role("button", name="Send answers").click()
    page.wait_for_selector(".govuk-error-summary")
    expect(page).to_have_title(re.compile(r"^Error: "))
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_survey_results_page_has_no_wcag_violations(page):
    DistrictFactory(name="Ashford")
    DistrictFactory(name="Dover")
    demo_survey_create(responses=60)
    page.goto(f"/surveys/{SLUG}/results/")
    assert "60 people answered" in page.locator("main").inner_text()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
