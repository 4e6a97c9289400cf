"""Forms of equality monitoring: the questions offered beside the public forms, and those for
the people taking part in PACT."""

from crispy_forms_gds.layout import Field, Fieldset
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotForm, page_form_helper
from feedback.models import EqualityResponse
from feedback.selectors.equality import STRAND_LABELS
from feedback.services.equality import ERROR_ROLE_INVALID

INTRO = _(
    "These questions are optional. Your answers are kept apart from the rest of what you tell us, "
    "so they cannot be linked to you, and are only reported as totals for groups of people."
)


class EqualityForm(forms.Form):
    """The six strands of equality monitoring, every question optional with "Prefer not to say".

    Offered beside the public forms as a clearly separate part; its cleaned data goes to
    feedback.services.equality.equality_record, never into the form it was offered with.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for strand in EqualityResponse.STRANDS:
            self.fields[strand] = forms.ChoiceField(
                label=STRAND_LABELS[strand],
                choices=EqualityResponse.strand_choices(strand),
                required=False,
                widget=forms.RadioSelect,
            )
        self.helper = page_form_helper(
            Fieldset(
                *(Field.radios(strand, legend_size="s", small=True) for strand in EqualityResponse.STRANDS),
                legend=_("About you (optional)"),
            )
        )

    def answers(self) -> dict[str, str]:
        return {strand: self.cleaned_data.get(strand) or "" for strand in EqualityResponse.STRANDS}


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
