"""One checked and prepared HTCDS row (`prepare.Prepared`: the person as registration
cleans it, the decisions and their obligations) made into Amparo's records, unsaved:
the person, their names and search keys, nationalities and lawful basis, the case,
its type, the identification decisions, the outgoing referral's note and the
timeline, each as the single-record
actions (`register_person`, `record_consent`, `open_case`, `record_fact`, `add_note`,
`close_case`) would write them. `tests/test_equivalence.py` holds the two paths to
the same result; the import writes many of these at once (`actions.import_batch`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.actions import MAX_NOTE_LENGTH, MAX_REASON_LENGTH
from amparo.cases.models import Case, CaseEvent, CaseType, Note
from amparo.htcds import convert
from amparo.htcds.mapping import (
    BY_NAME,
    INCOMING_FIELDS,
    OUTGOING_FIELDS,
)
from amparo.htcds.prepare import Prepared, pairs
from amparo.htcds.rows import Problem, RowRefusedError
from amparo.htcds.values import Value
from amparo.people.models import Consent, Person
from amparo.people.records import PersonRecord
from amparo.safeguards.models import CaseFact

_SCALARS = [
    f.name for f in fields(PersonRecord) if f.name not in {"names", "nationalities"}
]


@dataclass(frozen=True)
class Basis:
    """The lawful basis of case management for the batch's rows: consent where the row
    says TRUE (obtained as `consent_method` says), `other` with `justification` for
    the others."""

    consent_method: str = Consent.Method.ORAL
    other: str = ""
    justification: str = ""


@dataclass
class Batch:
    """What every row of one import shares."""

    user: User
    now: datetime
    today: date
    label: str  # the file's SHA-256, shortened: names the batch in the records
    owners: dict[str, User]
    basis: Basis = field(default_factory=Basis)
    risk: str = Case.Risk.HIGH

    @property
    def agency_id(self) -> uuid.UUID:
        if self.user.agency_id is None:
            raise PermissionError("A user of no agency imports nothing.")
        return self.user.agency_id


# A row of a table with nothing to compute on saving (no automatic time, nothing
# encrypted), as its columns' attribute names and values: many of these a row, and
# a model instance each cost more than the rest of the row's making.
Columns = dict[str, Any]


@dataclass
class Built:
    person: Person
    names: list[Columns]  # PersonName
    keys: list[Columns]  # NameKey
    nationalities: list[Columns]  # Nationality
    consent: Consent
    case: Case
    types: list[Columns]  # CaseType
    facts: list[CaseFact]
    notes: list[Note]
    events: list[Columns]  # CaseEvent
    obligations: list[Columns]  # safeguards.models.Obligation, from `prepare`
    recheck_at: datetime | None


def build(
    values: dict[str, Value],
    prepared: Prepared,
    batch: Batch,
    *,
    row: int | None,
    file: str,
    reference: str,
) -> Built:
    user = batch.user
    record = prepared.record
    person = Person(
        id=prepared.person_id,
        agency_id=batch.agency_id,
        registered_by_id=user.pk,
        team_id=user.team_id,
    )
    for name in _SCALARS:
        setattr(person, name, getattr(record, name))
    primary = record.names[0]
    person.display_name = primary.full_text
    names = [
        {
            "person_id": person.pk, "kind": n.kind, "given_names": n.given_names,
            "family_names": n.family_names, "script": n.script, "language": n.language,
            "search_form": form,
        }
        for n, form in zip(record.names, prepared.search_forms, strict=True)
    ]  # fmt: skip
    keys = prepared.keys
    case = _case(
        values, batch, person, reference, case_id=prepared.case_id, row=row, file=file
    )
    facts = _facts(prepared, case)
    notes = _notes(values, batch, case, row=row, file=file)
    return Built(
        person=person,
        names=names,
        keys=[
            {"person_id": person.pk, "agency_id": person.agency_id, "key": k}
            for k in keys
        ],
        nationalities=[
            {"person_id": person.pk, "country": n.country, "status": n.status}
            for n in record.nationalities
        ],
        consent=consent_for(person, values.get("con_Consent") is True, batch),
        case=case,
        types=[{"case_id": case.pk, "code": CaseType.Code.VICTIM.value}],
        facts=facts,
        notes=notes,
        events=_events(case, facts, notes, batch),
        obligations=prepared.obligations,
        recheck_at=prepared.recheck_at,
    )


def consent_for(person: Person, consented: bool, batch: Batch) -> Consent:
    basis = batch.basis
    return Consent(
        person_id=person.pk,
        purpose=Consent.Purpose.CASE_MANAGEMENT,
        basis=Consent.Basis.CONSENT if consented else basis.other,
        method=basis.consent_method if consented else "",
        given_by=Consent.GivenBy.PERSON if consented else "",
        justification="" if consented else basis.justification,
        obtained_on=batch.today,
        recorded_by_id=batch.user.pk,
    )


def _case(
    values: dict[str, Value], batch: Batch, person: Person, reference: str,
    *, case_id: uuid.UUID, row: int | None, file: str,
) -> Case:  # fmt: skip
    status, closure_reason = convert.STATUS_TO_CASE[
        str(values.get("cas_Status", "Active"))
    ]
    where = {"batch": batch.label, "row": row if row is not None else file}
    opening = _texts(get_language())["opening"] % where
    incoming = convert.pack(pairs(values, INCOMING_FIELDS))
    opening = f"{opening}\n{incoming}" if incoming else opening
    if len(opening) > MAX_REASON_LENGTH:
        raise RowRefusedError([_too_long("cas_IncomingReferralDetails", row, file)])
    closure_note = str(values.get("cas_ReasonForCaseClosure", ""))
    if closure_reason == Case.ClosureReason.OTHER and not closure_note:
        # Closing for "another reason" needs a note (close_case): say where it is.
        closure_note = _texts(get_language())["closed"]
    owner = values.get("cas_CaseOwner")
    return Case(
        id=case_id,
        agency_id=batch.agency_id,
        reference=reference,
        primary_person_id=person.pk,
        status=status,
        risk=batch.risk,
        assigned_to_id=batch.owners[str(owner)].pk if owner else None,
        opened_at=batch.now,
        opened_by_id=batch.user.pk,
        opening_reason=opening,
        closed_at=batch.now if status == Case.Status.CLOSED else None,
        closure_reason=closure_reason,
        closure_note=closure_note,
    )


@lru_cache(maxsize=16)
def _texts(language: str | None) -> dict[str, str]:
    """The texts every row repeats, translated once per language."""
    return {
        "opening": _("Imported from an HTCDS 2.0 file (batch %(batch)s, row %(row)s)."),
        "closed": _(
            "Closed in the system the HTCDS file comes from; the file gives no reason."
        ),
        "outgoing": _("An outgoing referral, as the HTCDS file records it:"),
    }


def _facts(prepared: Prepared, case: Case) -> list[CaseFact]:
    """The facts the obligations were computed from (`prepare.prepare`), as stored."""
    found = []
    for one in prepared.facts:
        fact = CaseFact(
            id=uuid.UUID(one.id), case_id=case.pk, kind=one.kind, at=one.at,
            recorded_by_id=int(one.recorded_by),
        )  # fmt: skip
        offset = one.at.utcoffset()
        fact.at_utc_offset = int(offset.total_seconds()) if offset else 0
        fact.data = dict(one.data)
        found.append(fact)
    return found


def _notes(
    values: dict[str, Value], batch: Batch, case: Case, *, row: int | None, file: str
) -> list[Note]:
    outgoing = convert.pack(pairs(values, OUTGOING_FIELDS))
    if not outgoing:
        return []
    body = _texts(get_language())["outgoing"] + "\n" + outgoing
    if len(body) > MAX_NOTE_LENGTH:
        raise RowRefusedError([_too_long("cas_OutgoingReferralDetails", row, file)])
    return [Note(id=uuid.uuid4(), case_id=case.pk, author_id=batch.user.pk, body=body)]


def _events(
    case: Case, facts: list[CaseFact], notes: list[Note], batch: Batch
) -> list[Columns]:
    """The timeline the actions would write, a microsecond apart so that it reads in
    order (same-time events are ordered by their random ids)."""
    kinds: list[tuple[str, dict[str, Any]]] = [
        (CaseEvent.Kind.OPENED, {"types": [CaseType.Code.VICTIM], "risk": case.risk})
    ]
    kinds += [(CaseEvent.Kind.FACT_RECORDED, {"fact_kind": f.kind}) for f in facts]
    kinds += [(CaseEvent.Kind.NOTE_ADDED, {"note": str(n.pk)}) for n in notes]
    if case.status == Case.Status.IN_PROGRESS:
        kinds.append(
            (CaseEvent.Kind.STATUS_CHANGED, {"from": "open", "to": case.status})
        )
    if case.status == Case.Status.CLOSED:
        kinds.append((CaseEvent.Kind.CLOSED, {"reason": case.closure_reason}))
    start = batch.now - timedelta(microseconds=len(kinds))
    return [
        {
            "case_id": case.pk, "occurred_at": start + timedelta(microseconds=n + 1),
            "actor_id": batch.user.pk, "kind": str(kind), "data": data,
        }
        for n, (kind, data) in enumerate(kinds)
    ]  # fmt: skip


def _too_long(name: str, row: int | None, file: str) -> Problem:
    limit = (
        MAX_REASON_LENGTH if name != "cas_OutgoingReferralDetails" else MAX_NOTE_LENGTH
    )
    return Problem(
        name,
        gettext_noop(
            "too long once written with the other fields it shares %(value)s with "
            "(at most %(limit)s characters)"
        ),
        {"value": BY_NAME[name].held.split(" ")[0], "limit": f"{limit:,}"},
        row=row,
        file=file,
    )
