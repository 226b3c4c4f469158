"""The child's part of a case's own page (cases:detail): status, guardians, age, best
interests (BIA and BID, with the panel's buttons) and education, and the case's
returns. What is due is in the safeguards section above it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import timezone

from amparo.cases.models import Case
from amparo.children import queries
from amparo.people.models import Person
from amparo.safeguards import labels

register = template.Library()


@register.inclusion_tag("children/case_section.html", takes_context=True)
def case_children(context: Mapping[str, Any], case: Case) -> dict[str, object]:
    """For a page that has already checked that its user sees `case`."""
    user = context["request"].user
    view = queries.child_view(case, timezone.now())
    return {
        "case": case,
        "case_open": case.status != Case.Status.CLOSED,
        "child": view,
        "user_id": str(user.pk),
        "is_supervisor": user.role == "supervisor",
    }


@register.filter
def child_value(value: object, field: str) -> str:
    """A code of the children's facts in the reader's language."""
    if value in (None, ""):
        return "—"
    return labels.value_label(field, value)


@register.filter
def get(mapping: Mapping[str, Any], key: str) -> Any:
    return mapping.get(key, key)


@register.filter
def sex_label(code: str) -> str:
    return str(dict(Person.Sex.choices).get(code, code))
