"""Writing HTCDS files: the Excel template's layout and XForm instances in a zip.

The workbook has the official template's shape: row 1 the machine names (hidden),
row 2 the visible headers, data from row 3, a row counter in column A. Row 1 holds
the standard's **correct** names, not the official file's (which are wrong over N, O,
Q and R, misspelt over T and missing over AJ; docs/htcds.md D4, D27, D28). Several
codes in one cell are separated by `;`, as the import reads them.

Pure Python: no Django import.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from amparo.htcds.mapping import (
    BY_XFORM,
    TEMPLATE_FIELDS,
    XFORM_ID,
    XFORM_ORDER,
    XFORM_VERSION,
)
from amparo.htcds.values import Value

Row = dict[str, Value]
LAST_COLUMN = get_column_letter(len(TEMPLATE_FIELDS) + 1)


def write_xlsx(rows: Iterable[Row], path: Path, *, count: int) -> None:
    """`count` rows (said first, so that the sheet declares its size: a reader in
    read-only mode otherwise parses the whole sheet once more just to size it)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    # openpyxl writes a dimension when the sheet can compute one; a write-only sheet
    # cannot, so it is told (read by WorksheetWriter.write_dimensions, openpyxl 3.1).
    sheet.calculate_dimension = lambda: f"A1:{LAST_COLUMN}{count + 2}"
    sheet.row_dimensions[1].hidden = True
    bold = Font(name="Arial", size=10, bold=True)
    sheet.append([None, *(f.name for f in TEMPLATE_FIELDS)])
    sheet.append([None, *(_styled(sheet, f.label, bold) for f in TEMPLATE_FIELDS)])
    for number, row in enumerate(rows, start=1):
        sheet.append(
            [number, *(_cell(sheet, row.get(f.name)) for f in TEMPLATE_FIELDS)]
        )
    book.save(path)


def _styled(sheet: object, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.font = font
    return cell


def _cell(sheet: object, value: Value | None) -> object:
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, str) and value.startswith("="):
        # Text, never a formula: a name typed "=..." must not run in a spreadsheet.
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def write_xform(rows: Iterable[Row], path: Path) -> int:
    """One instance document per row, in a zip; returns how many."""
    count = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for count, row in enumerate(rows, start=1):
            archive.writestr(f"htcds-{count:06d}.xml", instance(row))
    return count


def instance(row: Row) -> bytes:
    root = ET.Element("data", {"id": XFORM_ID, "version": XFORM_VERSION})
    for name in XFORM_ORDER:
        element = ET.SubElement(root, name)
        if name == "__version__":
            element.text = XFORM_VERSION
        elif name in BY_XFORM and BY_XFORM[name].column:
            element.text = _text(row.get(BY_XFORM[name].name), name)
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "instanceID").text = f"uuid:{uuid.uuid4()}"
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _text(value: Value | None, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        # The form's citizenship is select_one: the first country only (the export
        # counts what it leaves out).
        return value[0] if name == "prs_Citizenship" and value else " ".join(value)
    return value
