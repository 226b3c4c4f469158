"""One HTCDS value as a file gives it, checked and put in the form the mapping uses: text
trimmed, a date, a code's name, a tuple of names, a boolean, ISO alpha-2 countries.

Excel cells may hold a code's name or its label; several codes in one cell are
separated by `;` (Salesforce's separator for a multi-select picklist [K]) or line
breaks, never by commas, which the labels contain. XForm values are names, several
separated by spaces (ODK's `select_multiple` [K]). Dates are Excel date cells or ISO
`YYYY-MM-DD` text; nothing else is guessed at (`03/04/2021` is two dates).

Pure Python: no Django import. Messages are English templates marked with `_` (a
no-op here) and translated where they are shown (`amparo.htcds.report`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

import pycountry

from amparo.htcds.codes import Codes
from amparo.htcds.mapping import Field, Kind

Value = str | date | bool | tuple[str, ...]
EARLIEST = date(1900, 1, 1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXCEL_SEPARATORS = re.compile(r"[;\n\r]+")
_COUNTRY_SEPARATORS = re.compile(r"[;,\s]+")
# Unicode's control characters (category Cc): C0, DEL and C1.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_IN_LONG_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _(message: str) -> str:
    """Marks a message for translation; `report.describe` translates it."""
    return message


class BadValueError(ValueError):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = {k: str(v)[:60] for k, v in params.items()}


def parse(field: Field, raw: Any, *, excel: bool, today: date) -> Value | None:
    """`raw` as the mapping holds it; None when empty. Raises BadValueError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = field.kind
    if kind is Kind.DATE:
        return _date(raw, today)
    if kind is Kind.CHECKBOX:
        return _checkbox(raw)
    text = _text(raw, field)
    if kind is Kind.PICK:
        return _code(text, field.codes)
    if kind is Kind.PICK_OR_TEXT:
        return _codes(field.codes).get(_key(text), text)
    if kind is Kind.MULTI:
        return _multi(text, field, excel=excel)
    if kind is Kind.COUNTRIES:
        return _countries(text, excel=excel)
    return text


def _text(raw: Any, field: Field) -> str:
    if isinstance(raw, bool | date | datetime):
        raise BadValueError(_("expected text, found %(value)s"), value=raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a phone number Excel took for a number
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    multiline = field.kind in (Kind.LONG_TEXT, Kind.MULTI)
    if (_CONTROLS_IN_LONG_TEXT if multiline else _CONTROLS).search(text):
        raise BadValueError(
            _("line breaks or invisible control characters are not allowed here")
            if not multiline
            else _("invisible control characters are not allowed")
        )
    if len(text) > field.max_length:
        raise BadValueError(
            _("%(length)s characters; at most %(limit)s"),
            length=len(text),
            limit=field.max_length,
        )
    return text


def _date(raw: Any, today: date) -> date:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise BadValueError(
                _("a date and a time (%(value)s); give the date alone"), value=raw
            )
        found = raw.date()
    elif isinstance(raw, date):
        found = raw
    elif isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            found = date.fromisoformat(raw.strip())
        except ValueError:
            raise BadValueError(_("no such date: %(value)s"), value=raw) from None
    else:
        raise BadValueError(
            _("not a date: %(value)s (use a date cell or the form YYYY-MM-DD)"),
            value=raw,
        )
    if found > today:
        raise BadValueError(_("the date %(value)s is in the future"), value=found)
    if found < EARLIEST:
        raise BadValueError(_("the date %(value)s is before 1900"), value=found)
    return found


def _checkbox(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().casefold()
    if word in {"true", "yes", "1"}:
        return True
    if word in {"false", "no", "0"}:
        return False
    raise BadValueError(_("not TRUE or FALSE: %(value)s"), value=raw)


def _key(text: str) -> str:
    """A label as people type it: no-break spaces, runs of spaces and case ignored."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


@cache
def _codes(options: Codes) -> dict[str, str]:
    """Every spelling accepted for a code -> its name: the name, as the standard writes
    it, and the label, loosely (`_key`)."""
    found = {_key(label): name for name, label in options}
    found.update({name: name for name, _label in options})
    return found


def _code(text: str, options: Codes) -> str:
    accepted = _codes(options)
    name = accepted.get(text.replace("\u00a0", " ").strip()) or accepted.get(_key(text))
    if name is None:
        raise BadValueError(_("unknown code %(value)s"), value=text)
    return name


def _multi(text: str, field: Field, *, excel: bool) -> tuple[str, ...]:
    if excel:
        # A whole cell that is one label holding a `;` (ISIC titles) is one value.
        whole = _codes(field.codes).get(_key(text))
        if whole is not None:
            return (whole,)
        tokens = _EXCEL_SEPARATORS.split(text)
    else:
        tokens = text.split()
    names = [_code(t, field.codes) for t in tokens if t.strip()]
    return tuple(dict.fromkeys(names))


@cache
def _alpha2() -> dict[str, str]:
    found = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    found.update({c.alpha_2: c.alpha_2 for c in pycountry.countries})
    return found


def country(code: str) -> str | None:
    """The alpha-2 code of an ISO 3166-1 alpha-2 or alpha-3 code, or None."""
    return _alpha2().get(code.strip().upper())


def alpha3(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return str(found.alpha_3) if found else ""


def _countries(text: str, *, excel: bool) -> tuple[str, ...]:
    tokens = [t for t in _COUNTRY_SEPARATORS.split(text) if t]
    if not excel and len(tokens) > 1:
        raise BadValueError(
            _("one country only in this form (select_one): %(value)s"), value=text
        )
    found = []
    for token in tokens:
        code = country(token)
        if code is None:
            raise BadValueError(
                _("not an ISO 3166-1 country code: %(value)s"), value=token
            )
        found.append(code)
    return tuple(dict.fromkeys(found))
