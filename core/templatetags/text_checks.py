"""Residents' text on staff pages with what looks like personal data marked (core.text_checks)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.text_checks import segments

register = template.Library()
_BREAK = SafeString("<br>")


def _lines(text: str) -> SafeString:
    return format_html_join(_BREAK, "{}", ((line,) for line in text.split("\n")))


@register.filter
def marked_personal_data(text: str) -> SafeString:
    """``text`` escaped, its line breaks kept, and each stretch that looks like personal data in a
    <mark> that also says, to a screen reader, what it looks like."""
    parts = (
        _lines(chunk)
        if finding is None
        else format_html(
            '<mark class="pact-personal-data">{}<span class="govuk-visually-hidden"> (looks like {})</span></mark>',
            _lines(chunk),
            finding.label,
        )
        for chunk, finding in segments(text or "")
    )
    return format_html_join("", "{}", ((part,) for part in parts))
