"""Forms of the feedback app."""

from crispy_forms_gds.layout import Field, Fieldset
from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import EqualityResponse
from feedback.selectors import STRAND_LABELS
from priorities.forms import page_form_helper

INTRO = _(
    "These questions are optional. Your answers are kept apart from the rest of what you tell us, "
    "so they cannot be linked to you, and are only reported as totals for groups of people."
)


class EqualityForm(forms.Form):
    """The six strands of equality monitoring, every question optional with "Prefer not to say".

    Offered beside the public forms as a clearly separate part; its cleaned data goes to
    feedback.services.equality_record, never into the form it was offered with.
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
