"""ISO 639 language codes, stored the way BCP 47 does: the two-letter code where
ISO 639-1 has one (ar, fr), otherwise the three-letter ISO 639-3 code (Tigrinya is ti, but
prs, Dari, has only three)."""

from functools import cache

import pycountry


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
    return _languages().get(code, code)


@cache
def language_choices() -> list[tuple[str, str]]:
    """Languages that have a two-letter code, plus common languages of migration that
    have only a three-letter one (Dari, Sorani, Rohingya, Levantine and Egyptian Arabic…). The full list (7,900 entries) is usable through the
    API and importers, but too long for a select box."""
    extra = {"prs", "ckb", "kmr", "rhg", "aii", "apc", "arz", "ary", "hae", "gaz"}
    return sorted(
        (
            (code, name)
            for code, name in _languages().items()
            if len(code) == 2 or code in extra
        ),
        key=lambda c: c[1],
    )
