"""The audit trail: one service records every staff action."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import models

from core.models import AuditEvent
from core.roles import AnyUser

# Values under these keys never reach the audit trail in clear.
MASKED_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "token",
        "secret",
        "email",
        "phone",
        "contact_email",
        "contact_name",
        "contact_phone",
        "name_of_person",
    }
)
MASK = "***"


def _mask(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: MASK if str(key).lower() in MASKED_KEYS else _mask(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_mask(item) for item in data]
    return data


def audit_record(
    *,
    actor: AnyUser | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` (a dotted code) to ``target``.

    Personal and secret fields in ``data`` are masked before they are stored.
    """
    event = _event(actor, action, target, data)
    event.save(force_insert=True)
    return event


def audit_record_many(
    *, actor: AnyUser | None, action: str, targets: Sequence[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEvent]:
    """``audit_record`` of the same action by ``actor`` to each (target, data), in one insert."""
    return AuditEvent.objects.bulk_create([_event(actor, action, target, data) for target, data in targets])


def _event(actor: AnyUser | None, action: str, target: models.Model | None, data: dict[str, Any] | None) -> AuditEvent:
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEvent(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=_mask(data or {}),
    )
