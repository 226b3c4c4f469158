"""ISO 3166-1 countries, with the ICAO 9303 code for a stateless person."""

from functools import cache

import pycountry
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# ICAO Doc 9303 reserves XXA for a stateless person in machine-readable travel
# documents; ISO 3166 itself has no code for statelessness.
STATELESS = "XXA"


@cache
def country_names() -> dict[str, str]:
    """Alpha-3 code to English short name, for every ISO 3166-1 country."""
    return {c.alpha_3: c.name for c in pycountry.countries}


def is_country(code: str) -> bool:
    return code in country_names()


def country_choices(*, stateless: bool = False) -> list[tuple[str, str | Promise]]:
    choices: list[tuple[str, str | Promise]] = sorted(
        ((code, name) for code, name in country_names().items()),
        key=lambda c: str(c[1]),
    )
    if stateless:
        choices.insert(0, (STATELESS, _("Stateless")))
    return choices


def country_name(code: str) -> str:
    if code == STATELESS:
        return str(_("Stateless"))
    return country_names().get(code, code)
