"""One HTCDS value at a time, as a cell or an XForm element gives it (pure: no
database)."""

from datetime import date, datetime

import pytest

from amparo.htcds.mapping import BY_NAME
from amparo.htcds.values import BadValueError, parse

TODAY = date(2026, 3, 2)


def value(name, raw, *, excel=True):
    return parse(BY_NAME[name], raw, excel=excel, today=TODAY)


def refused(name, raw, *, excel=True):
    with pytest.raises(BadValueError) as caught:
        value(name, raw, excel=excel)
    return caught.value.message % caught.value.params


@pytest.mark.parametrize(
    "raw",
    # An Excel date cell gives a datetime without a zone: Excel has none.
    [date(1994, 5, 17), datetime(1994, 5, 17), "1994-05-17", " 1994-05-17 "],  # noqa: DTZ001
)
def test_a_date_is_a_date_cell_or_iso_text(raw):
    assert value("prs_Birthdate", raw) == date(1994, 5, 17)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("17/05/1994", "not a date"),
        ("03/04/2021", "not a date"),
        ("1994-02-30", "no such date"),
        (34470, "not a date"),  # an Excel serial in a cell without a date format
        (datetime(1994, 5, 17, 13, 30), "a date and a time"),  # noqa: DTZ001
        ("2026-03-03", "in the future"),
        ("1850-01-01", "before 1900"),
    ],
)
def test_anything_else_is_refused_not_guessed(raw, says):
    assert says in refused("prs_Birthdate", raw)


def test_a_code_is_its_name_or_its_label_with_no_break_spaces_and_case_ignored():
    assert value("prs_Gender", "TransgenderFeminine") == "TransgenderFeminine"
    assert value("prs_Gender", "Transgender Feminine\u00a0") == "TransgenderFeminine"
    assert value("prs_Gender", "not specified/unknown") == "NonSpecifiedUnknown"
    assert "unknown code Female" in refused("prs_Gender", "Female")


def test_debt_bondage_with_the_standards_trailing_space_is_accepted():
    assert value("vic_MethodsOfControl", "DebtBondage ") == ("DebtBondage",)


def test_several_codes_in_a_cell_are_separated_by_semicolons_or_line_breaks():
    assert value("vic_TypeOfExploitation", "ForcedLabour; Forced begging\nOther") == (
        "ForcedLabour",
        "ForcedBegging",
        "Other",
    )
    assert "unknown code" in refused("vic_TypeOfExploitation", "ForcedLabour, Other")


def test_xform_multiselects_are_separated_by_spaces():
    assert value("vic_MethodsOfControl", "DebtBondage TakesEarnings", excel=False) == (
        "DebtBondage",
        "TakesEarnings",
    )


def test_an_industry_label_holding_a_semicolon_is_one_value():
    label = "Water supply; sewerage, waste management and remediation"
    assert value("vic_ForcedLabourIndustry", label) == (
        "E_WaterSupplySewerageWasteManagement",
    )


def test_countries_are_iso_3166_codes_alpha_2_or_3_several_in_excel_one_in_xforms():
    assert value("prs_Citizenship", "GN; sn, NGA") == ("GN", "SN", "NG")
    assert "not an ISO 3166-1 country code: Guinea" in refused(
        "prs_Citizenship", "Guinea"
    )
    assert "XZ" in refused("prs_Citizenship", "XZ")
    assert "one country only" in refused("prs_Citizenship", "GN SN", excel=False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), ("TRUE", True), ("no", False), ("Yes", True)],
)
def test_consent_is_a_boolean_or_true_false_yes_no(raw, expected):
    assert value("con_Consent", raw) is expected


def test_consent_refuses_anything_else():
    assert "not TRUE or FALSE" in refused("con_Consent", "maybe")


def test_text_is_trimmed_bounded_and_free_of_control_characters():
    assert value("prs_FirstName", "  Amina ") == "Amina"
    assert value("prs_MobilePhone", 221771234567.0) == "221771234567"
    assert "at most 200" in refused("prs_FirstName", "A" * 201)
    assert "line breaks" in refused("prs_FirstName", "Ami\nna")
    assert "control characters" in refused("prs_FirstName", "Ami\x00na")
    assert value("cas_IncomingReferralDetails", "line one\r\nline two") == (
        "line one\nline two"
    )


def test_the_incoming_reason_is_a_code_where_one_matches_and_text_otherwise():
    name = "cas_ReasonForIncomingReferral"
    assert (
        value(name, "Migration or Change of Location") == "MigrationOrChangeOfLocation"
    )
    assert (
        value(name, "Needs a shelter in another city")
        == "Needs a shelter in another city"
    )


def test_empty_cells_are_nothing():
    assert value("prs_FirstName", None) is None
    assert value("prs_FirstName", "   ") is None
