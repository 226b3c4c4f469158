"""Jurisdiction profiles: the figures and lists each rule needs, as versioned data files
(`profiles/<code>.toml`), each figure with its unit, period of validity, source and
confidence tag ([V] checked, [K] known, [U] uncertain). A profile names a parent (the
`international` baseline) whose figures apply where it has none of its own."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_calendars

from amparo.safeguards.deadlines import Duration, Unit

T = TypeVar("T")
PROFILES = Path(__file__).resolve().parent / "profiles"
BASELINE = "international"
CONFIDENCE = {"V", "K", "U"}


class ProfileError(ValueError):
    """A profile file that cannot be used, with where it is wrong."""


@dataclass(frozen=True)
class Figure:
    """One legal figure: `value` in `unit`, or None where the law sets none (no
    statutory maximum), in force from `effective_from` until before `effective_to`."""

    name: str
    value: float | None
    unit: Unit | None
    source: str
    confidence: str
    effective_from: date
    effective_to: date | None = None
    note: str = ""

    @property
    def duration(self) -> Duration | None:
        if self.value is None or self.unit is None:
            return None
        return Duration(self.value, self.unit)

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day < self.effective_to
        )


@dataclass(frozen=True)
class Listing:
    """A list kept as data (the countries whose nationals' consulates must be told),
    with its source and when it was last checked."""

    name: str
    source: str
    retrieved: str
    confidence: str
    entries: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    version: str
    country: str
    time_zone: ZoneInfo
    holiday_country: str = ""
    holiday_subdivision: str = ""
    extra_holidays: frozenset[date] = frozenset()
    parent: Profile | None = None
    figures: dict[str, tuple[Figure, ...]] = field(default_factory=dict)
    listings: dict[str, Listing] = field(default_factory=dict)
    # Switches and words of the law that are not durations (e.g. whether detention
    # counts across episodes); `[settings]` in the file.
    settings: dict[str, Any] = field(default_factory=dict)
    # What the engine derives from the figures (a figure's duration and citation on a
    # day), kept: every case file of a batch asks for the same few.
    _derived: dict[Hashable, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, once per `key` for this profile; the key must name every input
        besides the profile."""
        if key not in self._derived:
            self._derived[key] = compute()
        return cast(T, self._derived[key])

    def setting(self, name: str, default: Any = None) -> Any:
        if name in self.settings:
            return self.settings[name]
        return self.parent.setting(name, default) if self.parent else default

    def figure(self, name: str, day: date) -> Figure | None:
        """The figure in force on `day`, from this profile or else its parent's."""
        for candidate in self.figures.get(name, ()):
            if candidate.in_force(day):
                return candidate
        return self.parent.figure(name, day) if self.parent else None

    def listing(self, name: str) -> Listing | None:
        if name in self.listings:
            return self.listings[name]
        return self.parent.listing(name) if self.parent else None

    def is_holiday(self, day: date) -> bool:
        if day in self.extra_holidays:
            return True
        if not self.holiday_country:
            return False
        return day in _calendar(
            self.holiday_country, self.holiday_subdivision, day.year
        )


@cache
def _calendar(
    country: str, subdivision: str, year: int
) -> holiday_calendars.HolidayBase:
    return holiday_calendars.country_holidays(
        country, subdiv=subdivision or None, years=year
    )


def available() -> list[str]:
    return sorted(path.stem for path in PROFILES.glob("*.toml"))


@cache
def load(code: str) -> Profile:
    """The profile `code`, with its parent; ProfileError if unknown or invalid."""
    path = PROFILES / f"{code}.toml"
    if not code.replace("_", "").replace("-", "").isalnum() or not path.is_file():
        raise ProfileError(
            f"unknown jurisdiction {code!r}; known: {', '.join(available())}"
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path.name}: {error}") from None
    return _parse(raw, path.name)


def _parse(raw: dict[str, Any], where: str) -> Profile:
    parent_code = raw.get("parent", "" if raw.get("code") == BASELINE else BASELINE)
    try:
        zone = ZoneInfo(_text(raw, "time_zone", where))
    except (ZoneInfoNotFoundError, ValueError):
        raise ProfileError(f"{where}: time_zone: unknown time zone") from None
    country = raw.get("holidays", {}).get("country", "")
    if country and country not in holiday_calendars.list_supported_countries():
        raise ProfileError(f"{where}: holidays.country: no calendar for {country!r}")
    return Profile(
        code=_text(raw, "code", where),
        name=_text(raw, "name", where),
        version=_text(raw, "version", where),
        country=raw.get("country", ""),
        time_zone=zone,
        holiday_country=country,
        holiday_subdivision=raw.get("holidays", {}).get("subdivision", ""),
        extra_holidays=frozenset(
            _date(d, f"{where}: holidays.extra")
            for d in raw.get("holidays", {}).get("extra", [])
        ),
        parent=load(parent_code) if parent_code else None,
        figures={
            name: tuple(
                _figure(name, entry, f"{where}: figures.{name}")
                for entry in (spec if isinstance(spec, list) else [spec])
            )
            for name, spec in raw.get("figures", {}).items()
        },
        listings={
            name: _listing(name, spec, f"{where}: lists.{name}")
            for name, spec in raw.get("lists", {}).items()
        },
        settings=dict(raw.get("settings", {})),
    )


def _figure(name: str, entry: dict[str, Any], where: str) -> Figure:
    value = entry.get("value")
    unit = entry.get("unit")
    if value is not None and not isinstance(value, int | float):
        raise ProfileError(f"{where}.value: a number, or leave it out for none")
    if value is not None and value < 0:
        raise ProfileError(f"{where}.value: cannot be negative")
    if value is not None and unit not in Unit.__members__.values():
        raise ProfileError(f"{where}.unit: one of {', '.join(u.value for u in Unit)}")
    figure = Figure(
        name=name,
        value=value,
        unit=Unit(unit) if unit else None,
        source=_text(entry, "source", where),
        confidence=_confidence(entry, where),
        effective_from=_date(entry.get("effective_from"), f"{where}.effective_from"),
        effective_to=(
            _date(entry["effective_to"], f"{where}.effective_to")
            if "effective_to" in entry
            else None
        ),
        note=entry.get("note", ""),
    )
    if figure.effective_to and figure.effective_to <= figure.effective_from:
        raise ProfileError(f"{where}.effective_to: not after effective_from")
    return figure


def _listing(name: str, spec: dict[str, Any], where: str) -> Listing:
    entries = spec.get("entries", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ProfileError(f"{where}.entries: a list of tables")
    return Listing(
        name=name,
        source=_text(spec, "source", where),
        retrieved=_text(spec, "retrieved", where),
        confidence=_confidence(spec, where),
        entries=tuple(entries),
    )


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{where}: {key}: required text")
    return value


def _confidence(raw: dict[str, Any], where: str) -> str:
    tag = raw.get("confidence")
    if tag not in CONFIDENCE:
        raise ProfileError(f"{where}.confidence: one of V, K, U")
    return str(tag)


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    raise ProfileError(f"{where}: a date (YYYY-MM-DD)")
