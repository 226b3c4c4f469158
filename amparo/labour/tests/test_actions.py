"""Labour rights through their actions: employers and recruiters (kinds, country and
ISIC section, no duplicates, recorded by case workers and supervisors only);
complaints (every bad input the issue names is refused with its field named and
nothing saved; every type is recorded with its typical fields); the status lifecycle;
an audit trail of codes, never amounts or stories; who may record at all."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import close_case
from amparo.cases.tests.factories import make_case
from amparo.labour import actions, queries
from amparo.labour.codes import FORCED_LABOUR_INDICATORS, ComplaintType
from amparo.labour.entries import CostEntry
from amparo.labour.models import Checklist, Complaint, Employer, RecruitmentCost
from amparo.labour.tests.factories import (
    DESCRIPTION,
    complaint_entry,
    make_complaint,
    make_employer,
    make_recruiter,
    typical,
)
from amparo.safeguards.models import CaseFact, Obligation

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
TOMORROW = TODAY + timedelta(days=1)
# Everyone who may not record labour rights: another agency's case worker, the roles
# that see no case content, and an enforcement agency's supervisor (the firewall).
NOT_ON_CASES = [
    "outsider",
    "statistician",
    "dpo",
    "legal_officer",
    "agency_admin",
    "sysadmin",
    "enforcer",
]
YES = dict.fromkeys(
    (
        "written_contract",
        "keeps_documents",
        "weekly_rest",
        "paid_monthly",
        "no_fees_deducted",
    ),
    True,
)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return make_case(caseworker, types=("labour",))


@pytest.fixture
def employer(caseworker):
    return make_employer(caseworker)


@pytest.fixture
def recruiter(caseworker):
    return make_recruiter(caseworker)


@pytest.fixture
def b_supervisor(other_agency):
    return UserFactory(username="bruno", agency=other_agency, role=User.Role.SUPERVISOR)


def counts() -> dict[str, int]:
    return {
        "complaints": Complaint.objects.count(),
        "costs": RecruitmentCost.objects.count(),
        "facts": CaseFact.objects.count(),
        "obligations": Obligation.objects.count(),
        "audit": AuditEvent.objects.count(),
        "employers": Employer.objects.count(),
        "checklists": Checklist.objects.count(),
    }


def refused(case, user, fields, type="unpaid_wages", **changes):
    """Recording is refused on exactly `fields` and nothing is saved; the messages."""
    before = counts()
    with pytest.raises(ValidationError) as caught:
        actions.record_complaint(
            case, complaint_entry(type, **changes), acting_user=user
        )
    assert counts() == before
    assert set(caught.value.message_dict) == set(fields), caught.value.message_dict
    return caught.value.message_dict


# --- Employers and recruiters ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["employer", "agency", "broker", "sub_agent"])
def test_each_kind_of_employer_or_recruiter_is_recorded(caseworker, kind):
    employer = make_employer(
        caseworker,
        kind=kind,
        name="  Servicios Agrícolas del Sur  ",
        country="GTM",
        sector="T",
        licence="L-77",
    )
    employer.refresh_from_db()
    assert (employer.kind, employer.name, employer.country, employer.sector) == (
        kind,
        "Servicios Agrícolas del Sur",
        "GTM",
        "T",
    )
    assert employer.licence == "L-77"
    assert employer.agency_id == caseworker.agency_id
    assert employer.recorded_by == caseworker
    event = AuditEvent.objects.get(action="labour.employer.recorded")
    assert event.data == {"kind": kind}
    assert event.subject_id == str(employer.pk)


def test_sector_and_licence_may_be_left_empty(supervisor):
    employer = make_employer(supervisor, sector="", licence="")
    employer.refresh_from_db()
    assert (employer.sector, employer.licence) == ("", "")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"kind": "landlord"}, {"kind"}),
        ({"kind": ""}, {"kind"}),
        ({"country": "MX"}, {"country"}),  # ISO 3166-1 alpha-3 only
        ({"country": "mex"}, {"country"}),
        ({"country": ""}, {"country"}),
        ({"sector": "Z"}, {"sector"}),
        ({"sector": "a"}, {"sector"}),
        ({"name": "   "}, {"name"}),
        ({"name": "x" * 201}, {"name"}),
        ({"name": "Agrícola\x00SA"}, {"name"}),
        ({"licence": "L" * 101}, {"licence"}),
        (
            {"kind": "boss", "country": "XX", "sector": "9"},
            {"kind", "country", "sector"},
        ),
    ],
)
def test_a_bad_employer_is_refused_on_its_field(caseworker, changes, fields):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        make_employer(caseworker, **changes)
    assert set(caught.value.message_dict) == fields
    assert counts() == before


def test_a_duplicate_is_refused_in_the_same_agency_only(caseworker, b_supervisor):
    make_employer(caseworker)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        make_employer(caseworker, name="  Agrícola del Soconusco SA de CV ")
    assert set(caught.value.message_dict) == {"name"}
    assert counts() == before
    # The same name as another kind, or in another country, is another record.
    make_employer(caseworker, kind="broker")
    make_employer(caseworker, country="GTM")
    # Another agency keeps its own list.
    make_employer(b_supervisor)
    assert Employer.objects.filter(name="Agrícola del Soconusco SA de CV").count() == 4


@pytest.mark.parametrize("persona", ["caseworker", "supervisor"])
def test_case_workers_and_supervisors_record_employers(request, persona):
    user = request.getfixturevalue(persona)
    assert make_employer(user).recorded_by == user


@pytest.mark.parametrize("persona", [p for p in NOT_ON_CASES if p != "outsider"])
def test_no_other_role_records_an_employer(request, persona):
    with pytest.raises(PermissionError):
        make_employer(request.getfixturevalue(persona))
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="labour.").exists()


def test_employers_are_the_agencys_own_list(caseworker, supervisor, b_supervisor):
    ours = make_employer(caseworker)
    theirs = make_employer(b_supervisor)
    assert list(queries.employers_of(supervisor)) == [ours]
    assert list(queries.employers_of(b_supervisor)) == [theirs]


# --- Complaints: what is refused -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        # A negative amount.
        ({"amount_owed": Decimal("-1")}, "amount_owed"),
        ({"amount_owed": Decimal("-0.01")}, "amount_owed"),
        ({"amount_recovered": Decimal("-5")}, "amount_recovered"),
        ({"monthly_income": Decimal("-6200")}, "monthly_income"),
        # Not an amount of money: cents of cents, or more than 12 digits.
        ({"amount_owed": Decimal("10.005")}, "amount_owed"),
        ({"amount_owed": Decimal("1000000000000.00")}, "amount_owed"),
        ({"amount_owed": Decimal("NaN")}, "amount_owed"),
        # A currency that is not ISO 4217.
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "usd"}, "currency"),
        ({"currency": "Usd"}, "currency"),
        ({"currency": "US$"}, "currency"),
        ({"currency": "US"}, "currency"),
        ({"currency": "MEX"}, "currency"),  # a country, not a currency
        ({"currency": ""}, "currency"),  # an amount without its currency
        ({"income_currency": "EURO"}, "income_currency"),
        ({"income_currency": ""}, "income_currency"),
        # More recovered than owed, without saying why.
        ({"amount_recovered": Decimal("18500.01")}, "recovery_note"),
        (
            {"amount_recovered": Decimal("20000"), "recovery_note": "  \n "},
            "recovery_note",
        ),
        # A date in the future.
        ({"received_on": TOMORROW}, "received_on"),
        ({"period_end": TOMORROW}, "period_end"),
        ({"recovered_on": TOMORROW}, "recovered_on"),
        # A period that ends before it starts.
        (
            {"period_start": date(2026, 2, 1), "period_end": date(2026, 1, 31)},
            "period_end",
        ),
        # A wage claim without the amount owed.
        ({"amount_owed": None}, "amount_owed"),
        # Codes from outside the lists.
        ({"type": "wage_theft"}, "type"),
        ({"country_of_employment": "MX"}, "country_of_employment"),
        ({"documents_held_by": "police"}, "documents_held_by"),
        # Text that is too long or holds control characters.
        ({"description": "x" * 20_001}, "description"),
        ({"description": "Kept her passport\x07"}, "description"),
    ],
)
def test_a_bad_complaint_is_refused_on_its_field_and_nothing_is_saved(
    case, caseworker, changes, field
):
    refused(case, caseworker, {field}, **changes)


def test_a_recovery_without_an_amount_owed_is_refused(case, caseworker):
    refused(
        case,
        caseworker,
        {"amount_recovered"},
        type="document_retention",
        amount_recovered=Decimal("100"),
    )


def test_more_recovered_than_owed_is_accepted_with_the_reason(case, caseworker):
    complaint = make_complaint(
        case,
        caseworker,
        amount_recovered=Decimal("20350.00"),
        recovered_on=TODAY,
        recovery_note="The tribunal added 10 % interest for late payment.",
    )
    complaint.refresh_from_db()
    assert complaint.amount_recovered == Decimal("20350.00")
    assert complaint.recovery_note == (
        "The tribunal added 10 % interest for late payment."
    )


def test_recovering_exactly_what_was_owed_needs_no_reason(case, caseworker):
    complaint = make_complaint(case, caseworker, amount_recovered=Decimal("18500.00"))
    assert complaint.amount_recovered == Decimal("18500.00")


def test_today_and_a_one_day_period_are_accepted(case, caseworker):
    complaint = make_complaint(
        case,
        caseworker,
        received_on=TODAY,
        period_start=TODAY,
        period_end=TODAY,
        amount_owed=Decimal("0"),
    )
    complaint.refresh_from_db()
    assert (complaint.received_on, complaint.period_start, complaint.period_end) == (
        TODAY,
        TODAY,
        TODAY,
    )


@pytest.mark.parametrize(
    ("costs", "fields"),
    [
        ([], {"costs"}),
        (
            [
                CostEntry("recruitment_fee", Decimal("1500"), "USD"),
                CostEntry("medical", Decimal("-1"), "USD"),
            ],
            {"costs.1.amount"},
        ),
        (
            [
                CostEntry("recruitment_fee", Decimal("1500"), "USD"),
                CostEntry("medical", Decimal("80"), "usd"),
            ],
            {"costs.1.currency"},
        ),
        ([CostEntry("visa", Decimal("80"), "USD")], {"costs.0.category"}),
        ([CostEntry("medical", Decimal("80"), "XYZ")], {"costs.0.currency"}),
        ([CostEntry("medical", Decimal("80.001"), "USD")], {"costs.0.amount"}),
        (
            [CostEntry("medical", Decimal("80"), "USD", paid_on=TOMORROW)],
            {"costs.0.paid_on"},
        ),
        (
            [
                CostEntry("training", Decimal("-3"), "GTQ"),
                CostEntry("medical", Decimal("80"), "USD"),
                CostEntry("insurance", Decimal("25"), "dollars"),
            ],
            {"costs.0.amount", "costs.2.currency"},
        ),
    ],
)
def test_a_bad_cost_is_refused_on_its_number_and_field(case, caseworker, costs, fields):
    refused(case, caseworker, fields, type="recruitment_fees", costs=costs)


def test_a_payee_too_long_saves_nothing(case, caseworker):
    refused(
        case,
        caseworker,
        {"paid_to"},
        type="recruitment_fees",
        costs=[CostEntry("medical", Decimal("80"), "USD", paid_to="x" * 201)],
    )


def test_every_error_is_named_at_once(case, caseworker):
    errors = refused(
        case,
        caseworker,
        {
            "amount_owed",
            "currency",
            "received_on",
            "period_end",
            "costs.0.currency",
            "costs.0.amount",
        },
        amount_owed=Decimal("-1"),
        currency="XYZ",
        received_on=TOMORROW,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 1, 1),
        costs=[CostEntry("medical", Decimal("-2"), "xyz")],
    )
    assert errors["amount_owed"] == ["An amount cannot be negative."]
    assert errors["currency"] == ["Not an ISO 4217 currency code (USD, EUR, MXN…)."]
    assert errors["received_on"] == ["The date is in the future."]


def test_an_employer_of_another_agency_is_refused(case, caseworker, b_supervisor):
    theirs = make_employer(b_supervisor)
    refused(case, caseworker, {"employer"}, employer=theirs)
    their_recruiter = make_recruiter(b_supervisor)
    refused(case, caseworker, {"recruiter"}, recruiter=their_recruiter)


def test_a_recruiter_is_not_an_employer_nor_an_employer_a_recruiter(
    case, caseworker, employer, recruiter
):
    refused(case, caseworker, {"employer"}, employer=recruiter)
    refused(case, caseworker, {"recruiter"}, recruiter=employer)
    broker = make_employer(caseworker, kind="broker", name="Don Chepe")
    refused(case, caseworker, {"employer"}, employer=broker)
    # In their places, both are accepted; a broker recruits too.
    make_complaint(case, caseworker, employer=employer, recruiter=broker)


def test_a_closed_case_takes_no_complaint(case, caseworker):
    close_case(case, acting_user=caseworker, reason="goals_met")
    refused(case, caseworker, {"status"})


# --- Complaints: every type ------------------------------------------------------------


@pytest.mark.parametrize("type", ComplaintType.values)
def test_every_type_is_recorded_with_its_typical_fields(
    case, caseworker, employer, recruiter, type
):
    fields = typical(type)
    complaint = make_complaint(
        case, caseworker, type, employer=employer, recruiter=recruiter
    )
    complaint = Complaint.objects.get(pk=complaint.pk)
    for name, value in fields.items():
        if name != "costs":
            assert getattr(complaint, name) == value, name
    assert (complaint.employer, complaint.recruiter) == (employer, recruiter)
    assert (complaint.case, complaint.agency_id) == (case, case.agency_id)
    assert (complaint.status, complaint.recorded_by) == ("received", caseworker)
    assert sorted(
        (c.category, c.amount, c.currency, c.paid_on, c.paid_to)
        for c in complaint.costs.all()
    ) == sorted(
        (c.category, c.amount, c.currency, c.paid_on, c.paid_to)
        for c in fields.get("costs", [])
    )
    # The case's fact says which forced-labour indicators the complaint shows.
    fact = CaseFact.objects.get(case=case, kind="labour_finding")
    assert fact.data == {
        "ref": str(complaint.pk),
        "source": "complaint",
        "forced_labour_indicators": list(FORCED_LABOUR_INDICATORS.get(type, ())),
    }
    event = AuditEvent.objects.get(action="labour.complaint.recorded")
    assert event.data == {"type": type, "costs": len(fields.get("costs", []))}
    assert event.agency_id == case.agency_id
    assert list(queries.complaints_of_case(case)) == [complaint]


def test_only_the_amount_owed_is_needed_for_a_wage_claim(case, caseworker):
    complaint = actions.record_complaint(
        case,
        complaint_entry(
            "unpaid_wages",
            description="",
            country_of_employment="",
            period_start=None,
            period_end=None,
            monthly_income=None,
            income_currency="",
        ),
        acting_user=caseworker,
    )
    complaint.refresh_from_db()
    assert (complaint.amount_owed, complaint.currency) == (Decimal("18500.00"), "MXN")
    assert complaint.period_start is None


# --- The status lifecycle --------------------------------------------------------------


@pytest.fixture
def complaint(case, caseworker, employer):
    """A wage claim of 18,500 MXN received ten days ago."""
    return make_complaint(
        case, caseworker, employer=employer, received_on=TODAY - timedelta(days=10)
    )


def move(complaint, user, status, on=TODAY, **changes):
    return actions.change_status(
        complaint, acting_user=user, status=status, on=on, **changes
    )


def refused_move(complaint, user, fields, status, on=TODAY, **changes):
    """The move is refused on exactly `fields`; the complaint and the trail are as
    they were."""
    before = (
        Complaint.objects.filter(pk=complaint.pk).values().get(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ValidationError) as caught:
        move(complaint, user, status, on, **changes)
    assert set(caught.value.message_dict) == set(fields), caught.value.message_dict
    after = (
        Complaint.objects.filter(pk=complaint.pk).values().get(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_a_complaint_goes_from_received_to_closed(complaint, caseworker):
    move(
        complaint,
        caseworker,
        "referred",
        TODAY - timedelta(days=8),
        referred_to="inspectorate",
    )
    move(complaint, caseworker, "mediation", TODAY - timedelta(days=5))
    move(
        complaint,
        caseworker,
        "resolved",
        TODAY - timedelta(days=1),
        outcome="Paid in two instalments after the inspection.",
        amount_recovered=Decimal("12000.00"),
    )
    move(complaint, caseworker, "closed", TODAY)
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert (complaint.referred_to, complaint.referred_on) == (
        "inspectorate",
        TODAY - timedelta(days=8),
    )
    assert complaint.mediation_on == TODAY - timedelta(days=5)
    assert complaint.resolved_on == TODAY - timedelta(days=1)
    assert complaint.outcome == "Paid in two instalments after the inspection."
    assert (complaint.amount_recovered, complaint.recovered_on) == (
        Decimal("12000.00"),
        TODAY - timedelta(days=1),
    )
    assert complaint.closed_on == TODAY
    moves = AuditEvent.objects.filter(action="labour.complaint.status_changed")
    assert sorted(e.data["status"] for e in moves) == [
        "closed",
        "mediation",
        "referred",
        "resolved",
    ]
    assert moves.get(data__status="referred").data == {
        "status": "referred",
        "referred_to": "inspectorate",
    }


@pytest.mark.parametrize(
    "path",
    [
        ["resolved"],
        ["referred", "resolved"],
        ["mediation", "referred", "mediation", "resolved"],
        ["referred", "mediation", "resolved", "closed"],
    ],
)
def test_the_allowed_moves(complaint, caseworker, path):
    for status in path:
        move(
            complaint,
            caseworker,
            status,
            referred_to="court",
            outcome="Settled before the tribunal.",
        )
    complaint.refresh_from_db()
    assert complaint.status == path[-1]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ([], "closed"),  # a complaint is resolved before it is closed
        ([], "received"),
        ([], "withdrawn"),
        (["referred"], "referred"),
        (["referred"], "received"),
        (["mediation"], "mediation"),
        (["resolved"], "referred"),
        (["resolved"], "mediation"),
        (["resolved"], "resolved"),
        (["resolved", "closed"], "referred"),
        (["resolved", "closed"], "resolved"),
        (["resolved", "closed"], "closed"),
    ],
)
def test_the_refused_moves(complaint, caseworker, path, status):
    for step in path:
        move(complaint, caseworker, step, referred_to="union", outcome="Paid.")
    refused_move(
        complaint,
        caseworker,
        {"status"},
        status,
        referred_to="union",
        outcome="Paid.",
    )


@pytest.mark.parametrize(
    "on",
    [
        TODAY - timedelta(days=11),  # before the complaint was received
        TOMORROW,
    ],
)
def test_a_move_is_dated_between_the_complaint_and_today(complaint, caseworker, on):
    refused_move(complaint, caseworker, {"on"}, "mediation", on)


@pytest.mark.parametrize("on", [TODAY - timedelta(days=10), TODAY])
def test_the_day_received_and_today_are_both_allowed(complaint, caseworker, on):
    move(complaint, caseworker, "mediation", on)
    complaint.refresh_from_db()
    assert complaint.mediation_on == on


@pytest.mark.parametrize("referred_to", ["", "police", "immigration"])
def test_a_referral_says_to_whom_from_the_list(complaint, caseworker, referred_to):
    refused_move(
        complaint, caseworker, {"referred_to"}, "referred", referred_to=referred_to
    )


@pytest.mark.parametrize(
    "referred_to", ["inspectorate", "court", "union", "embassy", "other"]
)
def test_every_body_of_the_list_takes_a_referral(complaint, caseworker, referred_to):
    move(complaint, caseworker, "referred", referred_to=referred_to)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.referred_to) == ("referred", referred_to)


@pytest.mark.parametrize("outcome", ["", "   \n"])
def test_a_resolution_needs_its_outcome(complaint, caseworker, outcome):
    refused_move(complaint, caseworker, {"outcome"}, "resolved", outcome=outcome)


def test_a_resolution_may_recover_more_than_owed_only_with_a_reason(
    complaint, caseworker
):
    refused_move(
        complaint,
        caseworker,
        {"recovery_note"},
        "resolved",
        outcome="Judgment.",
        amount_recovered=Decimal("19000"),
    )
    refused_move(
        complaint,
        caseworker,
        {"amount_recovered"},
        "resolved",
        outcome="Judgment.",
        amount_recovered=Decimal("-1"),
    )
    move(
        complaint,
        caseworker,
        "resolved",
        outcome="Judgment.",
        amount_recovered=Decimal("19000"),
        recovery_note="Damages for the late payment.",
    )
    complaint.refresh_from_db()
    assert complaint.amount_recovered == Decimal("19000")
    assert complaint.recovery_note == "Damages for the late payment."


def test_a_complaint_without_money_owed_recovers_nothing(case, caseworker):
    complaint = make_complaint(case, caseworker, "document_retention")
    refused_move(
        complaint,
        caseworker,
        {"amount_recovered"},
        "resolved",
        outcome="Passport returned.",
        amount_recovered=Decimal("10"),
    )
    move(complaint, caseworker, "resolved", outcome="Passport returned.")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.amount_recovered) == ("resolved", None)


def test_a_closed_case_moves_no_complaint(case, complaint, caseworker):
    close_case(case, acting_user=caseworker, reason="goals_met")
    refused_move(complaint, caseworker, {"status"}, "mediation")


# --- The audit trail -------------------------------------------------------------------


def test_the_audit_trail_holds_codes_never_amounts_or_stories(
    case, caseworker, employer, recruiter
):
    complaint = make_complaint(
        case,
        caseworker,
        employer=employer,
        recruiter=recruiter,
        amount_owed=Decimal("18537.25"),
        amount_recovered=Decimal("18999.75"),
        recovery_note="Interest ordered by Judge Morales.",
    )
    make_complaint(case, caseworker, "recruitment_fees")
    move(complaint, caseworker, "referred", referred_to="court")
    move(
        complaint,
        caseworker,
        "resolved",
        outcome="Settled with Don Aurelio in person.",
        amount_recovered=Decimal("19433.10"),
        recovery_note="Costs added by the court of Tapachula.",
    )
    actions.record_checklist(
        case, YES | {"keeps_documents": False}, acting_user=caseworker, on=TODAY
    )
    events = AuditEvent.objects.filter(action__startswith="labour.")
    assert sorted(events.values_list("action", flat=True)) == [
        "labour.checklist.recorded",
        "labour.complaint.recorded",
        "labour.complaint.recorded",
        "labour.complaint.status_changed",
        "labour.complaint.status_changed",
        "labour.employer.recorded",
        "labour.employer.recorded",
    ]
    assert events.get(action="labour.checklist.recorded").data == {
        "findings": ["keeps_documents"]
    }
    trail = str(list(AuditEvent.objects.values_list("data", flat=True)))
    for value in (
        "18537",
        "18999",
        "19433",
        "1500",
        "Ramiro",
        "pay slips",
        "Morales",
        "Aurelio",
        "Tapachula",
        "Soconusco",
        "Los Altos",
        "MINTRAB",
        DESCRIPTION,
    ):
        assert value not in trail, value


# --- Who may record --------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_ON_CASES)
def test_who_cannot_work_on_the_case_records_nothing(request, case, persona):
    user = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionError):
        actions.record_complaint(case, complaint_entry(), acting_user=user)
    with pytest.raises(PermissionError):
        actions.record_checklist(case, YES, acting_user=user, on=TODAY)
    assert counts() == before


@pytest.mark.parametrize("persona", NOT_ON_CASES)
def test_who_cannot_work_on_the_case_moves_no_complaint(request, complaint, persona):
    with pytest.raises(PermissionError):
        move(complaint, request.getfixturevalue(persona), "mediation")
    complaint.refresh_from_db()
    assert complaint.status == "received"


def test_a_supervisor_of_the_team_records_on_the_case(case, supervisor):
    complaint = make_complaint(case, supervisor)
    assert complaint.recorded_by == supervisor


# --- What each user sees ---------------------------------------------------------------


def test_the_list_by_employer_shows_each_complaint_only_to_who_sees_its_case(
    agency, caseworker, supervisor, employer
):
    mine = make_complaint(make_case(caseworker), caseworker, employer=employer)
    colleague = UserFactory(username="celia", agency=agency, role=User.Role.CASEWORKER)
    theirs = make_complaint(make_case(colleague), colleague, employer=employer)
    other = make_complaint(make_case(caseworker), caseworker)
    head = UserFactory(username="hilda", agency=agency, role=User.Role.SUPERVISOR)
    assert list(queries.complaints_list(caseworker, employer=employer)) == [mine]
    assert set(queries.complaints_list(head, employer=employer)) == {mine, theirs}
    assert set(queries.complaints_list(head)) == {mine, theirs, other}
    assert list(queries.complaints_list(head, type="document_retention")) == []
    assert set(queries.complaints_list(supervisor, employer=employer)) == {mine}
