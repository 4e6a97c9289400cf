"""The PACT cycle's pages on the staff home (see core.staff_menu)."""

from core.roles import Role
from core.staff_menu import staff_link

RUN = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
TEAM = (Role.OFFICER, Role.ADMINISTRATOR)

staff_link(order=10, label="Concerns", url_name="priorities:staff_concerns", roles=RUN, hint="Moderate and shortlist")
staff_link(order=12, label="Meetings and surgeries", url_name="priorities:staff_event_list", roles=RUN)
staff_link(
    order=14,
    label="Ballots",
    url_name="priorities:staff_ballots",
    roles=(Role.CHAIR, Role.ADMINISTRATOR),
    hint="Record the panel's votes and publish the top three",
)
staff_link(
    order=16,
    label="Panels and members",
    url_name="priorities:staff_panels",
    roles=RUN,
    hint="Add and end members, hand over the chair, invite new members",
)
staff_link(order=20, label="Local news", url_name="priorities:staff_news", roles=TEAM)
staff_link(
    order=21,
    label="Your team",
    url_name="priorities:staff_team",
    roles=TEAM,
    hint="Who is in the team, and which wards each of them covers",
)
staff_link(order=22, label="Monthly updates", url_name="priorities:staff_update_list", roles=TEAM)
staff_link(
    order=24,
    label="Information from partners",
    url_name="priorities:staff_information",
    roles=TEAM,
    hint="Incidents and sightings partner agencies reported in your wards",
)
staff_link(
    order=30,
    label="Partnership report: priorities",
    url_name="priorities:staff_partnership_report",
    # Professional standards are tied to no district, so the report would show them nothing.
    roles=(Role.OFFICER, Role.CHAIR, Role.PARTNER, Role.ADMINISTRATOR),
    hint="Every ward's priorities by district, with how long each has been open, as a table or CSV",
)
