"""Employers and complaints are made through their actions, so that the checks, the
case's `labour_finding` fact, its obligations and the audit trail are exactly what a
real recording writes. Each complaint type gets the fields a case worker would fill
for it (`typical`); any of them can be changed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.labour.actions import record_complaint, record_employer
from amparo.labour.codes import ComplaintType
from amparo.labour.entries import ComplaintEntry, CostEntry
from amparo.labour.models import Complaint, Employer

# Words that must never leave the complaint: the audit trail must not hold them.
DESCRIPTION = "The foreman Ramiro kept her pay slips and shouted at the crew."


def make_employer(
    user: User,
    *,
    kind: str = "employer",
    name: str = "Agrícola del Soconusco SA de CV",
    country: str = "MEX",
    sector: str = "A",
    licence: str = "",
) -> Employer:
    return record_employer(
        acting_user=user,
        kind=kind,
        name=name,
        country=country,
        sector=sector,
        licence=licence,
    )


def make_recruiter(user: User, **changes: Any) -> Employer:
    """A licensed recruitment agency in Guatemala."""
    values: dict[str, Any] = {
        "kind": "agency",
        "name": "Reclutadora Los Altos",
        "country": "GTM",
        "sector": "N",
        "licence": "MINTRAB-2024-118",
    }
    return make_employer(user, **(values | changes))


def typical(type: str, today: date | None = None) -> dict[str, Any]:
    """What a case worker fills in for a complaint of `type`, received `today`."""
    today = today or timezone.localdate()
    period = {
        "period_start": today - timedelta(days=120),
        "period_end": today - timedelta(days=30),
    }
    by_type: dict[str, dict[str, Any]] = {
        ComplaintType.UNPAID_WAGES: {
            "amount_owed": Decimal("18500.00"),
            "currency": "MXN",
            **period,
            "monthly_income": Decimal("6200.00"),
            "income_currency": "MXN",
        },
        ComplaintType.UNLAWFUL_DEDUCTIONS: {
            "amount_owed": Decimal("2400.50"),
            "currency": "MXN",
            **period,
        },
        ComplaintType.RECRUITMENT_FEES: {
            "costs": [
                CostEntry(
                    "recruitment_fee",
                    Decimal("1500.00"),
                    "USD",
                    paid_on=today - timedelta(days=200),
                    paid_to="Reclutadora Los Altos",
                ),
                CostEntry("administrative", Decimal("350.00"), "USD"),
                CostEntry("travel_lodging", Decimal("2100.00"), "MXN"),
            ],
            "monthly_income": Decimal("900.00"),
            "income_currency": "USD",
        },
        ComplaintType.DOCUMENT_RETENTION: {
            "documents_held_by": Complaint.Holder.EMPLOYER,
            "receipt_given": False,
        },
        ComplaintType.UNSAFE_WORK: {"injury_fatal": False},
    }
    return {
        "type": type,
        "received_on": today,
        "country_of_employment": "MEX",
        "description": DESCRIPTION,
        **by_type.get(type, {}),
    }


def complaint_entry(type: str = "unpaid_wages", **changes: Any) -> ComplaintEntry:
    return ComplaintEntry(**(typical(type) | changes))


def make_complaint(
    case: Case, user: User, type: str = "unpaid_wages", **changes: Any
) -> Complaint:
    return record_complaint(case, complaint_entry(type, **changes), acting_user=user)
