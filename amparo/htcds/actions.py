"""Importing and exporting HTCDS files. A supervisor's work: a file is a list of
trafficking victims, special-category data all of it.

An import is all-or-nothing. The file is read once, as a stream (`stream`), every row
checked; rows are written in chunks inside one transaction while no row has failed,
and the transaction is rolled back at the end if any did. Nothing of a refused file
is ever committed, every problem is reported (the first `report.MAX_PROBLEMS` in
full), and a 100,000-row workbook is read once, not twice. A large file is read,
checked and prepared (`prepare`) by a second process while this one writes
(docs/performance.md).
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record as audit
from amparo.cases.models import Case
from amparo.htcds import exporting, writer
from amparo.htcds.build import Basis, Batch, build, consent_for
from amparo.htcds.bulk import BulkWriter, check_facts
from amparo.htcds.convert import NARROWED_GENDERS
from amparo.htcds.prepare import plan_obligations, prepare
from amparo.htcds.queries import active_owners, cases_for_export, imported_before
from amparo.htcds.report import NARROWED, NOT_E164, ImportReport, message
from amparo.htcds.rows import Context, Problem, Record, RowRefusedError
from amparo.htcds.stream import XFORM, Closed, Opened, Setup, stream, stream_in_process
from amparo.people.actions import consent_errors
from amparo.people.models import Person

# From this size on, a second process reads the file while this one writes.
SECOND_PROCESS_FROM = 2 * 1024**2
SQLITE_CACHE_KIB = 256 * 1024
# The ODS's notes on the phone fields.
_E164 = re.compile(r"\+?[1-9]\d{1,14}")


def _require_supervisor(user: User) -> None:
    if not user.works_on_cases or user.role != User.Role.SUPERVISOR:
        raise PermissionError("Only a supervisor imports or exports HTCDS files.")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def check_options(user: User, basis: Basis, risk: str) -> None:
    """The batch's choices, refused with a ValidationError keyed by option."""
    if risk not in Case.Risk.values:
        raise ValidationError({"risk": _("Choose a risk level.")})
    today = timezone.localdate()
    batch = Batch(user, timezone.now(), today, "", {}, basis)
    person = Person(agency_id=batch.agency_id)
    errors = consent_errors(consent_for(person, True, batch), today=today)
    if basis.other:
        if basis.other == "consent":
            errors.setdefault("basis", []).append(
                _("Choose a basis other than consent.")
            )
        errors.update(consent_errors(consent_for(person, False, batch), today=today))
    if errors:
        raise ValidationError(errors)


def import_batch(
    path: Path,
    *,
    acting_user: User,
    basis: Basis | None = None,
    risk: str = Case.Risk.HIGH,
    dry_run: bool = False,
    second_process: bool | None = None,
) -> ImportReport:
    """Import the HTCDS file at `path` into the acting supervisor's agency, or with
    `dry_run` only check it. The report lists every problem; a file with any is
    refused whole (nothing written). Rows without consent need `basis.other`."""
    _require_supervisor(acting_user)
    basis = basis or Basis()
    check_options(acting_user, basis, risk)
    report = ImportReport(dry_run=dry_run, sha256=file_sha256(path))
    earlier = imported_before(acting_user, report.sha256)
    if earlier is not None:
        report.add(
            Problem("", gettext_noop("this file was imported already, on %(value)s"),
                    {"value": f"{earlier.created_at:%Y-%m-%d} ({earlier.sha256[:12]})"})
        )  # fmt: skip
        return report
    owners = active_owners(acting_user)
    now = timezone.now()
    batch = Batch(
        acting_user, now, timezone.localdate(), report.sha256[:12], owners, basis, risk
    )
    context = Context(
        batch.today,
        frozenset(owners),
        other_basis=bool(basis.other),
        now=now,
        actor=str(acting_user.pk),
        agency=batch.agency_id,
    )
    if second_process is None:
        second_process = not dry_run and path.stat().st_size >= SECOND_PROCESS_FROM
    if second_process:
        items = stream_in_process(path, context, _setup())
    else:
        items = stream(path, context)
    with _large_cache(), _cyclic_gc_paused(), transaction.atomic():
        bulk = None if dry_run else BulkWriter(batch, report)
        _read(items, batch, context, report, bulk)
        if report.refused or bulk is None:
            transaction.set_rollback(True)
            return report
        bulk.finish()
    return report


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while rows are read and written: an import makes
    millions of short-lived objects, freed by their reference counts, and the
    collector walking the growing heap again and again took a large share of its
    time. Each chunk's leftovers are collected once it is written (`BulkWriter`)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _large_cache() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes an import writes to (the
    default 2 MB made each insert re-read index pages from the file); as before after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _setup() -> Setup | None:
    """The second process prepares the rows' persons too, when it can set Django up
    as this process is (its settings module named in the environment)."""
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE")
    if not settings_module:
        return None
    return Setup(
        settings_module, get_language() or "en", "amparo.htcds.prepare.prepare_record"
    )


def _read(
    items: Any,
    batch: Batch,
    context: Context,
    report: ImportReport,
    bulk: BulkWriter | None,
) -> None:
    notes: Counter[str] = Counter()
    ordinal = 0
    for item in items:
        if isinstance(item, Opened):
            report.format = item.format
            for problem in item.problems:
                report.add(problem)
        elif isinstance(item, Problem):
            report.rows += 1
            report.add(item)
        elif isinstance(item, Record):
            report.rows += 1
            ordinal += 1
            _row(item, ordinal, batch, context, report, bulk, notes)
        elif isinstance(item, Closed):
            report.unknown = item.unknown_used
            report.form_versions = item.versions
            report.notes += [message(p) for p in item.notes]
    report.notes += [f"{count}: {message}" for message, count in notes.items()]


def _row(
    record: Record,
    ordinal: int,
    batch: Batch,
    context: Context,
    report: ImportReport,
    bulk: BulkWriter | None,
    notes: Counter[str],
) -> None:
    for name in record.unheld:
        report.not_imported[name] = report.not_imported.get(name, 0) + 1
    for problem in record.problems:
        report.add(problem)
    if record.problems:
        return
    values = record.values
    if values.get("prs_Gender") in NARROWED_GENDERS:
        notes[str(NARROWED)] += 1
    for phone in ("prs_HomePhone", "prs_MobilePhone"):
        if phone in values and not _is_e164(str(values[phone])):
            notes[str(NOT_E164)] += 1
    row, file = record.row, record.file
    try:
        prepared = record.prepared or prepare(
            values, context, row=row, file=file, plan=False
        )
        if not prepared.planned and not report.refused:
            plan_obligations(prepared, context)
        reference = bulk.reference() if bulk is not None else ""
        built = build(values, prepared, batch, reference=reference, row=row, file=file)
        check_facts(built, batch)
    except RowRefusedError as refused:
        for problem in refused.problems:
            report.add(problem)
        return
    if bulk is not None and not report.refused:
        bulk.add(built, record.row if record.row is not None else ordinal)


def _is_e164(phone: str) -> bool:
    return _E164.fullmatch(phone.replace(" ", "")) is not None


@dataclass
class ExportResult:
    count: int
    sha256: str
    losses: dict[str, int] = field(default_factory=dict)


def export_cases(
    path: Path, *, acting_user: User, format: str = "xlsx"
) -> ExportResult:
    """Write the trafficking cases the supervisor may see (`queries.cases_for_export`)
    to `path`: the Excel template's layout, or XForm instances in a zip (`xform`)."""
    _require_supervisor(acting_user)
    cases = cases_for_export(acting_user)
    losses: exporting.Losses = Counter()
    ids: list[str] = []

    def rows() -> Any:
        for case in cases.iterator(chunk_size=1000):
            ids.append(str(case.pk))
            values = exporting.row_of(case, losses)
            yield exporting.for_xform(values, losses) if format == XFORM else values

    with transaction.atomic():
        if format == XFORM:
            writer.write_xform(rows(), path)
        else:
            writer.write_xlsx(rows(), path, count=cases.count())
        digest = file_sha256(path)
        assert acting_user.agency is not None  # noqa: S101 - a supervisor's
        audit(
            acting_user,
            "htcds.export.written",
            acting_user.agency,
            {"format": format, "count": len(ids), "sha256": digest, "cases": ids},
        )
    return ExportResult(len(ids), digest, dict(losses))
