"""An Amparo case as an HTCDS row: the inverse of `build`, field by field. What a case
holds that HTCDS cannot carry is counted in `Losses` and reported with the export,
never dropped silently."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils import timezone

from amparo.cases.models import Case
from amparo.core.countries import STATELESS
from amparo.htcds import convert
from amparo.htcds.mapping import (
    BY_NAME,
    CONTACT_FIELDS,
    INCOMING_FIELDS,
    OUTGOING_FIELDS,
    Field,
)
from amparo.htcds.values import BadValueError, Value, country, parse
from amparo.people.models import Consent, Person, PersonName

# Why a value of a case did not reach the file (`report.LOSSES` says it in words).
STATELESS_LOST = "stateless"
IMPRECISE_BIRTH = "imprecise_birth"
FREE_CONTACT = "free_contact"
UNREADABLE = "unreadable"
MORE_CITIZENSHIPS = "more_citizenships"
EXCEL_ONLY = "excel_only"

Losses = Counter[str]


def row_of(case: Case, losses: Losses) -> dict[str, Value]:
    """Needs the prefetches of `queries.cases_for_export`."""
    person = case.primary_person
    values: dict[str, Value] = {}
    if case.assigned_to is not None:
        values["cas_CaseOwner"] = case.assigned_to.username
    _person(person, values, losses)
    bases: list[Consent] = getattr(person, "case_management_bases", [])
    values["con_Consent"] = any(b.basis == Consent.Basis.CONSENT for b in bases)
    decisions = [
        (
            f.data.get("stage", ""),
            f.data.get("finding", ""),
            f.data.get("decided_by", ""),
        )
        for f in getattr(case, "decisions", [])
    ]
    status, org = convert.trafficking_status(decisions)
    _put(values, "vic_TraffickingStatus", status)
    _put(values, "vic_TraffickingStatusDecisionMakingOrg", org)
    values["cas_Status"] = convert.case_status(case.status, case.closure_reason)
    if case.status == Case.Status.CLOSED:
        reason = case.closure_note or (
            ""
            if case.closure_reason in ("referred", "")
            else case.get_closure_reason_display()
        )
        _put(values, "cas_ReasonForCaseClosure", reason)
    _unpacked(case.opening_reason, INCOMING_FIELDS, values, losses)
    for note in getattr(case, "oldest_notes", []):
        if _unpacked(note.body, OUTGOING_FIELDS, values, losses):
            break
    return values


def _person(person: Person, values: dict[str, Value], losses: Losses) -> None:
    primary = next(
        (n for n in person.names.all() if n.kind == PersonName.Kind.PRIMARY), None
    )
    if primary is not None:
        _put(values, "prs_FirstName", primary.given_names)
        _put(values, "prs_SecondName", primary.family_names)
    if person.birth_date is not None:
        if person.birth_date_precision == Person.DatePrecision.DAY:
            values["prs_Birthdate"] = person.birth_date
        else:
            losses[IMPRECISE_BIRTH] += 1
    values["prs_Gender"] = convert.SEX_TO_GENDER[person.sex]
    codes = []
    for nationality in person.nationalities.all():
        code = (
            country(nationality.country) if nationality.country != STATELESS else None
        )
        if code is None:
            losses[STATELESS_LOST] += 1
        else:
            codes.append(code)
    if codes:
        values["prs_Citizenship"] = tuple(codes)
    if person.contact and not _unpacked(person.contact, CONTACT_FIELDS, values, losses):
        losses[FREE_CONTACT] += 1


def _unpacked(
    text: str, wanted: tuple[Field, ...], values: dict[str, Value], losses: Losses
) -> bool:
    """Put the fields `text` holds as `Label: value` lines (see `convert.pack`) into
    `values`; whether it held any."""
    found = convert.unpack(text, (f.label for f in wanted))
    today = timezone.localdate()
    for f in wanted:
        if f.label not in found:
            continue
        try:
            value = parse(f, found[f.label], excel=True, today=today)
        except BadValueError:
            losses[UNREADABLE] += 1
            continue
        if value is not None:
            values[f.name] = value
    return bool(found)


def _put(values: dict[str, Value], name: str, value: Any) -> None:
    if value:
        values[name] = value


def for_xform(values: dict[str, Value], losses: Losses) -> dict[str, Value]:
    """What the XLSForm can carry of a row: one citizenship, no Excel-only field."""
    citizenships = values.get("prs_Citizenship", ())
    if isinstance(citizenships, tuple) and len(citizenships) > 1:
        losses[MORE_CITIZENSHIPS] += 1
    if any(not BY_NAME[name].xform for name in values):
        losses[EXCEL_ONLY] += 1
    return {k: v for k, v in values.items() if BY_NAME[k].xform}
