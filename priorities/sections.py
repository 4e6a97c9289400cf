"""The sections the PACT cycle adds to the ward and team pages (see wards.sections)."""

from wards.sections import register_team_section, register_ward_section


def register() -> None:
    from priorities.selectors import agendas, concerns, events, news, priorities, updates

    folder = "priorities/sections"
    # Phone first: the priorities (10) and the coming meetings (20) open the ward page, then its
    # officers (22, wards) and the concerns (24); news, updates and past priorities are folded
    # (wards.sections).
    register_ward_section(
        order=10,
        template=f"{folder}/_ward_priorities.html",
        context=priorities.ward_section,
        title="Our priorities",
        anchor="priorities",
    )
    register_ward_section(
        order=20,
        template=f"{folder}/_ward_events.html",
        context=events.ward_section,
        title="Meetings and surgeries",
        anchor="meetings",
    )
    # A published agenda sits beside the meeting; it renders nothing (and is not in the
    # contents) when there is none.
    register_ward_section(order=21, template=f"{folder}/_agendas.html", context=agendas.ward_section)
    register_ward_section(
        order=24,
        template=f"{folder}/_ward_concerns.html",
        context=concerns.ward_section,
        title="Local concerns",
        anchor="concerns",
    )
    register_ward_section(
        order=28,
        template=f"{folder}/_ward_news.html",
        context=news.ward_section,
        title="Local news",
        anchor="news",
        folded=True,
    )
    register_ward_section(
        order=30,
        template=f"{folder}/_ward_updates.html",
        context=updates.ward_section,
        title="Monthly updates",
        anchor="updates",
        folded=True,
    )
    register_ward_section(
        order=32,
        template=f"{folder}/_ward_past_priorities.html",
        context=priorities.ward_past_section,
        title="Past priorities",
        anchor="past-priorities",
        folded=True,
    )
    register_ward_section(
        order=35,
        template=f"{folder}/_ward_subscribe.html",
        context=lambda ward: {},
        title="Get updates by email",
        anchor="subscribe",
    )
    register_team_section(order=20, template=f"{folder}/_team_events.html", context=events.team_section)
    register_team_section(order=22, template=f"{folder}/_agendas.html", context=agendas.team_section)
    register_team_section(order=25, template=f"{folder}/_team_news.html", context=news.team_section)
    register_team_section(order=30, template=f"{folder}/_team_updates.html", context=updates.team_section)
    register_team_section(order=35, template=f"{folder}/_team_subscribe.html", context=lambda team: {})
