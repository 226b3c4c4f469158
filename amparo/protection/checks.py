"""The protection facts that cannot all be true, refused wherever facts are recorded
or read: a screening that names indicators its set does not have, and a conclusive
identification decision before any decision on reasonable grounds. Pure: imports
nothing from Django. Who may decide (an authorised person) is the recording action's
to refuse (`amparo.protection.preconditions`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from amparo.protection import screening
from amparo.safeguards.engine import register_check
from amparo.safeguards.facts import Fact

_KINDS = frozenset({"trafficking_screened", "trafficking_identified"})


@register_check
def check_protection(facts: Sequence[Fact]) -> Iterator[tuple[str, str, str]]:
    grounds = False
    for fact in (f for f in facts if f.kind in _KINDS):
        if fact.kind == "trafficking_screened":
            wrong = screening.unknown(
                str(fact.get("indicator_set")), list(fact.get("indicators") or ())
            )
            if wrong:
                yield (
                    fact.id,
                    f"indicators not in the set {fact.get('indicator_set')}: "
                    + ", ".join(wrong),
                    "data.indicators",
                )
        elif fact.get("stage") == "reasonable_grounds":
            grounds = True
        elif not grounds:
            yield (
                fact.id,
                "a conclusive decision before any decision on reasonable grounds",
                "data.stage",
            )
