"""The audit trail: one AuditEvent per state change, written inside the service's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from microcred.core.models import AuditEvent, Organization

if TYPE_CHECKING:
    from microcred.core.models import User


def record(
    actor: User | None,
    verb: str,
    subject: models.Model,
    *,
    organization: Organization | None = None,
    **data: Any,
) -> AuditEvent:
    """Write one event; `verb` is dotted (`credential.published`), `data` must be JSON-safe."""
    if organization is None:
        organization = (
            subject if isinstance(subject, Organization) else getattr(subject, "organization", None)
        )
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        organization=organization,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        data=data,
    )


def history(subject: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).select_related("actor")
