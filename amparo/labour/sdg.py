"""SDG indicator 10.7.1: recruitment cost borne by the employee as a proportion of
monthly income earned in the country of destination (custodians ILO and World Bank/
KNOMAD; domain-standards §6.2). Pure: computed from plain values.

For each worker where both are recorded, in the same currency: the sum of what they
paid to be recruited, divided by their monthly income at destination. The indicator
is the mean of those ratios (the custodians' survey publishes the average cost in
months of earnings); workers without both, or with costs in another currency than the
income and no exchange table, are left out and counted as such."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Worker:
    income: Decimal | None
    income_currency: str
    costs: tuple[tuple[Decimal, str], ...]


@dataclass(frozen=True)
class Result:
    value: Decimal | None  # mean months of income; None without any worker counted
    counted: int
    left_out: int


def ratio(worker: Worker, rates: Mapping[str, Decimal] | None = None) -> Decimal | None:
    """Months of income the worker paid; None where it cannot be computed. `rates`
    gives each currency's value in a common unit (e.g. USD per unit)."""
    if not worker.income or not worker.costs:
        return None
    total = Decimal(0)
    for amount, currency in worker.costs:
        if currency == worker.income_currency:
            total += amount
        elif rates and currency in rates and worker.income_currency in rates:
            total += amount * rates[currency] / rates[worker.income_currency]
        else:
            return None
    return total / worker.income


def sdg_10_7_1(
    workers: Iterable[Worker], rates: Mapping[str, Decimal] | None = None
) -> Result:
    ratios, left_out = [], 0
    for worker in workers:
        value = ratio(worker, rates)
        if value is None:
            left_out += 1
        else:
            ratios.append(value)
    mean = sum(ratios, Decimal(0)) / len(ratios) if ratios else None
    return Result(value=mean, counted=len(ratios), left_out=left_out)
