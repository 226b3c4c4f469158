"""What of a row can be made before the database is touched: its person as
registration takes it (a `people.records.PersonRecord`, cleaned by
`clean_person_record` as every intake's is) with its names' search forms and keys
(`amparo.core.names`); the identification decisions its trafficking status stands
for; and the obligations they give the case (the safeguards engine, through the plan
`safeguards.actions.recompute` uses). The process that reads the file makes it when
it can (its core is otherwise idle half the time: `stream.stream_in_process`), else
the importing process; the same function either way."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.core.names import name_keys, search_form
from amparo.htcds import convert
from amparo.htcds.mapping import CONTACT_FIELDS, Field
from amparo.htcds.rows import Context, Problem, Record, RowRefusedError
from amparo.htcds.values import Value, alpha3
from amparo.people.models import Person
from amparo.people.records import (
    NameRecord,
    NationalityRecord,
    PersonRecord,
    clean_person_record,
)
from amparo.safeguards import profiles

# Private to safeguards.actions, and the plan of a first evaluation a bulk write
# needs: see the final report of the HTCDS work (a public name for it).
from amparo.safeguards.actions import _Plan
from amparo.safeguards.facts import Fact
from amparo.safeguards.models import Obligation

_OBLIGATION_COLUMNS = [f.attname for f in Obligation._meta.concrete_fields]

# Which HTCDS field a problem of the person's record is about.
_FIELDS = {
    "names": "prs_FirstName",
    "names.0.given_names": "prs_FirstName",
    "names.0.family_names": "prs_SecondName",
    "birth_date": "prs_Birthdate",
    "sex": "prs_Gender",
    "nationalities": "prs_Citizenship",
    "contact": "prs_Email",
}


@dataclass
class Prepared:
    record: PersonRecord
    search_forms: list[str]  # one for each of record.names
    keys: list[str]  # of all the names, sorted
    person_id: uuid.UUID
    case_id: uuid.UUID
    facts: list[Fact]  # as the engine reads them; their ids are the CaseFacts' keys
    # The obligations' columns (`inserts.insert`): plain data, a fifth of the cost of
    # model instances to send to the importing process.
    obligations: list[dict[str, Any]]
    recheck_at: datetime | None  # the case's CaseSafeguards.recheck_at
    planned: bool = False  # whether the two above are computed (`plan`)


def prepare(
    values: dict[str, Value],
    context: Context,
    *,
    row: int | None,
    file: str,
    plan: bool = True,
) -> Prepared:
    """Raises RowRefusedError naming the fields registration refuses. `context` must
    give the import's time, actor and agency. Without `plan` (the file is refused
    already: only its problems are still wanted), no obligations are computed."""
    assert context.now is not None  # noqa: S101 - the import's, always given
    record = PersonRecord(
        names=[
            NameRecord(
                given_names=str(values.get("prs_FirstName", "")),
                family_names=str(values.get("prs_SecondName", "")),
            )
        ],
        sex=convert.GENDER_TO_SEX.get(
            str(values.get("prs_Gender", "")), Person.Sex.UNKNOWN
        ),
        birth_date=_date(values.get("prs_Birthdate")),
        nationalities=[
            NationalityRecord(country=alpha3(code))
            for code in _tuple(values.get("prs_Citizenship"))
        ],
        contact=convert.pack(pairs(values, CONTACT_FIELDS)),
    )
    try:
        clean_person_record(record, today=context.today)
    except ValidationError as error:
        raise RowRefusedError(
            [
                Problem(_field(key), message, row=row, file=file)
                for key, messages in error.message_dict.items()
                for message in messages
            ]
        ) from None
    person_id, case_id = uuid.uuid4(), uuid.uuid4()
    data = decision_data(values)
    facts = [
        Fact(str(uuid.uuid4()), "trafficking_identified", at, context.actor, one)
        for at, one in zip(decision_times(context.now, len(data)), data, strict=True)
    ]
    prepared = Prepared(
        record,
        [search_form(n.full_text) for n in record.names],
        sorted(set().union(*(name_keys(n.full_text) for n in record.names))),
        person_id,
        case_id,
        facts,
        [],
        None,
    )
    if plan:
        plan_obligations(prepared, context)
    return prepared


def plan_obligations(prepared: Prepared, context: Context) -> None:
    """What the case's first evaluation stores (`safeguards.actions.recompute`)."""
    assert context.now is not None  # noqa: S101 - the import's, always given
    evaluation = _Plan(context.now)
    case = Case(
        id=prepared.case_id,
        agency_id=context.agency,
        primary_person_id=prepared.person_id,
    )
    evaluation.add(case, prepared.facts, profiles.BASELINE, [])
    prepared.obligations = [_columns(o) for o in evaluation.created]
    prepared.recheck_at = evaluation.rechecks[prepared.case_id]
    prepared.planned = True


# The reading process computes the obligations of two rows in three, the importing
# process those of the third: with all of them the reading process was the slower of
# the two (docs/performance.md).
READER_SHARE = 3
_read = itertools.count(1)


def prepare_record(record: Record, context: Context, clean: bool) -> None:
    """For the reading process: the prepared row, or its problems, on the record.
    Once the file has a problem (not `clean`) it is refused: no more obligations."""
    plan = clean and next(_read) % READER_SHARE != 0
    try:
        record.prepared = prepare(
            record.values, context, row=record.row, file=record.file, plan=plan
        )
    except RowRefusedError as refused:
        record.problems.extend(refused.problems)


def pairs(values: dict[str, Value], wanted: tuple[Field, ...]) -> list[tuple[str, str]]:
    """(label, value as text) of the `wanted` fields the row has, for `convert.pack`:
    dates in ISO form, codes by their labels (read back by `values.parse`)."""
    found = []
    for f in wanted:
        value = values.get(f.name)
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif f.codes:
            value = dict(f.codes).get(str(value), str(value))
        found.append((f.label, str(value)))
    return found


def _columns(obligation: Obligation) -> dict[str, Any]:
    return {name: getattr(obligation, name) for name in _OBLIGATION_COLUMNS}


def decision_data(values: dict[str, Value]) -> list[dict[str, str]]:
    """The identification decisions the row's trafficking status stands for."""
    status = str(values.get("vic_TraffickingStatus", ""))
    org = str(values.get("vic_TraffickingStatusDecisionMakingOrg", ""))
    return [dict(one) for one in _decisions(status, org, get_language())]


@lru_cache(maxsize=256)
def _decisions(
    status: str, org: str, language: str | None
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Made once for each status, organisation and language (a few in a batch)."""
    decided_by = convert.ORG_LABEL.get(org) or _("Not stated in the HTCDS file")
    reasons = _(
        "Recorded from an HTCDS 2.0 import: trafficking status %(status)s, decided by "
        "%(org)s. The file gives neither the date nor the reasons of the decision."
    ) % {"status": status, "org": org or "-"}
    return tuple(
        (
            ("stage", stage),
            ("finding", finding),
            ("decided_by", decided_by),
            ("reasons", reasons),
        )
        for stage, finding in convert.DECISIONS.get(status, ())
    )


def decision_times(now: datetime, count: int) -> list[datetime]:
    """Whole seconds apart, the last at the import's second: in this order in the
    case file whatever their ids (a conclusive decision follows the one on reasonable
    grounds), and never after the import."""
    last = now.replace(microsecond=0)
    return [last - timedelta(seconds=count - 1 - n) for n in range(count)]


def _date(value: Value | None) -> date | None:
    return value if isinstance(value, date) else None


def _tuple(value: Value | None) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _field(key: str) -> str:
    if key.startswith("nationalities."):
        return "prs_Citizenship"
    return _FIELDS.get(key, "")
