"""The Django admin, opened to force administrators by role and audited like every staff action."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Count, Q

from core.audit import audit_record
from core.models import AuditEvent, SecondFactor, SignInLockout
from core.roles import is_administrator
from core.sign_in import sign_in_lockout_clear
from core.two_factor import second_factor_reset


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


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Administrators read these rows; nobody adds, edits or deletes them here."""

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


@admin.register(AuditEvent)
class AuditEventAdmin(_ReadOnlyAdmin):
    """The audit trail: administrators read it; nobody edits it."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_id"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


class _ActionOnlyAdmin(_ReadOnlyAdmin):
    """Administrators read these rows and act on them only through the audited actions."""

    def has_act_permission(self, request) -> bool:
        return is_administrator(request.user)


@admin.register(SecondFactor)
class SecondFactorAdmin(_ActionOnlyAdmin):
    """Who has set up two-factor authentication; resetting one is how a lost phone is handled.
    The key is never shown."""

    list_display = ["user", "created_at", "confirmed_at", "codes_left"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "created_at", "confirmed_at"]
    readonly_fields = fields
    actions = ["reset"]

    def get_queryset(self, request):
        unused = Count("backup_codes", filter=Q(backup_codes__used_at__isnull=True))
        return super().get_queryset(request).annotate(unused_codes=unused)

    @admin.display(description="Backup codes left")
    def codes_left(self, obj: SecondFactor) -> int:
        return obj.unused_codes  # type: ignore[attr-defined]

    @admin.action(
        description="Reset two-factor authentication (they set it up again at next sign-in)", permissions=["act"]
    )
    def reset(self, request, queryset) -> None:
        users = [factor.user for factor in queryset.select_related("user")]
        for user in users:
            second_factor_reset(actor=request.user, user=user)
        self.message_user(request, f"Two-factor authentication reset for {len(users)} user(s).", messages.SUCCESS)


@admin.register(SignInLockout)
class SignInLockoutAdmin(_ActionOnlyAdmin):
    """Accounts and addresses locked after failed sign-ins, and clearing them early."""

    list_display = ["kind", "user", "created_at", "locked_until", "cleared_at", "cleared_by"]
    list_filter = ["kind", ("cleared_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "cleared_by"]
    fields = ["kind", "user", "created_at", "locked_until", "cleared_at", "cleared_by"]
    readonly_fields = fields
    actions = ["clear"]

    @admin.action(description="Clear the selected lockouts", permissions=["act"])
    def clear(self, request, queryset) -> None:
        lockouts = list(queryset.filter(cleared_at__isnull=True))
        for lockout in lockouts:
            sign_in_lockout_clear(actor=request.user, lockout=lockout)
        self.message_user(request, f"{len(lockouts)} lockout(s) cleared.", messages.SUCCESS)


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, PactUserAdmin)
admin.site.register(Group, PactGroupAdmin)
