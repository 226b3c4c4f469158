"""Importing HTCDS files: all or nothing, every problem with its row and field, one
audit event per batch; only a supervisor imports."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from amparo.audit.models import AuditEvent
from amparo.cases.models import Case, CaseEvent, Note
from amparo.htcds.actions import import_batch
from amparo.htcds.build import Basis
from amparo.htcds.models import ImportBatch, ImportedCase
from amparo.htcds.report import describe, lines
from amparo.htcds.tests.conftest import SAMPLE, WITHOUT_CONSENT, fill
from amparo.people.models import Consent, NameKey, Person
from amparo.safeguards.models import CaseFact, Obligation

pytestmark = pytest.mark.django_db


def counts():
    return (
        Person.objects.count(),
        Case.objects.count(),
        AuditEvent.objects.count(),
        CaseFact.objects.count(),
        Obligation.objects.count(),
    )


def refused(path, user, **options):
    before = counts()
    report = import_batch(path, acting_user=user, **options)
    assert report.refused
    assert report.imported == 0
    assert counts() == before
    return [describe(p) for p in report.problems]


def test_a_filled_template_becomes_people_cases_and_decisions(
    template, tmp_path, boss, caseworker
):
    arabic = SAMPLE | {"prs_FirstName": "فاطمة", "prs_SecondName": "الحسن"}
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE, arabic])
    report = import_batch(path, acting_user=boss)
    assert not report.refused, lines(report)
    assert report.imported == 2
    fatima = Person.objects.get(display_name="فاطمة الحسن")
    assert fatima.names.get().script == "Arab"
    assert NameKey.objects.filter(person=fatima).exists()
    assert sorted(fatima.nationalities.values_list("country", flat=True)) == [
        "GIN",
        "SEN",
    ]
    assert "Mailing Street: 12 rue des Lilas" in fatima.contact
    case = Case.objects.get(primary_person=fatima)
    assert case.assigned_to == caseworker
    assert [t.code for t in case.types.all()] == ["victim"]
    decisions = [
        f.data["stage"] for f in CaseFact.objects.filter(case=case).order_by("at")
    ]
    assert decisions == ["reasonable_grounds", "conclusive"]
    assert Obligation.objects.filter(
        case=case, rule_id="protection.reflection_period"
    ).exists()
    consent = Consent.objects.get(person=fatima)
    assert (consent.basis, consent.method, consent.given_by) == (
        "consent",
        "oral",
        "person",
    )
    batch = ImportBatch.objects.get()
    assert ImportedCase.objects.filter(batch=batch).count() == 2
    event = AuditEvent.objects.get(action="htcds.batch.imported")
    assert event.data["sha256"] == report.sha256
    assert event.data["count"] == 2
    assert event.data["recorded"]["safeguards.fact.recorded"] == 4
    assert event.data["not_imported"] == ["prs_Salutation"]
    assert (
        "Not imported (Amparo does not keep it): Salutation (prs_Salutation), in 2 rows."
        in lines(report)
    )


def test_the_official_empty_template_imports_nothing_and_fails_nothing(template, boss):
    before = counts()
    report = import_batch(template, acting_user=boss)
    assert not report.refused
    assert (report.rows, report.imported) == (0, 0)
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"prs_Gender": "Female"}, "row 4, Gender (prs_Gender): unknown code Female"),
        (
            {"prs_Birthdate": "17/05/1994"},
            "row 4, Birthdate (prs_Birthdate): not a date: 17/05/1994",
        ),
        (
            {"prs_Citizenship": "GN;Guinea"},
            "row 4, Citizenship (prs_Citizenship): not an ISO 3166-1 country code: Guinea",
        ),
        (
            {"prs_FirstName": "A" * 201},
            "row 4, First Name (prs_FirstName): 201 characters",
        ),
        (
            {"vic_MethodsOfControl": "DebtBondage;Beatings"},
            "row 4, Methods of Control (vic_MethodsOfControl): unknown code Beatings",
        ),
        ({"cas_CaseOwner": "nobody"}, "row 4, Case Owner (cas_CaseOwner): no active"),
        (
            {"prs_FirstName": None, "prs_SecondName": None},
            "row 4, First Name (prs_FirstName): a name",
        ),
    ],
)
def test_one_bad_value_refuses_the_whole_file_naming_row_and_field(
    template, tmp_path, boss, caseworker, change, expected
):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE, SAMPLE | change, SAMPLE])
    (problem,) = refused(path, boss)
    assert problem.startswith(expected), problem


def test_every_problem_is_reported_not_only_the_first(
    template, tmp_path, boss, caseworker
):
    rows = [SAMPLE | {"prs_Gender": "Female"}] * 3 + [
        SAMPLE | {"prs_Birthdate": "1994"}
    ]
    path = fill(template, tmp_path / "f.xlsx", rows)
    problems = refused(path, boss)
    assert [p.split(",")[0] for p in problems] == ["row 3", "row 4", "row 5", "row 6"]


def test_a_missing_column_is_refused(template, tmp_path, boss):
    from openpyxl import load_workbook

    path = fill(template, tmp_path / "f.xlsx", [SAMPLE])
    book = load_workbook(path)
    book.worksheets[0].delete_cols(28)  # AB: Status
    book.save(path)
    assert refused(path, boss) == ["Status (cas_Status): missing column"]


def test_a_file_that_is_no_workbook_is_refused(tmp_path, boss):
    (tmp_path / "cases.xlsx").write_bytes(b"First Name;Second Name\nAmina;Diallo\n")
    (problem,) = refused(tmp_path / "cases.xlsx", boss)
    assert problem.startswith("the file: not an HTCDS file")


def test_an_entity_bomb_is_refused_without_expanding_it(tmp_path, boss):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<data id="htcds_xlsform"><prs_First_Name>&b;</prs_First_Name></data>'
    )
    (problem,) = refused(path, boss)
    assert problem == "file bomb.xml: a document type declaration or entities: refused"


def test_rows_without_consent_need_a_stated_lawful_basis(
    template, tmp_path, boss, caseworker
):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE | {"con_Consent": False}])
    (problem,) = refused(path, boss)
    assert "Consent (con_Consent): no consent" in problem
    report = import_batch(path, acting_user=boss, basis=WITHOUT_CONSENT)
    assert not report.refused
    consent = Consent.objects.get()
    assert (consent.basis, consent.method) == ("vital_interest", "")


def test_a_lawful_basis_without_justification_is_refused_before_reading(template, boss):
    with pytest.raises(ValidationError):
        import_batch(template, acting_user=boss, basis=Basis(other="vital_interest"))


def test_a_dry_run_checks_and_writes_nothing(template, tmp_path, boss, caseworker):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE])
    before = counts()
    report = import_batch(path, acting_user=boss, dry_run=True)
    assert (report.refused, report.rows, report.imported) == (False, 1, 0)
    assert counts() == before


def test_the_same_file_is_not_imported_twice(template, tmp_path, boss, caseworker):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE])
    assert not import_batch(path, acting_user=boss).refused
    (problem,) = refused(path, boss)
    assert "imported already" in problem


def test_only_a_supervisor_imports(template, tmp_path, caseworker, statistician):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE])
    for user in (caseworker, statistician):
        with pytest.raises(PermissionError):
            import_batch(path, acting_user=user)
    assert Person.objects.count() == 0


def test_closing_and_referral_fields_land_where_the_mapping_says(
    template, tmp_path, boss, caseworker
):
    row = SAMPLE | {
        "cas_Status": "ClosedReferred",
        "cas_ReasonForCaseClosure": "Moved to a shelter in Madrid.",
        "cas_ReferringOrganisation": "Labour inspectorate",
        "cas_IncomingReferralDate": date(2025, 11, 3),
        "cas_ReasonForIncomingReferral": "AdditionalServicesRequired",
        "cas_IncomingReferralDetails": "Found at a farm.\nNeeds an interpreter.",
        "cas_ReferredOrganisation": "Shelter Madrid",
        "cas_OutgoingReferralDate": date(2026, 1, 10),
    }
    path = fill(template, tmp_path / "f.xlsx", [row])
    assert not import_batch(path, acting_user=boss).refused
    case = Case.objects.get()
    assert (case.status, case.closure_reason) == ("closed", "referred")
    assert case.closure_note == "Moved to a shelter in Madrid."
    assert "Referring Organisation: Labour inspectorate" in case.opening_reason
    assert "Incoming Referral Details: Found at a farm.\n  Needs an interpreter." in (
        case.opening_reason
    )
    assert "Referred Organisation: Shelter Madrid" in Note.objects.get(case=case).body
    kinds = list(
        CaseEvent.objects.filter(case=case)
        .order_by("occurred_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["opened", "fact_recorded", "fact_recorded", "note_added", "closed"]


def test_a_second_process_reading_the_file_gives_the_same_import(
    template, tmp_path, boss, caseworker
):
    """Large files are read, checked and prepared by a second process; what it finds
    is what this process would (a birth date over 120 years ago is registration's
    refusal, found there)."""
    old = SAMPLE | {"prs_Birthdate": date(1901, 1, 1)}
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE, old])
    before = counts()
    report = import_batch(path, acting_user=boss, second_process=True)
    assert [describe(p) for p in report.problems] == [
        "row 4, Birthdate (prs_Birthdate): The date of birth is more than 120 years ago."
    ]
    assert counts() == before
    path = fill(
        template, tmp_path / "g.xlsx", [SAMPLE, SAMPLE | {"prs_FirstName": "明"}]
    )
    report = import_batch(path, acting_user=boss, second_process=True)
    assert (report.refused, report.imported) == (False, 2)
    assert Obligation.objects.count() == 8
    assert Person.objects.get(display_name="明 Diallo").names.get().script == "Hani"
