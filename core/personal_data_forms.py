"""The forms of the staff personal data pages: they validate input; core.personal_data acts."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_EMAIL_INVALID, page_form_helper
from core.personal_data import address_normalise, personal_data_sources

ERROR_EMAIL_REQUIRED = _("Enter the email address to search for")
ERROR_CONFIRM_REQUIRED = _("Type the email address again to confirm the erasure")
ERROR_CONFIRM_MISMATCH = _("The address you typed is not the one you searched for: type it again")
ERROR_SOURCES_REQUIRED = _("Select the personal data to erase")


class AddressForm(forms.Form):
    """The address to search for (sent by POST only: addresses in URLs end up in logs)."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The address the person gave PACT, as they gave it. Upper or lower case does not matter."),
        max_length=254,
        error_messages={"required": ERROR_EMAIL_REQUIRED, "invalid": ERROR_EMAIL_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(
            Field.text("email", label_size="s", field_width=30, autocomplete="off", spellcheck="false")
        )

    def clean_email(self) -> str:
        return address_normalise(self.cleaned_data["email"])


class EraseForm(forms.Form):
    """The confirmation of an erasure: the sources chosen and the address typed a second time."""

    email = forms.EmailField(
        max_length=254,
        widget=forms.HiddenInput,
        error_messages={"required": ERROR_EMAIL_REQUIRED, "invalid": ERROR_EMAIL_INVALID},
    )
    sources = forms.MultipleChoiceField(
        label=_("What to erase"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_SOURCES_REQUIRED, "invalid_choice": ERROR_SOURCES_REQUIRED},
    )
    confirm_email = forms.CharField(
        label=_("Type the email address again to confirm"),
        max_length=254,
        error_messages={"required": ERROR_CONFIRM_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = [(source.name, source.label) for source in personal_data_sources()]
        # The hidden address is written by the template: the layout shows what people fill in.
        self.helper = page_form_helper(
            Field.checkboxes("sources", legend_size="m"),
            Field.text("confirm_email", label_size="s", field_width=30, autocomplete="off", spellcheck="false"),
        )

    def clean_email(self) -> str:
        return address_normalise(self.cleaned_data["email"])

    def clean(self) -> dict:
        data = super().clean()
        email, typed = data.get("email"), data.get("confirm_email")
        if email and typed and address_normalise(typed) != email:
            self.add_error("confirm_email", ERROR_CONFIRM_MISMATCH)
        return data
