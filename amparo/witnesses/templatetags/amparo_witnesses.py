"""The witness-protection line of a person's page (people:detail)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from amparo.people.models import Person
from amparo.witnesses import queries

register = template.Library()


@register.inclusion_tag("witnesses/person_section.html", takes_context=True)
def person_protection(context: Mapping[str, Any], person: Person) -> dict[str, Any]:
    """For a page that has already checked that its user sees `person`."""
    user = context["request"].user
    protection = queries.protection_of(person)
    return {
        "person": person,
        "protection": protection,
        "on_team": protection is not None and queries.on_team(user, protection),
        "can_protect": queries.can_protect(user),
    }
