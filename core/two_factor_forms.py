"""The forms of the second-factor pages: they check the shape of a code; core.two_factor checks the code."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import page_form_helper
from core.two_factor import BACKUP_LENGTH, ERROR_CODE_FORMAT, ERROR_CODE_REQUIRED, is_totp_code, normalise_code


class _CodeForm(forms.Form):
    code = forms.CharField(max_length=40, strip=True, error_messages={"required": ERROR_CODE_REQUIRED})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(
            Field.text(
                "code",
                label_size="s",
                field_width=10,
                autocomplete="one-time-code",
                spellcheck="false",
                autocapitalize="none",
            )
        )


class SetupCodeForm(_CodeForm):
    """The first code of a new authenticator: six digits only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from your authenticator app")
        self.fields["code"].help_text = _("The 6 digits the app shows for PACT Kent and Medway, for example 123456")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not is_totp_code(code):
            raise forms.ValidationError(ERROR_CODE_REQUIRED)
        return code


class CheckCodeForm(_CodeForm):
    """A code at sign-in: six digits from the app, or a backup code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Security code")
        self.fields["code"].help_text = _(
            "The 6 digits your authenticator app shows for PACT Kent and Medway, or one of your backup codes"
        )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (is_totp_code(code) or len(code) == BACKUP_LENGTH):
            raise forms.ValidationError(ERROR_CODE_FORMAT)
        return code
