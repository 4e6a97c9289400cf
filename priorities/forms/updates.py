"""The form of the staff correction page: it validates input; services/updates.py saves it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

ERROR_SUMMARY = _("Enter the corrected summary")
ERROR_REASON = _("Enter the reason for the correction, like The number of meetings was wrong")


class UpdateCorrectForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("Residents see this at the top of the update."),
        max_length=2000,
        error_messages={"required": ERROR_SUMMARY},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        help_text=_("Shown on the update, with the date of the correction."),
        max_length=300,
        error_messages={"required": ERROR_REASON},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("summary", label_size=Size.SMALL),
            Field.textarea("reason", label_size=Size.SMALL),
        )
