"""Forms of equality monitoring for the people taking part in PACT."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotForm, page_form_helper
from feedback.forms.feedback import EqualityForm
from feedback.models import EqualityResponse
from feedback.services.equality import ERROR_ROLE_INVALID


def _strand_fields() -> list:
    return [Field.radios(strand, legend_size="s", small=True) for strand in EqualityResponse.STRANDS]


class AboutYouForm(EqualityForm, HoneypotForm):
    """A participant's own answers: the six strands, every one optional, and the honeypot."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page is about these questions alone, so they need no fieldset of their own.
        self.helper = page_form_helper(*_strand_fields())


class EqualityPaperForm(EqualityForm):
    """One paper monitoring form as staff type it in: who handed it in, then its answers."""

    role = forms.ChoiceField(
        label=_("The person who filled in the form is"),
        choices=[
            (EqualityResponse.Context.MEETING_ATTENDEE, _("Attending the meeting")),
            (EqualityResponse.Context.PANEL_MEMBER, _("A member of the panel")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_ROLE_INVALID, "invalid_choice": ERROR_ROLE_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.radios("role", legend_size="m"), *_strand_fields())
