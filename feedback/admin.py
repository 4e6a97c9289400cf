"""The survey builder in the Django admin, for administrators, audited like every staff action.

A survey with its questions inline; a question with its choices inline (the admin does not
nest inlines). EqualityResponse is never registered: it is reported only in aggregate.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from core.audit import audit_record
from core.roles import is_administrator
from feedback.models import Survey, SurveyChoice, SurveyQuestion


class _AuditedInlines(AuditedAdmin):
    """Audits what the inline rows change too, not only the object of the page."""

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        changes = [(obj, "created", {"str": str(obj)}) for obj in formset.new_objects]
        changes += [(obj, "changed", {"fields": fields}) for obj, fields in formset.changed_objects]
        changes += [(obj, "deleted", {"str": str(obj)}) for obj in formset.deleted_objects]
        for obj, verb, data in changes:
            audit_record(actor=request.user, action=f"{obj._meta.label_lower}.{verb}", target=obj, data=data)


class _AdministratorInline(admin.TabularInline):
    """Inline rows are open to administrators by role, like the pages they sit on."""

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)


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


class SurveyQuestionInline(_AdministratorInline):
    model = SurveyQuestion
    form = SurveyQuestionForm
    extra = 1
    fields = ["position", "kind", "text", "hint", "required", "max_choices"]
    show_change_link = True


class SurveyChoiceInline(_AdministratorInline):
    model = SurveyChoice
    extra = 3
    fields = ["position", "text"]


@admin.register(Survey)
class SurveyAdmin(_AuditedInlines):
    list_display = ["title", "opens_at", "closes_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["districts"]
    inlines = [SurveyQuestionInline]


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(_AuditedInlines):
    list_display = ["text", "survey", "position", "kind"]
    list_filter = ["kind"]
    list_select_related = ["survey"]
    form = SurveyQuestionPageForm
    inlines = [SurveyChoiceInline]
