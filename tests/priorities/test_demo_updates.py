"""Demo data of issue 14: last month's update in the team's own words for most teams, and one
team that did not approve (its update goes out generated, with the report to follow)."""

from io import StringIO

import pytest
from django.core.management import call_command

from priorities.models import MonthlyUpdate, MonthlyUpdateDraft
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    call_command("import_categories", "--commit", stdout=StringIO())
    made = []
    for number, (slug, code) in enumerate(
        [("a-first", "E05002161"), ("b-second", "E05002162"), ("c-third", "E05002163")]
    ):
        team = TeamFactory(name=f"Team {slug}", slug=slug)
        WardFactory(code=code, name=f"Ward {number}", team=team, district=team.district)
        OfficerFactory.create_batch(2, team=team, rank="pc")
        OfficerFactory(team=team, rank="sergeant")
        made.append(team)
    return made


def test_demo_words_are_approved_for_all_but_the_first_team_and_published(teams):
    out = StringIO()
    call_command("create_demo_history", stdout=out)
    assert "2 team(s) approved their words, 1 did not approve yet" in out.getvalue()

    call_command("create_monthly_updates", stdout=StringIO())

    first, *others = (MonthlyUpdate.objects.get(team=team) for team in teams)
    assert first.report_pending
    assert MonthlyUpdateDraft.objects.get(team=teams[0]).message  # written, waiting for approval
    for update in others:
        assert not update.report_pending
        assert "actions on the" in update.summary
        note = next(iter(update.notes.values()))
        assert all(note[key] for key in ("said", "did", "next"))
        assert set(update.notes) == {str(p["id"]) for w in update.content["wards"] for p in w["priorities"]}


def test_demo_words_are_written_once(teams):
    call_command("create_demo_history", stdout=StringIO())
    drafts = list(MonthlyUpdateDraft.objects.order_by("pk").values_list("pk", "message", "approved_at"))

    out = StringIO()
    call_command("create_demo_history", stdout=out)

    assert "0 team(s) approved their words, 0 did not approve yet" in out.getvalue()
    assert list(MonthlyUpdateDraft.objects.order_by("pk").values_list("pk", "message", "approved_at")) == drafts
