"""Publishing a concern with its personal data redacted: the moderator confirms the text, the
public reads it, the resident's own words stay with staff, and the resident is told why."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import ConcernEvent
from priorities.services import concerns as services
from priorities.templatetags.concern_follow import step_words
from tests.priorities.factories import ConcernFactory, MeetingFactory, PanelFactory

pytestmark = pytest.mark.django_db

WORDS = "Mr Smith at 12 Acacia Avenue races his car AB12 CDE; ring me on 07700 900982."
REDACTED = (
    "[name removed] at [address removed] races his car [vehicle registration removed]; "
    "ring me on [phone number removed]."
)
NOTE = "We removed a name, an address, a registration and your phone number before publishing."
PRIVATE = ("Mr Smith", "Acacia Avenue", "AB12 CDE", "07700 900982")


def _publish(client, concern, verb="accept", **extra):
    data = {"publish-public_text": REDACTED, "publish-note": NOTE, **extra}
    return client.post(reverse(f"priorities:staff_concern_{verb}", args=[concern.reference]), data)


def test_concern_accept_publishes_the_confirmed_text_and_keeps_the_residents_words(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)

    services.concern_accept(actor=officer, concern=concern, public_text=REDACTED, note=NOTE)

    concern.refresh_from_db()
    assert concern.description == REDACTED
    assert concern.original_description == WORDS
    assert concern.history.get(kind=ConcernEvent.Kind.ACCEPTED).text == NOTE


def test_concern_accept_audits_that_the_text_changed_but_not_what_it_said(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)

    services.concern_accept(actor=officer, concern=concern, public_text=REDACTED, note=NOTE)

    event = AuditEvent.objects.get(action="priorities.concern.accepted")
    assert event.data["after"] == {"status": "accepted", "text_changed": True, "note": NOTE}
    assert not any(words in str(event.data) for words in PRIVATE)


def test_concern_accept_of_unchanged_text_keeps_no_copy_and_needs_no_note(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description="Speeding on St Mary's Road")

    services.concern_accept(actor=officer, concern=concern, public_text=" Speeding on St Mary's Road ", note="")

    concern.refresh_from_db()
    assert concern.original_description == ""
    assert concern.history.get(kind=ConcernEvent.Kind.ACCEPTED).text == ""
    assert AuditEvent.objects.get(action="priorities.concern.accepted").data["after"]["text_changed"] is False


@pytest.mark.parametrize(
    ("public_text", "note", "error"),
    [
        (REDACTED, "", services.ERROR_NOTE_REQUIRED),
        ("   ", NOTE, services.ERROR_PUBLIC_TEXT_REQUIRED),
        ("x" * 2001, NOTE, services.ERROR_PUBLIC_TEXT_TOO_LONG),
        (REDACTED, "x" * 301, services.ERROR_NOTE_TOO_LONG),
    ],
)
def test_concern_accept_refuses_a_text_or_note_it_cannot_publish(officer, ward_a, public_text, note, error):
    concern = ConcernFactory(ward=ward_a, description=WORDS)

    with pytest.raises(PrioritiesError, match=str(error)):
        services.concern_accept(actor=officer, concern=concern, public_text=public_text, note=note)

    concern.refresh_from_db()
    assert (concern.status, concern.description) == ("received", WORDS)


def test_concern_shortlist_of_a_received_concern_publishes_the_confirmed_text(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]))

    services.concern_shortlist(actor=officer, concern=concern, meeting=meeting, public_text=REDACTED, note=NOTE)

    concern.refresh_from_db()
    assert (concern.status, concern.description, concern.original_description) == ("shortlisted", REDACTED, WORDS)
    assert concern.history.get(kind=ConcernEvent.Kind.SHORTLISTED).text == NOTE


def test_concern_shortlist_of_a_published_concern_leaves_its_text(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=REDACTED, original_description=WORDS, status="accepted")
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]))

    services.concern_shortlist(actor=officer, concern=concern, meeting=meeting, public_text="Something else", note="")

    concern.refresh_from_db()
    assert (concern.description, concern.original_description) == (REDACTED, WORDS)


# The moderation page


def test_concern_detail_marks_personal_data_and_proposes_the_redaction(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode()

    assert "seems to contain personal data: a name, a house address, a vehicle registration, a phone number" in content
    mark = '<mark class="pact-personal-data">07700 900982<span class="govuk-visually-hidden"> (looks like a phone'
    assert mark in content
    assert f"\n{REDACTED}</textarea>" in content
    assert "we removed a name, a house address, a vehicle registration and a phone number from it" in content
    assert "The resident reads this note, word for word" in content
    assert "The resident reads this reason, word for word" in content


def test_concern_detail_without_personal_data_has_no_warning_or_note(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description="Speeding on St Mary's Road")
    client.force_login(officer)

    response = client.get(reverse("priorities:staff_concern", args=[concern.reference]))

    content = response.content.decode()
    assert "seems to contain personal data" not in content
    assert "<mark" not in content
    assert response.context["publish_form"]["public_text"].value() == "Speeding on St Mary's Road"
    assert response.context["publish_form"]["note"].value() == ""


def test_concern_accept_view_publishes_the_redaction_and_only_staff_see_the_original(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS, follow_by_email=True, contact_email="r@example.com")
    client.force_login(officer)

    response = _publish(client, concern)

    assert response.status_code == 302
    staff = client.get(reverse("priorities:staff_concern", args=[concern.reference])).content.decode()
    assert "The resident's own words (staff only)" in staff
    assert "07700 900982" in staff
    client.logout()
    listing = client.get(reverse("priorities:ward_concerns", args=[ward_a.code])).content.decode()
    status = client.get(reverse("priorities:concern_status", args=[concern.follow_code])).content.decode()
    assert "[phone number removed]" in listing
    assert "[phone number removed]" in status
    assert f"Before publishing it, the team changed your words: “{NOTE}”" in status
    for page in (listing, status):
        assert not any(words in page for words in PRIVATE)


def test_concern_accept_view_changed_text_without_a_note_shows_the_error(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    client.force_login(officer)

    response = _publish(client, concern, **{"publish-note": ""})

    assert response.status_code == 200
    assert response.context["publish_form"].errors == {"note": [str(services.ERROR_NOTE_REQUIRED)]}
    assert response.content.decode().count('href="#id_publish-note"') == 1
    concern.refresh_from_db()
    assert concern.status == "received"


def test_concern_publish_and_shortlist_view(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]))
    client.force_login(officer)

    response = _publish(client, concern, verb="shortlist", meeting=str(meeting.pk))

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.description) == ("shortlisted", REDACTED)


def test_concern_publish_and_shortlist_view_without_a_meeting_keeps_the_text(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    MeetingFactory(panel=PanelFactory(wards=[ward_a]))
    client.force_login(officer)

    response = _publish(client, concern, verb="shortlist", **{"publish-public_text": "My own edit"})

    assert response.status_code == 200
    assert "\nMy own edit</textarea>" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "received"


def test_follow_email_tells_the_resident_why_their_words_changed(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    services.concern_accept(actor=officer, concern=concern, public_text=REDACTED, note=NOTE)

    words = step_words(concern.history.get(kind=ConcernEvent.Kind.ACCEPTED))

    assert words == (
        "accepted and published on the ward's list of concerns. "
        f"Before publishing it, the team changed your words: “{NOTE}”"
    )


def test_concern_accept_publishes_the_confirmed_location_and_keeps_the_residents(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description="Music all night", location_text="outside number 14")

    services.concern_accept(
        actor=officer, concern=concern, public_text="Music all night", public_location="Tonbridge Road", note=NOTE
    )

    concern.refresh_from_db()
    assert (concern.location_text, concern.original_location_text) == ("Tonbridge Road", "outside number 14")
    assert (concern.description, concern.original_description) == ("Music all night", "")


def test_concern_detail_proposes_the_location_redacted_too(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description="Music all night", location_text="outside number 14")
    client.force_login(officer)

    response = client.get(reverse("priorities:staff_concern", args=[concern.reference]))

    assert response.context["publish_form"]["public_location"].value() == "outside [address removed]"
    assert "we removed a house address from it" in response.context["publish_form"]["note"].value()
    listing_before = client.get(reverse("priorities:ward_concerns", args=[ward_a.code])).content.decode()
    assert "number 14" not in listing_before


def test_concern_accept_view_refuses_a_location_too_long(client, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    client.force_login(officer)

    response = _publish(client, concern, **{"publish-public_location": "x" * 201})

    assert response.status_code == 200
    assert response.context["publish_form"].errors == {"public_location": [str(services.ERROR_LOCATION_TOO_LONG)]}
