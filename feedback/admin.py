"""The survey builder in the Django admin, for administrators, audited like every staff action.

A survey with its questions inline; a question with its choices inline (the admin does not
nest inlines). EqualityResponse is never registered: it is reported only in aggregate.
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.admin import AdministratorInline, AuditedAdmin
from feedback.models import Survey, SurveyChoice, SurveyQuestion


class SurveyQuestionForm(forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["position", "kind", "text", "hint", "required", "max_choices"]
        # The rules (a maximum for "choose up to") are SurveyQuestion.clean(), which this form runs.


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

    def get_readonly_fields(self, request: HttpRequest, obj: Survey | None = None) -> list[str]:
        # The slug is the survey's public address: made from the title once, never changed.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Survey | None = None) -> dict:
        return self.prepopulated_fields if obj is None else {}


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(AuditedAdmin):
    list_display = ["text", "survey", "position", "kind"]
    list_filter = ["kind"]
    list_select_related = ["survey"]
    form = SurveyQuestionPageForm
    inlines = [SurveyChoiceInline]
