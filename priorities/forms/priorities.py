"""Forms of a priority once adopted: its details, and resolving it. priorities.services.priorities saves."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import page_form_helper
from priorities.models import PartnerAgency, PlanPriority
from wards.models import Officer

ERROR_TITLE_REQUIRED = _("Enter the priority as the panel agreed it")
ERROR_TITLE_TOO_LONG = _("Priority must be 200 characters or fewer")
ERROR_OUTCOME_REQUIRED = _("Enter what was achieved")
ERROR_OUTCOME_TOO_LONG = _("What was achieved must be 2000 characters or fewer")
ERROR_CHOICE_GONE = _("That choice is no longer available: select another")
ERROR_SHORT_TITLE_REQUIRED = _("Enter a short title for the priority")


class _OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class PriorityForm(forms.Form):
    title = forms.CharField(
        label=_("Priority"),
        help_text=_("The issue, as the panel agreed it"),
        max_length=200,
        error_messages={"required": ERROR_TITLE_REQUIRED, "max_length": ERROR_TITLE_TOO_LONG},
    )
    lead_officer = _OfficerChoice(
        queryset=Officer.objects.none(),
        required=False,
        label=_("Lead officer"),
        empty_label=_("No lead officer yet"),
        error_messages={"invalid_choice": ERROR_CHOICE_GONE},
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=PartnerAgency.objects.none(),
        required=False,
        label=_("Partner agencies involved"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_CHOICE_GONE},
    )
    plan_priority = forms.ModelChoiceField(
        queryset=PlanPriority.objects.none(),
        required=False,
        label=_("Police and Crime Plan priority it serves"),
        empty_label=_("Not chosen yet"),
        error_messages={"invalid_choice": ERROR_CHOICE_GONE},
    )

    def __init__(self, *args, officers, partners, plan_priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers
        self.fields["partners"].queryset = partners
        self.fields["plan_priority"].queryset = plan_priorities
        self.helper = page_form_helper(
            Field.text("title"),
            Field.select("lead_officer"),
            Field.checkboxes("partners", legend_size="s", small=True),
            Field.select("plan_priority"),
        )


class AdoptionForm(PriorityForm):
    """A priority just adopted at the ballot's close: its short title, lead officer, plan priority
    and partners. One per priority on the adoption page, each saved on its own."""

    def __init__(self, *args, priority_pk: int, **kwargs):
        super().__init__(*args, prefix=f"p{priority_pk}", **kwargs)
        self.fields["title"].label = _("Short title")
        self.fields["title"].help_text = _("How residents will know it, for example ‘Speeding on London Road’")
        self.fields["title"].error_messages["required"] = ERROR_SHORT_TITLE_REQUIRED
        self.fields["lead_officer"].help_text = _(
            "Or leave it for the team's sergeant: sergeants and inspectors are reminded each week "
            "of a priority with no lead officer"
        )
        self.fields["partners"].label = _("Partner agencies working on it in the ward")
        layout = [Field.text("title"), Field.select("lead_officer"), Field.select("plan_priority")]
        if self.fields["partners"].queryset.exists():
            layout.insert(2, Field.checkboxes("partners", legend_size="s", small=True))
        else:
            # No agency is recorded as working in the ward: an empty list of boxes would only puzzle.
            del self.fields["partners"]
        self.helper = page_form_helper(*layout)


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was achieved"),
        help_text=_("This is shown on the ward's page of past priorities"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": ERROR_OUTCOME_REQUIRED, "max_length": ERROR_OUTCOME_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.textarea("outcome"))
