"""The children's facts that cannot all be true, refused wherever facts are recorded
or read (the case page, the API, `amparo safeguards check`): an age range whose maximum
is below its minimum; a guardian appointed before the child was identified as
unaccompanied or separated; a guardian's check or end, or a BID's undertaking,
decision or reopening, that names a guardian or a BID not recorded before it; a BID
decided by its report's author alone, or by a panel member who signed no undertaking
for it. Pure: imports nothing from Django.

What depends on the jurisdiction or on who records (the panel's size, that a
supervisor records the decision, that no decision on a separated child comes before
its BID) is the recording action's to refuse (`amparo.children.preconditions`): a case
file may record that it happened anyway, and the rules then escalate it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from amparo.children.situation import CHILD_KINDS, SEPARATED
from amparo.safeguards.engine import register_check
from amparo.safeguards.facts import Fact

_ORDER = {
    "child_status": 0,
    "guardian_appointed": 1,
    "bid_report_submitted": 1,
    "bid_undertaking_signed": 2,
    "bid_decided": 3,
}
GUARDIAN_KINDS = ("guardian_suitability_checked", "guardian_ended")
BID_KINDS = ("bid_undertaking_signed", "bid_decided", "bid_reopened")
_KINDS = CHILD_KINDS | {"age_assessed"}


@register_check
def check_children(facts: Sequence[Fact]) -> Iterator[tuple[str, str, str]]:
    identified = False
    guardians: set[str] = set()
    reports: dict[str, Fact] = {}
    signers: dict[str, set[str]] = {}
    decided: set[str] = set()
    # Only the children's facts (most case files have none); at one instant what
    # others refer to comes first, as the rules read it.
    mine = [f for f in facts if f.kind in _KINDS]
    for fact in sorted(mine, key=lambda f: (f.at, _ORDER.get(f.kind, len(_ORDER)))):
        kind = fact.kind
        if kind == "age_assessed":
            low, high = fact.get("minimum_age"), fact.get("maximum_age")
            if isinstance(low, int) and isinstance(high, int) and high < low:
                yield (
                    fact.id,
                    f"the age range's maximum ({high}) is below its minimum ({low})",
                    "data.maximum_age",
                )
        elif kind == "child_status":
            identified = identified or fact.get("status") in SEPARATED
        elif kind == "guardian_appointed":
            if not identified:
                yield (
                    fact.id,
                    "a guardian appointed before the child was identified as "
                    "unaccompanied or separated",
                    "at",
                )
            guardians.add(str(fact.get("guardian")))
        elif kind in GUARDIAN_KINDS and str(fact.get("guardian")) not in guardians:
            yield (
                fact.id,
                f"no guardian {fact.get('guardian')!r} was appointed before it",
                "data.guardian",
            )
        elif kind == "bid_report_submitted":
            reports.setdefault(str(fact.get("bid")), fact)
        elif kind in BID_KINDS:
            yield from _bid_fact(fact, reports, signers, decided)


def _bid_fact(
    fact: Fact,
    reports: dict[str, Fact],
    signers: dict[str, set[str]],
    decided: set[str],
) -> Iterator[tuple[str, str, str]]:
    bid = str(fact.get("bid"))
    report = reports.get(bid)
    if report is None:
        yield fact.id, f"no BID report {bid!r} was submitted before it", "data.bid"
        return
    if fact.kind == "bid_undertaking_signed":
        signers.setdefault(bid, set()).add(fact.recorded_by)
    elif fact.kind == "bid_reopened":
        if bid not in decided:
            yield fact.id, f"BID {bid!r} was not decided before it", "data.bid"
        decided.discard(bid)
    else:
        yield from _decision(fact, bid, report, signers.get(bid, set()))
        decided.add(bid)


def _decision(
    fact: Fact, bid: str, report: Fact, signed: set[str]
) -> Iterator[tuple[str, str, str]]:
    panel = [str(m) for m in fact.get("panel") or ()]
    if report.recorded_by and panel and set(panel) <= {report.recorded_by}:
        yield (
            fact.id,
            f"BID {bid!r}: the report's author cannot decide alone",
            "data.panel",
        )
    unsigned = [m for m in panel if m not in signed]
    if unsigned:
        yield (
            fact.id,
            f"BID {bid!r}: panel members who signed no undertaking of confidentiality "
            f"for it: {', '.join(unsigned)}",
            "data.panel",
        )
