"""The round trip on the shipped template: a copy of the official Excel template filled
with realistic rows (names in several scripts, every code of every list), imported,
exported, imported again and exported again: the two exports hold the same values,
and the first holds what the filled template held, for every field both models keep."""

from datetime import date
from itertools import cycle

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from amparo.htcds import codes
from amparo.htcds.actions import export_cases, import_batch
from amparo.htcds.mapping import BY_NAME, TEMPLATE_FIELDS, XFORM_FIELDS
from amparo.htcds.report import lines
from amparo.htcds.rows import Context, Record
from amparo.htcds.stream import stream
from amparo.htcds.tests.conftest import WITHOUT_CONSENT, fill

pytestmark = pytest.mark.django_db

NAMES = [
    ("Amina", "Diallo"), ("فاطمة", "الحسن"), ("Оксана", "Коваленко"), ("María José", "García López"),
    ("Nguyễn Thị", "Lan"), ("ሉላ", "ብርሃነ"), ("明", "王"), ("Ngozi", "Okafor"), ("Rahel", ""),
    ("", "Tesfaye"), ("Samuel", "Mensah"),
]  # fmt: skip


def _codes(options, n, k=1):
    names = [name for name, _label in options]
    return tuple(dict.fromkeys(names[(n + i) % len(names)] for i in range(k)))


def rich_rows():
    """21 rows (the longest list, ISIC sections): every code of every list appears."""
    owners = cycle(["carmen", "samir", None])
    rows = []
    for n in range(len(codes.FORCED_LABOUR_INDUSTRY)):
        first, second = NAMES[n % len(NAMES)]
        status = _codes(codes.CASE_STATUS, n)[0]
        row = {
            "cas_CaseOwner": next(owners),
            "prs_Salutation": "Ms",
            "prs_FirstName": first or None,
            "prs_SecondName": second or None,
            "con_Consent": n % 3 != 0,
            "prs_Birthdate": date(1980 + n, 1 + n % 12, 1 + n),
            "prs_Gender": _codes(codes.GENDER, n)[0],
            "prs_Citizenship": ";".join(("GN", "SN", "UA", "VN", "ER")[n % 5 : n % 5 + 1 + n % 2]),
            "prs_Title": "Seamstress",
            "prs_Email": f"person{n}@example.org",
            "prs_HomePhone": f"+3314{n:07d}",
            "prs_MobilePhone": f"+2217{n:08d}",
            "prs_MailingStreet": f"{n} rue des Lilas",
            "prs_MailingCity": "Lyon",
            "prs_MailingState": "Rhône",
            "prs_MailingPostalCode": "69003",
            "prs_MailingCountry": "FR",
            "vic_TraffickingStatus": _codes(codes.TRAFFICKING_STATUS, n)[0],
            "vic_TraffickingStatusDecisionMakingOrg": _codes(codes.DECISION_MAKING_ORG, n)[0],
            "vic_MethodOfRecruitment": ";".join(_codes(codes.METHOD_OF_RECRUITMENT, n, 2)),
            "vic_LocationOfRecruitment": "Conakry",
            "vic_MethodsOfControl": ";".join(_codes(codes.METHODS_OF_CONTROL, n, 3)),
            "vic_TypeOfExploitation": ";".join(_codes(codes.TYPE_OF_EXPLOITATION, n)),
            "vic_ForcedLabourIndustry": _codes(codes.FORCED_LABOUR_INDUSTRY, n)[0],
            "vic_TypeOfSexExploitation": _codes(codes.TYPE_OF_SEX_EXPLOITATION, n)[0],
            "vic_LocationOfExploitation": "A farm near Murcia",
            "cas_Status": status,
            "cas_ReferringOrganisation": "Labour inspectorate",
            "cas_IncomingReferralDate": date(2025, 1 + n % 12, 2),
            "cas_ReferringPrimaryCaseWorker": "Pedro Ruiz",
            "cas_ReasonForIncomingReferral": _codes(codes.REFERRAL_REASON, n)[0],
            "cas_IncomingReferralDetails": f"Found at a farm.\nNeeds an interpreter ({n}).",
            "cas_ReferredOrganisation": "Shelter Madrid" if n % 2 else None,
            "cas_ReferredPrimaryCaseWorker": "Lucía Pérez" if n % 2 else None,
            "cas_ReasonForOutgoingReferral": _codes(codes.REFERRAL_REASON, n)[0] if n % 2 else None,
            "cas_OutgoingReferralDate": date(2026, 1, 10) if n % 2 else None,
            "cas_OutgoingReferralDetails": "Bed reserved.\nCall first." if n % 2 else None,
            "cas_ReasonForCaseClosure": f"Reason {n}" if status.startswith("Closed") else None,
        }  # fmt: skip
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def held_values(path, fields=TEMPLATE_FIELDS):
    """Each row of an HTCDS file: the values of the fields Amparo keeps."""
    context = Context(
        today=timezone.localdate(),
        owners=frozenset({"carmen", "samir"}),
        other_basis=True,
    )
    found = []
    for item in stream(path, context):
        if isinstance(item, Record):
            assert item.valid, item.problems
            found.append({k: v for k, v in item.values.items() if BY_NAME[k].imported})
    keep = {f.name for f in fields}
    return sorted(({k: v for k, v in r.items() if k in keep} for r in found), key=repr)


def as_amparo_keeps_them(row):
    """What the mapping says becomes of a value: transgender genders are kept as the
    gender they name (Amparo records sex)."""
    narrowed = {"TransgenderFeminine": "Feminine", "TransgenderMasculine": "Masculine"}
    return row | {"prs_Gender": narrowed.get(row["prs_Gender"], row["prs_Gender"])}


def test_template_round_trip(template, tmp_path, boss, caseworker, supervisor):
    # The official template itself: zero rows, accepted.
    assert not import_batch(template, acting_user=boss).refused
    filled = fill(template, tmp_path / "filled.xlsx", rich_rows())
    report = import_batch(filled, acting_user=boss, basis=WITHOUT_CONSENT)
    assert not report.refused, lines(report)
    assert report.imported == 21
    assert set(report.not_imported) == {
        "prs_Salutation", "prs_Title", "vic_MethodOfRecruitment", "vic_LocationOfRecruitment",
        "vic_MethodsOfControl", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
        "vic_TypeOfSexExploitation", "vic_LocationOfExploitation",
    }  # fmt: skip

    first = export_cases(tmp_path / "first.xlsx", acting_user=boss)
    assert first.count == 21
    exported = held_values(tmp_path / "first.xlsx")
    assert exported == sorted(
        (as_amparo_keeps_them(r) for r in held_values(filled)), key=repr
    )

    report = import_batch(
        tmp_path / "first.xlsx", acting_user=boss, basis=WITHOUT_CONSENT
    )
    assert not report.refused, lines(report)
    export_cases(tmp_path / "second.xlsx", acting_user=boss)
    # The second export holds the first's cases and their re-imported copies.
    assert held_values(tmp_path / "second.xlsx") == sorted(exported * 2, key=repr)


def test_the_export_writes_the_template_layout_with_the_correct_machine_names(
    template, tmp_path, boss, caseworker, supervisor
):
    filled = fill(template, tmp_path / "filled.xlsx", rich_rows()[:2])
    assert not import_batch(filled, acting_user=boss, basis=WITHOUT_CONSENT).refused
    export_cases(tmp_path / "out.xlsx", acting_user=boss)
    sheet = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    official = load_workbook(template).worksheets[0]
    assert [c.value for c in sheet[2]] == [c.value for c in official[2]]
    assert [c.value for c in sheet[1]][1:] == [f.name for f in TEMPLATE_FIELDS]
    assert (
        sheet["N1"].value == "prs_MailingStreet"
    )  # the official file: prs_MailingCity
    assert sheet.row_dimensions[1].hidden
    assert [sheet["A3"].value, sheet["A4"].value, sheet["A5"].value] == [1, 2, None]


def test_xform_round_trip(template, tmp_path, boss, caseworker, supervisor):
    filled = fill(template, tmp_path / "filled.xlsx", rich_rows())
    assert not import_batch(filled, acting_user=boss, basis=WITHOUT_CONSENT).refused
    first = export_cases(tmp_path / "first.zip", acting_user=boss, format="xform")
    assert first.count == 21
    # The XLSForm has no case owner, outgoing referral or reason for closure, and
    # one citizenship: the export says so.
    assert first.losses["excel_only"] > 0
    assert first.losses["more_citizenships"] > 0
    exported = held_values(tmp_path / "first.zip", XFORM_FIELDS)
    report = import_batch(
        tmp_path / "first.zip", acting_user=boss, basis=WITHOUT_CONSENT
    )
    assert not report.refused, lines(report)
    assert report.form_versions == ["vSmt4GQA3C9uBMLPEVfgND"]
    export_cases(tmp_path / "second.zip", acting_user=boss, format="xform")
    assert held_values(tmp_path / "second.zip", XFORM_FIELDS) == sorted(
        exported * 2, key=repr
    )
