"""Writing the audit trail. Called inside the transaction of what it records: an
action's change, a view of a record, a search, a login, a refused access."""

import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.audit import chain
from amparo.audit.keys import active_audit_key
from amparo.audit.models import AuditChainHead, AuditEvent

HEAD_ID = 1


def record(
    actor: User | None,
    action: str,
    subject: models.Model,
    data: dict[str, Any] | None = None,
    *,
    agency_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Append one audit event about `subject`. Keep `data` free of personal data beyond
    what identifies the change: the audit log outlives the records it describes.
    The event is filed under the actor's agency, or under `agency_id` when given: the
    agency whose record it concerns (a scheduled run has no actor; another agency's
    user may answer a referral), so that its data-protection officer sees it."""
    return record_raw(
        actor,
        action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        data=data,
        agency_id=agency_id,
    )


def record_raw(
    actor: User | None,
    action: str,
    *,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
    agency_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Append one event whose subject is named rather than held (a record that may not
    exist, a login attempt)."""
    # Stored as JSON and hashed as JSON: round-trip first, so the hash is computed on
    # exactly what the database gives back (UUIDs and dates as text).
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    _refuse_floats(payload)
    if agency_id is None and actor is not None and actor.pk:
        agency_id = actor.agency_id
    return _append(actor, action, subject_type, subject_id, payload, agency_id)


# No savepoint: the event belongs to the caller's transaction and fails with it; a
# savepoint would cost two more round trips on every audited request.
@transaction.atomic(savepoint=False)
def _append(
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: Any,
    agency_id: uuid.UUID | None,
) -> AuditEvent:
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=HEAD_ID, defaults={"last_hash": chain.GENESIS}
    )
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        agency_id=agency_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id[:64],
        data=payload,
        previous_hash=head.last_hash,
    )
    key_id, key = active_audit_key()
    event.key_id = key_id
    event.hash = chain.event_hash(
        key,
        key_id=key_id,
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        agency_id=event.agency_id,
        action=action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        data=payload,
        previous_hash=event.previous_hash,
    )
    event.save()
    AuditChainHead.objects.filter(pk=HEAD_ID).update(
        last_sequence=event.sequence, last_hash=event.hash
    )
    return event


def record_denial(
    user: User | None, subject_type: str, subject_id: object
) -> AuditEvent:
    """A refused access: someone asked for a record they may not see (or that does
    not exist; the two look the same to them, but not to the data-protection officer)."""
    return record_raw(
        user,
        "access.denied",
        subject_type=subject_type,
        subject_id=str(subject_id)[:64],
    )


def record_view(actor: User, action: str, subject: models.Model) -> AuditEvent:
    """The audit event of a read. A read changes nothing, so on PostgreSQL, when no
    caller's transaction is open, its event commits without waiting for the disk
    (`synchronous_commit = off`): a crash can lose the last fraction of a second of
    view events, but never a change's event (that shares the change's transaction)
    and never the chain's consistency. Waiting would make every read a durable write."""
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if relaxed:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return record(actor, action, subject)


def _refuse_floats(value: Any) -> None:
    """PostgreSQL's jsonb rewrites some numbers (1e16, -0.0), which would break the
    hash of an intact event: audit data holds text, whole numbers and booleans only."""
    if isinstance(value, float):
        raise TypeError("Audit data may not hold floating-point numbers; use text.")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_floats(item)
