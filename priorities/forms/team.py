"""The form that says which of the team's wards an officer covers (priorities.services.team saves it)."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import page_form_helper
from wards.models import Ward

ERROR_WARD_GONE = _("One of the wards chosen is no longer the team's: choose again")


class _WardChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Ward) -> str:
        return obj.name


class OfficerWardsForm(forms.Form):
    wards = _WardChoice(
        queryset=Ward.objects.none(),
        required=False,
        label=_("Which wards do they cover?"),
        help_text=_("Choose none if they work across the whole team. A ward may have several officers."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_WARD_GONE, "invalid_pk_value": ERROR_WARD_GONE},
    )

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = wards
        self.helper = page_form_helper(Field.checkboxes("wards", legend_size="m", small=True))
