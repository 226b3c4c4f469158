"""Human names for the codes that records store, in the active language."""

from django import template

from amparo.cases.models import Case
from amparo.core.countries import country_name
from amparo.core.languages import language_name
from amparo.people.models import Person

register = template.Library()

register.filter("country", country_name)
register.filter("language", language_name)


@register.filter
def specific_need(code: str) -> str:
    return (
        str(Person.Vulnerability(code).label)
        if code in Person.Vulnerability.values
        else code
    )


@register.filter
def case_status(code: str) -> str:
    return str(Case.Status(code).label) if code in Case.Status.values else code


@register.filter
def risk_level(code: str) -> str:
    return str(Case.Risk(code).label) if code in Case.Risk.values else code
