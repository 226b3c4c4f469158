"""The labour part of a case's own page (cases:detail): the worker's complaints, and
the findings of the latest ILO C189 checklist with the article each breaches."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.cases.models import Case
from amparo.labour.queries import checklist_findings, complaints_of_case

register = template.Library()


@register.inclusion_tag("labour/case_section.html")
def case_labour(case: Case) -> dict[str, Any]:
    """For a page that has already checked that its user sees `case`."""
    checklists = checklist_findings(case)
    latest, found = checklists[0] if checklists else (None, [])
    return {
        "case": case,
        "case_open": case.status != Case.Status.CLOSED,
        "complaints": list(complaints_of_case(case)),
        "checklist": latest,
        "findings": found,
    }
