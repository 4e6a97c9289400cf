import pytest
from django.urls import reverse

from core.models import AuditEvent

pytestmark = pytest.mark.django_db

STAFF_HOME = reverse("staff:home")


def test_staff_home_sends_anonymous_visitor_to_sign_in(client):
    response = client.get(STAFF_HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('staff:login')}?next={STAFF_HOME}"


def test_staff_home_refuses_outsider(client, outsider):
    client.force_login(outsider)

    assert client.get(STAFF_HOME).status_code == 403


@pytest.mark.parametrize("persona", ["officer", "sergeant", "chair", "partner", "admin_user"])
def test_staff_home_opens_for_every_staff_role(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(STAFF_HOME)

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_staff_home_shows_officer_team(client, officer, ward_a):
    client.force_login(officer)

    content = client.get(STAFF_HOME).content.decode()

    assert ward_a.team.name in content
    assert "Neighbourhood officer" in content


def test_staff_home_counts_what_is_new_for_an_officer(client, officer, ward_a):
    import datetime

    from django.utils import timezone

    from feedback.services.feedback import feedback_give
    from tests.priorities.factories import ConcernFactory, PriorityFactory

    feedback_give(kind="suggestion", ward=ward_a, description="More patrols near the school, please.")
    ConcernFactory(ward=ward_a)
    PriorityFactory(ward=ward_a, agreed_on=timezone.localdate() - datetime.timedelta(days=40))
    client.force_login(officer)

    content = client.get(reverse("staff:home")).content.decode()

    assert "1 new feedback item</a>" in content
    assert "1 concern to moderate</a>" in content
    assert "1 priority with no progress for 28 days or more</a>" in content


def test_staff_home_refuses_deactivated_staff(client, officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    client.force_login(officer)

    assert client.get(STAFF_HOME).status_code in {302, 403}


def test_sign_in_with_right_password_asks_for_the_second_factor_before_the_staff_home(client, officer):
    response = client.post(
        reverse("staff:login"), {"username": "officer", "password": "correct horse battery staple"}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"{reverse('staff:two_factor_setup')}?next=%2Fstaff%2F"
    assert response.status_code == 200
    assert client.get(STAFF_HOME).status_code == 302


def test_sign_in_with_wrong_password_shows_error_summary(client, officer):
    response = client.post(reverse("staff:login"), {"username": "officer", "password": "wrong"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert "Please enter a correct username and password" in content


def test_sign_out_needs_post_and_ends_session(client, officer):
    client.force_login(officer)

    assert client.get(reverse("staff:logout")).status_code == 405
    client.post(reverse("staff:logout"))

    assert client.get(STAFF_HOME).status_code == 302


def test_admin_site_opens_for_administrator_only(client, admin_user, officer):
    client.force_login(officer)
    assert client.get("/admin/").status_code == 302

    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_admin_lets_administrator_change_a_ward_and_audits_it(client, admin_user, ward_a):
    client.force_login(admin_user)
    url = f"/admin/wards/ward/{ward_a.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["name"] = "Abbey and Priory"

    response = client.post(url, data)

    assert response.status_code == 302
    ward_a.refresh_from_db()
    assert ward_a.name == "Abbey and Priory"
    event = AuditEvent.objects.get(action="wards.ward.changed")
    assert event.actor == admin_user
    assert event.data == {"name": {"before": "Abbey", "after": "Abbey and Priory"}}


def test_admin_audit_trail_is_read_only(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/admin/pact/auditevent/").status_code == 200
    assert client.get("/admin/pact/auditevent/add/").status_code == 403


def test_admin_refuses_officer_with_staff_flag(client, officer):
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    client.force_login(officer)

    assert client.get("/admin/wards/ward/").status_code == 302


@pytest.mark.parametrize(
    "path",
    ["panel", "category", "planpriority", "partneragency", "event", "concern", "priority", "ballot"],
)
def test_admin_lists_the_pact_cycle_for_administrators(client, admin_user, path):
    client.force_login(admin_user)

    assert client.get(f"/admin/priorities/{path}/").status_code == 200


def test_admin_shows_concerns_read_only_without_contact_email(client, admin_user):
    from tests.priorities.factories import ConcernFactory

    concern = ConcernFactory(contact_email="resident@example.org")
    client.force_login(admin_user)

    response = client.get(f"/admin/priorities/concern/{concern.pk}/change/")

    assert response.status_code == 200
    assert "resident@example.org" not in response.content.decode()
    assert client.post(f"/admin/priorities/concern/{concern.pk}/change/", {}).status_code == 403
