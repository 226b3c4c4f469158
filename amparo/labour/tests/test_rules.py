"""The bridge from labour rights to protection: `labour.trafficking_screening`.

First the rule alone, as a plain function of facts, a profile and `now` (times are
days after T0, a Monday 09:00 UTC; the international profile counts in UTC). Then
through the database: a complaint or a domestic worker's ILO C189 checklist records
its `labour_finding`, whose forced-labour indicators raise the materialised
obligation with its citation; a `labour_finding` made on its own is refused."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from amparo.audit.models import AuditEvent
from amparo.cases.tests.factories import make_case
from amparo.labour import actions, findings, queries
from amparo.labour.codes import FORCED_LABOUR_INDICATORS, ComplaintType
from amparo.labour.models import Checklist
from amparo.labour.tests.factories import make_complaint
from amparo.safeguards import engine, profiles
from amparo.safeguards.actions import record_fact, refresh_due
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.models import CaseFact, Obligation
from amparo.safeguards.obligations import Severity, Status
from amparo.safeguards.tests.factories import refused

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
INTL = profiles.load("international")
RULE = "labour.trafficking_screening"
OPEN, MET, OVERDUE, NA = Status.OPEN, Status.MET, Status.OVERDUE, Status.NOT_APPLICABLE
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL
CITATION = "A/RES/68/179 para 4(j)"
DOCUMENTS = ("retention_of_identity_documents",)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


# --- The rule alone --------------------------------------------------------------------


def finding(
    days: float, indicators: tuple[str, ...] = DOCUMENTS, ref: str = "C1"
) -> Fact:
    return Fact(
        f"finding-{ref}",
        "labour_finding",
        at(days),
        "worker",
        {
            "ref": ref,
            "source": "complaint",
            "forced_labour_indicators": list(indicators),
        },
    )


def screening(days: float, kind: str = "forced_labour_screened") -> Fact:
    data = (
        {"forced_labour_indicators": list(DOCUMENTS)}
        if kind == "forced_labour_screened"
        else {"indicator_set": "adult_labour", "indicators": []}
    )
    return Fact(f"{kind}-{days}", kind, at(days), "worker", data)


def obligations(facts: list[Fact], now: float, profile=INTL):
    case = CaseFile("case", "person", profile.code, tuple(facts))
    return engine.evaluate(case, profile, at(now), only=[RULE])


def duty(facts: list[Fact], now: float, key: str = "C1", profile=INTL):
    found = [o for o in obligations(facts, now, profile) if o.key == key]
    assert len(found) == 1, found
    return found[0]


def test_a_finding_with_an_indicator_asks_for_a_screening_within_7_days():
    screen = duty([finding(0)], 1)
    assert (screen.status, screen.severity) == (OPEN, WARNING)
    assert screen.rule_id == RULE
    assert screen.due_at == at(7)
    assert screen.triggered_by == ("finding-C1",)
    assert screen.met_by == ()
    assert "retention_of_identity_documents" in screen.due
    assert screen.due.endswith("within 7 calendar days")
    assert CITATION in screen.citations
    assert "ILO Indicators of Forced Labour (2012)" in screen.citations


def test_it_is_overdue_and_critical_after_the_profiles_7_days():
    assert duty([finding(0)], 6.99).status is OPEN
    screen = duty([finding(0)], 7.01)
    assert (screen.status, screen.severity) == (OVERDUE, CRITICAL)


@pytest.mark.parametrize("kind", ["trafficking_screened", "forced_labour_screened"])
def test_a_screening_after_the_finding_meets_it(kind):
    screen = duty([finding(0), screening(2, kind)], 10)
    assert (screen.status, screen.severity) == (MET, INFO)
    assert screen.met_by == (f"{kind}-2",)
    assert screen.met_at == at(2)
    assert not screen.met_late


def test_a_screening_at_the_same_moment_meets_it():
    assert duty([finding(0), screening(0)], 1).status is MET


def test_a_late_screening_meets_it_late():
    screen = duty([finding(0), screening(9)], 10)
    assert screen.status is MET
    assert screen.met_late


@pytest.mark.parametrize("kind", ["trafficking_screened", "forced_labour_screened"])
def test_a_screening_before_the_finding_does_not_meet_it(kind):
    assert duty([screening(-3, kind), finding(0)], 1).status is OPEN
    assert duty([screening(-3, kind), finding(0)], 8).status is OVERDUE


def test_a_screening_not_yet_made_at_now_does_not_meet_it():
    assert duty([finding(0), screening(9)], 8).status is OVERDUE


def test_no_finding_or_a_finding_without_indicators_asks_for_nothing():
    assert obligations([], 10) == []
    assert obligations([screening(1)], 10) == []
    assert obligations([finding(0, indicators=())], 10) == []


def test_a_finding_after_now_is_not_known():
    assert obligations([finding(5)], 4) == []


def test_each_finding_asks_for_its_own_screening():
    facts = [
        finding(0, ref="C1"),
        screening(1),
        finding(2, ("debt_bondage", "withholding_of_wages"), ref="C2"),
    ]
    assert duty(facts, 3, "C1").status is MET
    second = duty(facts, 3, "C2")
    assert (second.status, second.due_at) == (OPEN, at(9))
    assert "debt_bondage, withholding_of_wages" in second.due
    assert len(obligations(facts, 3)) == 2


def test_without_the_figure_the_duty_is_not_applicable():
    profile = replace(
        INTL,
        figures={k: v for k, v in INTL.figures.items() if k != "labour_screening"},
    )
    screen = duty([finding(0)], 1, profile=profile)
    assert screen.status is NA
    assert "labour_screening" in screen.note


@pytest.mark.parametrize("code", profiles.available())
def test_every_shipped_profile_has_the_figure(code):
    profile = profiles.load(code)
    screen = duty([finding(0)], 1, profile=profile)
    assert screen.status is OPEN
    assert screen.due.endswith("within 7 calendar days")


# --- Through the database: complaints --------------------------------------------------


@pytest.fixture
def _now():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(_now, caseworker):
    return make_case(caseworker, types=("labour",))


def screenings(case) -> list[Obligation]:
    return list(Obligation.objects.filter(case=case, rule_id=RULE))


@pytest.mark.django_db
def test_a_document_confiscation_complaint_raises_the_trafficking_screening(
    case, caseworker
):
    complaint = make_complaint(case, caseworker, "document_retention")
    fact = CaseFact.objects.get(case=case, kind="labour_finding")
    assert fact.data["forced_labour_indicators"] == list(DOCUMENTS)
    screen = Obligation.objects.get(case=case, rule_id=RULE)
    assert screen.key == str(complaint.pk)
    assert (screen.status, screen.severity) == ("open", "warning")
    assert screen.due_at == at(7)
    assert CITATION in screen.citations
    assert "ILO Indicators of Forced Labour (2012)" in screen.citations
    assert screen.triggered_by == [str(fact.pk)]
    assert screen.agency_id == case.agency_id
    assert screen.person_id == case.primary_person_id


@pytest.mark.django_db
@pytest.mark.parametrize("type", ComplaintType.values)
def test_a_type_raises_the_screening_exactly_when_it_shows_an_indicator(
    case, caseworker, type
):
    make_complaint(case, caseworker, type)
    expected = 1 if FORCED_LABOUR_INDICATORS.get(type) else 0
    assert len(screenings(case)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "type",
    [
        "freedom_of_association",
        "retaliatory_dismissal",
        "emergency_care_denied",
        "other",
    ],
)
def test_a_type_without_an_indicator_raises_none(case, caseworker, type):
    make_complaint(case, caseworker, type)
    fact = CaseFact.objects.get(case=case, kind="labour_finding")
    assert fact.data["forced_labour_indicators"] == []
    assert screenings(case) == []


@pytest.mark.django_db
def test_the_screening_is_overdue_after_7_days_and_met_by_a_screening(
    _now, case, caseworker
):
    make_complaint(case, caseworker, "document_retention")
    refresh_due(now=at(7.5), processes=1)
    (screen,) = screenings(case)
    assert (screen.status, screen.severity) == ("overdue", "critical")
    _now.move_to(at(8))
    screened = record_fact(
        case,
        acting_user=caseworker,
        kind="forced_labour_screened",
        at=at(8),
        data={"forced_labour_indicators": list(DOCUMENTS)},
    )
    (screen,) = screenings(case)
    assert (screen.status, screen.met_by) == ("met", [str(screened.pk)])


@pytest.mark.django_db
def test_a_screening_recorded_before_the_complaint_does_not_meet_it(
    _now, case, caseworker
):
    record_fact(
        case,
        acting_user=caseworker,
        kind="forced_labour_screened",
        at=at(0),
        data={"forced_labour_indicators": []},
    )
    _now.move_to(at(1))
    make_complaint(case, caseworker, "restricted_movement")
    (screen,) = screenings(case)
    assert screen.status == "open"
    assert "restriction_of_movement, isolation" in screen.due


# --- Through the database: a labour finding made on its own ----------------------------


def finding_data(ref: str, source: str = "complaint") -> dict[str, object]:
    return {"ref": ref, "source": source, "forced_labour_indicators": list(DOCUMENTS)}


@pytest.mark.django_db
def test_a_finding_without_its_complaint_is_refused(case, caseworker):
    refused(
        case,
        caseworker,
        "labour_finding",
        at(0),
        "kind",
        **finding_data(str(uuid.uuid4())),
    )
    refused(case, caseworker, "labour_finding", at(0), "kind", **finding_data("C-17"))
    assert screenings(case) == []


@pytest.mark.django_db
def test_a_finding_of_another_cases_complaint_or_a_second_one_is_refused(
    case, caseworker
):
    other = make_complaint(make_case(caseworker), caseworker, "other")
    refused(
        case, caseworker, "labour_finding", at(0), "kind", **finding_data(str(other.pk))
    )
    mine = make_complaint(case, caseworker, "other")
    message = refused(
        case, caseworker, "labour_finding", at(0), "kind", **finding_data(str(mine.pk))
    )
    assert "recorded with its complaint or checklist" in message
    # A complaint's id given as a checklist's.
    refused(
        case,
        caseworker,
        "labour_finding",
        at(0),
        "kind",
        **finding_data(str(mine.pk), "checklist"),
    )
    assert screenings(case) == []


@pytest.mark.django_db
def test_a_complaints_id_in_capitals_is_still_its_id(case, caseworker):
    complaint = make_complaint(case, caseworker, "other")
    with pytest.raises(ValidationError):
        record_fact(
            case,
            acting_user=caseworker,
            kind="labour_finding",
            at=at(0),
            data=finding_data(str(complaint.pk).upper()),
        )
    assert screenings(case) == []


@pytest.mark.django_db
def test_a_checklist_without_a_no_has_no_finding_to_add(case, caseworker):
    checklist = actions.record_checklist(
        case, dict.fromkeys(CHECK_ARTICLES, True), acting_user=caseworker, on=T0.date()
    )
    with pytest.raises(ValidationError):
        record_fact(
            case,
            acting_user=caseworker,
            kind="labour_finding",
            at=at(0),
            data=finding_data(str(checklist.pk), "checklist"),
        )
    assert screenings(case) == []


# --- Through the database: the ILO C189 checklist --------------------------------------

CHECK_ARTICLES = {
    "written_contract": "ILO C189 art. 8",
    "keeps_documents": "ILO C189 art. 9(c)",
    "weekly_rest": "ILO C189 art. 10(2)",
    "paid_monthly": "ILO C189 art. 12(1)",
    "no_fees_deducted": "ILO C189 art. 15(1)(e)",
}
YES = dict.fromkeys(CHECK_ARTICLES, True)


@pytest.mark.django_db
@pytest.mark.parametrize("field", CHECK_ARTICLES)
def test_each_no_is_a_finding_with_its_article(case, caseworker, field):
    checklist = actions.record_checklist(
        case, YES | {field: False}, acting_user=caseworker, on=T0.date()
    )
    checklist.refresh_from_db()
    assert getattr(checklist, field) is False
    ((listed, found),) = queries.checklist_findings(case)
    assert listed == checklist
    assert [(c.field, c.article) for c in found] == [(field, CHECK_ARTICLES[field])]
    fact = CaseFact.objects.get(case=case, kind="labour_finding")
    assert fact.data == {
        "ref": str(checklist.pk),
        "source": "checklist",
        "forced_labour_indicators": list(
            FORCED_LABOUR_INDICATORS[found[0].complaint_type]
        ),
    }
    # Every "no" of C189 shows an indicator of forced labour.
    (screen,) = screenings(case)
    assert screen.key == str(checklist.pk)


@pytest.mark.django_db
def test_documents_not_kept_raise_the_trafficking_screening(case, caseworker):
    checklist = actions.record_checklist(
        case, YES | {"keeps_documents": False}, acting_user=caseworker, on=T0.date()
    )
    (screen,) = screenings(case)
    assert (screen.key, screen.status, screen.severity) == (
        str(checklist.pk),
        "open",
        "warning",
    )
    assert "retention_of_identity_documents" in screen.due
    assert screen.due_at == at(7)
    assert CITATION in screen.citations


@pytest.mark.django_db
def test_every_no_is_a_finding_and_one_screening_covers_them(case, caseworker):
    checklist = actions.record_checklist(
        case, dict.fromkeys(CHECK_ARTICLES, False), acting_user=caseworker, on=T0.date()
    )
    ((_, found),) = queries.checklist_findings(case)
    assert [c.article for c in found] == list(CHECK_ARTICLES.values())
    fact = CaseFact.objects.get(case=case, kind="labour_finding")
    assert fact.data["forced_labour_indicators"] == [
        "deception",
        "retention_of_identity_documents",
        "excessive_overtime",
        "withholding_of_wages",
        "debt_bondage",
    ]
    (screen,) = screenings(case)
    assert screen.key == str(checklist.pk)
    event = AuditEvent.objects.get(action="labour.checklist.recorded")
    assert event.data == {"findings": list(CHECK_ARTICLES)}


@pytest.mark.django_db
def test_all_yes_is_no_finding(case, caseworker):
    checklist = actions.record_checklist(
        case, YES, acting_user=caseworker, on=T0.date()
    )
    assert queries.checklist_findings(case) == [(checklist, [])]
    assert not CaseFact.objects.filter(case=case, kind="labour_finding").exists()
    assert screenings(case) == []


def test_the_pure_findings_follow_the_answers():
    assert findings.findings(YES) == []
    found = findings.findings(YES | {"weekly_rest": False, "paid_monthly": False})
    assert [c.complaint_type for c in found] == ["excessive_hours", "unpaid_wages"]
    # Only an explicit "no" is a finding; an unanswered check is not.
    assert findings.findings({"weekly_rest": None}) == []  # type: ignore[dict-item]
    assert findings.indicators(["unpaid_wages", "unlawful_deductions", "other"]) == [
        "withholding_of_wages"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "on", "fields"),
    [
        (
            {k: v for k, v in YES.items() if k != "weekly_rest"},
            T0.date(),
            {"weekly_rest"},
        ),
        (YES | {"paid_monthly": None}, T0.date(), {"paid_monthly"}),
        (YES | {"paid_monthly": "no"}, T0.date(), {"paid_monthly"}),
        (YES | {"keeps_documents": 0}, T0.date(), {"keeps_documents"}),
        (YES, date(2026, 3, 3), {"recorded_on"}),
        ({}, date(2026, 3, 3), {*CHECK_ARTICLES, "recorded_on"}),
    ],
)
def test_an_incomplete_checklist_is_refused_and_nothing_saved(
    case, caseworker, answers, on, fields
):
    before = (
        Checklist.objects.count(),
        CaseFact.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ValidationError) as caught:
        actions.record_checklist(case, answers, acting_user=caseworker, on=on)
    assert set(caught.value.message_dict) == fields
    after = (
        Checklist.objects.count(),
        CaseFact.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
