"""The Django admin, opened to force administrators by role and audited like every staff action.

Audited: every save and delete of a page's object, with each changed field before and after;
every row added, changed or deleted inline on it; and a password set or turned off for a user
(that it happened, never the password or its hash). Secrets and personal fields are masked by
core.audit.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse

from core.audit import audit_record
from core.models import AuditEvent, EnrolmentLink, SecondFactor, SignInLockout
from core.roles import is_administrator
from core.sign_in import sign_in_lockout_clear
from core.two_factor import (
    TwoFactorError,
    enrolment_link_issue,
    enrolment_link_revoke,
    enrolment_link_url,
    second_factor_reset,
)


def _plain(value: Any) -> Any:
    """A value as the audit trail stores it: JSON as it is, rows by name, many rows as a list."""
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Iterable):
        return [_plain(item) for item in value]
    return str(value)


def _changes(form: forms.BaseForm) -> dict[str, dict[str, Any]]:
    return {
        name: {"before": _plain(form.initial.get(name)), "after": _plain(form.cleaned_data.get(name))}
        for name in form.changed_data
    }


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
        action = "changed" if change else "created"
        audit_record(actor=request.user, action=f"{obj._meta.label_lower}.{action}", target=obj, data=_changes(form))

    def save_formset(self, request, form, formset, change) -> None:
        """Save the rows edited inline and audit each one like the page's own object."""
        # Deletions first, while the rows still have their ids (the admin runs all this in one transaction).
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                obj = deleted.instance
                audit_record(
                    actor=request.user, action=f"{obj._meta.label_lower}.deleted", target=obj, data={"str": str(obj)}
                )
        super().save_formset(request, form, formset, change)
        verbs = {id(obj): "created" for obj in formset.new_objects}
        verbs.update({id(obj): "changed" for obj, _fields in formset.changed_objects})
        for inline in formset.forms:
            verb = verbs.get(id(inline.instance))
            if verb is not None:
                action = f"{inline.instance._meta.label_lower}.{verb}"
                audit_record(actor=request.user, action=action, target=inline.instance, data=_changes(inline))

    def delete_model(self, request, obj) -> None:
        audit_record(actor=request.user, action=f"{obj._meta.label_lower}.deleted", target=obj, data={"str": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            audit_record(
                actor=request.user, action=f"{obj._meta.label_lower}.deleted", target=obj, data={"str": str(obj)}
            )
        super().delete_queryset(request, queryset)


class AdministratorInline(admin.TabularInline):
    """Inline rows are open to administrators by role, like the pages they sit on (which audit them)."""

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)


def _links_issued(request, admin_site, issued: list[tuple[User, str]], skipped: list[User]) -> HttpResponse:
    """The set-up links just issued, shown this once: only their hashes are kept. The
    administrator hands each to its owner by a channel they trust (in person, by phone), not
    the outbox, whose emails stay readable in the database for weeks."""
    context = {
        **admin_site.each_context(request),
        "title": "Two-factor set-up links",
        "links": [(user.get_username(), enrolment_link_url(token)) for user, token in issued],
        "skipped": [user.get_username() for user in skipped],
        "hours": round(settings.PACT_ENROLMENT_LINK_SECONDS / 3600),
    }
    return TemplateResponse(request, "admin/pact/enrolment_links_issued.html", context)


class PactUserAdmin(AuditedAdmin, UserAdmin):
    actions = ["issue_enrolment_link"]

    def user_change_password(self, request, id, form_url=""):
        """Django's page for setting another user's password, audited when the password changed.

        Judged by the stored hash before and after, so whatever path through Django's view led
        to a save is caught; the hash itself is only compared here, never recorded.
        """
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    audit_record(
                        actor=request.user,
                        action="auth.user.password_changed",
                        target=user,
                        data={"usable_password": user.has_usable_password()},
                    )
        return response

    @admin.action(description="Issue a two-factor set-up link (shown once)", permissions=["change"])
    def issue_enrolment_link(self, request, queryset) -> HttpResponse:
        issued, skipped = [], []
        for user in queryset.order_by("username"):
            try:
                issued.append((user, enrolment_link_issue(actor=request.user, user=user)))
            except TwoFactorError:
                skipped.append(user)
        return _links_issued(request, self.admin_site, issued, skipped)


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
        description="Reset two-factor authentication and issue set-up links (shown once)", permissions=["act"]
    )
    def reset(self, request, queryset) -> HttpResponse:
        users = [factor.user for factor in queryset.select_related("user").order_by("user__username")]
        issued = [(user, second_factor_reset(actor=request.user, user=user)) for user in users]
        return _links_issued(request, self.admin_site, issued, [])


@admin.register(EnrolmentLink)
class EnrolmentLinkAdmin(_ActionOnlyAdmin):
    """The two-factor set-up links issued, and what became of each; revoking one that went
    astray. The links themselves exist only on the page that issued them."""

    list_display = ["user", "created_by", "created_at", "expires_at", "used_at", "enrolled_at", "revoked_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username"]
    fields = list_display
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description="Revoke the selected set-up links", permissions=["act"])
    def revoke(self, request, queryset) -> None:
        revoked = sum(enrolment_link_revoke(actor=request.user, link=link) for link in queryset)
        self.message_user(request, f"{revoked} set-up link(s) revoked.", messages.SUCCESS)


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
