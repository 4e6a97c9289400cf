"""The administrators' equality report: participants, feedback and surveys, force-wide and by
district, with every small group hidden and nothing recoverable from the totals."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import AuditEvent
from feedback.models import EqualityResponse
from feedback.selectors.equality import FORCE_WIDE, equality_group, equality_tables
from feedback.services.equality import equality_record
from tests.wards.factories import DistrictFactory

pytestmark = pytest.mark.django_db

ATTENDEE = EqualityResponse.Context.MEETING_ATTENDEE
PANEL_MEMBER = EqualityResponse.Context.PANEL_MEMBER
FEEDBACK = EqualityResponse.Context.FEEDBACK
URL = "/staff/equality/"
EXPORT = "/staff/equality/export.csv"


def test_report_addresses():
    assert reverse("feedback:staff_equality_report") == URL
    assert reverse("feedback:staff_equality_export") == EXPORT


def _given(district, context, strand, counts: dict[str, int]) -> None:
    for value, count in counts.items():
        for _ in range(count):
            equality_record(context=context, district=district, answers={strand: value})


def _table(tables, strand):
    return next(table for table in tables.tables if table.strand == strand)


def _row(table, name) -> dict:
    row = next(row for row in table.rows if row.name == name)
    return {
        "answered": row.answered,
        **{label: cell.count for label, cell in zip(table.answers, row.cells, strict=True)},
    }


@pytest.fixture
def districts():
    return DistrictFactory(name="Ashford"), DistrictFactory(name="Medway")


def test_participants_are_panel_members_and_attendees_only(districts):
    ashford, _medway = districts
    _given(ashford, ATTENDEE, "sex", {"female": 8})
    _given(ashford, PANEL_MEMBER, "sex", {"female": 4, "male": 12})
    _given(ashford, FEEDBACK, "sex", {"male": 30})

    tables = equality_tables(group=equality_group("participants"), minimum=10)

    assert tables.responses == 24
    assert _row(_table(tables, "sex"), "Ashford") == {"answered": 24, "Female": 12, "Male": 12, "Prefer not to say": 0}


def test_shares_are_of_those_answering_in_the_area(districts):
    ashford, _medway = districts
    _given(ashford, ATTENDEE, "sex", {"female": 30, "male": 10})

    row = next(row for row in _table(equality_tables(group=equality_group("participants")), "sex").rows)

    assert [(cell.count, cell.share) for cell in row.cells] == [(30, 75), (10, 25), (0, 0)]


def test_small_groups_and_the_figure_that_would_reveal_them_are_hidden(districts):
    ashford, _medway = districts
    _given(ashford, ATTENDEE, "sex", {"female": 14, "male": 20, "prefer_not": 3})

    table = _table(equality_tables(group=equality_group("participants"), minimum=10), "sex")

    assert _row(table, "Ashford") == {"answered": 37, "Female": None, "Male": 20, "Prefer not to say": None}


def test_an_area_with_too_few_responses_shows_nothing(districts):
    ashford, medway = districts
    _given(ashford, ATTENDEE, "ethnicity", {"white": 7})
    _given(medway, ATTENDEE, "ethnicity", {"white": 20, "asian": 12})

    tables = equality_tables(group=equality_group("participants"), minimum=10)
    table = _table(tables, "ethnicity")

    # Seven who all said "White" must not show as 0s beside a hidden 7.
    ashford_row = _row(table, "Ashford")
    assert set(ashford_row.values()) == {None}
    assert next(row for row in table.rows if row.name == "Ashford").responses is None


def test_a_question_too_few_answered_shows_nothing_in_that_area(districts):
    ashford, _medway = districts
    _given(ashford, ATTENDEE, "sex", {"female": 12})
    _given(ashford, ATTENDEE, "religion", {"christian": 4})

    table = _table(equality_tables(group=equality_group("participants"), minimum=10), "religion")

    assert set(_row(table, "Ashford").values()) == {None}


def test_a_district_count_the_force_wide_figure_would_reveal_is_hidden_with_another(districts):
    ashford, medway = districts
    kent = DistrictFactory(name="Swale")
    _given(ashford, ATTENDEE, "ethnicity", {"white": 40, "asian": 3, "black": 12})
    _given(medway, ATTENDEE, "ethnicity", {"white": 30, "asian": 15, "black": 11})
    _given(kent, ATTENDEE, "ethnicity", {"white": 50, "asian": 25, "black": 10})

    table = _table(equality_tables(group=equality_group("participants"), minimum=10), "ethnicity")
    rows = {name: _row(table, name) for name in (FORCE_WIDE, "Ashford", "Medway", "Swale")}

    asian = "Asian, Asian British or Asian Welsh"
    assert rows[FORCE_WIDE][asian] == 43
    assert rows["Ashford"][asian] is None
    # 43 - 15 - 25 would give Ashford's 3: Medway's 15, the next smallest, is hidden too ...
    assert rows["Medway"][asian] is None
    assert rows["Swale"][asian] == 25
    # ... and Medway's row then needs a second hidden figure of its own.
    assert sum(value is None for key, value in rows["Medway"].items() if key != "answered") >= 2
    for row in rows.values():
        hidden = [key for key, value in row.items() if value is None and key != "answered"]
        assert len(hidden) != 1 or row["answered"] is None


def test_report_page_shows_accessible_tables_in_fixed_queries(client, admin_user, districts, django_assert_num_queries):
    for district in (*districts, DistrictFactory(name="Swale")):
        _given(district, ATTENDEE, "age_band", {"45_54": 11, "65_74": 12})
    client.force_login(admin_user)

    # session, user, roles (groups), districts, the grouped answers
    with django_assert_num_queries(5):
        response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Age</caption>' in page
    assert '<th scope="row" class="govuk-table__header">Swale</th>' in page
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">45 to 54</th>' in page
    assert "11 (48%)" in page
    assert "not yet compared with the communities PACT serves" in page


def test_report_page_offers_each_group(client, admin_user, districts):
    _given(districts[0], FEEDBACK, "sex", {"male": 15})
    client.force_login(admin_user)

    page = client.get(URL, {"group": "feedback"}).content.decode()

    assert '<h1 class="govuk-heading-xl">Feedback, compliments and complaints</h1>' in page
    assert "15 people have answered at least one question" in page
    assert client.get(URL, {"group": "nonsense"}).status_code == 404


def test_report_with_no_answers_says_so(client, admin_user):
    client.force_login(admin_user)

    assert "Nobody has answered these questions yet" in client.get(URL).content.decode()


def test_report_says_when_too_few_have_answered(client, admin_user, districts):
    _given(districts[0], ATTENDEE, "sex", {"male": 4})
    client.force_login(admin_user)

    assert "Fewer than 10 people have answered so far" in client.get(URL).content.decode()


@pytest.mark.parametrize("persona", ["officer", "chair", "partner", "outsider"])
def test_report_and_export_are_for_administrators_only(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_report_sends_anonymous_visitors_to_sign_in(client):
    assert client.get(URL).url.startswith(reverse("staff:login"))


def test_csv_holds_the_same_protected_figures_and_is_audited(client, admin_user, districts):
    ashford, _medway = districts
    _given(ashford, ATTENDEE, "sex", {"female": 14, "male": 20, "prefer_not": 3})
    client.force_login(admin_user)

    response = client.get(EXPORT, {"group": "participants"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="equality-participants.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Group", "Area", "Question", "Answer", "Count", "Per cent of those answering", "Answered"]
    sex = {(row[1], row[3]): row[4:] for row in rows[1:] if row[2] == "Sex"}
    assert sex[("Ashford", "Female")] == ["[c]", "[c]", "37"]
    assert sex[("Ashford", "Male")] == ["20", "54", "37"]
    assert sex[("Ashford", "Prefer not to say")] == ["[c]", "[c]", "37"]
    assert sex[("Medway", "Male")] == ["0", "", "0"]
    assert "3" not in {row[4] for row in rows[1:]}
    audit = AuditEvent.objects.get(action="feedback.equality.exported")
    assert (audit.actor, audit.data) == (admin_user, {"group": "participants"})


def test_staff_home_offers_the_report_to_administrators_only(client, admin_user, officer):
    def names(user) -> set[str]:
        client.force_login(user)
        return {link.url_name for link in client.get(reverse("staff:home")).context["links"]}

    assert "feedback:staff_equality_report" in names(admin_user)
    assert "feedback:staff_equality_report" not in names(officer)
