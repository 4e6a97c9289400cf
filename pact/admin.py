"""The Django admin, opened to force administrators by role and audited like every staff action."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from pact.audit import audit_record
from pact.models import AuditEvent
from pact.roles import is_administrator


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class AuditedAdmin(admin.ModelAdmin):
    """Administrators may do everything here; each save and delete lands in the audit trail."""

    def has_module_permission(self, request) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        changes = {
            name: {"before": _plain(form.initial.get(name)), "after": _plain(form.cleaned_data.get(name))}
            for name in form.changed_data
        }
        action = "changed" if change else "created"
        audit_record(actor=request.user, action=f"{obj._meta.label_lower}.{action}", target=obj, data=changes)

    def delete_model(self, request, obj) -> None:
        audit_record(actor=request.user, action=f"{obj._meta.label_lower}.deleted", target=obj, data={"str": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            audit_record(
                actor=request.user, action=f"{obj._meta.label_lower}.deleted", target=obj, data={"str": str(obj)}
            )
        super().delete_queryset(request, queryset)


class PactUserAdmin(AuditedAdmin, UserAdmin):
    pass


class PactGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail: administrators read it; nobody edits it."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_id"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_module_permission(self, request) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, PactUserAdmin)
admin.site.register(Group, PactGroupAdmin)
