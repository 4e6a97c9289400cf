"""The agenda form (staff) and the support form (residents): they validate input only;
services/agendas.py and services/meeting_support.py save."""

from collections.abc import Sequence

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_EMAIL_INVALID, HoneypotForm, MultiLineField
from priorities.models import Concern
from priorities.services.meeting_support import ERROR_CHOOSE_ONE, ERROR_TOO_MANY

ERROR_EMAIL_REQUIRED = _("Enter your email address")
ERROR_POSTCODE_REQUIRED = _("Enter your postcode")
ERROR_MATTERS_LONG = _("Matters arising must be 5,000 characters or fewer")
ERROR_ACCESS_LONG = _("Accessibility notes must be 500 characters or fewer")


class AgendaForm(forms.Form):
    matters_arising = MultiLineField(
        label=_("Matters arising from the last meeting"),
        help_text=_("Actions promised at the last meeting and what became of them. Residents read this."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[MaxLengthValidator(5000, ERROR_MATTERS_LONG)],
    )
    accessibility_notes = forms.CharField(
        label=_("Venue accessibility"),
        help_text=_("Step-free access, hearing loop, accessible toilet, parking, how to ask for help."),
        required=False,
        max_length=None,
        validators=[MaxLengthValidator(500, ERROR_ACCESS_LONG)],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("matters_arising", max_characters=5000),
            Field.textarea("accessibility_notes", max_characters=500),
        )


class SupportForm(HoneypotForm):
    concerns = forms.TypedMultipleChoiceField(
        label=_("Which concerns do you support?"),
        help_text=_("Select up to three."),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_CHOOSE_ONE, "invalid_choice": ERROR_CHOOSE_ONE},
    )
    postcode = forms.CharField(
        label=_("Your postcode"),
        help_text=_("To check you live in the ward. We do not keep it."),
        max_length=10,
        error_messages={"required": ERROR_POSTCODE_REQUIRED, "max_length": ERROR_POSTCODE_REQUIRED},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We email you a link: your support counts once you open it. We never show your address."),
        max_length=None,
        validators=[MaxLengthValidator(254)],
        error_messages={
            "required": ERROR_EMAIL_REQUIRED,
            "invalid": ERROR_EMAIL_INVALID,
            "max_length": ERROR_EMAIL_INVALID,
        },
    )

    def __init__(self, *args, concerns: Sequence[Concern], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = [
            (concern.pk, f"{concern.category.name}: {concern.description[:120]}") for concern in concerns
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("concerns", legend_size="m"),
            Field.text("postcode", autocomplete="postal-code", spellcheck="false", field_width=10),
            Field.text("email", autocomplete="email", spellcheck="false", field_width=20),
        )

    def clean_concerns(self) -> list[int]:
        chosen = self.cleaned_data["concerns"]
        if len(chosen) > 3:
            raise forms.ValidationError(ERROR_TOO_MANY)
        return chosen
