"""The engine: rules register here; `evaluate` runs every rule on a case file at a time.

A rule is a small class whose docstring states the duty in plain words with its source;
`evaluate` returns its obligations for one case. The same case file, profile and time
always give the same obligations, in the same order.
"""

from __future__ import annotations

import importlib
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from amparo.safeguards.deadlines import Duration, add, time_zone
from amparo.safeguards.facts import CaseFile, Fact, aware
from amparo.safeguards.obligations import Obligation, Severity, Status, timed_status
from amparo.safeguards.profiles import Profile

# The domain modules whose rules (and consistency checks) the engine runs; each
# registers them on import.
RULE_MODULES = (
    "amparo.detention.rules",
    "amparo.detention.consular_rules",
    "amparo.children.rules",
    "amparo.children.checks",
    "amparo.returns.rules",
    "amparo.returns.checks",
    "amparo.protection.rules",
    "amparo.protection.checks",
    "amparo.services.rules",
    "amparo.labour.rules",
)

_REGISTRY: dict[str, Rule] = {}


class UnknownRuleError(KeyError):
    pass


class Rule(ABC):
    """Subclass, set `id`, `title` and `citations`, write the duty in the docstring,
    and implement `evaluate`. Helpers build obligations with the case's ids filled in."""

    id: ClassVar[str]
    title: ClassVar[str]
    citations: ClassVar[tuple[str, ...]]

    @abstractmethod
    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterable[Obligation]:
        """The rule's obligations on `case` at `now` under `profile`."""

    @classmethod
    def explanation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def obligation(
        self,
        case: CaseFile,
        *,
        key: str,
        due: str,
        due_at: datetime | None,
        status: Status,
        severity: Severity,
        **extra: object,
    ) -> Obligation:
        return Obligation(
            rule_id=self.id,
            case_id=case.case_id,
            person_id=case.person_id,
            key=key,
            due=due,
            due_at=due_at,
            status=status,
            severity=severity,
            citations=self.citations,
            **extra,  # type: ignore[arg-type]
        )

    def timed(
        self,
        case: CaseFile,
        profile: Profile,
        now: datetime,
        *,
        key: str,
        due: str,
        start: datetime,
        figure: str,
        met: Fact | None,
        triggered_by: Sequence[str],
        lapse: datetime | None = None,
        lapse_note: str = "",
        severity: tuple[Severity, Severity] = (Severity.WARNING, Severity.CRITICAL),
        details: dict[str, Any] | None = None,
    ) -> Obligation:
        """A duty due `figure` (the profile's, on `start`'s local day) after `start`:
        met by `met`; else lapsed at `lapse`, if that has come; else open or overdue
        by the clock. `severity` is (open, overdue). Without the figure in force, not
        applicable, with a note that says so."""
        zone = profile.time_zone
        duration, source = figure_duration(
            profile, figure, start.astimezone(zone).date()
        )
        extra = {"source": source, **(details or {})}
        common: dict[str, Any] = {"key": key, "triggered_by": tuple(triggered_by)}
        if duration is None:
            return self.obligation(
                case,
                due=due,
                due_at=None,
                status=Status.NOT_APPLICABLE,
                severity=Severity.INFO,
                note=f"The profile has no figure {figure!r} in force.",
                details=extra,
                **common,
            )
        due_at = deadline(profile, start, duration)
        common["due"] = f"{due}, within {duration}"
        common["due_at"] = due_at
        if met is not None:
            return self.obligation(
                case,
                status=Status.MET,
                severity=Severity.INFO,
                met_by=(met.id,),
                met_at=met.at,
                details=extra,
                **common,
            )
        if lapse is not None and lapse <= now:
            return self.obligation(
                case,
                status=Status.NOT_APPLICABLE,
                severity=Severity.INFO,
                note=lapse_note,
                details={**extra, "missed": lapse > due_at},
                **common,
            )
        status = timed_status(due_at, None, now)
        return self.obligation(
            case,
            status=status,
            severity=severity[1] if status is Status.OVERDUE else severity[0],
            details=extra,
            **common,
        )


def deadline(
    profile: Profile, start: datetime, duration: Duration, zone: str | None = None
) -> datetime:
    """`start` + `duration` in the place's zone (the profile's when the place has none),
    working days counted on the profile's holiday calendar."""
    return add(
        start,
        duration,
        zone=time_zone(zone) if zone else profile.time_zone,
        is_holiday=profile.is_holiday,
    )


def register(rule_class: type[Rule]) -> type[Rule]:
    """Class decorator: add one instance of the rule to the engine."""
    if rule_class.id in _REGISTRY:
        raise ValueError(f"two rules with the id {rule_class.id!r}")
    _REGISTRY[rule_class.id] = rule_class()
    return rule_class


def load_rules() -> dict[str, Rule]:
    # Imported once, sorted once a registry: `evaluate` asks for every case.
    if not _LOADED:
        for module in RULE_MODULES:
            importlib.import_module(module)
    key = tuple(_REGISTRY)
    rules = _LOADED.get(key)
    if rules is None:
        _LOADED.clear()
        rules = _LOADED[key] = dict(sorted(_REGISTRY.items()))
    return dict(rules)


_LOADED: dict[tuple[str, ...], dict[str, Rule]] = {}


# A domain's check of a case file's facts (in time order): for each fact that cannot
# be true with the others, its id, why, and the field to blame ("" for none).
Check = Callable[[Sequence[Fact]], Iterable[tuple[str, str, str]]]
_CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    """Decorator: add a domain's consistency check to `casefile.contradictions`."""
    _CHECKS.append(check)
    return check


def checks() -> tuple[Check, ...]:
    load_rules()  # the rule modules import their domain's checks
    return tuple(_CHECKS)


def rule(rule_id: str) -> Rule:
    rules = load_rules()
    if rule_id not in rules:
        raise UnknownRuleError(rule_id)
    return rules[rule_id]


def evaluate(
    case: CaseFile,
    profile: Profile,
    now: datetime,
    *,
    only: Iterable[str] | None = None,
) -> list[Obligation]:
    """Every obligation of `case` at `now` under `profile` (or of the rules `only`)."""
    aware(now, "evaluation time")
    rules = load_rules()
    chosen = list(rules) if only is None else list(only)
    for rule_id in chosen:
        if rule_id not in rules:
            raise UnknownRuleError(rule_id)
    found = [
        o for rule_id in chosen for o in rules[rule_id].evaluate(case, profile, now)
    ]
    return sorted(found, key=_order)


def _order(obligation: Obligation) -> tuple[object, ...]:
    # Deadlines in different zones compare as instants; no deadline sorts last.
    when = obligation.due_at.timestamp() if obligation.due_at else float("inf")
    return (when, obligation.rule_id, obligation.key)


def figure_duration(
    profile: Profile, name: str, day: date
) -> tuple[Duration | None, str]:
    """A figure's duration on `day` and its citation (source and confidence)."""
    # Once per profile, figure and day: the rules ask about 11 times per case file.
    return profile.derived(
        ("figure_duration", name, day), lambda: _figure_duration(profile, name, day)
    )


def _figure_duration(
    profile: Profile, name: str, day: date
) -> tuple[Duration | None, str]:
    figure = profile.figure(name, day)
    if figure is None:
        return None, ""
    return figure.duration, f"{figure.source} [{figure.confidence}]"


def each(values: Iterable[str]) -> Iterator[str]:
    """Distinct values in first-seen order (nationalities, episodes)."""
    # A dict keeps the first of equal keys, in order: the loop runs in C.
    return iter(dict.fromkeys(values))
