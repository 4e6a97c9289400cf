"""The survey builder in the Django admin, for administrators, audited like every staff action.

A survey with its questions inline; a question with its choices inline (the admin does not
nest inlines). EqualityResponse is never registered: it is reported only in aggregate.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AdministratorInline, AuditedAdmin
from feedback.models import Survey, SurveyChoice, SurveyQuestion

ERROR_MAXIMUM_REQUIRED = _("Enter how many choices a person may choose, 1 or more")


class SurveyQuestionForm(forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["position", "kind", "text", "hint", "required", "max_choices"]

    def clean(self) -> dict:
        cleaned = super().clean()
        # The database check passes a NULL maximum (a CHECK is unknown, not false, on NULL).
        if cleaned.get("kind") == SurveyQuestion.Kind.MULTIPLE and not cleaned.get("max_choices"):
            self.add_error("max_choices", ERROR_MAXIMUM_REQUIRED)
        return cleaned


class SurveyQuestionPageForm(SurveyQuestionForm):
    class Meta(SurveyQuestionForm.Meta):
        fields = ["survey", *SurveyQuestionForm.Meta.fields]


class SurveyQuestionInline(AdministratorInline):
    model = SurveyQuestion
    form = SurveyQuestionForm
    extra = 1
    fields = ["position", "kind", "text", "hint", "required", "max_choices"]
    show_change_link = True


class SurveyChoiceInline(AdministratorInline):
    model = SurveyChoice
    extra = 3
    fields = ["position", "text"]


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ["title", "opens_at", "closes_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["districts"]
    inlines = [SurveyQuestionInline]


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(AuditedAdmin):
    list_display = ["text", "survey", "position", "kind"]
    list_filter = ["kind"]
    list_select_related = ["survey"]
    form = SurveyQuestionPageForm
    inlines = [SurveyChoiceInline]
