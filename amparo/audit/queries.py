"""Reading the audit trail back: verification, and the data-protection officer's
search."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from amparo.accounts.models import User
from amparo.audit import chain
from amparo.audit.keys import audit_keys
from amparo.audit.models import AuditChainHead, AuditEvent

COLUMNS = (
    "sequence",
    "key_id",
    "occurred_at",
    "actor_id",
    "agency_id",
    "action",
    "subject_type",
    "subject_id",
    "data",
    "previous_hash",
    "hash",
)


def verify_chain(*, chunk_size: int = 10_000) -> chain.Verification:
    """Recompute every link in order; the first broken one, if any, is reported.

    The head is read first and only the events up to it are checked, so events that
    writers append meanwhile neither break nor lengthen the check. The last event must
    be the head's: cutting events off the end, or deleting the head, shows."""
    head = (
        AuditChainHead.objects.filter(pk=1)
        .values_list("last_sequence", "last_hash")
        .first()
    )
    last_sequence, last_hash = head if head is not None else (0, chain.GENESIS)
    rows = (
        AuditEvent.objects.filter(sequence__lte=last_sequence)
        .order_by("sequence")
        .values_list(*COLUMNS)
    )
    result = chain.verify(rows.iterator(chunk_size=chunk_size), audit_keys())
    if result.first_break is not None:
        return result
    if head is None and AuditEvent.objects.exists():
        result.first_break = chain.Break(1, "head missing")
    elif (result.checked, result.last_hash) != (last_sequence, last_hash):
        result.first_break = chain.Break(result.checked + 1, "missing")
    return result


def events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """The data-protection officer reads their agency's audit trail; nobody else reads
    it through the application."""
    if (
        not user.is_authenticated
        or user.role != User.Role.DPO
        or user.agency_id is None
    ):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(agency_id=user.agency_id)


@dataclass
class EventFilters:
    subject_id: str = ""
    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def search_events(user: User, filters: EventFilters) -> QuerySet[AuditEvent]:
    events = events_visible_to(user).select_related("actor")
    if filters.subject_id:
        events = events.filter(subject_id=_record_id(filters.subject_id))
    if filters.actor:
        events = events.filter(actor__username=filters.actor.strip())
    if filters.action:
        events = events.filter(action__startswith=filters.action.strip())
    if filters.since:
        events = events.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        events = events.filter(occurred_at__date__lte=filters.until)
    return events


def _record_id(text: str) -> str:
    """A record number as the audit stores it (UUIDs in their hyphenated form)."""
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        return text.strip()
