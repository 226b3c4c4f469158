"""A typical complaint of each type, with the fields that type is about, for the
round trips through the pages (test_views) and the API (test_api); and the form data
and the JSON body that carry it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from amparo.accounts.models import User
from amparo.labour import actions
from amparo.labour.codes import ComplaintType
from amparo.labour.models import Complaint, Employer

# The tests run on this day (time_machine), so that "the future" is fixed.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RECEIVED = date(2026, 2, 20)

COMMON: dict[str, Any] = {
    "received_on": RECEIVED,
    "country_of_employment": "MEX",
    "description": "She worked on the farm from October.",
}

# Beyond COMMON; "employer" and "recruiter" name the fixtures to use.
TYPICAL: dict[str, dict[str, Any]] = {
    ComplaintType.UNPAID_WAGES: {
        "employer": True,
        "amount_owed": Decimal("12400.00"),
        "currency": "MXN",
        "period_start": date(2025, 10, 1),
        "period_end": date(2025, 12, 31),
        "amount_recovered": Decimal("3000.00"),
        "recovered_on": date(2026, 2, 27),
        "monthly_income": Decimal("8000.00"),
        "income_currency": "MXN",
    },
    ComplaintType.UNLAWFUL_DEDUCTIONS: {
        "employer": True,
        "amount_owed": Decimal("450.50"),
        "currency": "USD",
        "period_start": date(2025, 11, 1),
        "period_end": date(2026, 1, 31),
    },
    ComplaintType.RECRUITMENT_FEES: {
        "recruiter": True,
        "monthly_income": Decimal("400.00"),
        "income_currency": "USD",
        "costs": [
            {
                "category": "recruitment_fee",
                "amount": Decimal("1500.00"),
                "currency": "USD",
                "paid_on": date(2025, 6, 1),
                "paid_to": "Agencia Global",
            },
            {
                "category": "medical",
                "amount": Decimal("80.00"),
                "currency": "GTQ",
                "paid_on": None,
                "paid_to": "",
            },
        ],
    },
    ComplaintType.DOCUMENT_RETENTION: {
        "employer": True,
        "documents_held_by": "employer",
        "receipt_given": False,
    },
    ComplaintType.CONTRACT_SUBSTITUTION: {"employer": True, "recruiter": True},
    ComplaintType.EXCESSIVE_HOURS: {"employer": True},
    ComplaintType.UNSAFE_WORK: {"employer": True, "injury_fatal": False},
    ComplaintType.FREEDOM_OF_ASSOCIATION: {"employer": True},
    ComplaintType.SEXUAL_HARASSMENT: {
        "employer": True,
        # Written in the worker's own language and script.
        "description": "قال لها صاحب العمل إنها ستفقد عملها إن اشتكت.",
    },
    ComplaintType.THREAT_OF_DENUNCIATION: {"employer": True},
    ComplaintType.RETALIATORY_DISMISSAL: {"employer": True},
    ComplaintType.EMERGENCY_CARE_DENIED: {"employer": True, "injury_fatal": False},
    ComplaintType.RESTRICTED_MOVEMENT: {"employer": True},
    ComplaintType.ABUSIVE_HOUSING: {"employer": True},
    ComplaintType.OTHER: {"country_of_employment": "", "description": "Other."},
}

# The fields a complaint holds directly (not its parties, not its costs).
PLAIN_FIELDS = (
    "received_on",
    "country_of_employment",
    "description",
    "amount_owed",
    "currency",
    "period_start",
    "period_end",
    "amount_recovered",
    "recovered_on",
    "monthly_income",
    "income_currency",
    "documents_held_by",
    "receipt_given",
    "injury_fatal",
)
DEFAULTS: dict[str, Any] = {
    "amount_owed": None,
    "currency": "",
    "period_start": None,
    "period_end": None,
    "amount_recovered": None,
    "recovered_on": None,
    "monthly_income": None,
    "income_currency": "",
    "documents_held_by": "",
    "receipt_given": None,
    "injury_fatal": None,
}


def make_employer(user: User, **changes: str) -> Employer:
    fields = {
        "kind": "employer",
        "name": "Finca El Sol",
        "country": "MEX",
        "sector": "A",
    } | changes
    return actions.record_employer(acting_user=user, **fields)


def make_recruiter(user: User) -> Employer:
    return make_employer(
        user, kind="agency", name="Agencia Global", country="GTM", sector="N"
    )


def expected(type_: str) -> dict[str, Any]:
    """The complaint of `type_` as it should be stored: every plain field, and the
    costs as (category, amount, currency, paid_on, paid_to)."""
    typical = TYPICAL[type_]
    values = DEFAULTS | COMMON | {k: v for k, v in typical.items() if k in DEFAULTS}
    for name in ("country_of_employment", "description"):
        values[name] = typical.get(name, COMMON[name])
    values["costs"] = typical.get("costs", [])
    return values


def stored(complaint: Complaint) -> dict[str, Any]:
    """`complaint` read back in the shape of `expected`."""
    values = {name: getattr(complaint, name) for name in PLAIN_FIELDS}
    values["costs"] = [
        {
            "category": c.category,
            "amount": c.amount,
            "currency": c.currency,
            "paid_on": c.paid_on,
            "paid_to": c.paid_to,
        }
        for c in complaint.costs.order_by("-amount")
    ]
    return values


def form_data(
    type_: str,
    employer: Employer | None,
    recruiter: Employer | None,
    **changes: Any,
) -> dict[str, str]:
    """The "record a complaint" form filled in with the typical complaint of `type_`
    (and `changes`: a field's value, or `costs`)."""
    values = expected(type_) | changes
    typical = TYPICAL[type_]
    data = {
        "type": type_,
        "employer": str(employer.pk) if employer and typical.get("employer") else "",
        "recruiter": str(recruiter.pk)
        if recruiter and typical.get("recruiter")
        else "",
    }
    for name in (*PLAIN_FIELDS, "recovery_note"):
        data[name] = _form_value(values.get(name))
    costs = values["costs"]
    data |= {
        "costs-TOTAL_FORMS": str(max(3, len(costs))),
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "30",
    }
    for index, cost in enumerate(costs):
        for name, value in cost.items():
            data[f"costs-{index}-{name}"] = _form_value(value)
    return data


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if not isinstance(value, date) else value.isoformat()


def api_body(
    type_: str,
    employer: Employer | None,
    recruiter: Employer | None,
    **changes: Any,
) -> dict[str, Any]:
    """The JSON body of the typical complaint of `type_` (with `changes`)."""
    values = expected(type_) | changes
    typical = TYPICAL[type_]
    body: dict[str, Any] = {
        "type": type_,
        "employer": str(employer.pk) if employer and typical.get("employer") else None,
        "recruiter": str(recruiter.pk)
        if recruiter and typical.get("recruiter")
        else None,
    }
    for name in (*PLAIN_FIELDS, "recovery_note"):
        if name in values:
            body[name] = _json_value(values[name])
    body["costs"] = [
        {name: _json_value(value) for name, value in cost.items()}
        for cost in values["costs"]
    ]
    return body


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
