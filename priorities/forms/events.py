"""Forms of the staff events pages: they validate input; services/events.py saves it.

Dates use the GOV.UK date input (day, month, year) and times a text box taking the 24-hour
clock ("19:00") or "7pm": people type times more reliably than they pick them from lists.
Times are read as UK time, whatever the season.
"""

import datetime
import re

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from priorities.models import Event

ERROR_KIND = _("Choose what kind of event it is")
ERROR_TITLE = _("Enter a title, like Abbey PACT meeting")
ERROR_WARDS = _("Choose at least one ward")
ERROR_PANEL = _("Choose the panel holding the PACT meeting")
ERROR_DATE_REQUIRED = _("Enter the date of the event")
ERROR_DATE_REAL = _("The date must be a real date, like 3 3 2026")
ERROR_DATE_PART = {
    "day": _("The date must include a day"),
    "month": _("The date must include a month"),
    "year": _("The date must include a year"),
}
ERROR_START_TIME = _("Enter the start time, like 19:00")
ERROR_END_TIME = _("Enter the end time, like 21:00")
ERROR_END_AFTER_START = _("The end must be after the start")
ERROR_LINK = _("Enter the joining link for the online meeting")
ERROR_LINK_FORM = _("Enter the joining link as a web address, like https://meet.example.org/pact")
ERROR_REASON = _("Enter the reason the event is cancelled")
ERROR_RESIDENTS = _("Enter how many residents attended as a whole number, like 12")

_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$", re.IGNORECASE)
_NUMBER = RegexValidator(r"^\s*[0-9]+\s*$", ERROR_DATE_REAL)


def parse_time(text: str) -> datetime.time | None:
    """A time typed as 19:00, 19.00, 19, 7pm or 7:30pm; None if it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), (match["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class EventDateField(DateInputField):
    """The GOV.UK date input with messages that say what to fix."""

    def __init__(self, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.error_messages.update(required=ERROR_DATE_REQUIRED, incomplete=ERROR_DATE_REQUIRED)
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = ERROR_DATE_PART[part]
            field.validators = [_NUMBER]

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (int(value) for value in data_list)
        if year < 1000:
            raise ValidationError(ERROR_DATE_REAL)
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise ValidationError(ERROR_DATE_REAL) from error


def _time_field(label: str, hint: str, error: str) -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, max_length=10, error_messages={"required": error})


class EventTimesForm(forms.Form):
    """The date, start and end of an event, cleaned into aware ``starts_at`` and ``ends_at``."""

    date = EventDateField(label=_("Date"), help_text=_("For example, 3 3 2026"))
    start_time = _time_field(_("Start time"), _("Use the 24-hour clock, for example 19:00"), ERROR_START_TIME)
    end_time = _time_field(_("End time"), _("For example, 21:00"), ERROR_END_TIME)

    def _times_layout(self) -> list:
        return [
            Field("date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
        ]

    def clean_start_time(self) -> datetime.time:
        return self._clean_time("start_time", ERROR_START_TIME)

    def clean_end_time(self) -> datetime.time:
        return self._clean_time("end_time", ERROR_END_TIME)

    def _clean_time(self, name: str, error: str) -> datetime.time:
        parsed = parse_time(self.cleaned_data[name])
        if parsed is None:
            raise ValidationError(error)
        return parsed

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            # Read as UK time: 19:00 is 7pm in London in July (BST) and in December (GMT) alike.
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", ERROR_END_AFTER_START)
        return cleaned

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {"date": starts.date(), "start_time": f"{starts:%H:%M}", "end_time": f"{ends:%H:%M}"}


class EventDetailsForm(EventTimesForm):
    """What can change on a scheduled event: title, times, where, link and accessibility notes."""

    title = forms.CharField(label=_("Title"), max_length=150, error_messages={"required": ERROR_TITLE})
    venue = forms.CharField(label=_("Venue (optional)"), max_length=150, required=False)
    address = forms.CharField(label=_("Address (optional)"), max_length=300, required=False)
    joining_url = forms.URLField(
        label=_("Joining link (online meetings)"),
        help_text=_("The web address people use to join"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": ERROR_LINK_FORM},
    )
    accessibility_notes = forms.CharField(
        label=_("Accessibility (optional)"),
        help_text=_("For example, step-free access, hearing loop, accessible toilet"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["title", "date", "start_time", "end_time", "venue", "address", "joining_url", "accessibility_notes"]

    def __init__(self, *args, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self._details_layout())

    def _details_layout(self) -> list:
        return [
            Field.text("title"),
            *self._times_layout(),
            Field.text("venue"),
            Field.text("address"),
            Field.text("joining_url", spellcheck="false"),
            Field.textarea("accessibility_notes"),
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", self.kind)
        if kind == Event.Kind.ONLINE_MEETING and not cleaned.get("joining_url") and "joining_url" not in self.errors:
            self.add_error("joining_url", ERROR_LINK)
        return cleaned


class EventScheduleForm(EventDetailsForm):
    """A new event: its kind, wards (only those the user runs) and, for a PACT meeting, the panel."""

    kind = forms.ChoiceField(
        label=_("What kind of event is it?"),
        choices=Event.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_KIND},
    )
    wards = forms.ModelMultipleChoiceField(
        label=_("Which wards is it for?"),
        help_text=_("For a PACT meeting, leave these empty to hold it for every ward of the panel."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    panel = forms.ModelChoiceField(
        label=_("Panel (PACT meetings only)"),
        queryset=None,
        required=False,
        empty_label=_("Not a PACT meeting"),
    )

    def __init__(self, *args, wards, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].queryset = wards
        self.fields["panel"].queryset = panels
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.checkboxes("wards", legend_size=Size.SMALL),
            Field.select("panel"),
            *self._details_layout(),
        )

    def clean(self):
        cleaned = super().clean()
        kind, panel = cleaned.get("kind"), cleaned.get("panel")
        if kind == Event.Kind.PACT_MEETING and panel is None:
            self.add_error("panel", ERROR_PANEL)
        elif kind and kind != Event.Kind.PACT_MEETING:
            cleaned["panel"] = None
        if not cleaned.get("wards"):
            # A PACT meeting is for its panel's wards unless some are ticked (those the user runs).
            wards = self.fields["wards"].queryset
            panel = cleaned.get("panel")
            cleaned["wards"] = list(wards.filter(panels=panel)) if panel is not None else []
            if not cleaned["wards"] and "wards" not in self.errors:
                self.add_error("wards", ERROR_WARDS)
        return cleaned

    @staticmethod
    def initial_for_panel(panel) -> dict:
        """A PACT meeting of ``panel`` with its wards ticked (the user may untick some)."""
        return {"kind": Event.Kind.PACT_MEETING, "panel": panel, "wards": list(panel.wards.all())}


class EventMoveForm(EventTimesForm):
    """The new date and times of a moved event."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self._times_layout())


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        help_text=_("Residents will see this on the event's page and in their calendars"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERROR_REASON},
    )

    move_shortlist = forms.BooleanField(required=False)

    def __init__(self, *args, next_meeting: Event | None = None, shortlisted: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        layout = [Field.textarea("reason", label_size=Size.SMALL)]
        if next_meeting is not None and shortlisted:
            when = f"{timezone.localtime(next_meeting.starts_at):%-d %B %Y}"
            self.fields["move_shortlist"].label = _(
                "Move its {count} shortlisted concern(s) to the next meeting, {when}"
            ).format(count=shortlisted, when=when)
            self.fields["move_shortlist"].initial = True
            layout.append(Field.checkbox("move_shortlist", small=True))
        else:
            del self.fields["move_shortlist"]
        self.helper.layout = Layout(*layout)


class EventHeldForm(forms.Form):
    """Attendance (members of the panel on the day), residents attending and the minutes."""

    members = forms.ModelMultipleChoiceField(
        label=_("Panel members present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    residents_attending = forms.IntegerField(
        label=_("Residents attending (optional)"),
        min_value=0,
        required=False,
        error_messages={"invalid": ERROR_RESIDENTS, "min_value": ERROR_RESIDENTS},
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.helper = FormHelper()
        self.helper.form_tag = False
        layout = [Field.text("residents_attending", field_width=4), Field.textarea("minutes")]
        if members.exists():
            layout.insert(0, Field.checkboxes("members", legend_size=Size.SMALL))
        else:
            del self.fields["members"]
        self.helper.layout = Layout(*layout)
