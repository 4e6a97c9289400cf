"""The form a resident answers a survey with: one field per question, built from the survey.

Forms only validate what was typed; feedback.services.surveys.survey_answer saves.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotForm, MultiLineField, page_form_helper
from feedback.models import Survey, SurveyQuestion
from feedback.services.surveys import (
    ERROR_REQUIRED,
    ERROR_TEXT_TOO_LONG,
    ERROR_TOO_MANY_CHOICES,
    TEXT_MAX_LENGTH,
    Answer,
)
from wards.postcodes import normalise_postcode

ERROR_POSTCODE_INVALID = _("Enter a full postcode, like ME4 4TR, or leave the postcode empty")
SCALE = [(str(value), str(value)) for value in range(1, 11)]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _field_name(question: SurveyQuestion) -> str:
    return f"question_{question.pk}"


def _field_for(question: SurveyQuestion) -> forms.Field:
    required = {"required": ERROR_REQUIRED.format(question=question.text)}
    common = {"label": question.text, "help_text": question.hint, "required": question.required}
    kind = question.kind
    if kind == SurveyQuestion.Kind.SCALE:
        hint = question.hint or _("1 is the lowest, 10 the highest")
        common["help_text"] = hint
        return forms.ChoiceField(choices=SCALE, widget=forms.RadioSelect, error_messages=required, **common)
    if kind == SurveyQuestion.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, error_messages=required, **common)
    options = [(str(choice.pk), choice.text) for choice in question.choices.all()]
    if kind == SurveyQuestion.Kind.SINGLE:
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, error_messages=required, **common)
    if kind == SurveyQuestion.Kind.MULTIPLE:
        hint = question.hint or _("Choose up to %(maximum)s") % {"maximum": question.max_choices}
        common["help_text"] = hint
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, error_messages=required, **common
        )
    too_long = ERROR_TEXT_TOO_LONG.format(question=question.text)
    # The character count needs a hint to describe the field with (and the advice is worth giving).
    hint = question.hint or _("Do not include personal details, such as names, addresses or phone numbers.")
    return MultiLineField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required | {"max_length": too_long},
        **common | {"help_text": hint},
    )


def _layout_for(question: SurveyQuestion) -> Field:
    name = _field_name(question)
    if question.kind == SurveyQuestion.Kind.SCALE:
        return Field.radios(name, legend_size=Size.MEDIUM, inline=True)
    if question.kind in (SurveyQuestion.Kind.YES_NO, SurveyQuestion.Kind.SINGLE):
        return Field.radios(name, legend_size=Size.MEDIUM, inline=question.kind == SurveyQuestion.Kind.YES_NO)
    if question.kind == SurveyQuestion.Kind.MULTIPLE:
        return Field.checkboxes(name, legend_size=Size.MEDIUM, small=True)
    return Field.textarea(name, label_size=Size.MEDIUM, max_characters=TEXT_MAX_LENGTH)


class SurveyAnswerForm(HoneypotForm):
    """Every question of one survey, then an optional postcode."""

    postcode = forms.CharField(
        required=False,
        max_length=20,
        label=_("Your postcode (optional)"),
        help_text=_("It tells us which ward and district your answers are about. We do not keep your address."),
    )

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            self.fields[_field_name(question)] = _field_for(question)
        self.fields["postcode"] = self.fields.pop("postcode")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        layout = [_layout_for(question) for question in self.questions]
        self.helper.layout = Layout(*layout, Field.text("postcode", field_width=10, autocomplete="postal-code"))

    def clean_postcode(self) -> str:
        text = self.cleaned_data.get("postcode", "").strip()
        if not text:
            return ""
        postcode = normalise_postcode(text)
        if postcode is None:
            raise forms.ValidationError(ERROR_POSTCODE_INVALID)
        return postcode

    def clean(self) -> dict:
        cleaned = super().clean()
        for question in self.questions:
            name = _field_name(question)
            chosen = cleaned.get(name) or []
            if question.kind == SurveyQuestion.Kind.MULTIPLE and len(chosen) > (question.max_choices or 0):
                error = ERROR_TOO_MANY_CHOICES.format(maximum=question.max_choices, question=question.text)
                self.add_error(name, error)
        return cleaned

    def answers(self) -> dict[int, Answer]:
        """The cleaned answers by question, as the service takes them."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(_field_name(question))
            result[question.pk] = self._answer(question, value)
        return result

    @staticmethod
    def _answer(question: SurveyQuestion, value) -> Answer:
        if not value:
            return Answer()
        kind = question.kind
        if kind == SurveyQuestion.Kind.SCALE:
            return Answer(scale=int(value))
        if kind == SurveyQuestion.Kind.YES_NO:
            return Answer(yes=value == "yes")
        if kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
            wanted = {value} if isinstance(value, str) else set(value)
            return Answer(choices=[choice for choice in question.choices.all() if str(choice.pk) in wanted])
        return Answer(text=value)


ERROR_CATEGORY_REQUIRED = _("Choose what the concern is about")
ERROR_DESCRIPTION_REQUIRED = _("Enter a description of the concern")
ERROR_DESCRIPTION_TOO_LONG = _("Description must be 2000 characters or fewer")


class SurveyConcernForm(forms.Form):
    """Raise a written survey answer as a PACT concern: its category and the words to use."""

    category = forms.ChoiceField(label=_("What is it about?"), error_messages={"required": ERROR_CATEGORY_REQUIRED})
    description = MultiLineField(
        label=_("Description of the concern"),
        help_text=_("Edit out anything that could identify the person or anyone else"),
        max_length=None,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        widget=forms.Textarea,
        error_messages={"required": ERROR_DESCRIPTION_REQUIRED, "max_length": ERROR_DESCRIPTION_TOO_LONG},
    )

    def __init__(self, *args, categories: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose a category")), *categories]
        self.fields["category"].error_messages["invalid_choice"] = ERROR_CATEGORY_REQUIRED
        self.helper = page_form_helper(
            Field.select("category"), Field.textarea("description", rows=6, max_characters=TEXT_MAX_LENGTH)
        )
