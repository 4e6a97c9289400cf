"""Forms of the PACT cycle, split by sub-domain: events, concerns, ballots and priorities."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout


def page_form_helper(*fields) -> FormHelper:
    """A GOV.UK form layout for a page that writes the <form>, its CSRF token and its button
    itself (several small forms often share one staff page)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper
