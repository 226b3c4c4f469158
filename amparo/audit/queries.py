"""Reading the audit trail back, for verification."""

from amparo.audit import chain
from amparo.audit.models import AuditChainHead, AuditEvent

COLUMNS = (
    "sequence",
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
    """Recompute every link in order; the first broken one, if any, is reported. The
    head row must agree with the last event, so cutting events off the end shows."""
    rows = AuditEvent.objects.order_by("sequence").values_list(*COLUMNS)
    result = chain.verify(rows.iterator(chunk_size=chunk_size))
    head = (
        AuditChainHead.objects.filter(pk=1)
        .values_list("last_sequence", "last_hash")
        .first()
    )
    if (
        result.first_break is None
        and head is not None
        and head != (result.checked, result.last_hash)
    ):
        result.first_break = chain.Break(result.checked + 1, "missing")
    return result
