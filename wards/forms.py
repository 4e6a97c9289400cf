import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from wards.postcodes import normalise_outward, normalise_postcode

ERROR_REQUIRED = _("Enter a postcode, town or ward name")
ERROR_TOO_LONG = _("Postcode, town or ward name must be 100 characters or fewer")
ERROR_BAD_POSTCODE = _("Enter a full postcode, like ME4 4TR, or the first part of one, like ME4")
ERROR_BAD_CHARACTERS = _(
    "Postcode, town or ward name must only include letters, numbers, spaces, hyphens and apostrophes"
)
ERROR_TOO_SHORT = _("Enter at least 2 letters of a town or ward name")

_NAME_CHARACTERS = re.compile(r"^[\w\s'’.,&()-]+$")


class SearchForm(forms.Form):
    """What a resident typed into the search box, sorted into postcode, outward code or name."""

    q = forms.CharField(
        label=_("Postcode, town or ward"),
        help_text=_("For example, ME4 4TR, Chatham or Rochester West"),
        max_length=100,
        error_messages={"required": ERROR_REQUIRED, "max_length": ERROR_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page writes the <form> itself: a GET search whose only parameter is q.
        self.helper.form_tag = False
        # A GET form: a CSRF token would be put in the address, and so in logs and Referer headers.
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.text("q", label_size="m", field_width=20, spellcheck="false"))

    def clean_q(self) -> dict[str, str]:
        text = self.cleaned_data["q"].strip()
        if postcode := normalise_postcode(text):
            return {"kind": "postcode", "value": postcode, "text": text}
        if outward := normalise_outward(text):
            return {"kind": "outward", "value": outward, "text": text}
        if not _NAME_CHARACTERS.match(text):
            raise forms.ValidationError(ERROR_BAD_CHARACTERS)
        if any(ch.isdigit() for ch in text):
            # Ward and town names have no digits: this is a postcode typed wrongly.
            raise forms.ValidationError(ERROR_BAD_POSTCODE)
        if len(text) < 2:
            raise forms.ValidationError(ERROR_TOO_SHORT)
        return {"kind": "name", "value": " ".join(text.split()), "text": text}
