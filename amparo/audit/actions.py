"""Writing the audit trail. Called by every action, inside the action's transaction."""

from typing import Any

from django.db import models
from django.utils import timezone

from amparo.accounts.models import User
from amparo.audit.models import AuditEvent


def record(
    actor: User | None,
    action: str,
    subject: models.Model,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event about `subject`. Keep `data` free of personal data beyond
    what identifies the change: the audit log outlives the records it describes."""
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor,
        agency_id=getattr(actor, "agency_id", None),
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        data=data or {},
    )
