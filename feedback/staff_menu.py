"""The feedback app's pages on the staff home (see core.staff_menu)."""

from core.roles import Role
from core.staff_menu import staff_link

staff_link(
    order=40,
    label="Feedback, compliments and complaints",
    url_name="feedback:staff_queue",
    roles=(Role.OFFICER, Role.PROFESSIONAL_STANDARDS, Role.ADMINISTRATOR),
    hint="Assign, note, reply and close what residents told you",
)
staff_link(
    order=50,
    label="Consultation surveys",
    url_name="feedback:staff_surveys",
    roles=(Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR),
    hint="Written answers from your wards, to raise as PACT concerns",
)
staff_link(
    order=55,
    label="Create a consultation survey",
    url_name="feedback:staff_survey_create",
    roles=(Role.ADMINISTRATOR,),
    hint="Write its questions, preview it as residents see it, then open it",
)
staff_link(
    order=60,
    label="Equality monitoring",
    url_name="feedback:staff_equality_report",
    roles=(Role.ADMINISTRATOR,),
    hint="How far the people taking part in PACT reflect the communities they serve",
)
staff_link(
    order=65,
    label="Satisfaction after a concern",
    url_name="feedback:staff_satisfaction_report",
    roles=(Role.ADMINISTRATOR,),
    hint="How residents rated the handling of their concerns, by team or district and month",
)
