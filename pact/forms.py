"""Form pieces every public form shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

ERROR_HONEYPOT = _("Leave the field headed ‘Leave this empty’ empty")


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
