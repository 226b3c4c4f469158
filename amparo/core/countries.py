"""ISO 3166-1 countries, with the ICAO 9303 code for a stateless person. Names come in
the active language from the iso-codes translations that pycountry ships."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# ICAO Doc 9303 reserves XXA for a stateless person in machine-readable travel
# documents; ISO 3166 itself has no code for statelessness.
STATELESS = "XXA"


@cache
def _english_names() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.countries}


@cache
def iso_catalog(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def translated(domain: str, english: str) -> str:
    """`english` in the active language, from pycountry's iso-codes catalogs."""
    return iso_catalog(domain, get_language() or "en").gettext(english)


def is_country(code: str) -> bool:
    return code in _english_names()


def country_name(code: str) -> str:
    if code == STATELESS:
        return _("Stateless")
    english = _english_names().get(code)
    return translated("iso3166-1", english) if english else code


def country_choices(*, stateless: bool = False) -> list[tuple[str, str]]:
    """(code, name) for every country, in the active language and sorted by name."""
    return _sorted_choices(get_language() or "en", stateless)


@cache
def _sorted_choices(language: str, stateless: bool) -> list[tuple[str, str]]:
    catalog = iso_catalog("iso3166-1", language)
    choices = sorted(
        ((code, catalog.gettext(name)) for code, name in _english_names().items()),
        key=lambda choice: choice[1],
    )
    if stateless:
        choices.insert(0, (STATELESS, _("Stateless")))
    return choices
