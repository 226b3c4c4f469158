"""What the engine reads: a case file, the typed and timestamped facts recorded on it."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

T = TypeVar("T")


class NaiveTimeError(ValueError):
    """A time without a zone: the engine never guesses one."""


def aware(moment: datetime, where: str = "time") -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveTimeError(f"{where}: a time without a time zone")
    return moment


@dataclass(frozen=True)
class Fact:
    """One thing that happened or was established, when, and who recorded it.
    `data` holds the kind's own fields (see docs/safeguards.md for each kind)."""

    id: str
    kind: str
    at: datetime
    recorded_by: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        aware(self.at, f"fact {self.id}")

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


@dataclass(frozen=True)
class CaseFile:
    """A case's facts, in time order, with the jurisdiction whose law applies."""

    case_id: str
    person_id: str
    jurisdiction: str
    facts: tuple[Fact, ...] = ()
    # What the rules derive from the facts (the person's nationalities, the detention
    # episodes), computed once per case and evaluation time instead of once per rule.
    _derived: dict[Hashable, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.facts, key=lambda f: (f.at, f.id)))
        object.__setattr__(self, "facts", ordered)

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, once per `key` for this case file; the key must name every
        input besides the facts (the evaluation time, the profile)."""
        if key not in self._derived:
            self._derived[key] = compute()
        return cast(T, self._derived[key])

    def of(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in kinds]

    def first(self, *kinds: str, where: Mapping[str, Any] | None = None) -> Fact | None:
        return next(iter(self._matching(kinds, where)), None)

    def last(self, *kinds: str, where: Mapping[str, Any] | None = None) -> Fact | None:
        found = self._matching(kinds, where)
        return found[-1] if found else None

    def _matching(
        self, kinds: Iterable[str], where: Mapping[str, Any] | None
    ) -> list[Fact]:
        # The kind first, the fields only of those (and only when asked): the rules
        # call this a few dozen times per case file.
        wanted = tuple(kinds)
        found = [f for f in self.facts if f.kind in wanted]
        if where:
            found = [
                f for f in found if all(f.data.get(k) == v for k, v in where.items())
            ]
        return found
