"""The form of a progress entry: it validates input; priorities.services.progress saves it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from priorities.forms.events import EventDateField
from priorities.models import ProgressEntry

ERROR_DATE_REQUIRED = _("Enter the date it was done")
ERROR_TEXT_REQUIRED = _("Enter what was done")
ERROR_TEXT_TOO_LONG = _("What was done must be 2000 characters or fewer")
ERROR_VISIBILITY = _("Choose whether the entry is public or internal")
ERROR_BY = _("Choose who did it")


class ProgressDateField(EventDateField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(required=ERROR_DATE_REQUIRED, incomplete=ERROR_DATE_REQUIRED)


class ProgressForm(forms.Form):
    """The date it was done defaults to today (the view's initial). ``by`` offers the team's
    officers and the agencies named on the priority, as "officer-<pk>" and "agency-<pk>";
    cleaned_data gets ``officer`` and ``agency``."""

    happened_on = ProgressDateField(label=_("When was it done?"), help_text=_("For example, 27 3 2026"))
    text = forms.CharField(
        label=_("What was done"),
        help_text=_("Public entries are shown on the priority's page and in the monthly update"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": ERROR_TEXT_REQUIRED, "max_length": ERROR_TEXT_TOO_LONG},
    )
    by = forms.ChoiceField(label=_("Who did it"), error_messages={"required": ERROR_BY, "invalid_choice": ERROR_BY})
    visibility = forms.ChoiceField(
        label=_("Who can see this entry?"),
        choices=ProgressEntry.Visibility.choices,
        initial=ProgressEntry.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_VISIBILITY, "invalid_choice": ERROR_VISIBILITY},
    )

    def __init__(self, *args, officers, agencies, with_visibility: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Putting an entry right keeps its visibility: a public one is taken down by withdrawing it.
        if not with_visibility:
            del self.fields["visibility"]
        self._officers = {f"officer-{officer.pk}": officer for officer in officers}
        self._agencies = {f"agency-{agency.pk}": agency for agency in agencies}
        choices = [(key, str(officer)) for key, officer in self._officers.items()]
        choices += [(key, agency.name) for key, agency in self._agencies.items()]
        self.fields["by"].choices = choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("happened_on", legend_size=Size.SMALL),
            Field.textarea("text"),
            Field.select("by"),
        )
        if with_visibility:
            self.helper.layout.append(Field.radios("visibility", legend_size=Size.SMALL, small=True))

    def clean(self):
        cleaned = super().clean()
        by = cleaned.get("by")
        cleaned["officer"] = self._officers.get(by)
        cleaned["agency"] = self._agencies.get(by)
        return cleaned
