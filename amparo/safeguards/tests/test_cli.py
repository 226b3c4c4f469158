"""`amparo safeguards check` and `rules`, end to end: files, JSON Lines, standard input,
every kind of bad input (exit 2, a message, nothing on stdout), and the Django wrapper.

The obligations of the real rules change as they are written; these tests read the
structure of the output, or the obligations of a probe rule registered here."""

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.safeguards import cli, engine, profiles
from amparo.safeguards.obligations import Severity, timed_status

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
OBLIGATION_KEYS = {
    "rule_id",
    "case_id",
    "person_id",
    "key",
    "due",
    "due_at",
    "status",
    "severity",
    "citations",
    "triggered_by",
    "met_by",
    "met_at",
    "met_late",
    "note",
    "details",
}


class _CliProbe(engine.Rule):
    """A rule for the test: one obligation per detention, a day after it starts.

    Met by the first review."""

    id = "test.cli_probe"
    title = "Probe of the command line"
    citations = ("Test source 1", "Test source 2")

    def evaluate(self, case, profile, now):
        for start in case.of("detention_started"):
            review = case.first("detention_reviewed")
            due_at = start.at + timedelta(days=1)
            met_at = review.at if review else None
            yield self.obligation(
                case,
                key=start.get("episode"),
                due="probe",
                due_at=due_at,
                status=timed_status(due_at, met_at, now),
                severity=Severity.INFO,
                triggered_by=(start.id,),
                met_by=(review.id,) if review else (),
                met_at=met_at,
                details={"profile": profile.code, "checked": now},
            )


@pytest.fixture
def probe():
    engine.register(_CliProbe)
    yield engine.rule(_CliProbe.id)
    engine._REGISTRY.pop(_CliProbe.id)


def case_file(case_id="case-1", *, jurisdiction="international", facts=None):
    return {
        "case_id": case_id,
        "person_id": f"person-of-{case_id}",
        "jurisdiction": jurisdiction,
        "facts": facts
        if facts is not None
        else [
            {
                "id": "n1",
                "kind": "nationality",
                "at": "2026-03-01T08:00:00Z",
                "recorded_by": "officer-1",
                "data": {"country": "GTM", "status": "confirmed"},
            },
            {
                "id": "d1",
                "kind": "detention_started",
                "at": "2026-03-01T02:00:00-06:00",
                "recorded_by": "officer-1",
                "data": {"episode": "e1", "time_zone": "America/Mexico_City"},
            },
        ],
    }


def run(*argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err, now=lambda: NOW
    )
    return code, out.getvalue(), err.getvalue()


def refused(*argv, stdin=""):
    """Run a command that must fail on its input: exit 2, nothing on stdout."""
    code, out, err = run(*argv, stdin=stdin)
    assert (code, out) == (2, ""), err
    return err


def write(tmp_path, name, *documents, lines=False):
    path = tmp_path / name
    if lines:
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
    else:
        text = json.dumps(documents[0], indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- check: what it prints -------------------------------------------------------------


def test_one_case_file_gives_one_json_object(tmp_path, probe):
    path = write(tmp_path, "case.json", case_file())
    code, out, err = run("check", path, "--rule", probe.id)
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "case_id": "case-1",
        "jurisdiction": "international",
        "profile_version": profiles.load("international").version,
        "at": "2026-03-05T12:00:00+00:00",
        "obligations": [
            {
                "rule_id": "test.cli_probe",
                "case_id": "case-1",
                "person_id": "person-of-case-1",
                "key": "e1",
                "due": "probe",
                "due_at": "2026-03-02T02:00:00-06:00",
                "status": "overdue",
                "severity": "info",
                "citations": ["Test source 1", "Test source 2"],
                "triggered_by": ["d1"],
                "met_by": [],
                "met_at": None,
                "met_late": False,
                "note": "",
                # Times in details are written as ISO 8601, like the rest.
                "details": {
                    "profile": "international",
                    "checked": "2026-03-05T12:00:00+00:00",
                },
            }
        ],
    }
    assert out.startswith('{\n  "case_id"')  # indented, for people to read


def test_every_rule_runs_by_default_and_each_obligation_has_the_documented_fields(
    tmp_path,
):
    path = write(tmp_path, "case.json", case_file())
    code, out, _ = run("check", path, "--at", "2026-03-01T12:00:00Z")
    result = json.loads(out)
    assert code == 0
    assert result["at"] == "2026-03-01T12:00:00+00:00"
    assert {o["rule_id"] for o in result["obligations"]} <= set(engine.load_rules())
    for obligation in result["obligations"]:
        assert set(obligation) == OBLIGATION_KEYS
        assert obligation["case_id"] == "case-1"


def test_json_lines_give_one_line_per_case_in_the_order_of_the_file(tmp_path, probe):
    cases = [case_file(f"case-{n}") for n in (3, 1, 2)]
    cases[1]["facts"] = []
    path = write(tmp_path, "cases.jsonl", *cases, lines=True)
    code, out, err = run("check", path, "--rule", probe.id, "--at", "2026-03-02T00:00Z")
    assert (code, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["case_id"] for r in results] == ["case-3", "case-1", "case-2"]
    assert [len(r["obligations"]) for r in results] == [1, 0, 1]
    assert results[0]["obligations"][0]["status"] == "open"
    assert all(line.startswith('{"case_id"') for line in out.splitlines())


def test_a_jsonl_file_of_one_case_is_still_json_lines(tmp_path, probe):
    path = write(tmp_path, "one.jsonl", case_file(), lines=True)
    _, out, _ = run("check", path, "--rule", probe.id)
    assert len(out.splitlines()) == 1
    assert json.loads(out)["case_id"] == "case-1"


def test_standard_input_is_read_for_a_dash_and_its_content_decides(probe):
    one = json.dumps(case_file(), indent=2)
    code, out, _ = run("check", "-", "--rule", probe.id, stdin=one)
    assert code == 0
    assert json.loads(out)["case_id"] == "case-1"
    many = "\n".join(json.dumps(case_file(f"c{n}")) for n in range(3))
    code, out, _ = run("check", "-", "--rule", probe.id, stdin=many)
    assert [json.loads(line)["case_id"] for line in out.splitlines()] == [
        "c0",
        "c1",
        "c2",
    ]
    # One line alone is one JSON value; --format jsonl keeps a pipeline's shape.
    code, out, _ = run(
        "check",
        "-",
        "--rule",
        probe.id,
        "--format",
        "jsonl",
        stdin=json.dumps(case_file()),
    )
    assert out.count("\n") == 1
    assert out.startswith('{"case_id"')


def test_a_byte_order_mark_and_another_extension_are_accepted(tmp_path, probe):
    path = tmp_path / "case.txt"
    path.write_text(json.dumps(case_file()), encoding="utf-8-sig")
    code, out, _ = run("check", str(path), "--rule", probe.id)
    assert code == 0
    assert json.loads(out)["case_id"] == "case-1"


def test_jurisdiction_overrides_the_case_files(tmp_path, probe):
    path = write(
        tmp_path,
        "cases.jsonl",
        case_file("a", jurisdiction="atlantis"),
        case_file("b", jurisdiction="international"),
        lines=True,
    )
    code, out, err = run("check", path, "--jurisdiction", "mexico", "--rule", probe.id)
    assert (code, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["jurisdiction"] for r in results] == ["mexico", "mexico"]
    assert results[0]["obligations"][0]["details"]["profile"] == "mexico"


def test_a_met_obligation(tmp_path, probe):
    facts = [
        *case_file()["facts"],
        {
            "id": "r1",
            "kind": "detention_reviewed",
            "at": "2026-03-02T09:00:00Z",
            "data": {"episode": "e1", "by": "judicial", "outcome": "continued"},
        },
    ]
    path = write(tmp_path, "case.json", case_file(facts=facts))
    _, out, _ = run("check", path, "--rule", probe.id)
    [obligation] = json.loads(out)["obligations"]
    assert obligation["status"] == "met"
    assert obligation["met_by"] == ["r1"]
    assert obligation["met_late"] is True


# --- check: bad input ------------------------------------------------------------------


def test_json_that_does_not_parse(tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{\n  "case_id": "c1"\n  "facts": []\n}', encoding="utf-8")
    err = refused("check", str(path))
    assert err == (
        f"amparo safeguards check: {path}: 1 problem; nothing was evaluated.\n"
        f"{path}: line 3, column 3: not valid JSON: Expecting ',' delimiter\n"
    )


def test_json_lines_with_a_bad_line_print_nothing_at_all(tmp_path):
    path = tmp_path / "cases.jsonl"
    good = json.dumps(case_file())
    path.write_text(f"{good}\n{good}\n{{oops\n{good}\n", encoding="utf-8")
    err = refused("check", str(path))
    assert f"{path}: line 3, column 2: not valid JSON" in err


def test_a_schema_violation_names_its_json_path(tmp_path):
    document = case_file()
    document["facts"].append({"id": "x", "kind": "death", "at": "soon"})
    path = write(tmp_path, "case.json", document)
    err = refused("check", path)
    assert f"{path}: $.facts[2].at: 'soon' is not an ISO 8601 date and time" in err


def test_a_time_without_a_zone_names_its_path_and_line(tmp_path):
    bad = case_file("b")
    bad["facts"][1]["at"] = "2026-03-01T02:00:00"
    path = write(tmp_path, "cases.jsonl", case_file("a"), bad, lines=True)
    err = refused("check", path)
    assert (
        f"{path}: line 2: $.facts[1].at: '2026-03-01T02:00:00' is a time without a "
        "time zone; add Z or an offset such as -06:00\n"
    ) in err


def test_an_unknown_fact_kind_is_refused_with_the_known_ones(tmp_path):
    document = case_file()
    document["facts"][0]["kind"] = "arrest"
    path = write(tmp_path, "case.json", document)
    err = refused("check", path)
    assert "$.facts[0].kind: unknown fact kind 'arrest'; known: nationality," in err
    assert "detention_started" in err


def test_an_unknown_jurisdiction_lists_the_known_ones(tmp_path):
    path = write(tmp_path, "case.json", case_file(jurisdiction="atlantis"))
    err = refused("check", path)
    known = ", ".join(profiles.available())
    assert (
        f"{path}: $.jurisdiction: unknown jurisdiction 'atlantis'; known: {known}\n"
    ) in err
    err = refused("check", path, "--jurisdiction", "narnia")
    assert err == (
        "amparo safeguards check: --jurisdiction: unknown jurisdiction 'narnia'; "
        f"known: {known}\n"
    )


def test_contradictory_facts_are_refused(tmp_path):
    document = case_file()
    document["facts"].append(
        {
            "id": "end",
            "kind": "detention_ended",
            "at": "2026-03-01T07:00:00Z",
            "data": {"episode": "e1", "reason": "released"},
        }
    )
    path = write(tmp_path, "case.json", document)
    err = refused("check", path)
    assert (
        f"{path}: $.facts[2]: detention_ended at 2026-03-01T07:00:00+00:00 is before "
        "detention episode 'e1' started (d1, 2026-03-01T02:00:00-06:00)\n"
    ) in err


def test_every_problem_of_every_line_is_told_up_to_a_limit(tmp_path):
    bad = case_file()
    bad["facts"][0]["data"]["country"] = "gtm"
    path = write(tmp_path, "cases.jsonl", *[bad] * 25, lines=True)
    err = refused("check", path)
    lines = err.splitlines()
    assert lines[0] == (
        f"amparo safeguards check: {path}: 25 problems; nothing was evaluated."
    )
    assert lines[1].startswith(f"{path}: line 1: $.facts[0].data.country: 'gtm'")
    assert len(lines) == 1 + cli.MAX_PROBLEMS + 1
    assert lines[-1] == "... and 5 more."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--at", "2026-03-01T08:00:00"],
            "--at: '2026-03-01T08:00:00' is a time without a time zone; add Z or an "
            "offset such as -06:00",
        ),
        (["--at", "2026-03-01"], "--at: '2026-03-01' is a time without a time zone"),
        (["--at", "tomorrow"], "--at: 'tomorrow' is not an ISO 8601 date and time"),
        (["--rule", "no.such"], "--rule: unknown rule 'no.such'; known: "),
    ],
)
def test_bad_options_are_refused_before_the_file_is_read(tmp_path, argv, message):
    err = refused("check", str(tmp_path / "missing.json"), *argv)
    assert err.startswith(f"amparo safeguards check: {message}")


def test_a_missing_file_and_usage_errors(tmp_path):
    err = refused("check", str(tmp_path / "missing.json"))
    assert err == (
        "amparo safeguards check: cannot read "
        f"{tmp_path / 'missing.json'}: No such file or directory\n"
    )
    assert "usage: amparo safeguards check" in refused("check")
    assert "invalid choice: 'verify'" in refused("verify")
    assert "usage: amparo safeguards" in refused()


def test_help_goes_to_stdout():
    code, out, err = run("check", "--help")
    assert (code, err) == (0, "")
    assert out.startswith("usage: amparo safeguards check")
    assert "JSON Lines" in out


# --- rules -----------------------------------------------------------------------------


def test_rules_lists_every_rule_with_its_title_and_citations(probe):
    code, out, err = run("rules")
    assert (code, err) == (0, "")
    assert (
        "test.cli_probe  Probe of the command line\n    Test source 1; Test source 2\n"
    ) in out
    listed = [line.split()[0] for line in out.splitlines() if not line[0].isspace()]
    assert listed == list(engine.load_rules())


def test_rules_explains_one_rule(probe):
    code, out, _ = run("rules", "test.cli_probe")
    assert code == 0
    assert out == (
        "test.cli_probe: Probe of the command line\n\n"
        "A rule for the test: one obligation per detention, a day after it starts.\n\n"
        "Met by the first review.\n\n"
        "Sources:\n  - Test source 1\n  - Test source 2\n"
    )


def test_rules_as_json(probe):
    _, out, _ = run("rules", "--json")
    described = {r["id"]: r for r in json.loads(out)}
    assert described["test.cli_probe"] == {
        "id": "test.cli_probe",
        "title": "Probe of the command line",
        "citations": ["Test source 1", "Test source 2"],
        "explanation": probe.explanation(),
    }
    _, out, _ = run("rules", "test.cli_probe", "--json")
    assert json.loads(out) == described["test.cli_probe"]


def test_an_unknown_rule_lists_the_known_ones(probe):
    err = refused("rules", "no.such")
    assert err.startswith("amparo safeguards rules: unknown rule 'no.such'; known: ")
    assert "test.cli_probe" in err


# --- The Django command and purity -----------------------------------------------------


def test_the_management_command_hands_over_to_the_cli(tmp_path, probe):
    out = io.StringIO()
    call_command("safeguards", "rules", "test.cli_probe", stdout=out)
    assert out.getvalue().startswith("test.cli_probe: Probe of the command line\n")
    path = write(tmp_path, "case.json", case_file())
    out = io.StringIO()
    call_command(
        "safeguards",
        "check",
        path,
        "--rule",
        probe.id,
        "--at",
        "2026-03-01T09:00Z",
        stdout=out,
    )
    assert json.loads(out.getvalue())["obligations"][0]["status"] == "open"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("safeguards", "rules", "no.such", stdout=out, stderr=err)
    assert raised.value.returncode == 2
    assert out.getvalue() == ""
    assert "unknown rule 'no.such'" in err.getvalue()


def test_amparo_safeguards_on_the_command_line_exits_2_on_bad_input(tmp_path):
    path = write(tmp_path, "case.json", case_file(jurisdiction="atlantis"))
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "amparo.cli", "safeguards", "check", path],
        capture_output=True,
        text=True,
        # The test settings' keys are in this process's environment: no key files.
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "amparo.test_settings"},
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "unknown jurisdiction 'atlantis'" in done.stderr


def test_the_command_line_imports_nothing_from_django(tmp_path):
    path = write(tmp_path, "case.json", case_file())
    code = (
        "import sys\n"
        "from amparo.safeguards import cli\n"
        f"assert cli.main(['check', {path!r}], stdout=open('/dev/null', 'w')) == 0\n"
        "assert cli.main(['rules'], stdout=open('/dev/null', 'w')) == 0\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
