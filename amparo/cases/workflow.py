"""Which status a case may move to from where it stands. Pure Python."""

from amparo.cases.models import Case

S = Case.Status

# Forward one step at a time; closing is possible from any open status, and a closed
# case comes back through reopening, never by a plain status change.
NEXT: dict[str, set[str]] = {
    S.OPEN: {S.ASSESSED},
    S.ASSESSED: {S.PLAN},
    S.PLAN: {S.IN_PROGRESS},
    S.IN_PROGRESS: set(),
    S.CLOSED: set(),
}


def can_move(current: str, target: str) -> bool:
    return target in NEXT.get(current, set())


def next_statuses(current: str) -> list[str]:
    return [s for s in S.values if s in NEXT.get(current, set())]
