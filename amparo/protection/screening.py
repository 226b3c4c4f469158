"""Screening for trafficking with the ILO / European Commission operational indicators
(2009): the four indicator sets as versioned data (`indicators/ilo_ec_2009.toml`), and
the combination rule that turns the indicators observed into a **suggestion**, with its
reasoning. It never decides: identification is a separate decision by an authorised
person (`trafficking_identified`). Pure: imports nothing from Django.

The combination rule, as the reference gives it (domain-standards §4.2; the file's
`[combination]` table says where each part comes from and how sure it is):

- a dimension is positive with at least 2 strong indicators, or 1 strong and 1 medium
  or weak, or 3 medium, or 2 medium and 1 weak;
- an adult: possible trafficking when a recruitment dimension (deceptive, coercive, or
  by abuse of vulnerability) is positive, and exploitation, and coercion or abuse of
  vulnerability at destination [U];
- a child: the means are not required; a positive exploitation dimension is enough
  (Palermo Protocol art. 3(c)) [U].

A set the file marks incomplete (the two sexual-exploitation sets: their ratings were
not retrieved) is recorded but not scored: its suggestion says so.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "indicators"
STRENGTHS = ("strong", "medium", "weak")
RECRUITMENT = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
)
EXPLOITATION = "exploitation"
DESTINATION = ("coercion_at_destination", "abuse_of_vulnerability_at_destination")


class IndicatorDataError(ValueError):
    """An indicator file that cannot be used, with where it is wrong."""


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    text: str
    strength: str
    confidence: str


@dataclass(frozen=True)
class IndicatorSet:
    code: str
    title: str
    complete: bool
    child: bool
    exploitation: str  # "labour" or "sexual"
    indicators: dict[str, Indicator]


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    counts: dict[str, int]  # strong / medium / weak observed
    positive: bool


@dataclass(frozen=True)
class Suggestion:
    """What the indicators suggest, and why; `possible` is None where the set cannot
    be scored."""

    set_code: str
    possible: bool | None
    dimensions: tuple[Dimension, ...]
    reasoning: str


@cache
def load(name: str = "ilo_ec_2009") -> tuple[dict[str, str], dict[str, IndicatorSet]]:
    """The dimensions (code → title, in order) and the sets of an indicator file."""
    path = DATA / f"{name}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise IndicatorDataError(f"{path.name}: {error}") from None
    dimensions = {
        d["code"]: d["title"]
        for d in sorted(raw.get("dimensions", []), key=lambda d: d["order"])
    }
    sets = {s["code"]: _set(s, dimensions, path.name) for s in raw.get("sets", [])}
    return dimensions, sets


def _set(raw: dict[str, Any], dimensions: dict[str, str], where: str) -> IndicatorSet:
    code = raw["code"]
    indicators: dict[str, Indicator] = {}
    for item in raw.get("indicators", []):
        if item["dimension"] not in dimensions:
            raise IndicatorDataError(
                f"{where}: {code}.{item['code']}: unknown dimension"
            )
        if item["strength"] not in STRENGTHS:
            raise IndicatorDataError(
                f"{where}: {code}.{item['code']}: unknown strength"
            )
        if item["code"] in indicators:
            raise IndicatorDataError(f"{where}: {code}.{item['code']}: listed twice")
        indicators[item["code"]] = Indicator(
            item["code"],
            item["dimension"],
            item["text"],
            item["strength"],
            item.get("confidence", "U"),
        )
    return IndicatorSet(
        code=code,
        title=raw["title"],
        complete=bool(raw.get("complete", False)),
        child=code.startswith("child_"),
        exploitation="sexual" if code.endswith("_sexual") else "labour",
        indicators=indicators,
    )


def set_codes() -> tuple[str, ...]:
    return tuple(load()[1])


def unknown(set_code: str, observed: list[str]) -> list[str]:
    """The codes of `observed` that are not indicators of the set (all of them, for an
    unknown set)."""
    sets = load()[1]
    known = sets[set_code].indicators if set_code in sets else {}
    return [code for code in observed if code not in known]


def positive(counts: Counter[str] | dict[str, int]) -> bool:
    """The rule for one dimension: 2 strong; 1 strong + 1 medium or weak; 3 medium;
    2 medium + 1 weak."""
    strong, medium, weak = (counts.get(s, 0) for s in STRENGTHS)
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def suggest(set_code: str, observed: list[str]) -> Suggestion:
    """The suggestion of the indicators `observed` (codes of the set `set_code`)."""
    titles, sets = load()
    chosen = sets[set_code]
    found = [
        chosen.indicators[c] for c in dict.fromkeys(observed) if c in chosen.indicators
    ]
    dimensions = []
    for code, title in titles.items():
        counts = Counter(i.strength for i in found if i.dimension == code)
        dimensions.append(Dimension(code, title, dict(counts), positive(counts)))
    if not chosen.complete:
        return Suggestion(
            set_code,
            None,
            tuple(dimensions),
            f"No suggestion: the ratings of the set {set_code} are incomplete in "
            "Amparo's data (the indicators observed are recorded).",
        )
    by_code = {d.code: d for d in dimensions}
    exploited = by_code[EXPLOITATION].positive
    recruited = [c for c in RECRUITMENT if by_code[c].positive]
    coerced = [c for c in DESTINATION if by_code[c].positive]
    if chosen.child:
        possible = exploited
        needed = (
            "a positive exploitation dimension (for a child the means are not required)"
        )
    else:
        possible = bool(recruited) and exploited and bool(coerced)
        needed = (
            "a positive recruitment dimension, a positive exploitation dimension, and "
            "positive coercion or abuse of vulnerability at destination"
        )
    positives = [d.title for d in dimensions if d.positive]
    verdict = (
        f"Possible trafficking for {chosen.exploitation} exploitation"
        if possible
        else f"No indication of trafficking for {chosen.exploitation} exploitation"
    )
    return Suggestion(
        set_code,
        possible,
        tuple(dimensions),
        f"{verdict}: positive: {', '.join(positives) or 'none'}; it takes {needed}. "
        "A suggestion, not an identification.",
    )
