"""The partnership report's filters."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import page_form_helper
from priorities.models import Category, PlanPriority, Priority
from priorities.selectors.reports import ACTIVE, ReportFilters

ERROR_DISTRICT = _("Choose a district from the list")
ERROR_CATEGORY = _("Choose a category from the list")
ERROR_PLAN_PRIORITY = _("Choose a Police and Crime Plan priority from the list")
ERROR_STATUS = _("Choose a status from the list")
ERROR_STALE_DAYS = _("Enter a whole number of days from 1 to 3650, or leave it empty")
STATUSES = [(ACTIVE, _("Current or in progress")), *Priority.Status.choices]


class PartnershipReportForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=None,
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": ERROR_DISTRICT},
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
        error_messages={"invalid_choice": ERROR_CATEGORY},
    )
    plan_priority = forms.ModelChoiceField(
        label=_("Police and Crime Plan priority"),
        queryset=PlanPriority.objects.order_by("plan", "position", "name"),
        required=False,
        empty_label=_("All plan priorities"),
        error_messages={"invalid_choice": ERROR_PLAN_PRIORITY, "invalid_pk_value": ERROR_PLAN_PRIORITY},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUSES, required=False, error_messages={"invalid_choice": ERROR_STATUS}
    )
    stale_days = forms.IntegerField(
        label=_("No progress for at least this many days (optional)"),
        min_value=1,
        max_value=3650,
        required=False,
        widget=forms.TextInput,
        error_messages={"invalid": ERROR_STALE_DAYS, "min_value": ERROR_STALE_DAYS, "max_value": ERROR_STALE_DAYS},
    )

    def __init__(self, *args, districts, all_districts_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = all_districts_label
        self.helper = page_form_helper(
            Field.select("district"),
            Field.select("category"),
            Field.select("plan_priority"),
            Field.select("status"),
            Field.text("stale_days", field_width=4, inputmode="numeric"),
        )

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            district_id=data["district"].pk if data.get("district") else None,
            category_id=data["category"].pk if data.get("category") else None,
            plan_priority_id=data["plan_priority"].pk if data.get("plan_priority") else None,
            status=data.get("status") or ACTIVE,
            stale_days=data.get("stale_days"),
        )
