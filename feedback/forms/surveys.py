"""The form a resident answers a survey with: one field per question, built from the survey.

Forms only validate what was typed; feedback.services.surveys.survey_answer saves.
"""

import datetime
import zoneinfo

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotForm, MultiLineField, page_form_helper
from feedback.models import Survey, SurveyChoice, SurveyQuestion
from feedback.services.surveys import (
    ERROR_REQUIRED,
    ERROR_TEXT_TOO_LONG,
    ERROR_TOO_MANY_CHOICES,
    TEXT_MAX_LENGTH,
    Answer,
    QuestionDraft,
    SurveyDraft,
)
from wards.models import District
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


# Staff: the survey builder. One page holds the survey and its questions (a formset); a choice
# question's choices are typed one a line. "Add another question" is a submit button, so the
# page works without JavaScript. The rules are the models' clean() and constraints, run by these
# model forms exactly as the admin's forms run them; nothing is saved here (services do that).

ERROR_CHOICE_TOO_LONG = _("Each choice must be 200 characters or fewer")
ERROR_OPENS_REQUIRED = _("Enter the day the survey opens")
ERROR_CLOSES_REQUIRED = _("Enter the day the survey closes")
ERROR_DATE_REAL = _("Enter a real date, for example 31 3 2026")
MAX_QUESTIONS = 50
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


class SurveyDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages that say what to fix."""

    def __init__(self, **kwargs) -> None:
        messages = kwargs.pop("error_messages")
        super().__init__(**kwargs)
        self.error_messages.update(required=messages["required"], incomplete=messages["required"])

    def compress(self, data_list: list) -> datetime.date | None:
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(ERROR_DATE_REAL) from None


class SurveyBuildForm(forms.ModelForm):
    """The survey itself: title, introduction, the days it is open and where it is for."""

    opens_at = SurveyDateField(
        label=_("Opens on"),
        help_text=_(
            "It opens at the start of this day, or when you open it from the survey list. For example, 1 3 2026"
        ),
        error_messages={"required": ERROR_OPENS_REQUIRED},
    )
    closes_at = SurveyDateField(
        label=_("Closes on"),
        help_text=_("It closes at the end of this day, UK time. For example, 31 3 2026"),
        error_messages={"required": ERROR_CLOSES_REQUIRED},
    )
    districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.order_by("name"),
        required=False,
        label=_("Which districts is it for?"),
        help_text=_("Choose none for a survey of the whole force area"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = ["title", "introduction", "opens_at", "closes_at", "districts"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"title": {"required": _("Enter the survey's title")}}

    def __init__(self, *args, **kwargs) -> None:
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        if self.instance.pk and "opens_at" not in given:
            self.initial["opens_at"] = timezone.localtime(self.instance.opens_at, LONDON).date()
            # A survey closes at midnight after its last day; show that last day.
            last = timezone.localtime(self.instance.closes_at, LONDON) - datetime.timedelta(microseconds=1)
            self.initial["closes_at"] = last.date()
        self.helper = page_form_helper(
            Field.text("title"),
            Field.textarea("introduction"),
            Field("opens_at", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("closes_at", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.checkboxes("districts", small=True),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        # Days become moments here, before the model's own rules (closes after it opens) run.
        # An unchanged day keeps its exact moment: a survey opened or closed at 14:05 stays so.
        for name, moment in (
            ("opens_at", _start_of),
            ("closes_at", lambda day: _start_of(day + datetime.timedelta(days=1))),
        ):
            day = cleaned.get(name)
            if isinstance(day, datetime.date) and not isinstance(day, datetime.datetime):
                keep = self.instance.pk and self.initial.get(name) == day
                cleaned[name] = getattr(self.instance, name) if keep else moment(day)
        return cleaned


class SurveyQuestionBuildForm(forms.ModelForm):
    """One question; for "choose one" and "choose up to", its choices one a line."""

    choices = MultiLineField(
        required=False,
        label=_("Choices, one on each line"),
        help_text=_("For ‘Choose one’ and ‘Choose up to a number’ questions only"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = SurveyQuestion
        fields = ["kind", "text", "hint", "required", "max_choices"]
        labels = {
            "kind": _("Type of question"),
            "text": _("Question"),
            "hint": _("Hint (optional)"),
            "required": _("People must answer it"),
            "max_choices": _("Most choices a person may choose"),
        }
        help_texts = {"max_choices": _("For ‘Choose up to a number’ questions only")}
        widgets = {"max_choices": forms.TextInput(attrs={"inputmode": "numeric"})}
        error_messages = {
            "kind": {"required": _("Choose the type of question")},
            "text": {"required": _("Enter the question")},
            "max_choices": {"invalid": _("Enter how many choices a person may choose, as a number")},
        }

    def __init__(self, *args, answered: bool = False, number: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose a type")), *SurveyQuestion.Kind.choices]
        if answered:
            # People have answered: the type and maximum stay as they are (see survey_update).
            self.fields["kind"].disabled = True
            self.fields["max_choices"].disabled = True
        layout = [
            Field.select("kind"),
            Field.text("text"),
            Field.text("hint"),
            Field.checkbox("required"),
            Field.text("max_choices", field_width=2),
            Field.textarea("choices"),
        ]
        if "DELETE" in self.fields:
            layout.append(Field.checkbox("DELETE"))
        legend = _("Question %(number)s") % {"number": number}
        self.helper = page_form_helper(Fieldset(*layout, legend=legend, legend_size=Size.MEDIUM))

    def clean_choices(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("choices", "").split("\n")]
        lines = [line for line in lines if line]
        for line in lines:
            try:
                SurveyChoice(text=line).clean_fields(exclude=["question", "position"])
            except forms.ValidationError:
                raise forms.ValidationError(ERROR_CHOICE_TOO_LONG) from None
        return lines

    def draft(self) -> QuestionDraft:
        data = self.cleaned_data
        return QuestionDraft(
            kind=data["kind"],
            text=data["text"],
            hint=data.get("hint", ""),
            required=data.get("required", False),
            max_choices=data.get("max_choices"),
            choices=data.get("choices", []),
        )


class SurveyQuestionFormSet(forms.BaseFormSet):
    """The questions in order. Every row may be left blank (it is skipped); an unbound formset
    shows exactly the rows it is given as initial data (the questions, or one blank one)."""

    def __init__(self, *args, answered: bool = False, **kwargs) -> None:
        self.answered = answered
        super().__init__(*args, **kwargs)
        self.can_delete = not answered

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        return super().total_form_count() if self.is_bound else len(self.initial or [])

    def get_form_kwargs(self, index: int | None) -> dict:
        return {"answered": self.answered, "number": (index or 0) + 1}

    def drafts(self) -> list[QuestionDraft]:
        return [form.draft() for form in self.forms if form.has_changed() and not self._should_delete_form(form)]


QuestionFormSet = forms.formset_factory(
    SurveyQuestionBuildForm,
    formset=SurveyQuestionFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_QUESTIONS,
    validate_max=True,
)


def question_rows(survey: Survey | None) -> list[dict]:
    """The questions of a survey (loaded by survey_for_page) as the formset's initial rows."""
    if survey is None:
        return [{}]
    return [
        {
            "kind": question.kind,
            "text": question.text,
            "hint": question.hint,
            "required": question.required,
            "max_choices": question.max_choices,
            "choices": "\n".join(choice.text for choice in question.choices.all()),
        }
        for question in survey.questions.all()
    ]


def rows_with_one_more(formset: SurveyQuestionFormSet) -> list[dict]:
    """What was typed, unvalidated, plus a blank question: for "Add another question"."""
    names = ["kind", "text", "hint", "required", "max_choices", "choices"]
    rows = [{name: form[name].value() for name in names} for form in formset.forms if not form["DELETE"].value()]
    return [*rows, {}]


def typed_survey(data) -> dict:
    """What was typed in the survey's own fields, unvalidated, as initial values."""
    initial = {name: data.get(name, "") for name in ("title", "introduction")}
    for name in ("opens_at", "closes_at"):
        initial[name] = [data.get(f"{name}_{part}", "") for part in range(3)]
    initial["districts"] = data.getlist("districts")
    return initial


def survey_draft(form: SurveyBuildForm, formset: SurveyQuestionFormSet) -> SurveyDraft:
    data = form.cleaned_data
    return SurveyDraft(
        title=data["title"],
        introduction=data.get("introduction", ""),
        opens_at=data["opens_at"],
        closes_at=data["closes_at"],
        districts=list(data.get("districts") or []),
        questions=formset.drafts(),
    )
