"""The hash chain of the audit trail. Pure Python: each event's hash covers its own
content and the previous event's hash, so changing, removing or reordering any event
breaks every link after it."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def event_hash(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    agency_id: object,
    action: str,
    subject_type: str,
    subject_id: str,
    data: Any,
    previous_hash: str,
) -> str:
    content = [
        sequence,
        occurred_at.isoformat(),
        actor_id,
        None if agency_id is None else str(agency_id),
        action,
        subject_type,
        subject_id,
        data,
        previous_hash,
    ]
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Break:
    sequence: int
    reason: str


@dataclass
class Verification:
    checked: int
    last_hash: str
    first_break: Break | None


def verify(rows: Iterable[tuple[Any, ...]]) -> Verification:
    """Walk events in sequence order. Each row: (sequence, occurred_at, actor_id,
    agency_id, action, subject_type, subject_id, data, previous_hash, hash)."""
    expected_previous, expected_sequence, checked = GENESIS, 1, 0
    for row in rows:
        sequence, *content, previous_hash, stored_hash = row
        if sequence != expected_sequence:
            return Verification(
                checked, expected_previous, Break(expected_sequence, "missing")
            )
        if previous_hash != expected_previous:
            return Verification(checked, expected_previous, Break(sequence, "relinked"))
        keys = (
            "occurred_at",
            "actor_id",
            "agency_id",
            "action",
            "subject_type",
            "subject_id",
            "data",
        )
        recomputed = event_hash(
            sequence=sequence,
            previous_hash=previous_hash,
            **dict(zip(keys, content, strict=True)),
        )
        if recomputed != stored_hash:
            return Verification(checked, expected_previous, Break(sequence, "altered"))
        expected_previous, expected_sequence, checked = (
            stored_hash,
            sequence + 1,
            checked + 1,
        )
    return Verification(checked, expected_previous, None)
