"""An administrator builds a survey, previews it and opens it with the keyboard alone; every new
page passes axe and none scrolls sideways at 320 CSS pixels."""

import datetime
import re

import pytest
from django.utils import timezone

from feedback.models import Survey
from feedback.services.surveys import survey_is_open
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gb_page(browser, live_server):
    """Dates typed as people in the UK type them (day, month, year)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def _tab_to(page, predicate: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def _named(name: str) -> str:
    return f"el.name === {name!r}"


def _button(text: str) -> str:
    return f"(el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim().startsWith({text!r})"


def _type_date(page, name: str, day: datetime.date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        _tab_to(page, _named(f"{name}_{part}"))
        page.keyboard.type(str(value))


def _fits_320(page) -> None:
    """Nothing on the page makes it scroll sideways at 320 CSS pixels (WCAG 1.4.10 reflow)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= 320, f"{page.url} is {width} CSS pixels wide at 320"


def _check(page) -> None:
    assert_accessible(page)
    _fits_320(page)


def test_administrator_builds_previews_and_opens_a_survey_by_keyboard(gb_page, admin_user):
    page = gb_page
    today = timezone.localdate()
    sign_in(page, admin_user.username, next_path="/staff/surveys/new/")
    _check(page)

    _tab_to(page, _named("title"))
    page.keyboard.type("Road safety in Abbey")
    _type_date(page, "opens_at", today + datetime.timedelta(days=7))
    _type_date(page, "closes_at", today + datetime.timedelta(days=30))
    _tab_to(page, _named("questions-0-kind"))
    page.keyboard.type("Choose one")
    _tab_to(page, _named("questions-0-text"))
    page.keyboard.type("Which road worries you most?")
    _tab_to(page, _named("questions-0-choices"))
    page.keyboard.type("London Road\nTonbridge Road\nSandling Lane")
    _tab_to(page, _button("Add another question"))
    page.keyboard.press("Enter")
    page.wait_for_selector("[name='questions-1-kind']")
    assert not Survey.objects.exists()

    _tab_to(page, _named("questions-1-kind"))
    page.keyboard.type("Yes or no")
    _tab_to(page, _named("questions-1-text"))
    page.keyboard.type("Have you seen speeding this month?")
    _tab_to(page, _button("Save survey"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/surveys/$"))
    assert "Survey saved" in page.content()
    _check(page)

    survey = Survey.objects.get()
    assert survey.slug == "road-safety-in-abbey"
    assert [q.kind for q in survey.questions.order_by("position")] == ["single", "yes_no"]

    _tab_to(page, _button("Preview"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/preview/$"))
    assert page.get_by_role("heading", name="Road safety in Abbey").is_visible()
    assert page.get_by_label("Tonbridge Road").count() == 1
    _check(page)

    _tab_to(page, "el.textContent.trim() === 'Consultation surveys' && el.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/surveys/$"))
    _tab_to(page, _button("Open now"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/open/$"))
    _check(page)
    _tab_to(page, _button("Open the survey"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/surveys/$"))
    assert "Survey opened" in page.content()
    survey.refresh_from_db()
    assert survey_is_open(survey)


def test_survey_form_errors_pass_axe(gb_page, admin_user):
    page = gb_page
    sign_in(page, admin_user.username, next_path="/staff/surveys/new/")
    page.get_by_role("button", name="Save survey").click()
    page.wait_for_selector(".govuk-error-summary")
    _check(page)
