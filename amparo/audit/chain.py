"""The hash chain of the audit trail. Pure Python.

Each event's hash is an HMAC-SHA256, under a key kept outside the database, of the
event's content and the previous event's hash. Changing, removing or reordering any
event breaks every link after it, and without the key nobody with only database access
can recompute the links to cover it up. Each event names the key that sealed it, so the
key can be replaced: older events keep verifying under the older key.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def event_hash(
    key: bytes,
    *,
    key_id: str,
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
        key_id,
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
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


@dataclass
class Break:
    sequence: int
    reason: str


@dataclass
class Verification:
    checked: int
    last_hash: str
    first_break: Break | None


_CONTENT = (
    "occurred_at",
    "actor_id",
    "agency_id",
    "action",
    "subject_type",
    "subject_id",
    "data",
)


def verify(rows: Iterable[tuple[Any, ...]], keys: Mapping[str, bytes]) -> Verification:
    """Walk events in sequence order. Each row: (sequence, key_id, occurred_at,
    actor_id, agency_id, action, subject_type, subject_id, data, previous_hash, hash)."""
    expected_previous, expected_sequence, checked = GENESIS, 1, 0
    for row in rows:
        sequence, key_id, *content, previous_hash, stored_hash = row
        if sequence != expected_sequence:
            return Verification(
                checked, expected_previous, Break(expected_sequence, "missing")
            )
        if previous_hash != expected_previous:
            return Verification(checked, expected_previous, Break(sequence, "relinked"))
        key = keys.get(key_id)
        if key is None:
            return Verification(
                checked, expected_previous, Break(sequence, "unknown key")
            )
        recomputed = event_hash(
            key,
            key_id=key_id,
            sequence=sequence,
            previous_hash=previous_hash,
            **dict(zip(_CONTENT, content, strict=True)),
        )
        if not hmac.compare_digest(recomputed, stored_hash):
            return Verification(checked, expected_previous, Break(sequence, "altered"))
        expected_previous, expected_sequence, checked = (
            stored_hash,
            sequence + 1,
            checked + 1,
        )
    return Verification(checked, expected_previous, None)
