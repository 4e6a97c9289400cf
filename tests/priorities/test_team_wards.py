"""Who covers which ward: the sergeant's assignments, their rules in the database, the audit and the staff pages."""

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.services import team as services
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory
from wards.models import Officer, OfficerWard

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_ward(ward_a):
    return WardFactory(name="Allington", team=ward_a.team, district=ward_a.team.district)


@pytest.fixture
def pcso(ward_a):
    return OfficerFactory(team=ward_a.team, rank=Officer.Rank.PCSO, first_name="Sam", last_name="Patel")


# The rules the database holds


def test_an_officer_covers_a_ward_once(pcso, ward_a):
    OfficerWard.objects.create(officer=pcso, ward=ward_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerWard.objects.create(officer=pcso, ward=ward_a)


def test_an_officer_cannot_cover_a_ward_of_another_team(pcso, ward_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerWard.objects.create(officer=pcso, ward=ward_b)


def test_an_assignment_cannot_be_moved_to_another_teams_ward(pcso, ward_a, ward_b):
    link = OfficerWard.objects.create(officer=pcso, ward=ward_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerWard.objects.filter(pk=link.pk).update(ward=ward_b)


def test_a_ward_may_have_several_officers_and_an_officer_several_wards(pcso, ward_a, second_ward):
    pc = OfficerFactory(team=ward_a.team)
    for officer in (pcso, pc):
        for ward in (ward_a, second_ward):
            OfficerWard.objects.create(officer=officer, ward=ward)

    assert OfficerWard.objects.count() == 4


def test_moving_an_officer_to_another_team_ends_their_assignments(pcso, ward_a, ward_b):
    OfficerWard.objects.create(officer=pcso, ward=ward_a)

    pcso.team = ward_b.team
    pcso.save()

    assert not OfficerWard.objects.exists()


def test_moving_a_ward_to_another_team_ends_its_assignments(pcso, ward_a, second_ward):
    OfficerWard.objects.create(officer=pcso, ward=ward_a)
    OfficerWard.objects.create(officer=pcso, ward=second_ward)

    second_ward.team = TeamFactory()
    second_ward.save()

    assert list(OfficerWard.objects.values_list("ward_id", flat=True)) == [ward_a.pk]


def test_every_kind_of_team_member_is_a_valid_rank(ward_a):
    for rank in ("special", "warden", "partner"):
        OfficerFactory(team=ward_a.team, rank=rank)

    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(team=ward_a.team, rank="chief")


# The service


def test_a_sergeant_assigns_wards_and_it_is_audited(sergeant, pcso, ward_a, second_ward):
    services.officer_wards_set(actor=sergeant, officer=pcso, wards=[ward_a, second_ward])

    assert set(pcso.wards.all()) == {ward_a, second_ward}
    event = AuditEvent.objects.get(action="priorities.officer.wards_assigned")
    assert event.actor == sergeant
    assert event.object_id == str(pcso.pk)
    assert event.data == {"before": [], "after": sorted([ward_a.code, second_ward.code])}


def test_changing_the_wards_audits_before_and_after(sergeant, pcso, ward_a, second_ward):
    services.officer_wards_set(actor=sergeant, officer=pcso, wards=[ward_a])

    services.officer_wards_set(actor=sergeant, officer=pcso, wards=[second_ward])

    assert list(pcso.wards.all()) == [second_ward]
    event = AuditEvent.objects.filter(action="priorities.officer.wards_assigned").latest("pk")
    assert event.data == {"before": [ward_a.code], "after": [second_ward.code]}


def test_saving_the_same_wards_again_changes_and_records_nothing(sergeant, pcso, ward_a):
    services.officer_wards_set(actor=sergeant, officer=pcso, wards=[ward_a])
    services.officer_wards_set(actor=sergeant, officer=pcso, wards=[ward_a])

    assert AuditEvent.objects.filter(action="priorities.officer.wards_assigned").count() == 1


def test_an_administrator_may_assign_any_teams_wards(admin_user, pcso, ward_a):
    services.officer_wards_set(actor=admin_user, officer=pcso, wards=[ward_a])

    assert list(pcso.wards.all()) == [ward_a]


@pytest.mark.parametrize("persona", ["officer", "other_officer", "chair", "partner"])
def test_only_a_supervisor_of_the_team_may_assign(request, persona, pcso, ward_a):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        services.officer_wards_set(actor=actor, officer=pcso, wards=[ward_a])

    assert not OfficerWard.objects.exists()


def test_a_sergeant_of_another_team_may_not_assign(pcso, ward_a, ward_b):
    from tests.core.factories import UserFactory

    user = UserFactory(username="sergeant_b", roles=["officer"])
    OfficerFactory(team=ward_b.team, user=user, rank=Officer.Rank.SERGEANT)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        services.officer_wards_set(actor=user, officer=pcso, wards=[ward_a])


def test_a_ward_of_another_team_is_refused(sergeant, pcso, ward_a, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_WARD_NOT_IN_TEAM)):
        services.officer_wards_set(actor=sergeant, officer=pcso, wards=[ward_a, ward_b])

    assert not OfficerWard.objects.exists()


# The staff pages


def test_the_staff_team_link_opens_an_officers_own_team(client, officer, pcso, ward_a):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_team")).content.decode()

    assert f'<h1 class="govuk-heading-xl">{ward_a.team.name}</h1>' in content
    assert "Sam Patel" in content


def test_an_administrator_chooses_a_team(client, admin_user, ward_a, ward_b):
    client.force_login(admin_user)

    content = client.get(reverse("priorities:staff_team")).content.decode()

    assert reverse("priorities:staff_team_officers", args=[ward_a.team.slug]) in content
    assert reverse("priorities:staff_team_officers", args=[ward_b.team.slug]) in content


def test_the_team_page_lists_who_covers_what_in_fixed_queries(
    client, sergeant, pcso, ward_a, second_ward, django_assert_num_queries
):
    for _ in range(3):
        OfficerWard.objects.create(officer=OfficerFactory(team=ward_a.team), ward=second_ward)
    OfficerWard.objects.create(officer=pcso, ward=ward_a)
    client.force_login(sergeant)
    url = reverse("priorities:staff_team_officers", args=[ward_a.team.slug])
    client.get(url)  # the session and the menu settle

    # 1 session, 2 user, 3 its roles, 4 the team, 5 the user's officer (scope), 6 the team's
    # officers, 7 the wards each covers, 8 the team's wards
    with django_assert_num_queries(8):
        response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Police Community Support Officer Sam Patel" in content
    assert reverse("priorities:staff_officer_wards", args=[pcso.pk]) in content
    assert "Every ward of the team has at least one officer of its own" in content


def test_an_officer_sees_the_team_but_may_not_change_it(client, officer, pcso, ward_a):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_team_officers", args=[ward_a.team.slug])).content.decode()

    assert "Sam Patel" in content
    assert reverse("priorities:staff_officer_wards", args=[pcso.pk]) not in content
    assert client.get(reverse("priorities:staff_officer_wards", args=[pcso.pk])).status_code == 403


def test_another_teams_page_is_not_found(client, other_officer, pcso, ward_a):
    client.force_login(other_officer)

    assert client.get(reverse("priorities:staff_team_officers", args=[ward_a.team.slug])).status_code == 404
    assert client.get(reverse("priorities:staff_officer_wards", args=[pcso.pk])).status_code == 404


def test_a_sergeant_saves_the_wards_an_officer_covers(client, sergeant, pcso, ward_a, second_ward):
    client.force_login(sergeant)
    url = reverse("priorities:staff_officer_wards", args=[pcso.pk])
    form = client.get(url).content.decode()
    assert "Allington" in form
    assert "Abbey" in form

    response = client.post(url, {"wards": [ward_a.pk, second_ward.pk]})

    assert response.url == reverse("priorities:staff_team_officers", args=[ward_a.team.slug])
    assert set(pcso.wards.all()) == {ward_a, second_ward}
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The wards Police Community Support Officer Sam Patel covers have been saved"
    ]


def test_a_ward_of_another_team_in_the_form_is_an_error(client, sergeant, pcso, ward_b):
    client.force_login(sergeant)

    response = client.post(reverse("priorities:staff_officer_wards", args=[pcso.pk]), {"wards": [ward_b.pk]})

    assert response.status_code == 200
    assert "One of the wards chosen is no longer the team" in response.content.decode()
    assert not OfficerWard.objects.exists()
