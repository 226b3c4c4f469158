"""Writing many built rows at once (`build.Built`): a few INSERTs per table for each
chunk of rows, the chunk's obligations computed together, one audit event for the
batch. What the single-record actions check per fact (the case-file schema, the
contradictions, the domains' preconditions) is checked here too, once for each
distinct set of facts a row can make (there are only a handful)."""

from __future__ import annotations

import gc
import json
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F

from amparo.accounts.models import Agency
from amparo.audit.actions import record as audit
from amparo.cases.models import Case, CaseEvent, CaseType, Note
from amparo.htcds.build import Batch, Built
from amparo.htcds.inserts import insert
from amparo.htcds.models import ImportBatch, ImportedCase
from amparo.htcds.report import ImportReport
from amparo.htcds.rows import Problem, RowRefusedError
from amparo.people.models import Consent, NameKey, Nationality, Person, PersonName
from amparo.safeguards import casefile, profiles

# Private to safeguards.actions, and the very checks and obligation plan a bulk write
# needs: see the final report of the HTCDS work (a public name for them).
from amparo.safeguards.actions import _PRECONDITIONS
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.models import CaseFact, CaseSafeguards, Obligation

CHUNK = 1000
_checked: dict[tuple[str, str], bool] = {}


def check_facts(built: Built, batch: Batch) -> None:
    """The row's facts as `safeguards.actions.record_fact` checks them, recorded one
    after the other on a case that has no other."""
    if not built.facts:
        return
    key = (
        f"{batch.user.pk} {batch.user.role}",
        json.dumps([(f.kind, f.data_json) for f in built.facts]),
    )
    if key in _checked:
        return
    raw = [
        {"id": f"f{n}", "kind": f.kind, "at": f.at.isoformat(), "data": f.data}
        for n, f in enumerate(built.facts)
    ]
    document = {
        "case_id": "case",
        "person_id": "person",
        "jurisdiction": profiles.BASELINE,
    }
    try:
        casefile.parse(document | {"facts": raw})
        recorded: list[Fact] = []
        for one, fact in zip(raw, built.facts, strict=True):
            new = Fact(
                id=str(one["id"]), kind=fact.kind, at=fact.at,
                recorded_by=str(batch.user.pk), data=fact.data,
            )  # fmt: skip
            file = CaseFile("case", "person", profiles.BASELINE, tuple(recorded))
            for precondition in _PRECONDITIONS.get(new.kind, ()):
                precondition(built.case, batch.user, file, new, batch.now)
            recorded.append(new)
    except (casefile.CaseFileError, ValidationError, PermissionError) as error:
        raise RowRefusedError(
            [Problem("vic_TraffickingStatus", str(error)[:300])]
        ) from None
    _checked[key] = True


def _by_key(columns: dict[str, Any]) -> str:
    return str(columns["key"])


class BulkWriter:
    """Writes built rows in chunks, in the transaction of the import; `finish` ends
    the batch: the agency's case counter, the batch's row, its audit event."""

    def __init__(self, batch: Batch, report: ImportReport) -> None:
        self.batch = batch
        self.report = report
        agency_id = batch.agency_id
        # Locked until the import ends: case numbers follow on without a gap.
        agency = Agency.objects.select_for_update().get(pk=agency_id)
        self.prefix = f"{agency.code.upper()}-{batch.now.year}-"
        self.number = agency.case_counter
        self.first_number = self.number
        self.pending: list[tuple[Built, int]] = []
        self.row: ImportBatch | None = None
        self.counts: Counter[str] = Counter()

    def reference(self) -> str:
        self.number += 1
        return f"{self.prefix}{self.number:06d}"

    def add(self, built: Built, row: int) -> None:
        self.pending.append((built, row))
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if self.row is None:
            self.row = ImportBatch.objects.create(
                agency_id=self.batch.agency_id,
                imported_by=self.batch.user,
                sha256=self.report.sha256,
                format=self.report.format,
                rows=0,
            )
        rows = [b for b, _row in self.pending]
        insert(Person, [b.person for b in rows])
        insert(PersonName, [n for b in rows for n in b.names])
        # In the order of the search index (agency, key): written where the index's
        # pages already are, not scattered over all of them.
        insert(NameKey, sorted((k for b in rows for k in b.keys), key=_by_key))
        insert(Nationality, [n for b in rows for n in b.nationalities])
        insert(Consent, [b.consent for b in rows])
        insert(Case, [b.case for b in rows])
        insert(CaseType, [t for b in rows for t in b.types])
        insert(CaseFact, [f for b in rows for f in b.facts])
        insert(Note, [n for b in rows for n in b.notes])
        insert(CaseEvent, [e for b in rows for e in b.events])
        insert(
            ImportedCase,
            [
                {"batch_id": self.row.pk, "case_id": b.case.pk, "row": row}
                for b, row in self.pending
            ],
        )
        self.counts["obligations"] += self._obligations(rows)
        for built in rows:
            self._count(built)
        self.pending = []
        # The cyclic collector is paused for the import (`actions`): the chunk's
        # objects that hold each other are freed here, once.
        gc.collect(1)

    def _obligations(self, rows: list[Built]) -> int:
        """The new cases' obligations, as `safeguards.actions.recompute` stores those
        of a case evaluated for the first time (computed by `prepare.prepare`)."""
        obligations = [o for b in rows for o in b.obligations]
        insert(Obligation, obligations)
        insert(
            CaseSafeguards,
            [
                CaseSafeguards(
                    case_id=b.case.pk,
                    jurisdiction=profiles.BASELINE,
                    evaluated_at=self.batch.now,
                    recheck_at=b.recheck_at,
                )
                for b in rows
            ],
        )
        return len(obligations)

    def _count(self, built: Built) -> None:
        counts = self.counts
        counts["people.person.registered"] += 1
        counts["people.consent.recorded"] += 1
        counts["cases.case.opened"] += 1
        counts["safeguards.fact.recorded"] += len(built.facts)
        counts["cases.case.note_added"] += len(built.notes)
        kinds = {e["kind"] for e in built.events}
        counts["cases.case.status_changed"] += CaseEvent.Kind.STATUS_CHANGED in kinds
        counts["cases.case.closed"] += CaseEvent.Kind.CLOSED in kinds

    def finish(self) -> None:
        self.flush()
        report = self.report
        Agency.objects.filter(pk=self.batch.agency_id).update(
            case_counter=F("case_counter") + (self.number - self.first_number)
        )
        if self.row is None:  # an empty file: nothing was written, nothing to record
            return
        report.imported = self.counts["cases.case.opened"]
        ImportBatch.objects.filter(pk=self.row.pk).update(rows=report.imported)
        audit(
            self.batch.user,
            "htcds.batch.imported",
            self.row,
            {
                "sha256": report.sha256,
                "format": report.format,
                "count": report.imported,
                "form_versions": report.form_versions,
                # What the single-record actions would each have recorded.
                "recorded": {
                    k: v for k, v in sorted(self.counts.items()) if k != "obligations"
                },
                "obligations_created": self.counts["obligations"],
                "basis": {
                    "consent_method": self.batch.basis.consent_method,
                    "other": self.batch.basis.other,
                },
                "risk": self.batch.risk,
                "not_imported": sorted(report.not_imported),
                "unknown_columns": len(report.unknown),
            },
        )
