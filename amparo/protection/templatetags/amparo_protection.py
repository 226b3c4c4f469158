"""The victim's part of a case's own page (cases:detail): the latest trafficking
screening with its suggestion and reasoning, the identification decisions, the
reflection period, crimes suffered, offences linked to the exploitation and the
assistance offered; and the way to screen. What is due is in the safeguards section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import timezone

from amparo.cases.models import Case
from amparo.protection import screening
from amparo.protection.forms import DIMENSIONS
from amparo.protection.rules import PROTECTION_KINDS, known, reflection_period
from amparo.safeguards import profiles
from amparo.safeguards.queries import case_file

register = template.Library()


@register.inclusion_tag("protection/case_section.html", takes_context=True)
def case_protection(context: Mapping[str, Any], case: Case) -> dict[str, object]:
    """For a page that has already checked that its user sees `case`."""
    now = timezone.now()
    file = case_file(case)
    facts = known(file, now)
    screenings = [f for f in facts if f.kind == "trafficking_screened"]
    latest = screenings[-1] if screenings else None
    suggestion = None
    if latest is not None and latest.get("indicator_set") in screening.set_codes():
        suggestion = screening.suggest(
            str(latest.get("indicator_set")), list(latest.get("indicators") or ())
        )
    period = reflection_period(file, profiles.load(file.jurisdiction), now)
    return {
        "case": case,
        "case_open": case.status != Case.Status.CLOSED,
        "any": bool(facts),
        "latest": latest,
        "suggestion": suggestion,
        "dimensions": [
            (str(DIMENSIONS.get(d.code, d.title)), d) for d in suggestion.dimensions
        ]
        if suggestion
        else [],
        "decisions": [f for f in facts if f.kind == "trafficking_identified"],
        "period": period,
        "others": [
            f
            for f in facts
            if f.kind
            in PROTECTION_KINDS - {"trafficking_screened", "trafficking_identified"}
        ],
    }
