"""Forms of partner information reports and residents' incident logs: they validate input only;
priorities.services.information and priorities.services.incident_logs save."""

import datetime
from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_EMAIL_INVALID, HoneypotForm, MultiLineField, page_form_helper
from priorities.forms.concerns import ConcernFieldsForm, ObjectChoiceField
from priorities.forms.events import EventDateField, parse_time
from priorities.models import Category, InformationReport
from priorities.services import incident_logs as log_services
from priorities.services import information as services

ERROR_DATE_REQUIRED = _("Enter the date it happened")
ERROR_TIME = _("Enter the time it happened, like 21:30")
ERROR_IN_FUTURE = _("The date and time it happened must be in the past")
ERROR_WARD_REQUIRED = _("Select the ward it happened in")
ERROR_CATEGORY_REQUIRED = _("Select what it is about")
ERROR_KIND_REQUIRED = _("Select whether it was an incident or a sighting")
ERROR_NULL_CHARACTERS = _("Remove the hidden control characters from this answer")
ERROR_STATUS = _("Select a status")


def _text(label, *, required_error="", too_long, max_length, hint="", required=True, textarea=True):
    return MultiLineField(
        label=label,
        help_text=hint,
        required=required,
        validators=[MaxLengthValidator(max_length)],
        error_messages={
            "required": required_error,
            "max_length": too_long,
            "null_characters_not_allowed": ERROR_NULL_CHARACTERS,
        },
        widget=forms.Textarea if textarea else forms.TextInput,
    )


class HappenedDateField(EventDateField):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(required=ERROR_DATE_REQUIRED, incomplete=ERROR_DATE_REQUIRED)


class WhenForm(forms.Form):
    """When something happened: a GOV.UK date input and a typed time, read as UK time, not in the future."""

    happened_on = HappenedDateField(label=_("When did it happen?"), help_text=_("For example, 27 3 2026"))
    happened_time = forms.CharField(
        label=_("At what time?"),
        help_text=_("Use the 24-hour clock, for example 21:30, or your best guess"),
        max_length=10,
        error_messages={"required": ERROR_TIME},
    )

    def when_fields(self) -> list:
        return [Field("happened_on", legend_size=Size.SMALL), Field.text("happened_time", field_width=5)]

    def clean_happened_time(self) -> datetime.time:
        parsed = parse_time(self.cleaned_data["happened_time"])
        if parsed is None:
            raise ValidationError(ERROR_TIME)
        return parsed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day, time = cleaned.get("happened_on"), cleaned.get("happened_time")
        if day and time:
            cleaned["happened_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
            if cleaned["happened_at"] > timezone.now():
                self.add_error("happened_on", ERROR_IN_FUTURE)
        return cleaned


class InformationReportForm(WhenForm):
    """A partner's information form; the wards offered are only those its agency works in."""

    ward = ObjectChoiceField(label=_("Ward"), error_messages={"required": ERROR_WARD_REQUIRED})
    kind = forms.ChoiceField(
        label=_("Is this an incident or a sighting?"),
        choices=InformationReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_KIND_REQUIRED, "invalid_choice": ERROR_KIND_REQUIRED},
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        error_messages={"required": ERROR_CATEGORY_REQUIRED, "invalid_choice": ERROR_CATEGORY_REQUIRED},
    )
    what_happened = _text(
        _("What happened?"),
        required_error=services.ERROR_WHAT_REQUIRED,
        too_long=services.ERROR_WHAT_TOO_LONG,
        max_length=services.WHAT_MAX_LENGTH,
        hint=_("Say what you saw or what was reported to you"),
    )
    location_text = _text(
        _("Where did it happen?"),
        required_error=services.ERROR_WHERE_REQUIRED,
        too_long=services.ERROR_WHERE_TOO_LONG,
        max_length=services.WHERE_MAX_LENGTH,
        hint=_("For example, the name of a street, shop or park"),
        textarea=False,
    )
    people_description = _text(
        _("Description of people involved (optional)"),
        too_long=services.ERROR_PEOPLE_TOO_LONG,
        max_length=services.PEOPLE_MAX_LENGTH,
        hint=_("Only what the team needs: for example, clothing, age range, vehicle. Seen only by the ward's team."),
        required=False,
    )

    def __init__(self, *args, wards: Iterable[Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].set_objects(wards, key="code", empty_label=_("Select a ward"))
        self._categories = {category.slug: category for category in Category.objects.all()}
        self.fields["category"].choices = ConcernFieldsForm._category_choices(self)
        self.helper = page_form_helper(
            Field.select("ward"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.select("category"),
            *self.when_fields(),
            Field.textarea("what_happened", rows=6, max_characters=services.WHAT_MAX_LENGTH),
            Field.text("location_text"),
            Field.textarea("people_description", rows=3, max_characters=services.PEOPLE_MAX_LENGTH),
        )

    def clean_category(self) -> Category:
        return self._categories[self.cleaned_data["category"]]

    def cleaned_data_for_service(self) -> dict[str, Any]:
        names = ("ward", "kind", "category", "what_happened", "location_text", "happened_at", "people_description")
        return {name: self.cleaned_data[name] for name in names}


class InformationFilterForm(forms.Form):
    """The team's list filters: status (new unless chosen) and ward."""

    status = forms.ChoiceField(label=_("Status"), required=False, initial=InformationReport.Status.NEW)
    ward = ObjectChoiceField(label=_("Ward"), required=False)

    def __init__(self, *args, wards: Iterable[Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*InformationReport.Status.choices, ("all", _("Any status"))]
        self.fields["ward"].set_objects(wards, key="code", empty_label=_("All your wards"))
        self.helper = page_form_helper(Field.select("status"), Field.select("ward"))

    def filters(self) -> dict[str, Any]:
        """The status and ward chosen; a bad value falls back to the new reports rather than failing."""
        if not self.is_bound or not self.is_valid():
            return {"status": InformationReport.Status.NEW, "ward": None}
        status = self.cleaned_data["status"] or InformationReport.Status.NEW
        return {"status": "" if status == "all" else status, "ward": self.cleaned_data["ward"]}


class InformationToConcernForm(ConcernFieldsForm):
    """The concern an officer makes of a report: category, description and location, in their words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["contact_email"]
        self.fields["description"].help_text = _(
            "The concern may be published once moderated: describe the problem, not the people involved."
        )
        self.helper = page_form_helper(
            Field.select("category"),
            Field.textarea("description", rows=6, max_characters=2000),
            Field.text("location_text"),
        )


class IncidentLogStartForm(HoneypotForm):
    """A resident starting a log: an optional email address to send the private link to."""

    email = forms.EmailField(
        label=_("Email address (optional)"),
        help_text=_("We will email you the link to your log. We do not keep the address."),
        required=False,
        max_length=None,
        validators=[MaxLengthValidator(254)],
        error_messages={"invalid": ERROR_EMAIL_INVALID, "max_length": ERROR_EMAIL_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.text("email", spellcheck="false", autocomplete="email"))


class IncidentLogEntryForm(HoneypotForm, WhenForm):
    """One incident in a resident's log."""

    what_happened = _text(
        _("What happened?"),
        required_error=log_services.ERROR_WHAT_REQUIRED,
        too_long=log_services.ERROR_WHAT_TOO_LONG,
        max_length=log_services.WHAT_MAX_LENGTH,
        hint=_("Do not include anyone's name or address"),
    )
    effect = _text(
        _("How did it affect you?"),
        required_error=log_services.ERROR_EFFECT_REQUIRED,
        too_long=log_services.ERROR_EFFECT_TOO_LONG,
        max_length=log_services.EFFECT_MAX_LENGTH,
        hint=_("For example, you could not sleep, or felt unsafe going out"),
    )
    location_text = _text(
        _("Where did it happen? (optional)"),
        too_long=log_services.ERROR_WHERE_TOO_LONG,
        max_length=log_services.WHERE_MAX_LENGTH,
        required=False,
        textarea=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(
            *self.when_fields(),
            Field.textarea("what_happened", rows=5, max_characters=log_services.WHAT_MAX_LENGTH),
            Field.textarea("effect", rows=3, max_characters=log_services.EFFECT_MAX_LENGTH),
            Field.text("location_text"),
        )

    def cleaned_data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("happened_at", "what_happened", "effect", "location_text")}
