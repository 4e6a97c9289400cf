"""Form pieces the apps' forms share."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

ERROR_HONEYPOT = _("Leave the field headed ‘Leave this empty’ empty")
ERROR_EMAIL_INVALID = _("Enter an email address in the correct format, like name@example.com")


def page_form_helper(*fields) -> FormHelper:
    """A GOV.UK form layout for a page that writes the <form>, its CSRF token and its button
    itself (several small forms often share one staff page)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class MultiLineField(forms.CharField):
    """Free text from a textarea, counted as people see it.

    Browsers send each line break as two characters (CR LF) while the character count
    counts one; normalising first means text the count accepted is never refused. There is
    no maxlength attribute, so a longer paste is kept whole and the person can shorten it.
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class HoneypotForm(forms.Form):
    """Adds a field people never see (it is off-screen and hidden from assistive technology)
    and automated scripts fill in. A filled-in honeypot is refused like any other error, so
    a person who somehow filled it loses nothing and is told what to do."""

    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(ERROR_HONEYPOT)
        return ""
