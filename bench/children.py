"""What the children's and returns' rules and checks (issue 5) add to the safeguards
engine's work.

    python -m bench.children                       # 10,000 case files, 5 runs
    python -m bench.children --cases 2000 --repeat 3   # a quick check

Target (issue 5): adds no more than 20 % to the safeguards benchmarks of issue 4 at the
same scale. Those benchmarks' Python work per case is the engine's evaluation and the
case file's check (`bench.safeguards`: reading and checking, evaluating), and at scale
the same evaluation inside a refresh or a recording (`bench.safeguards_scale`). So this
measures, in one process, with the cyclic garbage collector paused as the command
runs, each part twice on the same case files: with every rule and check, and with only
issue 4's (the detention and consular rules, the detention checks: the reference,
measured in the same run), and gives the ratio.

Two sets of case files, from `bench.safeguards`'s generator and seed:

- **issue 4's**, unchanged: detained foreign nationals, some of them children by date
  of birth or an open age dispute, with no fact of the new kinds. What the new rules
  cost where they find nothing to do: the overhead on issue 4's benchmarks as they are.
- **with children and returns**: the same, plus, for every case file whose person may
  be a child, a `child_status` (unaccompanied, separated or accompanied), most often a
  guardian, a suitability check, a BIA, sometimes a BID with its report, three
  undertakings and the panel's decision, a proposed durable solution and an education
  record; and for one adult in five whose detention ended by removal or is open, a
  planned return with its screening, its approval, often the return and its
  follow-up. The new rules' cost where they have work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from bench.safeguards import AT, SEED, generate, log, machine

ISSUE_4_RULES = ("detention.", "consular.")
TARGET_RATIO = 1.20


def augment(documents: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Copies of `documents` with children's and returns' facts added (see above)."""
    rng = random.Random(seed + 5)
    result = []
    for document in documents:
        copy = json.loads(json.dumps(document))
        facts = copy["facts"]
        kinds = {f["kind"] for f in facts}
        started = next(f for f in facts if f["kind"] == "detention_started")
        zone_at = datetime.fromisoformat(started["at"])
        if kinds & {"age_dispute"} or _young(facts, zone_at):
            facts.extend(_child(rng, zone_at))
        elif rng.random() < 0.2:
            facts.extend(_return(rng, zone_at, facts))
        for n, fact in enumerate(sorted(facts, key=lambda f: f["at"]), start=1):
            fact["id"] = f"f{n}"
        copy["facts"] = sorted(facts, key=lambda f: f["at"])
        result.append(copy)
    return result


def _young(facts: list[dict[str, Any]], at: datetime) -> bool:
    births = [f for f in facts if f["kind"] == "birth"]
    return bool(births) and int(births[0]["data"]["date"][:4]) > at.year - 18


def _at(moment: datetime) -> str:
    return min(moment, AT).replace(second=0).isoformat()


def _fact(kind: str, moment: datetime, by: str = "officer-1", **data: Any) -> dict:
    return {"id": "", "kind": kind, "at": _at(moment), "recorded_by": by, "data": data}


def _child(rng: random.Random, start: datetime) -> Iterator[dict[str, Any]]:
    status = rng.choices(["unaccompanied", "separated", "accompanied"], [6, 3, 1])[0]
    identified = start + timedelta(hours=1)
    yield _fact("child_status", identified, status=status, with_whom="nobody")
    if status == "accompanied":
        return
    hours = iter(sorted(rng.sample(range(2, 400), 12)))
    if rng.random() < 0.7:
        yield _fact(
            "guardian_appointed",
            identified + timedelta(hours=next(hours)),
            guardian="G1",
            guardian_type=rng.choice(["relative", "non_relative", "professional"]),
        )
        if rng.random() < 0.5:
            yield _fact(
                "guardian_suitability_checked",
                identified + timedelta(hours=next(hours)),
                guardian="G1",
                suitable=True,
            )
    if rng.random() < 0.6:
        yield _fact(
            "bia_completed",
            identified + timedelta(hours=next(hours)),
            bia_form="short",
            child_views_recorded=True,
        )
    if rng.random() < 0.3:
        yield _fact(
            "decision_proposed",
            identified + timedelta(hours=next(hours)),
            decision_type="resettlement",
        )
    if rng.random() < 0.2:
        report = identified + timedelta(hours=next(hours))
        yield _fact(
            "bid_report_submitted",
            report,
            by="officer-2",
            bid="B1",
            bid_purpose="durable_solution",
        )
        panel = ["officer-3", "officer-4", "officer-5"]
        for member in panel:
            yield _fact(
                "bid_undertaking_signed",
                report + timedelta(hours=next(hours)),
                by=member,
                bid="B1",
            )
        yield _fact(
            "bid_decided",
            report + timedelta(hours=next(hours) + 400),
            by="officer-3",
            bid="B1",
            bid_decision="resettlement",
            panel=panel,
        )
    if rng.random() < 0.5:
        yield _fact(
            "education_status",
            identified + timedelta(hours=next(hours)),
            enrolment=rng.choice(["enrolled", "not_enrolled"]),
            barriers=["documents"],
        )


def _return(
    rng: random.Random, start: datetime, facts: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    nationality = next((f for f in facts if f["kind"] == "nationality"), None)
    country = nationality["data"]["country"] if nationality else "MEX"
    planned = start + timedelta(hours=rng.randint(2, 48))
    yield _fact(
        "return_planned",
        planned,
        **{"return": "R1"},
        return_type=rng.choice(["voluntary", "assisted_voluntary", "forced"]),
        country=country,
        destination_kind="nationality",
    )
    if rng.random() < 0.2:
        return
    concern = rng.random() < 0.2
    areas = dict.fromkeys(
        (
            "child",
            "trafficking",
            "asylum",
            "non_refoulement",
            "health",
            "pregnancy",
            "family_unity",
        ),
        "clear",
    )
    yield _fact(
        "return_screened",
        planned + timedelta(hours=5),
        **{"return": "R1"},
        **areas,
        reception="concern" if concern else "clear",
    )
    if concern or rng.random() < 0.3:
        return
    yield _fact(
        "return_screening_approved",
        planned + timedelta(hours=8),
        by="officer-9",
        **{"return": "R1"},
    )
    if rng.random() < 0.5:
        yield _fact(
            "return_completed", planned + timedelta(hours=30), **{"return": "R1"}
        )
        if rng.random() < 0.5:
            yield _fact(
                "return_followed_up",
                planned + timedelta(days=20),
                **{"return": "R1"},
                reached=True,
                received=True,
                reintegration_support=False,
            )


@contextmanager
def issue_4_only() -> Iterator[None]:
    """The engine with only issue 4's rules and checks (the reference)."""
    from amparo.safeguards import engine

    engine.load_rules()
    rules, checks = dict(engine._REGISTRY), list(engine._CHECKS)
    loaded = dict(engine._LOADED)
    try:
        for rule_id in list(engine._REGISTRY):
            if not rule_id.startswith(ISSUE_4_RULES):
                del engine._REGISTRY[rule_id]
        engine._CHECKS[:] = []
        engine._LOADED.clear()
        yield
    finally:
        engine._REGISTRY.clear()
        engine._REGISTRY.update(rules)
        engine._CHECKS[:] = checks
        engine._LOADED.clear()
        engine._LOADED.update(loaded)


def measure(text: str, repeat: int) -> dict[str, list[float]]:
    """Seconds per run: reading and checking the case files, and evaluating them."""
    from amparo.safeguards import casefile, engine, profiles

    def read() -> list[Any]:
        return casefile.read(text, "jsonl", jurisdiction=lambda _code: "")

    def evaluate(cases: list[Any]) -> None:
        for case in cases:
            engine.evaluate(case, profiles.load(case.jurisdiction), AT)

    read()
    found: dict[str, list[float]] = {"read": [], "evaluate": []}
    with _gc_paused():
        for _ in range(repeat):
            found["read"].append(_seconds(read))
            cases = read()  # fresh: a case file keeps what the rules derived
            found["evaluate"].append(_seconds(lambda cases=cases: evaluate(cases)))
    return found


def _seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@contextmanager
def _gc_paused() -> Iterator[None]:
    from amparo.safeguards.cli import _no_cycle_collection

    with _no_cycle_collection():
        yield


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.children", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    load_before = os.getloadavg()
    log(f"generating {args.cases:,} case files (seed {args.seed})")
    plain = generate(args.cases, args.seed)
    augmented = augment(plain, args.seed)
    sets = {
        "issue 4's case files": plain,
        "with children and returns": augmented,
    }
    lines = [
        "| Case files | part | issue 4's rules and checks: median s "
        "| every rule and check: median s | ratio | target | |",
        "|---|---|--:|--:|--:|--:|---|",
    ]
    for name, documents in sets.items():
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
        log(f"{name}: every rule and check, then issue 4's only, alternately")
        every: dict[str, list[float]] = {"read": [], "evaluate": []}
        before: dict[str, list[float]] = {"read": [], "evaluate": []}
        # Alternating keeps a drift of the shared machine out of the ratio.
        for _ in range(args.repeat):
            for part, seconds in measure(text, 1).items():
                every[part] += seconds
            with issue_4_only():
                for part, seconds in measure(text, 1).items():
                    before[part] += seconds
        for part in ("read", "evaluate"):
            reference = statistics.median(before[part])
            median = statistics.median(every[part])
            ratio = median / reference
            verdict = "met" if ratio <= TARGET_RATIO else "**missed**"
            label = "read and check" if part == "read" else "evaluate"
            lines.append(
                f"| {name} | {label} | {reference:.3f} | {median:.3f} | {ratio:.3f} "
                f"| ≤ {TARGET_RATIO:.2f} | {verdict} |"
            )
    facts = {
        name: sum(len(d["facts"]) for d in documents)
        for name, documents in sets.items()
    }
    from amparo.children.situation import CHILD_KINDS
    from amparo.returns.rules import RETURN_KINDS

    new_kinds = sum(
        1
        for d in augmented
        for f in d["facts"]
        if f["kind"] in CHILD_KINDS | RETURN_KINDS
    )
    load_after = os.getloadavg()
    command = shlex.join(
        ["python", "-m", "bench.children", *(sys.argv[1:] if argv is None else argv)]
    )
    print(
        f"Command: `{command}`\n\n"
        f"Machine: {machine()}; load average (1, 5, 15 min) "
        f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.2f}' for x in load_after)} after.\n\n"
        f"{args.cases:,} case files a set, seed {args.seed}, evaluated at "
        f"{AT.isoformat()}; facts: "
        + ", ".join(f"{name} {n:,}" for name, n in facts.items())
        + f" ({new_kinds:,} of the new kinds); {args.repeat} runs of each, "
        "alternately; one process, garbage collector paused.\n\n" + "\n".join(lines)
    )


if __name__ == "__main__":
    main()
