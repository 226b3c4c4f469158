"""The services part of a case's own page (cases:detail), and the words for the codes
of the directory and of referrals."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import Case
from amparo.services.models import ServiceType
from amparo.services.queries import referrals_of_case

register = template.Library()

# The buttons of the provider's answer.
MOVE_LABELS = {
    "accepted": _("Accepted"),
    "delivered": _("Service delivered"),
    "declined": _("Declined"),
}


@register.inclusion_tag("services/case_section.html")
def case_services(case: Case) -> dict[str, Any]:
    """For a page that has already checked that its user sees `case`."""
    return {
        "case": case,
        "case_open": case.status != Case.Status.CLOSED,
        "referrals": list(referrals_of_case(case)),
    }


@register.filter
def service_type(code: str) -> str:
    return str(ServiceType(code).label) if code in ServiceType.values else code


@register.filter
def referral_move(move: str) -> str:
    return str(MOVE_LABELS.get(move, move))
