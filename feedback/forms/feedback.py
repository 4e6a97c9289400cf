"""Forms of the feedback app."""

import re
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import ERROR_EMAIL_INVALID, HoneypotForm, MultiLineField, page_form_helper
from feedback.models import Feedback
from wards.models import NeighbourhoodTeam, Officer, Ward
from wards.postcodes import KENT_AREAS, area_of, normalise_postcode
from wards.selectors import ward_code_for_postcode

ERROR_POSTCODE_INVALID = _("Enter a full UK postcode, like ME14 1XX")
ERROR_POSTCODE_NOT_KENT = _("Enter a postcode in Kent or Medway, or leave it empty")
ERROR_SCORE_REQUIRED = _("Select a score from 1 to 10")
ERROR_DESCRIPTION_REQUIRED = _("Enter what you want to tell us")
ERROR_DESCRIPTION_TOO_LONG = _("This must be 5000 characters or fewer")
ERROR_SHORT_TOO_LONG = _("This must be 2000 characters or fewer")
ERROR_OFFICER_TOO_LONG = _("The officer or team must be 150 characters or fewer")
ERROR_OFFICER_INVALID = _("Choose an officer from the list, or leave it as you do not know")
ERROR_WANTS_REPLY = _("Select yes if you want a reply")
ERROR_NAME_REQUIRED = _("Enter your name so we can reply")
ERROR_NAME_TOO_LONG = _("Your name must be 150 characters or fewer")
ERROR_CONTACT_REQUIRED = _("Enter an email address or a phone number so we can reply")
ERROR_PHONE_INVALID = _("Enter a phone number, like 01632 960 001 or 07700 900 982")
ERROR_TEXT_REQUIRED = _("Enter the text")
ERROR_TEXT_TOO_LONG = _("The text must be 5000 characters or fewer")

# One select per question (a phone showed three columns of ten radios, 30 in a stack): the ends
# of the scale are named in each option, so the choice reads the same heard or seen.
SCORES = [
    ("", _("Select a score")),
    ("1", _("1 (very poor)")),
    *((str(score), str(score)) for score in range(2, 10)),
    ("10", _("10 (excellent)")),
]
SCORE_FIELDS = ("treated_score", "informed_score", "overall_score")
_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")
DESCRIPTION_LABELS = {
    "compliment": _("What would you like to compliment?"),
    "complaint": _("What is your complaint about?"),
    "suggestion": _("What is your suggestion?"),
}


def _score_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=_("1 is very poor, 10 is excellent"),
        choices=SCORES,
        coerce=int,
        empty_value=None,
        error_messages={"required": ERROR_SCORE_REQUIRED, "invalid_choice": ERROR_SCORE_REQUIRED},
    )


def _text_field(label: str, limit: int, too_long: str, required: bool = False, **kwargs) -> MultiLineField:
    return MultiLineField(
        label=label,
        required=required,
        validators=[MaxLengthValidator(limit)],
        error_messages={"required": ERROR_DESCRIPTION_REQUIRED, "max_length": too_long},
        widget=forms.Textarea,
        help_text=_("Do not include anyone else's name or address"),
        **kwargs,
    )


class FeedbackForm(HoneypotForm):
    """One of the four public feedback forms; ``kind`` decides which questions it asks.

    Contact details are asked for only when a reply is wanted; the postcode (optional) gives
    the ward and must be one we hold in Kent and Medway. It is not asked for when the form was
    opened from a team's or ward's page: the team is known. The equality questions are a
    separate, optional step after sending (feedback.views.equality).
    """

    postcode = forms.CharField(
        label=_("Postcode where it happened (optional)"),
        help_text=_("This tells us which neighbourhood team it is about"),
        required=False,
        max_length=None,
        error_messages={"null_characters_not_allowed": ERROR_POSTCODE_INVALID},
    )
    officer_text = forms.CharField(
        label=_("Officer or team (optional)"),
        help_text=_("Their name, collar number or team, if you know it"),
        required=False,
        max_length=None,
        validators=[MaxLengthValidator(150)],
        error_messages={"max_length": ERROR_OFFICER_TOO_LONG},
    )
    treated_score = _score_field(_("How satisfied are you with how you were treated?"))
    informed_score = _score_field(_("How satisfied are you with how you were kept informed?"))
    overall_score = _score_field(_("How satisfied are you with the service overall?"))
    went_well = _text_field(_("What went well? (optional)"), 2000, ERROR_SHORT_TOO_LONG)
    could_be_better = _text_field(_("What could have been better? (optional)"), 2000, ERROR_SHORT_TOO_LONG)
    description = _text_field("", 5000, ERROR_DESCRIPTION_TOO_LONG, required=True)
    wants_reply = forms.TypedChoiceField(
        label=_("Do you want a reply?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_WANTS_REPLY, "invalid_choice": ERROR_WANTS_REPLY},
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=None,
        validators=[MaxLengthValidator(150)],
        error_messages={"max_length": ERROR_NAME_TOO_LONG},
    )
    contact_email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=None,
        validators=[MaxLengthValidator(254)],
        error_messages={"invalid": ERROR_EMAIL_INVALID, "max_length": ERROR_EMAIL_INVALID},
    )
    contact_phone = forms.CharField(label=_("Phone number"), required=False, max_length=None)

    def __init__(self, *args, kind: str, team: NeighbourhoodTeam | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.team = team
        if team is not None:
            # Came from a team's or ward's page: name one of the team's officers from a list.
            self.fields["officer"] = forms.ModelChoiceField(
                label=_("Which officer of the %(team)s team is it about? (optional)") % {"team": team.name},
                queryset=Officer.objects.filter(team=team).order_by("last_name", "first_name"),
                required=False,
                empty_label=_("I do not know, or they are not listed"),
                error_messages={"invalid_choice": ERROR_OFFICER_INVALID},
            )
            self.fields["officer"].label_from_instance = lambda officer: f"{officer} ({officer.collar_number})"
            self.fields["officer_text"].label = _("Or their name, collar number or team, if not listed (optional)")
            del self.fields["postcode"]
        drop = ("description",) if kind == Feedback.Kind.SERVICE else (*SCORE_FIELDS, "went_well", "could_be_better")
        for name in drop:
            del self.fields[name]
        if "description" in self.fields:
            self.fields["description"].label = DESCRIPTION_LABELS[kind]
        self.helper = page_form_helper(*self._layout())

    def _layout(self) -> list:
        if self.kind == Feedback.Kind.SERVICE:
            kind_fields = [Field.select(name) for name in SCORE_FIELDS] + [
                Field.textarea("went_well", rows=4, max_characters=2000),
                Field.textarea("could_be_better", rows=4, max_characters=2000),
            ]
        else:
            kind_fields = [Field.textarea("description", rows=6, max_characters=5000)]
        where = (
            [Field.select("officer")]
            if self.team is not None
            else [Field.text("postcode", field_width=10, autocomplete="postal-code", spellcheck="false")]
        )
        return [
            *where,
            Field.text("officer_text"),
            *kind_fields,
            Field.radios("wants_reply", legend_size="s", inline=True),
            Fieldset(
                Field.text("contact_name", autocomplete="name"),
                Field.text("contact_email", field_width=20, autocomplete="email", spellcheck="false"),
                Field.text("contact_phone", field_width=20, autocomplete="tel"),
                legend=_("Your contact details (only if you want a reply)"),
                legend_size="s",
            ),
        ]

    def clean_postcode(self) -> Ward | None:
        text = self.cleaned_data.get("postcode", "")
        if not text.strip():
            return None
        postcode = normalise_postcode(text[:20])
        if postcode is None:
            raise forms.ValidationError(ERROR_POSTCODE_INVALID)
        code = ward_code_for_postcode(postcode) if area_of(postcode) in KENT_AREAS else None
        ward = Ward.objects.select_related("team", "district").filter(code=code).first() if code else None
        if ward is None:
            raise forms.ValidationError(ERROR_POSTCODE_NOT_KENT)
        return ward

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data.get("contact_phone", "").strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(ERROR_PHONE_INVALID)
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("wants_reply"):
            if not data.get("contact_name") and "contact_name" not in self.errors:
                self.add_error("contact_name", ERROR_NAME_REQUIRED)
            has_contact = data.get("contact_email") or data.get("contact_phone")
            if not has_contact and not ({"contact_email", "contact_phone"} & set(self.errors)):
                self.add_error("contact_email", ERROR_CONTACT_REQUIRED)
        return data

    def cleaned_data_for_service(self) -> dict[str, Any]:
        """The answers as feedback_give takes them; contact details only when a reply is wanted."""
        data = {name: self.cleaned_data[name] for name in self.fields if name not in ("website", "postcode")}
        if not data["wants_reply"]:
            data.update(contact_name="", contact_email="", contact_phone="")
        return {"kind": self.kind, "ward": self.cleaned_data.get("postcode"), "team": self.team, **data}


class FeedbackStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Feedback.Status.choices, error_messages={"required": ERROR_TEXT_REQUIRED}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.select("status"))


class FeedbackNoteForm(forms.Form):
    text = MultiLineField(
        label=_("Text"),
        validators=[MaxLengthValidator(5000)],
        error_messages={"required": ERROR_TEXT_REQUIRED, "max_length": ERROR_TEXT_TOO_LONG},
        widget=forms.Textarea,
    )

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.helper = page_form_helper(Field.textarea("text", rows=4, label_size="s"))


ERROR_COLLAR_REQUIRED = _("Enter the officer's collar number")
ERROR_COLLAR_TOO_LONG = _("A collar number is 10 characters or fewer")


class FeedbackOfficerForm(forms.Form):
    collar_number = forms.CharField(
        label=_("Which officer is it about?"),
        help_text=_("Their collar number, as on their uniform"),
        max_length=None,
        validators=[MaxLengthValidator(10)],
        error_messages={"required": ERROR_COLLAR_REQUIRED, "max_length": ERROR_COLLAR_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.text("collar_number", field_width=10, label_size="s"))


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Feedback.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.select("status"))
