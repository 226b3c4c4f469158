"""What the engine returns: obligations, each with its deadline, state and sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    OPEN = "open"
    MET = "met"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not_applicable"
    ESCALATED = "escalated"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Obligation:
    """One duty on one case. `key` tells apart several duties of one rule on a case
    (one per nationality, per detention episode, per review)."""

    rule_id: str
    case_id: str
    person_id: str
    key: str
    due: str
    due_at: datetime | None
    status: Status
    severity: Severity
    citations: tuple[str, ...]
    triggered_by: tuple[str, ...] = ()
    met_by: tuple[str, ...] = ()
    met_at: datetime | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def met_late(self) -> bool:
        return (
            self.met_at is not None
            and self.due_at is not None
            and self.met_at > self.due_at
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "case_id": self.case_id,
            "person_id": self.person_id,
            "key": self.key,
            "due": self.due,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "status": str(self.status),
            "severity": str(self.severity),
            "citations": list(self.citations),
            "triggered_by": list(self.triggered_by),
            "met_by": list(self.met_by),
            "met_at": self.met_at.isoformat() if self.met_at else None,
            "met_late": self.met_late,
            "note": self.note,
            "details": self.details,
        }


def timed_status(due_at: datetime, met_at: datetime | None, now: datetime) -> Status:
    """Met once the meeting fact exists (late or not: `met_late` tells); otherwise
    overdue once `now` has passed the deadline, open before."""
    if met_at is not None and met_at <= now:
        return Status.MET
    return Status.OVERDUE if now > due_at else Status.OPEN
