"""Forms of concerns: raising one (residents and staff) and moderating it.

Forms only validate what was typed; the services in priorities.services.concerns save.
The choices of objects (categories, meetings, concerns) are loaded once per form and
looked up by key, so a form never runs a query per option.
"""

from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_EMAIL_INVALID, HoneypotForm, MultiLineField, page_form_helper
from core.text_checks import kinds_found, redacted
from priorities.models import Category, Concern, Event
from priorities.services.concerns import (
    DESCRIPTION_MAX_LENGTH,
    ERROR_DESCRIPTION_REQUIRED,
    ERROR_DESCRIPTION_TOO_LONG,
    ERROR_LOCATION_TOO_LONG,
    ERROR_NOTE_TOO_LONG,
    ERROR_PUBLIC_TEXT_REQUIRED,
    ERROR_PUBLIC_TEXT_TOO_LONG,
    LOCATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    STAFF_SOURCES,
)

ERROR_CATEGORY_REQUIRED = _("Select what the concern is about")
ERROR_NULL_CHARACTERS = _("Remove the hidden control characters from this answer")
ERROR_WARD_REQUIRED = _("Select the ward the concern is about")
ERROR_SOURCE_REQUIRED = _("Select where the concern was raised")
ERROR_MEETING_REQUIRED = _("Select the meeting to shortlist the concern for")
ERROR_FOLLOW_NEEDS_EMAIL = _("Enter your email address if you would like to be told what happens to your concern")
ERROR_REASON_REQUIRED = _("Enter why the concern is not taken forward")
ERROR_REASON_TOO_LONG = _("Reason must be 300 characters or fewer")
ERROR_TARGET_REQUIRED = _("Select the concern this one duplicates")
ERROR_CHOICE_GONE = _("That choice is no longer available: select another")


def _text_errors(required: str, too_long: str) -> dict[str, str]:
    return {"required": required, "max_length": too_long, "null_characters_not_allowed": ERROR_NULL_CHARACTERS}


def _event_label(event: Event) -> str:
    return f"{event.title}, {date_format(timezone.localtime(event.starts_at), 'l j F Y')}"


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects already loaded: the value is the object's key, the result the object."""

    def __init__(self, *, objects: Iterable[Any] = (), key: str = "pk", label_of=str, empty_label=None, **kwargs):
        # Another moderator may have merged or closed the chosen object since the page was shown.
        kwargs["error_messages"] = {"invalid_choice": ERROR_CHOICE_GONE, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)
        self.set_objects(objects, key=key, label_of=label_of, empty_label=empty_label)

    def set_objects(self, objects: Iterable[Any], *, key: str = "pk", label_of=str, empty_label=None) -> None:
        self.objects = {str(getattr(item, key)): item for item in objects}
        options = [(value, label_of(item)) for value, item in self.objects.items()]
        self.choices = [("", empty_label), *options] if empty_label else options

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.objects.get(value) if value else None

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.objects


class ConcernFieldsForm(forms.Form):
    """What every concern has, however it was raised: category, description, location, contact."""

    category = forms.ChoiceField(
        label=_("What is the concern about?"),
        error_messages={"required": ERROR_CATEGORY_REQUIRED, "invalid_choice": ERROR_CATEGORY_REQUIRED},
    )
    description = MultiLineField(
        label=_("Describe the concern"),
        help_text=_("Say what happens, when and how it affects you. Do not include anyone's name or address."),
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        error_messages=_text_errors(ERROR_DESCRIPTION_REQUIRED, ERROR_DESCRIPTION_TOO_LONG),
        widget=forms.Textarea,
    )
    location_text = MultiLineField(
        label=_("Where does it happen? (optional)"),
        help_text=_("For example, the name of a street, park or shop"),
        required=False,
        validators=[MaxLengthValidator(LOCATION_MAX_LENGTH)],
        error_messages=_text_errors("", ERROR_LOCATION_TOO_LONG),
    )
    contact_email = forms.EmailField(
        label=_("Email address (optional)"),
        help_text=_("Only if you would like a reply"),
        required=False,
        max_length=None,  # no maxlength attribute: a long paste is kept whole and refused with a message
        validators=[MaxLengthValidator(254)],
        error_messages={
            "invalid": ERROR_EMAIL_INVALID,
            "max_length": ERROR_EMAIL_INVALID,
            "null_characters_not_allowed": ERROR_NULL_CHARACTERS,
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._categories = {category.slug: category for category in Category.objects.all()}
        self.fields["category"].choices = self._category_choices()
        self.helper = FormHelper()
        # The page writes the <form>, the CSRF token and the button itself.
        self.helper.form_tag = False

    def _category_choices(self) -> list:
        """Local issues first (what residents raise most at PACT), then police.uk's crime types."""
        local = [(slug, c.name) for slug, c in self._categories.items() if not c.is_police_uk]
        police = [(slug, c.name) for slug, c in self._categories.items() if c.is_police_uk]
        return [("", _("Select a category")), (_("Local issues"), local), (_("Crimes (police.uk categories)"), police)]

    def clean_category(self) -> Category:
        return self._categories[self.cleaned_data["category"]]

    def cleaned_data_for_service(self) -> dict[str, Any]:
        """The cleaned answers as the concern services take them (the honeypot left out)."""
        names = ("category", "description", "location_text", "contact_email", "ward", "source", "raised_at_event")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def concern_fields(self) -> list:
        return [
            Field.select("category"),
            Field.textarea("description", rows=6, max_characters=DESCRIPTION_MAX_LENGTH),
            Field.text("location_text"),
            Field.text("contact_email", field_width=20, spellcheck="false", autocomplete="email"),
        ]


class ConcernRaiseForm(HoneypotForm, ConcernFieldsForm):
    """A resident raising a concern online (with the honeypot every public form has)."""

    follow_by_email = forms.BooleanField(
        label=_("Email me when my concern moves"),
        help_text=_(
            "We first send one email asking you to confirm the address. Then we tell you when it is reviewed, "
            "voted on and what is done, at most one email a day, until you stop them."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*self.concern_fields(), Field.checkbox("follow_by_email"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("follow_by_email") and not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_email", ERROR_FOLLOW_NEEDS_EMAIL)
        return cleaned

    def cleaned_data_for_service(self) -> dict[str, Any]:
        return {**super().cleaned_data_for_service(), "follow_by_email": bool(self.cleaned_data.get("follow_by_email"))}


class ConcernRecordForm(ConcernFieldsForm):
    """Staff entering a concern raised at a meeting, a surgery or by a partner agency."""

    ward = ObjectChoiceField(label=_("Ward"), error_messages={"required": ERROR_WARD_REQUIRED})
    source = forms.ChoiceField(
        label=_("Where was the concern raised?"),
        choices=[(value, label) for value, label in Concern.Source.choices if value in STAFF_SOURCES],
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_SOURCE_REQUIRED},
    )
    raised_at_event = ObjectChoiceField(label=_("Meeting or surgery (optional)"), required=False)

    def __init__(self, *args, wards: Iterable[Any], events: Iterable[Event], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].set_objects(wards, key="code", empty_label=_("Select a ward"))
        self.fields["raised_at_event"].set_objects(
            events, label_of=_event_label, empty_label=_("Not raised at a listed meeting or surgery")
        )
        self.fields["contact_email"].help_text = _("Only if the person asked for a reply and agreed to be contacted")
        self.helper.layout = Layout(
            Field.select("ward"),
            Field.radios("source", legend_size="s"),
            Field.select("raised_at_event"),
            *self.concern_fields(),
        )


class ConcernShortlistForm(forms.Form):
    meeting = ObjectChoiceField(label=_("PACT meeting"), error_messages={"required": ERROR_MEETING_REQUIRED})

    def __init__(self, *args, meetings: Iterable[Event], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].set_objects(meetings, label_of=_event_label, empty_label=_("Select a meeting"))
        self.helper = page_form_helper(Field.select("meeting"))


NOTE_REDACTED = _(
    "Before publishing your concern we removed %(kinds)s from it, to protect people's privacy. "
    "The team still has your words as you wrote them."
)


def _in_words(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " " + str(_("and")) + " " + labels[-1]


class ConcernPublishForm(forms.Form):
    """The text a concern awaiting moderation is published with: proposed with what looks like
    personal data redacted (core.text_checks), confirmed or edited by the moderator, and the
    note that tells the resident why their words changed."""

    public_text = MultiLineField(
        label=_("Text to publish"),
        help_text=_(
            "Everyone can read this on the ward's page. What looks like personal data has been replaced: "
            "check it, and edit it if anything else identifies someone."
        ),
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        error_messages=_text_errors(ERROR_PUBLIC_TEXT_REQUIRED, ERROR_PUBLIC_TEXT_TOO_LONG),
        widget=forms.Textarea,
    )
    public_location = forms.CharField(
        label=_("Where, as published (optional)"),
        required=False,
        max_length=None,
        validators=[MaxLengthValidator(LOCATION_MAX_LENGTH)],
        error_messages={"max_length": ERROR_LOCATION_TOO_LONG, "null_characters_not_allowed": ERROR_NULL_CHARACTERS},
    )
    note = MultiLineField(
        label=_("Note to the resident (if you changed their words)"),
        help_text=_(
            "The resident reads this note, word for word, on their concern's status page and in any email "
            "about it. Say what you changed and why."
        ),
        required=False,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        error_messages=_text_errors("", ERROR_NOTE_TOO_LONG),
        widget=forms.Textarea,
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        kinds = kinds_found(f"{concern.description}\n{concern.location_text}")
        initial = {
            "public_text": redacted(concern.description),
            "public_location": redacted(concern.location_text),
            "note": NOTE_REDACTED % {"kinds": _in_words(kinds)} if kinds else "",
        }
        super().__init__(*args, prefix="publish", initial=initial, **kwargs)
        self.helper = page_form_helper(
            Field.textarea("public_text", rows=6, max_characters=DESCRIPTION_MAX_LENGTH),
            Field.text("public_location"),
            Field.textarea("note", rows=3, max_characters=NOTE_MAX_LENGTH),
        )

    def for_service(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("public_text", "public_location", "note")}


class ConcernRejectForm(forms.Form):
    reason = MultiLineField(
        label=_("Why is the concern not taken forward?"),
        help_text=_(
            "The resident reads this reason, word for word, on their concern's status page. "
            "Write it for them, and leave out names and other personal details."
        ),
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
        error_messages=_text_errors(ERROR_REASON_REQUIRED, ERROR_REASON_TOO_LONG),
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.textarea("reason", rows=3, max_characters=REASON_MAX_LENGTH))


class ConcernMergeForm(forms.Form):
    into = ObjectChoiceField(label=_("Duplicate of"), error_messages={"required": ERROR_TARGET_REQUIRED})

    def __init__(self, *args, targets: Iterable[Concern], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].set_objects(
            targets, key="reference", label_of=_target_label, empty_label=_("Select a concern")
        )
        self.helper = page_form_helper(Field.select("into"))


def _target_label(concern: Concern) -> str:
    summary = concern.description if len(concern.description) <= 60 else concern.description[:59] + "…"
    return f"{concern.reference}: {summary}"


class ConcernFilterForm(forms.Form):
    """The moderation queue's filters: status (awaiting moderation unless chosen) and ward."""

    status = forms.ChoiceField(label=_("Status"), required=False, initial=Concern.Status.RECEIVED)
    ward = ObjectChoiceField(label=_("Ward"), required=False)

    def __init__(self, *args, wards: Iterable[Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*Concern.Status.choices, ("all", _("Any status"))]
        self.fields["ward"].set_objects(wards, key="code", empty_label=_("All your wards"))
        self.helper = page_form_helper(Field.select("status"), Field.select("ward"))

    def filters(self) -> dict[str, Any]:
        """The status and ward chosen; a bad value falls back to the default queue rather than failing."""
        if not self.is_bound or not self.is_valid():
            return {"status": Concern.Status.RECEIVED, "ward": None}
        status = self.cleaned_data["status"] or Concern.Status.RECEIVED
        return {"status": "" if status == "all" else status, "ward": self.cleaned_data["ward"]}
