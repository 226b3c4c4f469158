"""`amparo safeguards check` with its batch shared out among worker processes
(`cli._evaluate`), on a batch small enough to read: the output, the refusals and the
crashes must be exactly those of one process.

The worker path normally starts at `cli.PARALLEL_FROM` case files; here it is lowered,
with small pieces of work (`cli._CHUNK`) and several cores (`cli._cores`), so that twelve
case files become four pieces in four processes. A spy on `_Batch.texts` records which
process evaluated which case files: a test that meant to use the workers but fell back
to one process (no semaphores, say) fails instead of passing for the wrong reason."""

import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from amparo.safeguards import cli, engine, profiles
from amparo.safeguards.obligations import Severity, timed_status

# The worker path forks; elsewhere everything runs in one process.
pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the worker path forks: Linux only"
)

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
AT = "2026-03-04T12:00:00Z"
COUNT = 12

# --- Case files, after the worked examples of docs/safeguards.md -----------------------

# (time zone, offset, place, authority, legal basis, nationality, rights language)
PLACES = {
    "international": (
        "Asia/Bangkok",
        "+07:00",
        "Immigration Detention Centre, Bangkok",
        "Immigration Bureau",
        "Immigration Act B.E. 2522, s. 54",
        "KHM",
        "km",
    ),
    "mexico": (
        "America/Mexico_City",
        "-06:00",
        "Estación migratoria Siglo XXI, Tapachula",
        "Instituto Nacional de Migración",
        "Ley de Migración art. 99 (presentación)",
        "HND",
        "es",
    ),
    "united_states": (
        "America/Los_Angeles",
        "-08:00",
        "Processing Center, Adelanto, California",
        "ICE",
        "INA s. 235(b)",
        "CHN",
        "zh",
    ),
    "eu_return_directive": (
        "Europe/Madrid",
        "+01:00",
        "Centro de Internamiento de Extranjeros, Aluche",
        "Policía Nacional",
        "Ley Orgánica 4/2000, art. 62",
        "MAR",
        "ar",
    ),
    "united_kingdom": (
        "Europe/London",
        "Z",
        "Harmondsworth Immigration Removal Centre",
        "Home Office",
        "Immigration Act 1971, Sch. 2 para 16",
        "ALB",
        "sq",
    ),
    "canada": (
        "America/Toronto",
        "-05:00",
        "Immigration Holding Centre, Laval",
        "CBSA",
        "IRPA s. 55",
        "HTI",
        "fr",
    ),
    "australia": (
        "Australia/Perth",
        "+08:00",
        "Yongah Hill Immigration Detention Centre",
        "Australian Border Force",
        "Migration Act 1958, s. 189",
        "LKA",
        "ta",
    ),
    "south_africa": (
        "Africa/Johannesburg",
        "+02:00",
        "Lindela Repatriation Centre",
        "Department of Home Affairs",
        "Immigration Act 13 of 2002, s. 34",
        "ZWE",
        "sn",
    ),
}


def fact(
    id: str, kind: str, at: str, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    made: dict[str, Any] = {
        "id": id,
        "kind": kind,
        "at": at,
        "recorded_by": "officer-4",
    }
    if data is not None:
        made["data"] = data
    return made


def case_file(n: int) -> dict[str, Any]:
    """Case `n` of the batch: every profile in turn, and a different story for each
    (not yet told of their rights, told, an asylum seeker, a child, released)."""
    jurisdiction = profiles.available()[n % len(profiles.available())]
    zone, offset, place, authority, basis, country, language = PLACES[jurisdiction]
    day = f"2026-03-0{1 + n % 3}"

    def at(clock: str) -> str:
        return f"{day}T{clock}{offset}"

    facts = [
        fact(
            "f1",
            "detention_started",
            at("06:15:00"),
            {
                "episode": "ep1",
                "place": place,
                "time_zone": zone,
                "authority": authority,
                "order": "administrative",
                "legal_basis": basis,
            },
        ),
        fact("f2", "foreign_nationality_suspected", at("07:00:00")),
        fact(
            "f3",
            "nationality",
            at("09:30:00"),
            {"country": country, "status": ("claimed", "confirmed")[n % 2]},
        ),
    ]
    story = n % 5
    if story >= 1:
        facts.append(
            fact("f4", "rights_informed", at("11:30:00"), {"language": language})
        )
    if story == 2:
        facts.append(
            fact("f5", "asylum_status", at("12:15:00"), {"status": "asylum_seeker"})
        )
    if story == 3:
        facts.append(
            fact(
                "f5",
                "birth",
                at("06:15:00"),
                {"date": "2010-01-01", "precision": "year"},
            )
        )
    if story == 4:
        facts += [
            fact(
                "f5",
                "detention_reviewed",
                at("18:00:00"),
                {"episode": "ep1", "by": "judicial", "outcome": "released"},
            ),
            fact(
                "f6",
                "detention_ended",
                at("18:30:00"),
                {"episode": "ep1", "reason": "released"},
            ),
        ]
    return {
        "case_id": f"case-{n:04d}",
        "person_id": f"person-{n:04d}",
        "jurisdiction": jurisdiction,
        "facts": facts,
    }


def batch(tmp_path: Path, cases: list[dict[str, Any]] | None = None) -> str:
    path = tmp_path / "cases.jsonl"
    cases = cases if cases is not None else [case_file(n) for n in range(COUNT)]
    path.write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases),
        encoding="utf-8",
    )
    return str(path)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err, now=lambda: NOW)
    return code, out.getvalue(), err.getvalue()


# --- Who evaluated what ----------------------------------------------------------------

Spans = Callable[[], list[tuple[int, int, int]]]


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Spans]:
    """(process id, first, end) of each piece of the batch evaluated, as they end.

    The processes are forked, so they cannot append to a list of this one: each writes
    a line to a file. A worker holds the first piece back a little, so that it ends
    last: output in the order the pieces end, not of the file, would show."""
    log = tmp_path / "spans.log"
    parent = os.getpid()
    texts = cli._Batch.texts

    def spied(batch: cli._Batch, span: tuple[int, int]) -> list[str]:
        if span[0] == 0 and os.getpid() != parent:
            time.sleep(0.3)
        result = texts(batch, span)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {span[0]} {span[1]}\n")
        return result

    def read() -> list[tuple[int, int, int]]:
        if not log.exists():
            return []
        lines = log.read_text(encoding="utf-8").splitlines()
        log.unlink()
        return [(int(p), int(a), int(b)) for p, a, b in map(str.split, lines)]

    monkeypatch.setattr(cli._Batch, "texts", spied)
    yield read


def in_workers(
    monkeypatch: pytest.MonkeyPatch, *, chunk: int = 3, cores: int = 4
) -> None:
    monkeypatch.setattr(cli, "PARALLEL_FROM", 2)
    monkeypatch.setattr(cli, "_CHUNK", chunk)
    monkeypatch.setattr(cli, "_cores", lambda: cores)


def pieces(count: int, chunk: int) -> list[tuple[int, int]]:
    return [(n, min(n + chunk, count)) for n in range(0, count, chunk)]


def in_one_process(done: list[tuple[int, int, int]], count: int = COUNT) -> None:
    assert done == [(os.getpid(), 0, count)]


def by_workers(done: list[tuple[int, int, int]], chunk: int) -> None:
    assert sorted((a, b) for _, a, b in done) == pieces(COUNT, chunk)
    assert os.getpid() not in {pid for pid, _, _ in done}


# --- The same output -------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--rule", "detention.maximum_period", "--rule", "consular.inform_rights"],
        ["--jurisdiction", "mexico"],
    ],
    ids=["every-rule", "two-rules", "one-jurisdiction"],
)
@pytest.mark.parametrize(
    ("chunk", "cores"), [(3, 4), (5, 2), (1, 3)], ids=["4x3", "5+5+2", "1each"]
)
def test_workers_write_byte_for_byte_what_one_process_writes(
    tmp_path, monkeypatch, spans, options, chunk, cores
):
    path = batch(tmp_path)
    alone = run("check", path, "--at", AT, *options)
    in_one_process(spans())
    in_workers(monkeypatch, chunk=chunk, cores=cores)
    shared = run("check", path, "--at", AT, *options)
    by_workers(spans(), chunk)

    assert shared == alone
    code, out, err = shared
    assert (code, err) == (0, "")
    # Not empty nor trivially equal: one line per case file, in the file's order, with
    # obligations from several profiles.
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["case_id"] for r in results] == [f"case-{n:04d}" for n in range(COUNT)]
    assert all(r["obligations"] for r in results)
    jurisdictions = {r["jurisdiction"] for r in results}
    assert jurisdictions == (
        {"mexico"} if options[:1] == ["--jurisdiction"] else set(profiles.available())
    )


def test_the_workers_output_is_the_same_every_time(tmp_path, monkeypatch, spans):
    path = batch(tmp_path)
    in_workers(monkeypatch)
    outputs = set()
    for _ in range(3):
        outputs.add(run("check", path, "--at", AT))
        by_workers(spans(), 3)
    assert len(outputs) == 1
    [(code, out, err)] = outputs
    assert (code, err, out.count("\n")) == (0, "", COUNT)


def test_a_batch_below_the_threshold_stays_in_one_process(tmp_path, monkeypatch, spans):
    in_workers(monkeypatch)
    monkeypatch.setattr(cli, "PARALLEL_FROM", COUNT + 1)
    code, _, _ = run("check", batch(tmp_path), "--at", AT)
    assert code == 0
    in_one_process(spans())


# --- The same refusals and failures ----------------------------------------------------


def test_bad_lines_in_the_middle_are_refused_as_by_one_process(
    tmp_path, monkeypatch, spans
):
    cases = [case_file(n) for n in range(COUNT)]
    cases[5]["facts"][2]["at"] = "2026-03-03T09:30:00"  # line 6: no zone
    cases[8]["facts"][1]["kind"] = "travel_document"  # line 9: no such kind
    path = tmp_path / "broken.jsonl"
    lines = [json.dumps(c, ensure_ascii=False) for c in cases]
    lines[10] = lines[10].replace('"case-0010", ', '"case-0010" ')  # line 11: a comma
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    alone = run("check", str(path), "--at", AT)
    in_workers(monkeypatch)
    shared = run("check", str(path), "--at", AT)

    assert shared == alone
    code, out, err = shared
    assert (code, out) == (2, "")
    assert err.startswith(
        f"amparo safeguards check: {path}: 3 problems; nothing was evaluated.\n"
    )
    assert (
        f"{path}: line 6: $.facts[2].at: '2026-03-03T09:30:00' is a time without a "
        "time zone; add Z or an offset such as -06:00\n"
    ) in err
    assert (
        f"{path}: line 9: $.facts[1].kind: unknown fact kind 'travel_document'" in err
    )
    assert (
        f"{path}: line 11, column 25: not valid JSON: Expecting ',' delimiter\n" in err
    )
    # Refused before any case file was evaluated, in either path.
    assert spans() == []


class _Crash(engine.Rule):
    """A rule for the test that fails on one case file.

    Met by nothing."""

    id = "test.worker_crash"
    title = "Crash in a worker"
    citations = ("Test source",)
    victim = "case-0007"

    def evaluate(self, case, profile, now):
        if case.case_id == self.victim:
            raise RuntimeError(f"{self.id} failed on {case.case_id}")
        for start in case.of("detention_started"):
            due_at = start.at + timedelta(days=1)
            yield self.obligation(
                case,
                key=start.get("episode"),
                due="probe",
                due_at=due_at,
                status=timed_status(due_at, None, now),
                severity=Severity.INFO,
                triggered_by=(start.id,),
            )


@pytest.fixture
def crash():
    engine.register(_Crash)
    yield engine.rule(_Crash.id)
    engine._REGISTRY.pop(_Crash.id)


def test_a_rule_failing_in_a_worker_fails_the_command_with_nothing_written(
    tmp_path, monkeypatch, spans, crash
):
    path = batch(tmp_path)
    out = io.StringIO()
    with pytest.raises(RuntimeError, match=r"^test.worker_crash failed on case-0007$"):
        cli.main(["check", path, "--rule", crash.id], stdout=out, now=lambda: NOW)
    assert out.getvalue() == ""
    spans()

    in_workers(monkeypatch)
    out = io.StringIO()
    # Raised again here, from the worker's piece (case files 6 to 9), as it was there.
    with pytest.raises(RuntimeError, match=r"^test.worker_crash failed on case-0007$"):
        cli.main(["check", path, "--rule", crash.id], stdout=out, now=lambda: NOW)
    assert out.getvalue() == ""
    # The piece that failed wrote no line; the others were evaluated in workers.
    done = spans()
    assert os.getpid() not in {pid for pid, _, _ in done}
    assert (6, 9) not in {(a, b) for _, a, b in done}
