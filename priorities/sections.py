"""The sections the PACT cycle adds to the ward and team pages (see wards.sections)."""

from wards.sections import register_team_section, register_ward_section


def register() -> None:
    from priorities.selectors import agendas, concerns, events, news, priorities, updates

    folder = "priorities/sections"
    register_ward_section(order=10, template=f"{folder}/_ward_priorities.html", context=priorities.ward_section)
    register_ward_section(order=15, template=f"{folder}/_ward_concerns.html", context=concerns.ward_section)
    register_ward_section(order=20, template=f"{folder}/_ward_events.html", context=events.ward_section)
    register_ward_section(order=22, template=f"{folder}/_agendas.html", context=agendas.ward_section)
    register_ward_section(order=25, template=f"{folder}/_ward_news.html", context=news.ward_section)
    register_ward_section(order=30, template=f"{folder}/_ward_updates.html", context=updates.ward_section)
    register_ward_section(order=35, template=f"{folder}/_ward_subscribe.html", context=lambda ward: {})
    register_team_section(order=20, template=f"{folder}/_team_events.html", context=events.team_section)
    register_team_section(order=22, template=f"{folder}/_agendas.html", context=agendas.team_section)
    register_team_section(order=25, template=f"{folder}/_team_news.html", context=news.team_section)
    register_team_section(order=30, template=f"{folder}/_team_updates.html", context=updates.team_section)
    register_team_section(order=35, template=f"{folder}/_team_subscribe.html", context=lambda team: {})
