"""The subscription form: an email address and what to get (priorities.services.subscriptions saves)."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_EMAIL_INVALID, HoneypotForm
from priorities.services.subscriptions import ERROR_NOTHING_CHOSEN

ERROR_EMAIL_REQUIRED = _("Enter your email address")
UPDATES, MEETINGS = "updates", "meetings"


class SubscribeForm(HoneypotForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=None,  # no maxlength attribute: a long paste is kept whole and refused with a message
        validators=[MaxLengthValidator(254)],
        error_messages={
            "required": ERROR_EMAIL_REQUIRED,
            "invalid": ERROR_EMAIL_INVALID,
            "max_length": ERROR_EMAIL_INVALID,
            "null_characters_not_allowed": ERROR_EMAIL_INVALID,
        },
    )
    wants = forms.MultipleChoiceField(
        label=_("What would you like to get by email?"),
        help_text=_("Select all that apply."),
        choices=[
            (UPDATES, _("Monthly updates: what the team did about the priorities")),
            (MEETINGS, _("New meetings: when a PACT meeting or surgery is arranged")),
        ],
        initial=[UPDATES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_NOTHING_CHOSEN, "invalid_choice": ERROR_NOTHING_CHOSEN},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The page writes the <form>, the CSRF token and the button itself.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("email", spellcheck="false", autocomplete="email", field_width=20),
            Field.checkboxes("wants", legend_size="m"),
        )

    def cleaned_data_for_service(self) -> dict[str, Any]:
        wants = self.cleaned_data["wants"]
        email = self.cleaned_data["email"]
        return {"email": email, "wants_updates": UPDATES in wants, "wants_meetings": MEETINGS in wants}
