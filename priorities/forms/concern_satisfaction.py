"""The "How did we do?" form on a concern's status page: two questions and an optional comment."""

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotForm, MultiLineField, page_form_helper
from core.satisfaction import COMMENT_MAX_LENGTH, FIXED, SCORES

ERROR_SCORE_REQUIRED = _("Select how satisfied you are with how your concern was handled")
ERROR_FIXED_REQUIRED = _("Select whether it has been fixed: yes, partly or no")
ERROR_COMMENT_TOO_LONG = _("Your comment must be 2000 characters or fewer")
ERROR_NULL_CHARACTERS = _("Remove the hidden control characters from your comment")


class ConcernSatisfactionForm(HoneypotForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how this was handled?"),
        help_text=_("1 is very dissatisfied, 5 is very satisfied"),
        choices=[(str(value), f"{value}: {label}") for value, label in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_SCORE_REQUIRED, "invalid_choice": ERROR_SCORE_REQUIRED},
    )
    fixed = forms.ChoiceField(
        label=_("Has it been fixed?"),
        choices=FIXED,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_FIXED_REQUIRED, "invalid_choice": ERROR_FIXED_REQUIRED},
    )
    comment = MultiLineField(
        label=_("Anything you would like to add? (optional)"),
        help_text=_("The neighbourhood team reads this. Do not include anyone's name or address."),
        required=False,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
        error_messages={"max_length": ERROR_COMMENT_TOO_LONG, "null_characters_not_allowed": ERROR_NULL_CHARACTERS},
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(
            Field.radios("score", legend_size="s"),
            Field.radios("fixed", legend_size="s", inline=True),
            Field.textarea("comment", rows=4, max_characters=COMMENT_MAX_LENGTH, label_size="s"),
        )

    def cleaned_data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("score", "fixed", "comment")}
