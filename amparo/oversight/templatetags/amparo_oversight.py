"""The escalations section of a case's own page (cases:detail), so that the case app
need not know about oversight beyond one line of its template."""

from django import template

from amparo.cases.models import Case
from amparo.oversight.queries import escalations_of

register = template.Library()


@register.inclusion_tag("oversight/case_escalations.html")
def case_escalations(case: Case) -> dict[str, object]:
    """For a page that has already checked that its user sees `case`."""
    return {"case": case, "items": [(e, None) for e in escalations_of(case)]}
