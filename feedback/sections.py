"""The section the feedback app adds to the ward and team pages (see wards.sections): how to
compliment the team's officers, give feedback after one attended, suggest or complain, and the
consultation surveys open in the ward's district."""

from wards.sections import register_team_section, register_ward_section


def register() -> None:
    from feedback.selectors import surveys

    register_ward_section(order=38, template="feedback/sections/_ward_surveys.html", context=surveys.ward_section)
    template = "feedback/sections/_have_your_say.html"
    register_ward_section(order=40, template=template, context=lambda ward: {"team": ward.team})
    register_team_section(order=40, template=template, context=lambda team: {"team": team})
