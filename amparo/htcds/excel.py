"""Reading the HTCDS Excel template (`HTCDS_Excel_Spreadsheet_v2.0.xlsx` and files filled
from it), streaming: openpyxl's read-only mode gives one row at a time.

The columns are found by their **visible** headers (row 2 of the template), whatever
their order: the hidden row 1 names the wrong fields over N, O, Q and R (D27), so a
file is never read by it. A file whose row 1 was deleted (the labels then in row 1) is
read the same way. Column A (a row counter, no header) and rows with nothing but it
are skipped. The sheet is the workbook's first, whatever its name.

Pure Python: no Django import.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from amparo.htcds.mapping import TEMPLATE_FIELDS
from amparo.htcds.rows import Problem, RawRow
from amparo.htcds.values import _

# A workbook larger than this once unzipped, or with shared strings larger than the
# second, is refused before it is opened: a small zip can unpack to gigabytes.
MAX_UNZIPPED = 2 * 1024**3
MAX_SHARED_STRINGS = 256 * 1024**2


class FileRefusedError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


def _label(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\u00a0", " ").split()).casefold()


_LABELS = {_label(f.label): f.name for f in TEMPLATE_FIELDS}


class ExcelReader:
    """`rows()` yields a RawRow for each row with a value. Opening raises FileRefusedError
    (the file is no workbook, or its headers are wrong). Afterwards `unknown_used`
    names the columns with values that HTCDS does not define, and `notes` what was
    noticed about the headers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unknown_used: set[str] = set()
        self.notes: list[Problem] = []
        _check_zip(path)
        try:
            # A file object, not the path: openpyxl judges a path by its extension,
            # and an upload's temporary file has none.
            self._handle = path.open("rb")
            self._book = load_workbook(self._handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a broken file
            self.close()
            raise FileRefusedError(
                [Problem("", _("not a readable .xlsx workbook: %(value)s"),
                         {"value": str(error)[:60]})]
            ) from error  # fmt: skip
        self._rows = self._book.worksheets[0].iter_rows(values_only=True)
        first = next(self._rows, ())
        second = next(self._rows, ())
        self._first_data = 3
        self._pending: list[tuple[Any, ...]] = []
        if _matches(second) and _matches(second) >= _matches(first):
            self._columns, self._unknown = self._header(second)
            self._check_row1(first)
        elif _matches(first):
            self._columns, self._unknown = self._header(first)
            self._first_data = 2
            self._pending = [second]
        else:
            self.close()
            raise FileRefusedError(
                [Problem("", _("no HTCDS headers in row 1 or row 2: the template's "
                               "visible headers (row 2) are needed"))]
            )  # fmt: skip

    def _header(self, cells: tuple[Any, ...]) -> tuple[dict[int, str], dict[int, str]]:
        columns: dict[int, str] = {}
        unknown: dict[int, str] = {}
        problems = []
        for index, cell in enumerate(cells):
            name = _LABELS.get(_label(cell))
            if name is None:
                if index and isinstance(cell, str) and cell.strip():
                    unknown[index] = cell.strip()[:60]
            elif name in columns.values():
                problems.append(
                    Problem(name, _("the column %(value)s appears twice"),
                            {"value": get_column_letter(index + 1)})
                )  # fmt: skip
            else:
                columns[index] = name
        found = set(columns.values())
        problems.extend(
            Problem(f.name, _("missing column"))
            for f in TEMPLATE_FIELDS
            if f.name not in found
        )
        if problems:
            self.close()
            raise FileRefusedError(problems)
        return columns, unknown

    def _check_row1(self, cells: tuple[Any, ...]) -> None:
        """Say so when the hidden row 1 disagrees with the headers it sits over, as
        the official template's does: the file is read by the headers."""
        wrong = [
            get_column_letter(index + 1)
            for index, name in self._columns.items()
            if index < len(cells) and cells[index] not in (None, name)
        ]
        if wrong:
            self.notes.append(
                Problem("", _("row 1 names other fields than the headers in columns "
                              "%(value)s; read by the headers (row 2)"),
                        {"value": ", ".join(wrong)})
            )  # fmt: skip

    def rows(self) -> Iterator[RawRow]:
        number = self._first_data
        columns = list(self._columns.items())
        unknown = list(self._unknown.items())
        for cells in self._chain():
            width = len(cells)
            values = {name: cells[i] if i < width else None for i, name in columns}
            if any(v is not None and v != "" for v in values.values()):
                yield RawRow(values, row=number)
            for index, text in unknown:
                if index < width and cells[index] not in (None, ""):
                    self.unknown_used.add(text)
            number += 1
        self.close()

    def _chain(self) -> Iterator[tuple[Any, ...]]:
        yield from self._pending
        yield from self._rows

    def close(self) -> None:
        book = getattr(self, "_book", None)
        if book is not None:
            book.close()
        handle = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()


def _matches(cells: tuple[Any, ...]) -> int:
    return sum(1 for cell in cells if _label(cell) in _LABELS)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FileRefusedError(
            [Problem("", _("not an .xlsx workbook (not a zip archive): %(value)s"),
                     {"value": str(error)[:60]})]
        ) from error  # fmt: skip
    total = sum(m.file_size for m in members)
    strings = sum(
        m.file_size for m in members if m.filename.endswith("sharedStrings.xml")
    )
    if total > MAX_UNZIPPED or strings > MAX_SHARED_STRINGS:
        raise FileRefusedError(
            [Problem("", _("the workbook unpacks to %(value)s bytes, more than allowed"),
                     {"value": str(total)})]
        )  # fmt: skip
