import re

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def test_resident_makes_a_complaint_with_the_keyboard_alone(page):
    page.goto("/have-your-say/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    _tab_to(page, "el.getAttribute('href') === '/have-your-say/complaint/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/have-your-say/complaint/$"))
    assert axe_violations(page) == [], describe(axe_violations(page))

    _tab_to(page, "el.id === 'id_description'")
    page.keyboard.type("The officer did not listen to me.")
    _tab_to(page, "el.name === 'wants_reply'")
    # Arrow keys move through a radio group and select: Yes, then No.
    page.keyboard.press("ArrowRight")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/have-your-say/sent/FB-[A-Z0-9]{6}/$"))
    feedback = Feedback.objects.get()
    assert feedback.kind == "complaint"
    assert not feedback.wants_reply
    assert feedback.reference in page.locator(".govuk-panel").inner_text()
    assert "Independent Office for Police Conduct" in page.content()
    assert axe_violations(page) == [], describe(axe_violations(page))


def test_feedback_service_form_with_errors_is_accessible(page):
    page.goto("/have-your-say/service/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Send").click()
    # Waits for the answer page: reading the title at once can catch the page mid-navigation.
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == [], describe(axe_violations(page))


@pytest.fixture
def team_officer():
    from tests.wards.factories import OfficerFactory, WardFactory

    ward = WardFactory(code="E05002160", name="Chatham Central")
    return OfficerFactory(team=ward.team, first_name="Jane", last_name="Smith", collar_number="4321")


def test_resident_compliments_a_named_officer_from_the_team_page_with_the_keyboard_alone(page, team_officer):
    page.goto(f"/teams/{team_officer.team.slug}/")
    _tab_to(page, "el.textContent.startsWith('Compliment an officer')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/have-your-say/compliment/\?team=\d+$"))
    assert axe_violations(page) == [], describe(axe_violations(page))

    _tab_to(page, "el.id === 'id_officer'")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_officer")).to_have_value(str(team_officer.pk))
    _tab_to(page, "el.id === 'id_description'")
    page.keyboard.type("PC Smith was patient and kind when my bike was stolen.")
    _tab_to(page, "el.name === 'wants_reply'")
    page.keyboard.press("ArrowRight")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/have-your-say/sent/FB-[A-Z0-9]{6}/$"))
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.officer, feedback.team) == ("compliment", team_officer, team_officer.team)


def test_resident_gives_feedback_after_an_officer_attended_with_the_keyboard_alone(page):
    page.goto("/have-your-say/service/")
    for name, presses in (("treated_score", 8), ("informed_score", 1), ("overall_score", 10)):
        _tab_to(page, f"el.name === '{name}'")
        # One select per score: the arrow keys move through its options from "Select a score".
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
    _tab_to(page, "el.id === 'id_went_well'")
    page.keyboard.type("They came quickly.")
    _tab_to(page, "el.name === 'wants_reply'")
    page.keyboard.press("ArrowRight")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/have-your-say/sent/FB-[A-Z0-9]{6}/$"))
    feedback = Feedback.objects.get()
    assert (feedback.treated_score, feedback.informed_score, feedback.overall_score) == (8, 1, 10)
    assert feedback.went_well == "They came quickly."


def test_resident_makes_a_suggestion_wanting_a_reply_with_the_keyboard_alone(page):
    page.goto("/have-your-say/suggestion/")
    _tab_to(page, "el.id === 'id_description'")
    page.keyboard.type("Hold a surgery at the library on Saturdays.")
    _tab_to(page, "el.name === 'wants_reply'")
    page.keyboard.press("Space")
    _tab_to(page, "el.id === 'id_contact_name'")
    page.keyboard.type("Ann Resident")
    _tab_to(page, "el.id === 'id_contact_email'")
    page.keyboard.type("ann@example.com")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/have-your-say/sent/FB-[A-Z0-9]{6}/$"))
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.wants_reply, feedback.contact_email) == ("suggestion", True, "ann@example.com")
    assert axe_violations(page) == [], describe(axe_violations(page))


def test_staff_feedback_and_survey_pages_have_no_wcag_violations(page, team_officer):
    from feedback.models import SurveyAnswer, SurveyResponse
    from feedback.services import feedback as services
    from tests.browser.conftest import sign_in
    from tests.core.factories import UserFactory
    from tests.priorities.factories import CategoryFactory, SurveyQuestionFactory

    ward = team_officer.team.wards.get()
    team_officer.user = UserFactory(username="pc", roles=["officer"])
    team_officer.save()
    feedback = services.feedback_give(kind="compliment", ward=ward, description="Thank you")
    question = SurveyQuestionFactory(kind="text", text="Anything else?")
    response = SurveyResponse.objects.create(survey=question.survey, ward=ward, district=ward.district)
    answer = SurveyAnswer.objects.create(response=response, question=question, text="Speeding on the hill")
    CategoryFactory(slug="speeding", name="Speeding")

    sign_in(page, "pc")
    assert axe_violations(page) == [], describe(axe_violations(page))
    for url in (
        "/staff/feedback/",
        f"/staff/feedback/{feedback.reference}/",
        "/staff/surveys/",
        f"/staff/surveys/{question.survey.slug}/comments/",
        f"/staff/surveys/{question.survey.slug}/comments/{answer.pk}/concern/",
    ):
        page.goto(url)
        assert axe_violations(page) == [], f"{url}: {describe(axe_violations(page))}"
    page.get_by_role("button", name="Raise the concern").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_label("What is it about?").select_option(label="Speeding")
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_text("Raised as PACT concern PACT-")).to_be_visible()
