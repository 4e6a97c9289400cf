"""Panel membership from the staff area: chairs and sergeants add, change and end members,
hand the chair over and invite new members (issue 15, item 4)."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from core.models import AuditEvent, EnrolmentLink, OutboundEmail
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.models import PanelInvitation, PanelMember
from priorities.services import panels as services
from tests.core.factories import UserFactory
from tests.priorities.factories import ChairFactory, MeetingFactory, PanelFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)
PASSWORD = "violet lantern orchard 42"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def panel(ward_a):
    return PanelFactory(name="Abbey PACT panel", wards=[ward_a])


@pytest.fixture
def panel_chair(panel, chair):
    return ChairFactory(panel=panel, user=chair, name="Carol Chair")


@pytest.fixture
def member_with_account(panel):
    user = UserFactory(username="dev", email="dev@example.org")
    return PanelMemberFactory(panel=panel, name="Dev Patel", user=user)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _actions(code: str) -> list[dict]:
    return list(AuditEvent.objects.filter(action=code).values("actor__username", "data"))


# Who may do what.


def test_can_manage_panel_chair_sergeant_and_administrator_only(
    panel, panel_chair, chair, sergeant, officer, other_officer, admin_user, partner
):
    from priorities.scopes import can_manage_panel, can_see_panel

    assert [can_manage_panel(user, panel) for user in (chair, sergeant, admin_user)] == [True, True, True]
    assert [can_manage_panel(user, panel) for user in (officer, other_officer, partner)] == [False, False, False]
    assert can_see_panel(officer, panel)
    assert not can_see_panel(other_officer, panel)


def test_panel_pages_refuse_officer_who_is_not_a_supervisor(client, officer, panel, panel_chair):
    client.force_login(officer)

    assert client.get(reverse("priorities:staff_panel", args=[panel.pk])).status_code == 200
    for name in ("staff_panel_member_add", "staff_panel_chair", "staff_panel_invite"):
        assert client.get(reverse(f"priorities:{name}", args=[panel.pk])).status_code == 403
    for name in ("staff_panel_member_edit", "staff_panel_member_end"):
        assert client.post(reverse(f"priorities:{name}", args=[panel_chair.pk]), {}).status_code == 403


def test_panel_pages_hide_panel_of_another_team(client, other_officer, panel, panel_chair):
    client.force_login(other_officer)

    assert client.get(reverse("priorities:staff_panel", args=[panel.pk])).status_code == 404
    assert client.get(reverse("priorities:staff_panel_member_end", args=[panel_chair.pk])).status_code == 404
    assert "Abbey PACT panel" not in client.get(reverse("priorities:staff_panels")).content.decode()


def test_panel_list_shows_own_panels_in_bounded_queries(client, django_assert_num_queries, sergeant, ward_a):
    for n in range(3):
        panel = PanelFactory(name=f"Panel {n}", wards=[ward_a])
        ChairFactory(panel=panel, name=f"Chair {n}")
        PanelMemberFactory(panel=panel)
    PanelFactory(name="Somewhere else")
    client.force_login(sergeant)

    # 1 session, 2 user, 3 roles, 4 officer, 5 the team's panels (panel_ids_for), 6 panels with
    # member counts, 7 their wards, 8 their current chairs
    with django_assert_num_queries(8):
        content = client.get(reverse("priorities:staff_panels")).content.decode()

    assert [f"Panel {n}" in content for n in range(3)] == [True, True, True]
    assert "Chair 2" in content
    assert "Somewhere else" not in content


def test_panel_list_empty_state(client, chair):
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_panels")).content.decode()

    assert "You have no panels yet" in content


def test_panel_detail_lists_current_past_and_waiting(client, django_assert_num_queries, chair, panel, panel_chair):
    PanelMemberFactory(panel=panel, name="Vera Vice", role=PanelMember.Role.VICE_CHAIR)
    PanelMemberFactory(panel=panel, name="Ada Member")
    PanelMemberFactory(panel=panel, name="Old Timer", ended_on=datetime.date(2025, 6, 1))
    services.panel_invitation_issue(
        actor=chair, panel=panel, email="new@example.org", name="Nia New", kind=PanelMember.Kind.RESIDENT
    )
    client.force_login(chair)

    # 1 session, 2 user, 3 roles, 4 panel, 5 chaired panels, 6 memberships, 7 open invitations, 8 wards
    with django_assert_num_queries(8):
        content = client.get(reverse("priorities:staff_panel", args=[panel.pk])).content.decode()

    assert content.index("Carol Chair") < content.index("Vera Vice") < content.index("Ada Member")
    assert content.index("Ada Member") < content.index("Nia New") < content.index("Old Timer")
    assert "until 1 June 2025" in content


# Adding, changing and ending.


def test_chair_adds_member_from_staff_area(client, chair, panel, panel_chair):
    client.force_login(chair)
    data = {"name": "  Rita   Resident ", "kind": "co_opted", "role": "member", **_date("started_on", TODAY)}

    response = client.post(reverse("priorities:staff_panel_member_add", args=[panel.pk]), data)

    assert response.status_code == 302
    member = PanelMember.objects.get(name="Rita Resident")
    assert (member.kind, member.role, member.started_on, member.ended_on) == ("co_opted", "member", TODAY, None)
    assert "Rita Resident has been added to Abbey PACT panel" in _messages(response)
    assert _actions("priorities.panel_member.added")[0]["actor__username"] == "chair"


def test_add_member_shows_errors_in_summary(client, chair, panel, panel_chair):
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_panel_member_add", args=[panel.pk]), {"kind": "nonsense"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert "Enter the member&#x27;s name" in content
    assert "Choose what kind of member they are" in content
    assert "Enter the date they joined the panel" in content
    assert "<title>Error:" in content


def test_add_member_links_existing_account_by_email(sergeant, panel):
    user = UserFactory(username="cllr", email="Cllr@Example.org")

    member = services.panel_member_add(
        actor=sergeant,
        panel=panel,
        name="Cllr Khan",
        kind=PanelMember.Kind.COUNCILLOR,
        started_on=TODAY,
        account_email="cllr@example.org",
    )

    assert member.user == user
    with pytest.raises(PrioritiesError, match="No staff account has that email address"):
        services.panel_member_add(
            actor=sergeant, panel=panel, name="X", kind="resident", started_on=TODAY, account_email="nobody@x.org"
        )


def test_add_member_refuses_the_chair_role(chair, panel, panel_chair):
    with pytest.raises(PrioritiesError, match="the chair changes only by handing it over"):
        services.panel_member_add(
            actor=chair, panel=panel, name="Sneaky", kind="resident", role="chair", started_on=TODAY
        )


def test_add_member_refuses_overlapping_duplicate(chair, panel, panel_chair):
    PanelMemberFactory(panel=panel, name="Rita Resident", started_on=datetime.date(2025, 1, 1))

    with pytest.raises(PrioritiesError, match="(?i)rita resident is already on this panel"):
        services.panel_member_add(actor=chair, panel=panel, name="rita resident", kind="resident", started_on=TODAY)


def test_add_member_again_after_earlier_membership_ended(chair, panel, panel_chair):
    PanelMemberFactory(panel=panel, name="Rita Resident", ended_on=datetime.date(2026, 1, 1))

    again = services.panel_member_add(actor=chair, panel=panel, name="Rita Resident", kind="resident", started_on=TODAY)

    assert PanelMember.objects.filter(panel=panel, name="Rita Resident").count() == 2
    assert again.ended_on is None


def test_add_member_refuses_second_vice_chair(chair, panel, panel_chair):
    PanelMemberFactory(panel=panel, role=PanelMember.Role.VICE_CHAIR)

    with pytest.raises(PrioritiesError, match="already has a vice-chair"):
        services.panel_member_add(
            actor=chair, panel=panel, name="Vic", kind="resident", role="vice_chair", started_on=TODAY
        )


def test_edit_member_changes_details_and_audits_before_and_after(client, sergeant, panel):
    member = PanelMemberFactory(panel=panel, name="Ada Member", kind="resident")
    client.force_login(sergeant)
    data = {"name": "Ada Member", "organisation": "Kent Fire", "kind": "partner", "role": "vice_chair"}

    response = client.post(
        reverse("priorities:staff_panel_member_edit", args=[member.pk]), {**data, **_date("started_on", TODAY)}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.kind, member.role, member.organisation) == ("partner", "vice_chair", "Kent Fire")
    audit = _actions("priorities.panel_member.updated")[0]["data"]
    assert (audit["before"]["role"], audit["after"]["role"]) == ("member", "vice_chair")
    assert "Ada Member&#x27;s membership has been updated" in client.get(response["Location"]).content.decode()


def test_edit_chair_keeps_the_chair_role(client, sergeant, panel, panel_chair):
    client.force_login(sergeant)
    data = {"name": "Carol Chair-Smith", "kind": "resident", "role": "member", **_date("started_on", TODAY)}

    client.post(reverse("priorities:staff_panel_member_edit", args=[panel_chair.pk]), data)

    panel_chair.refresh_from_db()
    assert (panel_chair.name, panel_chair.role) == ("Carol Chair-Smith", "chair")


def test_end_member_keeps_history(client, chair, panel, panel_chair):
    member = PanelMemberFactory(panel=panel, name="Ada Member")
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_panel_member_end", args=[member.pk]), _date("ended_on", TODAY))

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == TODAY
    assert "Ada Member's membership has ended; it stays in the panel's history" in _messages(response)
    assert _actions("priorities.panel_member.ended")[0]["data"]["ended_on"] == TODAY.isoformat()
    # Ended memberships are not changed or ended again.
    edit = client.get(reverse("priorities:staff_panel_member_edit", args=[member.pk]))
    assert edit.status_code == 302
    assert "That membership has already ended" in _messages(edit)


def test_end_member_refuses_future_and_before_start(chair, panel, panel_chair):
    member = PanelMemberFactory(panel=panel, started_on=datetime.date(2026, 1, 1))

    with pytest.raises(PrioritiesError, match="today or in the past"):
        services.panel_member_end(actor=chair, member=member, ended_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(PrioritiesError, match="same as or after the start date"):
        services.panel_member_end(actor=chair, member=member, ended_on=datetime.date(2025, 12, 31))
    assert PanelMember.objects.get(pk=member.pk).ended_on is None


def test_chair_cannot_end_own_chair_membership(client, chair, panel, panel_chair):
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_panel_member_end", args=[panel_chair.pk]), _date("ended_on", TODAY)
    )

    assert "hand the chair to another member instead" in response.content.decode()
    assert PanelMember.objects.get(pk=panel_chair.pk).ended_on is None


def test_sergeant_ending_chair_ends_access_and_role(client, sergeant, chair, panel, panel_chair):
    services.panel_member_end(actor=sergeant, member=panel_chair, ended_on=TODAY)

    assert not chair.groups.filter(name=Role.CHAIR).exists()
    assert _actions("priorities.panel_member.ended")[0]["data"]["chair_role_withdrawn"] is True


# Handing the chair over.


def test_handover_moves_access_at_once(client, chair, panel, panel_chair, member_with_account):
    meeting = MeetingFactory(panel=panel, wards=list(panel.wards.all()))
    meeting_pages = [reverse("priorities:staff_event_edit", args=[meeting.pk])]
    old, new = client, type(client)()
    old.force_login(chair)
    new.force_login(member_with_account.user)
    assert [old.get(url).status_code for url in meeting_pages] == [200]
    assert [new.get(url).status_code for url in meeting_pages] == [403]

    response = old.post(
        reverse("priorities:staff_panel_chair", args=[panel.pk]),
        {"successor": member_with_account.pk, "keep_old_chair": "on"},
    )

    assert response.status_code == 302
    assert [old.get(url).status_code for url in meeting_pages] == [403]
    assert [new.get(url).status_code for url in meeting_pages] == [200]
    assert new.get(reverse("priorities:staff_panel_chair", args=[panel.pk])).status_code == 200
    assert old.get(reverse("priorities:staff_panel_chair", args=[panel.pk])).status_code == 403


def test_handover_keeps_history_and_audits_both(chair, panel, panel_chair, member_with_account):
    new_chair = services.panel_chair_hand_over(actor=chair, panel=panel, successor=member_with_account)

    rows = PanelMember.objects.filter(panel=panel).order_by("pk")
    assert [(m.name, m.role, m.started_on, m.ended_on) for m in rows] == [
        ("Carol Chair", "chair", datetime.date(2025, 1, 1), TODAY),
        ("Dev Patel", "member", datetime.date(2025, 1, 1), TODAY),
        ("Carol Chair", "member", TODAY, None),
        ("Dev Patel", "chair", TODAY, None),
    ]
    assert new_chair.user.groups.filter(name=Role.CHAIR).exists()
    assert not chair.groups.filter(name=Role.CHAIR).exists()
    [audit] = _actions("priorities.panel.chair_handed_over")
    assert audit["actor__username"] == "chair"
    assert (audit["data"]["from_user"], audit["data"]["to_user"]) == (chair.pk, member_with_account.user_id)


def test_handover_keeps_chair_role_of_someone_chairing_another_panel(chair, panel, panel_chair, member_with_account):
    ChairFactory(user=chair)

    services.panel_chair_hand_over(actor=chair, panel=panel, successor=member_with_account, keep_old_chair=False)

    assert chair.groups.filter(name=Role.CHAIR).exists()
    assert not PanelMember.objects.filter(panel=panel, user=chair, ended_on__isnull=True).exists()


def test_handover_refuses_member_without_account(chair, panel, panel_chair):
    member = PanelMemberFactory(panel=panel, name="No Account")

    with pytest.raises(PrioritiesError, match="No Account has no staff account: invite them"):
        services.panel_chair_hand_over(actor=chair, panel=panel, successor=member)


def test_handover_page_without_candidates_offers_invitation(client, chair, panel, panel_chair):
    PanelMemberFactory(panel=panel, name="No Account")
    client.force_login(chair)

    content = client.get(reverse("priorities:staff_panel_chair", args=[panel.pk])).content.decode()

    assert "Invite the new chair by email" in content
    assert "<form" not in content.split("<main", 1)[1].split("Back to", 1)[0]


# The database holds the rules too.


def test_database_allows_one_current_chair_and_vice_chair(panel, panel_chair):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairFactory(panel=panel)
    PanelMemberFactory(panel=panel, role=PanelMember.Role.VICE_CHAIR)
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMemberFactory(panel=panel, role=PanelMember.Role.VICE_CHAIR)


def test_database_refuses_two_current_memberships_of_one_account(panel, member_with_account):
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMemberFactory(panel=panel, user=member_with_account.user, started_on=TODAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_database_refuses_overlapping_periods_of_one_account(panel):
    user = UserFactory()
    PanelMemberFactory(panel=panel, user=user, started_on=datetime.date(2025, 1, 1), ended_on=datetime.date(2025, 6, 1))
    PanelMemberFactory(panel=panel, user=user, started_on=datetime.date(2025, 6, 1), ended_on=datetime.date(2025, 9, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PanelMemberFactory(
            panel=panel, user=user, started_on=datetime.date(2025, 5, 1), ended_on=datetime.date(2025, 7, 1)
        )


# Invitations.


def _invite(actor, panel, *, role="member", email="nia@example.org") -> str:
    return services.panel_invitation_issue(
        actor=actor, panel=panel, email=email, name="Nia New", kind=PanelMember.Kind.RESIDENT, role=role
    )


def test_invitation_is_emailed_through_outbox_with_hashed_token(client, chair, panel, panel_chair):
    client.force_login(chair)
    data = {"name": "Nia New", "email": "Nia@Example.org", "kind": "resident", "role": "member"}

    response = client.post(reverse("priorities:staff_panel_invite", args=[panel.pk]), data)

    assert response.status_code == 302
    assert "An invitation has been sent to Nia@Example.org. It works for 7 days" in _messages(response)
    email = OutboundEmail.objects.get(to="nia@example.org")
    assert email.subject == "You are invited to join Abbey PACT panel"
    token = re.search(r"/staff/invitations/([^/]+)/", email.body_text)[1]
    invitation = PanelInvitation.objects.get()
    assert token not in invitation.token_hash
    assert invitation.expires_at == NOW + datetime.timedelta(days=7)
    assert f"/staff/invitations/{token}/" in email.body_html
    audit = _actions("priorities.panel_invitation.issued")[0]["data"]
    assert audit["email"] == "***"


def test_invitation_refused_for_address_with_account(chair, panel, panel_chair):
    UserFactory(email="taken@example.org")

    with pytest.raises(PrioritiesError, match="already has that email address"):
        _invite(chair, panel, email="taken@example.org")


def test_accepting_invitation_creates_account_and_leads_to_two_factor_setup(client, chair, panel, panel_chair):
    token = _invite(chair, panel, role="vice_chair")
    url = reverse("priorities:panel_invitation_accept", args=[token])
    assert "Nia New, you have been invited to join Abbey PACT panel as vice-chair" in client.get(url).content.decode()

    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    assert response["Location"] == reverse("staff:two_factor_setup")
    user = User.objects.get(username="nia@example.org")
    assert user.check_password(PASSWORD)
    member = PanelMember.objects.get(user=user)
    assert (member.panel, member.role, member.started_on) == (panel, "vice_chair", TODAY)
    assert PanelInvitation.objects.get().member == member
    assert EnrolmentLink.objects.filter(user=user, used_at__isnull=True).count() == 1
    setup = client.get(reverse("staff:two_factor_setup"))
    assert setup.status_code == 200
    assert "QR code" in setup.content.decode()
    # Without the second factor the new account reaches no staff page.
    assert client.get(reverse("priorities:staff_panels"))["Location"].startswith(reverse("staff:two_factor_check"))


def test_invitation_works_once(client, chair, panel, panel_chair):
    token = _invite(chair, panel)
    url = reverse("priorities:panel_invitation_accept", args=[token])
    client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    again = type(client)().post(url, {"password1": PASSWORD, "password2": PASSWORD})

    assert again.status_code == 404
    assert "This invitation does not work" in again.content.decode()
    assert User.objects.filter(username="nia@example.org").count() == 1
    with pytest.raises(PrioritiesError, match="expired, was used already or was withdrawn"):
        services.panel_invitation_accept(token=token, password=PASSWORD)


def test_invitation_expires(client, chair, panel, panel_chair):
    token = _invite(chair, panel)
    url = reverse("priorities:panel_invitation_accept", args=[token])

    with time_machine.travel(NOW + datetime.timedelta(days=7, seconds=1), tick=False):
        response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 404
    assert not User.objects.filter(username="nia@example.org").exists()


def test_newer_invitation_and_withdrawal_stop_the_old_one(client, chair, panel, panel_chair):
    first = _invite(chair, panel)
    second = _invite(chair, panel)
    assert services.panel_invitation_for_token(first) is None
    client.force_login(chair)

    invitation = services.panel_invitation_for_token(second)
    response = client.post(reverse("priorities:staff_panel_invitation_revoke", args=[invitation.pk]))

    assert "The invitation to nia@example.org has been withdrawn" in _messages(response)
    assert services.panel_invitation_for_token(second) is None
    assert _actions("priorities.panel_invitation.revoked")


def test_accepting_refuses_weak_or_mismatched_password(client, chair, panel, panel_chair):
    url = reverse("priorities:panel_invitation_accept", args=[_invite(chair, panel)])

    short = client.post(url, {"password1": "short", "password2": "short"}).content.decode()
    mismatch = client.post(url, {"password1": PASSWORD, "password2": PASSWORD + "x"}).content.decode()

    assert "This password is too short" in short
    assert "The two passwords must be the same" in mismatch
    assert not User.objects.filter(username="nia@example.org").exists()
    assert services.panel_invitation_for_token(url.rstrip("/").rsplit("/", 1)[1]) is not None


def test_accepting_chair_invitation_hands_over_the_chair(client, chair, panel, panel_chair):
    meeting = MeetingFactory(panel=panel, wards=list(panel.wards.all()))
    token = _invite(chair, panel, role="chair")

    services.panel_invitation_accept(token=token, password=PASSWORD)

    user = User.objects.get(username="nia@example.org")
    assert user.groups.filter(name=Role.CHAIR).exists()
    assert PanelMember.objects.get(panel=panel, role="chair", ended_on__isnull=True).user == user
    assert _actions("priorities.panel.chair_handed_over")[0]["actor__username"] == "nia@example.org"
    client.force_login(chair)
    assert client.get(reverse("priorities:staff_event_edit", args=[meeting.pk])).status_code == 403
    client.force_login(user)
    assert client.get(reverse("priorities:staff_event_edit", args=[meeting.pk])).status_code == 200


def test_old_chair_who_keeps_no_role_lands_on_the_public_home(client, chair, panel, panel_chair, member_with_account):
    client.force_login(chair)

    response = client.post(
        reverse("priorities:staff_panel_chair", args=[panel.pk]), {"successor": member_with_account.pk}
    )

    assert response["Location"] == reverse("home")
    assert "Dev Patel is now the chair of Abbey PACT panel" in _messages(response)
    assert not PanelMember.objects.filter(panel=panel, user=chair, ended_on__isnull=True).exists()


# Personal data.


def test_invitations_are_exported_erased_and_expire(chair, panel, panel_chair, admin_user):
    from core.personal_data import personal_data_sources

    _invite(chair, panel, email="nia@example.org")
    source = next(s for s in personal_data_sources() if s.name == "priorities.panel_invitations")

    assert [row["name"] for row in source.export("NIA@example.org")] == ["Nia New"]
    assert source.expire(NOW + datetime.timedelta(days=7 + 29)) == 0
    assert source.expire(NOW + datetime.timedelta(days=7 + 31)) == 1
    _invite(chair, panel, email="nia@example.org")
    assert source.erase("nia@example.org", by=admin_user) == 1
    assert source.erase("nia@example.org", by=admin_user) == 0
