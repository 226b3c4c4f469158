"""Amounts and currencies as a labour claim states them: never negative, in an ISO
4217 currency, with at most two decimals. Pure."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pycountry
from django.utils.translation import gettext as _

LIMIT = Decimal("999999999999.99")


def currency_error(code: str) -> str | None:
    if pycountry.currencies.get(alpha_3=code) is None or code != code.upper():
        return _("Not an ISO 4217 currency code (USD, EUR, MXN…).")
    return None


def amount_error(value: Decimal | None) -> str | None:
    if value is None:
        return None
    try:
        if value < 0:
            return _("An amount cannot be negative.")
        if value > LIMIT or value != value.quantize(Decimal("0.01")):
            return _("At most 12 digits and 2 decimals.")
    except InvalidOperation:
        return _("Not an amount.")
    return None
