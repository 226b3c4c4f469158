"""`amparo safeguards check` and `amparo safeguards rules`, offline: argv in, an exit
code out, text on the streams given. Pure: imports nothing from Django (the management
command `safeguards` only hands its argv here), so `python -m amparo.safeguards.cli`
works without a database or settings.

Exit codes: 0 done; 2 bad input or usage (nothing is printed on stdout then: every case
file is read and checked before the first obligation is written).

A large batch is evaluated by one process per core, on Linux (`_evaluate`); the output
is the same.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Any, NoReturn

from amparo.safeguards import casefile, engine, profiles
from amparo.safeguards.casefile import CaseFileError, Format, Problem
from amparo.safeguards.deadlines import Duration
from amparo.safeguards.facts import CaseFile

PROG = "amparo safeguards"
OK, BAD_INPUT = 0, 2
# Enough to fix a file by; the count of the rest is given.
MAX_PROBLEMS = 20
_LINES_SUFFIXES = (".jsonl", ".ndjson")


class _UsageError(Exception):
    pass


class _Exit(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, code: int) -> None:
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse that writes to the given streams and never calls sys.exit."""

    def __init__(self, *args: Any, out: IO[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._out = out

    def _print_message(self, message: str, file: object = None) -> None:
        # Only --help and usage get here (errors go through `error`): stdout.
        if message:
            self._out.write(message)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.format_usage()}{self.prog}: error: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._out.write(message)
        raise _Exit(status)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    now: Callable[[], datetime] | None = None,
) -> int:
    """Run one command; the exit code is returned, not raised."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser(out)
    try:
        options = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if options.command == "rules":
            return _rules(options, out, err)
        return _check(options, stdin or sys.stdin, out, err, now or _utc_now)
    except _UsageError as error:
        err.write(f"{error}\n")
        return BAD_INPUT
    except _Exit as done:
        return done.code


def run(argv: Sequence[str]) -> None:
    """`main` as a program, on the process's streams: exits with its code unless 0.
    `amparo safeguards check|rules` runs this, and so does the management command."""
    code = main(argv, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
    sys.stdout.flush()
    if code:
        sys.exit(code)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _parser(out: IO[str]) -> _Parser:
    parser = _Parser(
        prog=PROG,
        out=out,
        description="The safeguards engine, offline: evaluate case files, read the rules.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )
    check = commands.add_parser(
        "check",
        out=out,
        help="Evaluate case files and print their obligations",
        description=(
            "Evaluate one case file (JSON) or many (JSON Lines, one per line) and print "
            "the obligations: one JSON object, or one line per case. A .jsonl or .ndjson "
            "file is JSON Lines and a .json file is JSON; otherwise (and for -, standard "
            "input) the content decides: one JSON value is one case file. The format of "
            "case files is in docs/safeguards.md and casefile.schema.json."
        ),
    )
    check.add_argument(
        "file", metavar="FILE", help="a case file, or - for standard input"
    )
    check.add_argument(
        "--at",
        metavar="TIME",
        help="evaluate at this ISO 8601 time, with its zone (default: now)",
    )
    check.add_argument(
        "--jurisdiction",
        metavar="CODE",
        help="use this jurisdiction's profile instead of the case file's "
        f"(known: {', '.join(profiles.available())})",
    )
    check.add_argument(
        "--rule",
        metavar="RULE_ID",
        action="append",
        dest="rules",
        help="only this rule (repeat for several; default: every rule)",
    )
    check.add_argument(
        "--format",
        choices=("json", "jsonl"),
        help="read and write JSON (one case) or JSON Lines (many), whatever the file is called",
    )
    rules = commands.add_parser(
        "rules",
        out=out,
        help="List the rules, or explain one",
        description="Every rule with its title and sources, or one rule's explanation.",
    )
    rules.add_argument("rule", metavar="RULE_ID", nargs="?", help="the rule to explain")
    rules.add_argument("--json", action="store_true", help="print JSON")
    return parser


# --- check -----------------------------------------------------------------------------


def _check(
    options: argparse.Namespace,
    stdin: IO[str],
    out: IO[str],
    err: IO[str],
    now: Callable[[], datetime],
) -> int:
    at = _time(options.at) if options.at else now()
    override = _profile(options.jurisdiction) if options.jurisdiction else None
    only = _rule_ids(options.rules) if options.rules else None
    name, text = _read(options.file, stdin)
    format: Format = options.format or _format(options.file, text)
    chosen: dict[str, profiles.Profile] = {}

    def known(code: str) -> str:
        # With --jurisdiction, the files' own codes are not used, so not checked.
        if override is not None:
            chosen[code] = override
            return ""
        try:
            chosen.setdefault(code, profiles.load(code))
        except profiles.ProfileError as error:
            return str(error)
        return ""

    with _no_cycle_collection():
        try:
            cases = casefile.read(text, format, jurisdiction=known)
        except CaseFileError as error:
            _report(name, error.problems, err)
            return BAD_INPUT
        indent = 2 if format == "json" else None
        texts = _evaluate(_Batch(cases, chosen, at, only, indent))
        # Nothing is written before every case file is evaluated.
        out.writelines(texts[:1] if format == "json" else texts)
    return OK


@dataclass(frozen=True)
class _Batch:
    """The case files read and checked, and how to evaluate and write them."""

    cases: list[CaseFile]
    chosen: dict[str, profiles.Profile]
    at: datetime
    only: list[str] | None
    indent: int | None

    def texts(self, span: tuple[int, int]) -> list[str]:
        # Each case file's result becomes its text at once, and its obligations are
        # let go: the text takes a fraction of their memory.
        return [
            _dumps(
                _result(case, self.chosen[case.jurisdiction], self.at, self.only),
                self.indent,
            )
            + "\n"
            for case in self.cases[span[0] : span[1]]
        ]


# A batch of at least this many case files is shared out among processes, one per
# core; a smaller one is not worth starting them for.
PARALLEL_FROM = 2_000
# Case files per piece of work: small, so that a core busy with something else takes
# fewer pieces and does not hold the others up.
_CHUNK = 250
# The batch the processes evaluate: forked, they have it in their memory already.
_forked: _Batch | None = None


def _evaluate(batch: _Batch) -> list[str]:
    """Every case file's result as its text, in the order of the file.

    The rules are pure Python, and one process runs on one core: on Linux, a large
    batch is shared out among processes, one per core, which fork gives the checked
    case files without copying them (10,000 case files on a 2-core VM: about 7 s
    instead of 10; docs/performance.md). The output is the same, in the same order,
    and still nothing is written before all are done: an error in a process is raised
    here. Elsewhere, or for a smaller batch, everything runs in this process."""
    global _forked
    count = len(batch.cases)
    workers = min(_cores(), -(-count // _CHUNK)) if count >= PARALLEL_FROM else 1
    if workers < 2:
        return batch.texts((0, count))
    spans = [(n, min(n + _CHUNK, count)) for n in range(0, count, _CHUNK)]
    # A process flushes the standard streams as it ends: what they hold now would be
    # written once more by each.
    sys.stdout.flush()
    sys.stderr.flush()
    _forked = batch
    try:
        try:
            pool = multiprocessing.get_context("fork").Pool(workers)
        except (OSError, ImportError):  # no processes or semaphores allowed here
            return batch.texts((0, count))
        with pool:
            return [text for texts in pool.imap(_texts_of, spans) for text in texts]
    finally:
        _forked = None


def _texts_of(span: tuple[int, int]) -> list[str]:
    # In a forked process: the batch is the parent's, as it was at the fork.
    if _forked is None:
        raise RuntimeError("no batch: _texts_of runs only in _evaluate's processes")
    return _forked.texts(span)


def _cores() -> int:
    if sys.platform != "linux":
        return 1  # no fork (Windows), or fork not safe with the system's libraries
    return len(os.sched_getaffinity(0))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one batch, then as it was.

    Every case file of a batch, its facts and its obligations live until the output is
    written (nothing is written before every case file is checked), so each full
    collection walks all of them and frees nothing: for 10,000 case files, nine full
    collections took 4 of 15 seconds (bench/safeguards.py, docs/performance.md).
    Reference counting still frees everything that is done with."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _UsageError(
            f"{PROG} check: --at: {text!r} is not an ISO 8601 date and time"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _UsageError(
            f"{PROG} check: --at: {text!r} is a time without a time zone; add Z or an "
            "offset such as -06:00"
        )
    return moment


def _profile(code: str) -> profiles.Profile:
    try:
        return profiles.load(code)
    except profiles.ProfileError as error:
        raise _UsageError(f"{PROG} check: --jurisdiction: {error}") from None


def _rule_ids(wanted: list[str]) -> list[str]:
    known = engine.load_rules()
    unknown = [r for r in wanted if r not in known]
    if unknown:
        raise _UsageError(
            f"{PROG} check: --rule: unknown rule {unknown[0]!r}; known: "
            f"{', '.join(known) or '(none)'}"
        )
    return list(dict.fromkeys(wanted))


def _read(file: str, stdin: IO[str]) -> tuple[str, str]:
    if file == "-":
        text = stdin.read()
        return "<stdin>", text.removeprefix("\ufeff")
    try:
        # utf-8-sig: a byte-order mark, which some editors write, is not an error.
        return file, Path(file).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise _UsageError(
            f"{PROG} check: cannot read {file}: {error.strerror}"
        ) from None
    except UnicodeDecodeError as error:
        raise _UsageError(
            f"{PROG} check: {file}: not UTF-8 text (byte {error.start})"
        ) from None


def _format(file: str, text: str) -> Format:
    suffix = Path(file).suffix.lower() if file != "-" else ""
    if suffix in _LINES_SUFFIXES:
        return "jsonl"
    if suffix == ".json":
        return "json"
    return casefile.detect_format(text)


def _result(
    case: CaseFile, profile: profiles.Profile, at: datetime, only: list[str] | None
) -> dict[str, Any]:
    obligations = engine.evaluate(case, profile, at, only=only)
    return {
        "case_id": case.case_id,
        "jurisdiction": profile.code,
        "profile_version": profile.version,
        "at": at.isoformat(),
        "obligations": [o.as_json() for o in obligations],
    }


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=_json_default)


def _json_default(value: Any) -> Any:
    # Rules may put times, dates, durations or enums in an obligation's details.
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _report(name: str, problems: Sequence[Problem], err: IO[str]) -> None:
    count = len(problems)
    err.write(
        f"{PROG} check: {name}: {count} problem{'s' if count != 1 else ''}; "
        "nothing was evaluated.\n"
    )
    for problem in problems[:MAX_PROBLEMS]:
        err.write(f"{name}: {problem}\n")
    if count > MAX_PROBLEMS:
        err.write(f"... and {count - MAX_PROBLEMS} more.\n")


# --- rules -----------------------------------------------------------------------------


def _rules(options: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    known = engine.load_rules()
    if options.rule is not None and options.rule not in known:
        err.write(
            f"{PROG} rules: unknown rule {options.rule!r}; known: "
            f"{', '.join(known) or '(none)'}\n"
        )
        return BAD_INPUT
    chosen = [known[options.rule]] if options.rule else list(known.values())
    if options.json:
        described = [_described(rule) for rule in chosen]
        out.write(_dumps(described[0] if options.rule else described, indent=2) + "\n")
    elif options.rule:
        out.write(_explained(chosen[0]))
    else:
        out.writelines(_listed(rule) for rule in chosen)
    return OK


def _described(rule: engine.Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "citations": list(rule.citations),
        "explanation": rule.explanation(),
    }


def _listed(rule: engine.Rule) -> str:
    return f"{rule.id}  {rule.title}\n    {'; '.join(rule.citations)}\n"


def _explained(rule: engine.Rule) -> str:
    sources = "".join(f"  - {citation}\n" for citation in rule.citations)
    return f"{rule.id}: {rule.title}\n\n{rule.explanation()}\n\nSources:\n{sources}"


if __name__ == "__main__":
    sys.exit(main())
