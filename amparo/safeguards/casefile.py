"""Case files as JSON: read, checked against `casefile.schema.json`, and turned into
`CaseFile`s for the engine. Pure: imports nothing from Django.

A case file is `{"case_id", "person_id", "jurisdiction", "facts": [...]}`, each fact
`{"id", "kind", "at", "recorded_by", "data"}` (docs/safeguards.md lists every kind).
Everything is checked before anything is returned, and every problem says where it is:
a JSON path (`$.facts[3].at`) and, in JSON Lines, the line.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry

from amparo.safeguards import engine
from amparo.safeguards.facts import CaseFile, Fact

SCHEMA_PATH = Path(__file__).resolve().with_name("casefile.schema.json")
# ICAO Doc 9303's code for a stateless person; ISO 3166 has none.
STATELESS = "XXA"
# The episode facts that cannot come after the episode's end (a review that releases
# the person, a screening or an alternative may be recorded at or after the release).
_ONLY_WHILE_DETAINED = ("detention_extended", "detention_transferred")
_EPISODE_KINDS = (
    "detention_started",
    "detention_reviewed",
    "detention_extended",
    "detention_transferred",
    "detention_ended",
    "vulnerability_screened",
    "alternatives_step",
    "alternative_applied",
)
_NAIVE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")

Format = Literal["json", "jsonl"]
# What is wrong with a jurisdiction code ("" when nothing): profiles live elsewhere.
JurisdictionCheck = Callable[[str], str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: the message, the JSON path of the bad value
    (empty when the text is not JSON at all), and the line and column in the text."""

    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            column = f", column {self.column}" if self.column is not None else ""
            where.append(f"line {self.line}{column}")
        if self.path:
            where.append(self.path)
        return ": ".join([*where, self.message])


class CaseFileError(ValueError):
    """The input holds one or more problems; nothing of it may be used."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Contradiction:
    """Facts that cannot all be true (a release before the detention), named by the
    fact that breaks the story. Used by the offline check and, later, by the actions
    that record facts."""

    fact_id: str
    message: str
    # The fact's field to correct, where one is to blame (`data.maximum_age`).
    field: str = ""


# --- Reading text ----------------------------------------------------------------------


def detect_format(text: str) -> Format:
    """JSON when the whole text is one JSON value; JSON Lines when it is not but its
    first non-blank line is (one case file per line); JSON otherwise, so that the
    error names the line and column where the JSON breaks."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            json.loads(first)
        except json.JSONDecodeError:
            return "json"
        return "jsonl"
    return "json"


def read(
    text: str, format: Format, *, jurisdiction: JurisdictionCheck | None = None
) -> list[CaseFile]:
    """Every case file in `text`; CaseFileError with every problem if any is bad.
    `jurisdiction` says what is wrong with a jurisdiction code ("" when it is known)."""
    return [case for _, case in read_numbered(text, format, jurisdiction=jurisdiction)]


def read_numbered(
    text: str, format: Format, *, jurisdiction: JurisdictionCheck | None = None
) -> list[tuple[int | None, CaseFile]]:
    """Like `read`, each case file with its line in JSON Lines (None in JSON)."""
    if format == "json":
        return [(None, _from_text(text, None, jurisdiction))]
    cases: list[tuple[int | None, CaseFile]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue  # a blank line, often the last: no case file
        try:
            cases.append((number, _from_text(line, number, jurisdiction)))
        except CaseFileError as error:
            problems.extend(error.problems)
    if problems:
        raise CaseFileError(problems)
    return cases


def loads(text: str) -> CaseFile:
    """One case file, as a JSON document."""
    return _from_text(text, None, None)


def _from_text(
    text: str, line: int | None, jurisdiction: JurisdictionCheck | None
) -> CaseFile:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CaseFileError(
            [
                Problem(
                    f"not valid JSON: {error.msg}",
                    line=error.lineno if line is None else line,
                    column=error.colno,
                )
            ]
        ) from None
    return parse(document, line=line, jurisdiction=jurisdiction)


# --- Checking a document ---------------------------------------------------------------


def parse(
    document: Any,
    *,
    line: int | None = None,
    jurisdiction: JurisdictionCheck | None = None,
) -> CaseFile:
    """A decoded JSON document as a CaseFile: the schema first, then what a schema
    cannot say (real times, zones, countries and dates; unique fact ids; a known
    jurisdiction, when `jurisdiction` is given; facts that agree with each other)."""
    problems = schema_problems(document)
    if not problems:
        problems = _value_problems(document)
        wrong = jurisdiction(document["jurisdiction"]) if jurisdiction else ""
        if wrong:
            problems.insert(0, Problem(wrong, "$.jurisdiction"))
    if problems:
        raise _on_line(problems, line)
    case = CaseFile(
        case_id=document["case_id"],
        person_id=document["person_id"],
        jurisdiction=document["jurisdiction"],
        facts=tuple(_fact(raw) for raw in document["facts"]),
    )
    index = {raw["id"]: n for n, raw in enumerate(document["facts"])}
    problems = [
        Problem(c.message, path=f"$.facts[{index[c.fact_id]}]")
        for c in contradictions(case.facts)
    ]
    if problems:
        raise _on_line(problems, line)
    return case


def _on_line(problems: Iterable[Problem], line: int | None) -> CaseFileError:
    return CaseFileError([Problem(p.message, p.path, line, p.column) for p in problems])


def _fact(raw: Mapping[str, Any]) -> Fact:
    return Fact(
        id=raw["id"],
        kind=raw["kind"],
        at=datetime.fromisoformat(raw["at"]),
        recorded_by=raw.get("recorded_by", ""),
        data=raw.get("data", {}),
    )


def to_document(case: CaseFile) -> dict[str, Any]:
    """The case file as a JSON-ready document (the inverse of `parse`)."""
    return {
        "case_id": case.case_id,
        "person_id": case.person_id,
        "jurisdiction": case.jurisdiction,
        "facts": [
            {
                "id": f.id,
                "kind": f.kind,
                "at": f.at.isoformat(),
                "recorded_by": f.recorded_by,
                "data": dict(f.data),
            }
            for f in case.facts
        ],
    }


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def kinds() -> tuple[str, ...]:
    """The fact kinds the schema knows, in the order of the documentation."""
    return tuple(schema()["$defs"]["fact"]["properties"]["kind"]["enum"])


@cache
def _validator() -> Any:
    # Imported here: only a file with problems needs it, and importing it takes a
    # tenth of the command's start-up.
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    return Draft202012Validator(schema())


@cache
def _fast_check() -> Callable[[Any], bool]:
    # jsonschema takes about a millisecond for a case file of ten facts; ten thousand
    # case files must be checked in well under ten seconds. Valid documents (nearly all)
    # go through this compiled check of the same schema; only a document it refuses
    # goes to jsonschema, which finds and words the problems.
    try:
        return _compile(schema(), schema().get("$defs", {}))
    except _UnsupportedError:
        validator = _validator()
        return lambda document: bool(validator.is_valid(document))


def schema_problems(document: Any) -> list[Problem]:
    """The schema violations of `document`, in document order ([] when valid)."""
    if _fast_check()(document):
        return []
    found: list[Problem] = []
    for error in sorted(_validator().iter_errors(document), key=_error_order):
        for problem in _word(error):
            if problem not in found:
                found.append(problem)
    return found


def _error_order(error: Any) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{e:09d}") if isinstance(e, int) else (1, e) for e in error.path)


def json_path(parts: Iterable[str | int]) -> str:
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "text (a string)",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number"


def _word(error: Any) -> list[Problem]:
    """A jsonschema error in the words of the documentation, at its JSON path."""
    parts = list(error.path)
    path = json_path(parts)
    value = error.instance
    hint = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    keyword = error.validator
    if keyword == "required":
        return [
            Problem("required, missing", json_path([*parts, name]))
            for name in error.validator_value
            if isinstance(value, dict) and name not in value
        ]
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        where = f"allowed: {', '.join(allowed)}" if allowed else "this kind has none"
        return [
            Problem(f"unknown field ({where})", json_path([*parts, name]))
            for name in value
            if name not in allowed
        ]
    if keyword == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        expected = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return [Problem(f"expected {expected}, not {_json_type(value)}", path)]
    if keyword == "enum":
        known = ", ".join(str(v) for v in error.validator_value)
        if parts[-1:] == ["kind"] and parts[:1] == ["facts"]:
            return [Problem(f"unknown fact kind {value!r}; known: {known}", path)]
        return [Problem(f"{value!r} is not one of: {known}", path)]
    if (
        keyword == "pattern"
        and error.schema.get("format") == "date-time"
        and isinstance(value, str)
        and _NAIVE_TIME.fullmatch(value.strip())
    ):
        return [
            Problem(
                f"{value!r} is a time without a time zone; add Z or an offset "
                "such as -06:00",
                path,
            )
        ]
    if keyword == "minLength" and value == "":
        return [Problem("must not be empty", path)]
    if hint:
        return [Problem(f"{value!r} is not {hint}", path)]
    return [Problem(str(error.message), path)]


def _value_problems(document: Mapping[str, Any]) -> list[Problem]:
    """What the schema's patterns let through but is still wrong: a 31 February, a
    time zone or country that does not exist, two facts with one id."""
    problems: list[Problem] = []
    first_with_id: dict[str, int] = {}
    typed_fields = _typed_fields()
    for n, raw in enumerate(document["facts"]):
        here = f"$.facts[{n}]"
        if raw["id"] in first_with_id:
            other = first_with_id[raw["id"]]
            problems.append(
                Problem(
                    f"fact id {raw['id']!r} is already used by $.facts[{other}]",
                    f"{here}.id",
                )
            )
        first_with_id.setdefault(raw["id"], n)
        try:
            datetime.fromisoformat(raw["at"])
        except ValueError as error:
            problems.append(
                Problem(f"{raw['at']!r} is not a real time: {error}", f"{here}.at")
            )
        typed = typed_fields.get(raw["kind"], {})
        for name, value in raw.get("data", {}).items():
            # Only countries, zones and dates can be wrong in a way the schema lets by.
            problem = _value_problem(typed[name], value) if name in typed else ""
            if problem:
                problems.append(Problem(problem, f"{here}.data.{name}"))
    return problems


@cache
def _typed_fields() -> dict[str, dict[str, str]]:
    """For each kind, its fields whose values are countries, time zones or dates
    (by the schema's `$ref`), which the schema's patterns check only in shape."""
    found: dict[str, dict[str, str]] = {}
    for name, definition in schema()["$defs"].items():
        if name.startswith("data_"):
            found[name.removeprefix("data_")] = {
                field: spec["$ref"].removeprefix("#/$defs/")
                for field, spec in definition.get("properties", {}).items()
                if spec.get("$ref") in _TYPED_REFS
            }
    return found


_TYPED_REFS = ("#/$defs/country", "#/$defs/time_zone", "#/$defs/date")


def _value_problem(definition: str, value: Any) -> str:
    if definition == "country" and not is_country(value):
        return (
            f"{value!r} is not an ISO 3166-1 alpha-3 country code (nor XXA, stateless)"
        )
    if definition == "time_zone" and not is_time_zone(value):
        return f"{value!r} is not a known IANA time zone"
    if definition == "date":
        try:
            date.fromisoformat(value)
        except ValueError as error:
            return f"{value!r} is not a real date: {error}"
    return ""


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | {STATELESS}


def is_country(code: str) -> bool:
    return code in _countries()


@cache
def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# --- Facts that contradict each other --------------------------------------------------


def contradictions(facts: Iterable[Fact]) -> list[Contradiction]:
    """The facts that cannot all be true. Of detention: an episode that starts or ends
    twice, a fact about an episode that never started or that comes before its start,
    an end before the start, an extension or a transfer after the end, and an episode
    that starts while another is still open (a person is in one detention at a time).
    Then each domain's own checks (`engine.register_check`)."""
    ordered = sorted(facts, key=lambda f: (f.at, f.id))
    by_episode: dict[str, list[Fact]] = defaultdict(list)
    for fact in ordered:
        if fact.kind in _EPISODE_KINDS:
            by_episode[str(fact.get("episode"))].append(fact)
    found: list[Contradiction] = []
    spans: list[tuple[str, Fact, Fact | None]] = []
    for episode, its_facts in by_episode.items():
        starts = [f for f in its_facts if f.kind == "detention_started"]
        ends = [f for f in its_facts if f.kind == "detention_ended"]
        if not starts:
            found.append(
                Contradiction(
                    its_facts[0].id,
                    f"detention episode {episode!r} has no detention_started fact",
                )
            )
            continue
        start = starts[0]
        end = ends[0] if ends else None
        found.extend(
            Contradiction(
                f.id, f"detention episode {episode!r} already started ({start.id})"
            )
            for f in starts[1:]
        )
        found.extend(
            Contradiction(
                f.id, f"detention episode {episode!r} already ended ({ends[0].id})"
            )
            for f in ends[1:]
        )
        found.extend(_out_of_episode(episode, its_facts, start, end))
        spans.append((episode, start, end))
    found.extend(_overlaps(spans))
    for check in engine.checks():
        found.extend(
            Contradiction(fact_id, message, field)
            for fact_id, message, field in check(ordered)
        )
    return found


def _out_of_episode(
    episode: str, its_facts: list[Fact], start: Fact, end: Fact | None
) -> Iterable[Contradiction]:
    for fact in its_facts:
        if fact.at < start.at:
            yield Contradiction(
                fact.id,
                f"{fact.kind} at {fact.at.isoformat()} is before detention episode "
                f"{episode!r} started ({start.id}, {start.at.isoformat()})",
            )
        elif end is not None and fact.kind in _ONLY_WHILE_DETAINED and fact.at > end.at:
            yield Contradiction(
                fact.id,
                f"{fact.kind} at {fact.at.isoformat()} is after detention episode "
                f"{episode!r} ended ({end.id}, {end.at.isoformat()})",
            )


def _overlaps(spans: list[tuple[str, Fact, Fact | None]]) -> Iterable[Contradiction]:
    # In order of start: each episode must start after every earlier one has ended.
    latest: tuple[str, Fact, Fact | None] | None = None
    for span in sorted(spans, key=lambda s: (s[1].at, s[1].id)):
        episode, start, end = span
        if latest is not None and (latest[2] is None or start.at < latest[2].at):
            yield Contradiction(
                start.id,
                f"detention episode {episode!r} starts while episode {latest[0]!r} "
                f"({latest[1].id}) is still open; record its detention_ended first",
            )
        if latest is None or _ends_later(end, latest[2]):
            latest = span


def _ends_later(end: Fact | None, other: Fact | None) -> bool:
    """Whether an episode ending at `end` ends after one ending at `other` (no end
    yet: still open, the latest of all)."""
    if other is None:
        return False
    return end is None or end.at > other.at


# --- The compiled check ----------------------------------------------------------------


class _UnsupportedError(Exception):
    """The schema uses a keyword the compiled check does not know: use jsonschema."""


_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "format", "$comment"}
)
_Check = Callable[[Any], bool]


def _compile(node: Mapping[str, Any], defs: Mapping[str, Any]) -> _Check:
    """A check equivalent to `node` for the keywords this schema uses; anything else
    raises _UnsupportedError (and jsonschema checks instead)."""
    shape, covered = _shape(node, defs)
    checks: list[_Check] = [shape] if shape is not None else []
    for keyword, value in node.items():
        if keyword in _ANNOTATIONS or keyword in covered:
            continue
        if keyword == "$ref":
            if not value.startswith("#/$defs/"):
                raise _UnsupportedError(value)
            checks.append(_compile(defs[value.removeprefix("#/$defs/")], defs))
        elif keyword == "allOf":
            by_kind = _discriminated(value, defs)
            if by_kind:
                checks.append(by_kind)
            else:
                checks.extend(_compile(sub, defs) for sub in value)
        elif keyword == "if":
            checks.append(_conditional(node, defs))
        elif keyword in ("then", "else"):
            continue  # part of "if"
        else:
            checks.append(_keyword(keyword, value, node, defs))
    return _every(checks)


_OBJECT_KEYWORDS = frozenset({"type", "properties", "required", "additionalProperties"})
_STRING_KEYWORDS = frozenset({"type", "minLength", "pattern"})
_NOT_COVERED: frozenset[str] = frozenset()


def _shape(
    node: Mapping[str, Any], defs: Mapping[str, Any]
) -> tuple[_Check | None, frozenset[str]]:
    """An object's `type`, `properties`, `required` and `additionalProperties: false`,
    or a string's `type`, `minLength` and `pattern`, as one check, with the keywords
    it covers: one isinstance and one call where there were one per keyword. Nearly
    every node of the schema is one of the two, and each fact goes through a dozen of
    them: the check takes a third less time (bench/safeguards.py)."""
    kind = node.get("type", "object" if _OBJECT_KEYWORDS & node.keys() else None)
    if kind == "object" and "patternProperties" not in node:
        if node.get("additionalProperties", False) is not False:
            return None, _NOT_COVERED  # _keyword refuses it
        covered = _OBJECT_KEYWORDS & node.keys()
        return (
            _object(
                {
                    name: _compile(sub, defs)
                    for name, sub in node.get("properties", {}).items()
                },
                required=frozenset(node.get("required", ())),
                closed="additionalProperties" in node,
                typed="type" in node,
            ),
            frozenset(covered),
        )
    if kind == "string" and "type" in node:
        pattern = node.get("pattern")
        return (
            _string(
                node.get("minLength", 0),
                re.compile(pattern).search if pattern is not None else None,
            ),
            frozenset(_STRING_KEYWORDS & node.keys()),
        )
    return None, _NOT_COVERED


def _object(
    properties: dict[str, _Check],
    *,
    required: frozenset[str],
    closed: bool,
    typed: bool,
) -> _Check:
    # Without `type`, the object keywords say nothing of a value that is not an object.
    def closed_check(x: Any) -> bool:
        if not isinstance(x, dict):
            return not typed
        if not required.issubset(x):
            return False
        for name, value in x.items():
            one = properties.get(name)
            if one is None or not one(value):
                return False  # an unknown field, or a wrong value
        return True

    # Open (no additionalProperties): only the properties named need a look, such as
    # the one `data` of a fact's kind, among the fact's five fields.
    named = tuple(properties.items())

    def open_check(x: Any) -> bool:
        if not isinstance(x, dict):
            return not typed
        if not required.issubset(x):
            return False
        for name, one in named:  # noqa: SIM110 - a loop: see _every
            if name in x and not one(x[name]):
                return False
        return True

    return closed_check if closed else open_check


def _string(min_length: int, search: Callable[[str], Any] | None) -> _Check:
    def check(x: Any) -> bool:
        return (
            isinstance(x, str)
            and len(x) >= min_length
            and (search is None or search(x) is not None)
        )

    return check


def _every(checks: Sequence[_Check]) -> _Check:
    # Plain loops, not all(generator): this runs a million times for a large file.
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # a fact: its fields, then its kind's data
        first, second = checks
        return lambda x: first(x) and second(x)

    def check(x: Any) -> bool:
        for one in checks:  # noqa: SIM110
            if not one(x):
                return False
        return True

    return check


def _discriminated(branches: list[Any], defs: Mapping[str, Any]) -> _Check | None:
    """`allOf` of `if {kind: const} then ...` branches (one per fact kind) as one
    lookup by kind instead of thirty conditions: what makes the check fast."""
    table: dict[str, _Check] = {}
    keys = set()
    for branch in branches:
        condition = branch.get("if", {})
        properties = condition.get("properties", {})
        if set(branch) != {"if", "then"} or set(condition) != {
            "properties",
            "required",
        }:
            return None
        if len(properties) != 1 or condition["required"] != list(properties):
            return None
        (key, spec), *_ = properties.items()
        if set(spec) != {"const"} or not isinstance(spec["const"], str):
            return None
        keys.add(key)
        table[spec["const"]] = _compile(branch["then"], defs)
    if len(keys) != 1:
        return None
    (key,) = keys

    def check(x: Any) -> bool:
        if not isinstance(x, dict):
            return True
        branch = table.get(x[key]) if isinstance(x.get(key), str) else None
        return branch is None or branch(x)

    return check


def _conditional(node: Mapping[str, Any], defs: Mapping[str, Any]) -> _Check:
    condition = _compile(node["if"], defs)
    then = _compile(node.get("then", {}), defs)
    otherwise = _compile(node.get("else", {}), defs)
    return lambda x: then(x) if condition(x) else otherwise(x)


def _keyword(  # noqa: C901 - one branch per keyword reads best
    keyword: str, value: Any, node: Mapping[str, Any], defs: Mapping[str, Any]
) -> _Check:
    if keyword == "type":
        if value not in _TYPE_CHECKS:
            raise _UnsupportedError(keyword)
        return _TYPE_CHECKS[value]
    if keyword in ("enum", "const"):
        allowed = frozenset(value if keyword == "enum" else [value])
        if not all(isinstance(v, str) for v in allowed):
            raise _UnsupportedError(keyword)
        return lambda x: isinstance(x, str) and x in allowed
    if keyword == "pattern":
        search = re.compile(value).search
        return lambda x: not isinstance(x, str) or search(x) is not None
    if keyword == "minLength":
        return lambda x: not isinstance(x, str) or len(x) >= value
    if keyword == "maxLength":
        return lambda x: not isinstance(x, str) or len(x) <= value
    if keyword == "minItems":
        return lambda x: not isinstance(x, list) or len(x) >= value
    if keyword == "uniqueItems":
        if value is not True or node.get("items", {}).get("type", "string") != "string":
            raise _UnsupportedError(keyword)
        # Strings only (the items' type or enum): a set tells duplicates.
        return lambda x: not isinstance(x, list) or len(set(x)) == len(x)
    if keyword in ("minimum", "maximum"):
        inside: Callable[[Any], bool] = (
            (lambda x: x >= value) if keyword == "minimum" else (lambda x: x <= value)
        )
        return lambda x: not _is_number(x) or inside(x)
    if keyword == "items":
        return _items(_compile(value, defs))
    if keyword == "required":
        names = frozenset(value)
        return lambda x: not isinstance(x, dict) or names.issubset(x)
    if keyword == "properties":
        return _properties({name: _compile(sub, defs) for name, sub in value.items()})
    if keyword == "additionalProperties":
        if value is not False or "patternProperties" in node:
            raise _UnsupportedError(keyword)
        known = frozenset(node.get("properties", {}))
        return lambda x: not isinstance(x, dict) or known.issuperset(x)
    raise _UnsupportedError(keyword)


def _items(item: _Check) -> _Check:
    def check(x: Any) -> bool:
        if isinstance(x, list):
            for value in x:
                if not item(value):
                    return False
        return True

    return check


def _properties(properties: dict[str, _Check]) -> _Check:
    def check(x: Any) -> bool:
        if isinstance(x, dict):
            for name, value in x.items():
                one = properties.get(name)
                if one is not None and not one(value):
                    return False
        return True

    return check


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


_TYPE_CHECKS: dict[str, _Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": _is_number,
    "integer": lambda x: (
        _is_number(x) and (isinstance(x, int) or float(x).is_integer())
    ),
}
