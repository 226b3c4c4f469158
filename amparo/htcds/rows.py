"""One HTCDS row (an Excel row, an XForm instance) checked whole: each value
(`values.parse`), then what the values must say together. Every problem names where
(the Excel row number or the instance's file name) and which field.

Pure Python: no Django import. Readers and the import action pass these objects
between processes, so they hold only plain data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from amparo.htcds.mapping import BY_NAME
from amparo.htcds.values import BadValueError, Value, _, parse

# The codes that make a case closed (cas_Status).
CLOSED = frozenset({"Closed", "ClosedReferred"})


@dataclass(frozen=True)
class Problem:
    """Why (part of) a file is refused. `field` is an HTCDS name, or empty for the
    file itself; `message` an English template for `params` (`report.describe`)."""

    field: str
    message: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    row: int | None = None  # the Excel row number, as Excel shows it
    file: str = ""  # the XForm instance's file name


@dataclass(frozen=True)
class Context:
    """What a row is checked against beyond its own values."""

    today: date
    # Usernames that may own a case: active case workers and supervisors of the
    # importing agency.
    owners: frozenset[str] = frozenset()
    # Whether the importer stated a lawful basis for rows without consent.
    other_basis: bool = False
    # For preparing rows (`prepare.prepare`): the import's time, the importing
    # user's key (as text) and agency.
    now: datetime | None = None
    actor: str = ""
    agency: Any = None


@dataclass
class RawRow:
    cells: dict[str, Any]  # HTCDS name -> the value as the file holds it
    row: int | None = None
    file: str = ""
    extra: dict[str, Any] = dataclasses.field(
        default_factory=dict
    )  # XForm-only elements


@dataclass
class Record:
    """A row's values as the mapping holds them (empty fields left out), or its
    problems. `unheld` names its non-empty fields that Amparo does not keep."""

    values: dict[str, Value]
    problems: list[Problem]
    row: int | None = None
    file: str = ""
    unheld: frozenset[str] = frozenset()
    extra: dict[str, str] = dataclasses.field(default_factory=dict)
    # What the process reading the file prepared of it for Amparo, if it did
    # (`prepare.prepare_record`).
    prepared: Any = None

    @property
    def valid(self) -> bool:
        return not self.problems


def check(raw: RawRow, context: Context, *, excel: bool) -> Record:
    values: dict[str, Value] = {}
    problems: list[Problem] = []

    def refuse(name: str, message: str, **params: object) -> None:
        problems.append(
            Problem(
                name,
                message,
                {k: str(v)[:60] for k, v in params.items()},
                raw.row,
                raw.file,
            )
        )

    for name, cell in raw.cells.items():
        try:
            value = parse(BY_NAME[name], cell, excel=excel, today=context.today)
        except BadValueError as problem:
            refuse(name, problem.message, **problem.params)
            continue
        if value is not None and value != ():
            values[name] = value
    _check_together(values, context, refuse, {p.field for p in problems})
    unheld = frozenset(n for n in values if not BY_NAME[n].imported)
    extra = {k: str(v) for k, v in raw.extra.items() if v not in (None, "")}
    return Record(values, problems, raw.row, raw.file, unheld, extra)


def _check_together(
    values: dict[str, Value], context: Context, refuse: Any, failed: set[str]
) -> None:
    if not ({"prs_FirstName", "prs_SecondName"} & (values.keys() | failed)):
        refuse("prs_FirstName", _("a name is needed: First Name or Second Name"))
    if (
        "vic_TraffickingStatusDecisionMakingOrg" in values
        and "vic_TraffickingStatus" not in values
        and "vic_TraffickingStatus" not in failed
    ):
        refuse(
            "vic_TraffickingStatusDecisionMakingOrg",
            _("a decision-making organisation without a Trafficking Status"),
        )
    if "cas_ReasonForCaseClosure" in values and values.get("cas_Status") not in CLOSED:
        refuse(
            "cas_ReasonForCaseClosure",
            _("a reason for closure, but the Status is not Closed or Closed Referred"),
        )
    owner = values.get("cas_CaseOwner")
    if isinstance(owner, str) and owner not in context.owners:
        refuse(
            "cas_CaseOwner",
            _("no active case worker or supervisor of your agency has the username "
              "%(value)s"),
            value=owner,
        )  # fmt: skip
    if (
        values.get("con_Consent") is not True
        and not context.other_basis
        and "con_Consent" not in failed
    ):
        refuse(
            "con_Consent",
            _("no consent (FALSE or empty) and no other lawful basis stated for "
              "the batch"),
        )  # fmt: skip


class RowRefusedError(Exception):
    """A row Amparo refuses beyond its values' checks (its person's record, a text
    too long once combined): the problems name its row and fields."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems
