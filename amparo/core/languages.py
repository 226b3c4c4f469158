"""ISO 639 language codes, stored the way BCP 47 does: the two-letter code where
ISO 639-1 has one (ar, fr), otherwise the three-letter ISO 639-3 code (Tigrinya is ti, but
prs, Dari, has only three)."""

from functools import cache

import pycountry
from django.utils.translation import get_language

from amparo.core.countries import iso_catalog, translated


@cache
def _languages() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in pycountry.languages:
        # Individual living languages only; macrolanguage members stay reachable by code.
        code = getattr(language, "alpha_2", None) or language.alpha_3
        names[code] = language.name
    return names


@cache
def _aliases() -> dict[str, str]:
    """Every accepted spelling (alpha-2, alpha-3, bibliographic) to the stored code."""
    aliases: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None) or language.alpha_3
        aliases[language.alpha_3] = code
        aliases[code] = code
        if bibliographic := getattr(language, "bibliographic", None):
            aliases[bibliographic] = code
    return aliases


def canonical_language(code: str) -> str | None:
    """The stored form of an ISO 639 code, or None if it is not one."""
    return _aliases().get(code.strip().lower())


def language_name(code: str) -> str:
    """The language's name in the active language (pycountry's iso-codes catalogs)."""
    english = _languages().get(code)
    return translated("iso639-3", english) if english else code


def language_choices() -> list[tuple[str, str]]:
    return _language_choices(get_language() or "en")


@cache
def _language_choices(language: str) -> list[tuple[str, str]]:
    """Languages that have a two-letter code, plus common languages of migration that
    have only a three-letter one (Dari, Sorani, Rohingya, Levantine and Egyptian Arabic…). The full list (7,900 entries) is usable through the
    API and importers, but too long for a select box."""
    extra = {"prs", "ckb", "kmr", "rhg", "aii", "apc", "arz", "ary", "hae", "gaz"}
    catalog = iso_catalog("iso639-3", language)
    return sorted(
        (
            (code, catalog.gettext(name))
            for code, name in _languages().items()
            if len(code) == 2 or code in extra
        ),
        key=lambda c: c[1],
    )
