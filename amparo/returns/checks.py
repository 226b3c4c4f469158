"""The return facts that cannot all be true, refused wherever facts are recorded or
read: a fact about a return that was not planned before it, and a return planned
twice under one id. Pure: imports nothing from Django. Whether a return may be marked
ready (screened, approved, nothing blocking) is the recording action's to refuse
(`amparo.returns.preconditions`); a case file may record that it happened anyway, and
the rules escalate it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from amparo.returns.rules import RETURN_KINDS
from amparo.safeguards.engine import register_check
from amparo.safeguards.facts import Fact


@register_check
def check_returns(facts: Sequence[Fact]) -> Iterator[tuple[str, str, str]]:
    planned: set[str] = set()
    # At one instant the plan comes first, as the rules read it (stable sort).
    mine = [f for f in facts if f.kind in RETURN_KINDS]
    for fact in sorted(mine, key=lambda f: (f.at, f.kind != "return_planned")):
        rid = str(fact.get("return"))
        if fact.kind == "return_planned":
            if rid in planned:
                yield fact.id, f"return {rid!r} was already planned", "data.return"
            planned.add(rid)
        elif rid not in planned:
            yield fact.id, f"no return {rid!r} was planned before it", "data.return"
