"""SDG indicator 10.7.1 (recruitment cost borne by the worker as a share of monthly
income earned in the country of destination), computed from plain values."""

from decimal import Decimal

import pytest

from amparo.labour.sdg import Result, Worker, ratio, sdg_10_7_1

D = Decimal


def worker(income: str | None, currency: str, *costs: tuple[str, str]) -> Worker:
    return Worker(
        income=None if income is None else D(income),
        income_currency=currency,
        costs=tuple((D(amount), code) for amount, code in costs),
    )


# Counted, each with its ratio in months of income.
ANA = worker("1000", "USD", ("1500", "USD"), ("500", "USD"))  # 2000 / 1000 = 2
BAYU = worker("400", "EUR", ("200", "EUR"))  # 200 / 400 = 0.5
CHEN = worker("6000", "MXN", ("4500", "MXN"), ("4500", "MXN"))  # 9000 / 6000 = 1.5
DIDI = worker("850", "USD", ("0", "USD"))  # paid nothing: 0 / 850 = 0
# Left out: no income, no costs, an income of zero, costs in another currency.
EMRE = worker(None, "", ("300", "USD"))
FATU = worker("700", "USD")
GABO = worker("0", "USD", ("100", "USD"))
HIRA = worker("1000", "USD", ("1000", "MXN"), ("100", "USD"))


def test_a_hand_made_set_with_a_known_answer():
    """Ana paid 1,500 + 500 USD on 1,000 USD a month: 2 months. Bayu 200 EUR on 400
    EUR: 0.5. Chen 4,500 + 4,500 MXN on 6,000 MXN: 1.5. Didi paid nothing (a cost of
    0 recorded): 0. The indicator is their mean, (2 + 0.5 + 1.5 + 0) / 4 = 4 / 4 = 1
    month of income.

    Emre has no income recorded, Fatu no cost, Gabo an income of 0 (no ratio), and
    Hira paid part in pesos on an income in dollars with no exchange table: 4 left
    out, counted as such."""
    result = sdg_10_7_1([ANA, BAYU, CHEN, DIDI, EMRE, FATU, GABO, HIRA])
    assert result == Result(value=D(1), counted=4, left_out=4)


def test_each_workers_ratio():
    assert [ratio(w) for w in (ANA, BAYU, CHEN, DIDI)] == [D(2), D("0.5"), D("1.5"), 0]
    assert [ratio(w) for w in (EMRE, FATU, GABO, HIRA)] == [None] * 4


def test_the_mean_of_ratios_is_not_the_ratio_of_sums():
    """Ana: 2 months; Bayu: 0.5 months. The mean of the two ratios is 1.25; the
    ratio of the sums of the same money (2,200 / 1,400, were it one currency) would be
    1.571…: each worker counts once, whatever their wage."""
    result = sdg_10_7_1([ANA, BAYU])
    assert result.value == D("1.25")


def test_a_third_of_a_month_is_kept_exact_to_the_decimal_context():
    """300 / 900 = 0.333… months."""
    result = sdg_10_7_1([worker("900", "USD", ("300", "USD"))])
    assert result.counted == 1
    assert result.value == D(1) / D(3)


def test_nobody_counted_gives_no_value():
    assert sdg_10_7_1([]) == Result(value=None, counted=0, left_out=0)
    assert sdg_10_7_1([EMRE, FATU]) == Result(value=None, counted=0, left_out=2)


# --- Currencies ------------------------------------------------------------------------

# Each currency's value in USD: one peso is 5 cents, one euro 1.10 dollars.
RATES = {"USD": D("1"), "MXN": D("0.05"), "EUR": D("1.10")}


def test_a_currency_mismatch_without_rates_leaves_the_worker_out():
    assert ratio(HIRA) is None
    assert sdg_10_7_1([HIRA, ANA]) == Result(value=D(2), counted=1, left_out=1)


def test_a_currency_mismatch_with_rates_is_converted():
    """Hira: 1,000 MXN × 0.05 = 50 USD, plus 100 USD, on 1,000 USD: 0.15 months.
    With Ana's 2: (2 + 0.15) / 2 = 1.075."""
    assert ratio(HIRA, RATES) == D("0.15")
    assert sdg_10_7_1([HIRA, ANA], RATES) == Result(
        value=D("1.075"), counted=2, left_out=0
    )


def test_costs_in_dollars_on_an_income_in_pesos():
    """Ivan earns 10,000 MXN and paid 500 USD = 500 / 0.05 = 10,000 MXN: 1 month."""
    ivan = worker("10000", "MXN", ("500", "USD"))
    assert ratio(ivan, RATES) == D(1)


@pytest.mark.parametrize(
    "rates",
    [
        {"USD": D("1"), "EUR": D("1.10")},  # no rate for the cost's currency
        {"MXN": D("0.05"), "EUR": D("1.10")},  # no rate for the income's currency
        {},
    ],
)
def test_a_table_without_one_of_the_currencies_leaves_the_worker_out(rates):
    assert ratio(HIRA, rates) is None
    assert sdg_10_7_1([HIRA], rates) == Result(value=None, counted=0, left_out=1)


def test_rates_do_not_change_a_worker_in_one_currency():
    result = sdg_10_7_1([ANA, BAYU, CHEN, DIDI], RATES)
    assert result == Result(value=D(1), counted=4, left_out=0)
