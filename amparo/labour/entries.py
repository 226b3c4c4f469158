"""What a complaint entry holds, and when it is refused: every check names its field
(`costs.1.currency` for a cost), and all of them run before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.core.countries import is_country
from amparo.labour.codes import MONEY_TYPES, ComplaintType, CostCategory
from amparo.labour.models import Complaint, Employer
from amparo.labour.money import amount_error, currency_error


class Errors(dict[str, list[str]]):
    def add(self, name: str, message: str | None) -> None:
        if message:
            self.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


@dataclass
class CostEntry:
    category: str
    amount: Decimal
    currency: str
    paid_on: date | None = None
    paid_to: str = ""


@dataclass
class ComplaintEntry:
    type: str
    received_on: date
    employer: Employer | None = None
    recruiter: Employer | None = None
    country_of_employment: str = ""
    description: str = ""
    amount_owed: Decimal | None = None
    currency: str = ""
    period_start: date | None = None
    period_end: date | None = None
    amount_recovered: Decimal | None = None
    recovered_on: date | None = None
    recovery_note: str = ""
    monthly_income: Decimal | None = None
    income_currency: str = ""
    documents_held_by: str = ""
    receipt_given: bool | None = None
    injury_fatal: bool | None = None
    costs: list[CostEntry] = field(default_factory=list)


def check_complaint(entry: ComplaintEntry, case: Case, *, today: date) -> None:
    errors = Errors()
    _check_dates(errors, entry, today)
    _check_parties(errors, entry, case)
    _check_money(errors, entry)
    _check_costs(errors, entry, today)
    errors.raise_if_any()


def check_recovery(
    errors: Errors, owed: Decimal | None, recovered: Decimal | None, note: str
) -> None:
    if recovered is None:
        return
    if owed is None:
        errors.add("amount_recovered", _("Give the amount owed first."))
    elif recovered > owed and not note.strip():
        errors.add(
            "recovery_note",
            _("More was recovered than was owed: say why (interest, damages…)."),
        )


def _check_dates(errors: Errors, entry: ComplaintEntry, today: date) -> None:
    if entry.type not in ComplaintType.values:
        errors.add("type", _("Choose a type from the list."))
    for name in ("received_on", "period_start", "period_end", "recovered_on"):
        value = getattr(entry, name)
        if value is not None and value > today:
            errors.add(name, _("The date is in the future."))
    start, end = entry.period_start, entry.period_end
    if start and end and end < start:
        errors.add("period_end", _("The end comes before the start."))


def _check_parties(errors: Errors, entry: ComplaintEntry, case: Case) -> None:
    recruiters = set(Employer.Kind.values) - {Employer.Kind.EMPLOYER}
    for name, party, kinds in (
        ("employer", entry.employer, {Employer.Kind.EMPLOYER}),
        ("recruiter", entry.recruiter, recruiters),
    ):
        if party is not None and (
            party.agency_id != case.agency_id or party.kind not in kinds
        ):
            errors.add(name, _("Choose from your agency's list."))
    if entry.country_of_employment and not is_country(entry.country_of_employment):
        errors.add("country_of_employment", _("Choose a country from the list."))
    holder = entry.documents_held_by
    if holder and holder not in Complaint.Holder.values:
        errors.add("documents_held_by", _("Choose from the list."))


def _check_money(errors: Errors, entry: ComplaintEntry) -> None:
    for name in ("amount_owed", "amount_recovered", "monthly_income"):
        errors.add(name, amount_error(getattr(entry, name)))
    for name, amount in (
        ("currency", entry.amount_owed),
        ("income_currency", entry.monthly_income),
    ):
        code = getattr(entry, name)
        if amount is not None and not code:
            errors.add(name, _("Give the currency of the amount."))
        elif code:
            errors.add(name, currency_error(code))
    if entry.type in MONEY_TYPES and entry.amount_owed is None:
        errors.add("amount_owed", _("Give the amount owed."))
    check_recovery(
        errors, entry.amount_owed, entry.amount_recovered, entry.recovery_note
    )


def _check_costs(errors: Errors, entry: ComplaintEntry, today: date) -> None:
    if entry.type == ComplaintType.RECRUITMENT_FEES and not entry.costs:
        errors.add("costs", _("List at least one cost the worker paid."))
    for index, cost in enumerate(entry.costs):
        prefix = f"costs.{index}."
        if cost.category not in CostCategory.values:
            errors.add(prefix + "category", _("Choose a category from the list."))
        errors.add(prefix + "amount", amount_error(cost.amount))
        errors.add(prefix + "currency", currency_error(cost.currency))
        if cost.paid_on and cost.paid_on > today:
            errors.add(prefix + "paid_on", _("The date is in the future."))
