"""The officer's workspace section of partner information and residents' logs, self-contained:
``{% load partner_information %}{% workspace_information %}`` in the workspace template."""

from typing import Any

from django import template

from priorities.selectors.evidence import workspace_information_for

register = template.Library()


@register.inclusion_tag("priorities/information/_workspace.html", takes_context=True)
def workspace_information(context: dict[str, Any]) -> dict[str, Any]:
    return {"information": workspace_information_for(context["request"].user)}
