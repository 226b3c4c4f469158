"""Reading XForm submissions of the HTCDS XLSForm: instance documents whose root is
`<data id="htcds_xlsform">` (the instance of `htcds_xlsform.xml`), one `.xml` file or a
`.zip` of them, one case each.

Parsed with defusedxml, which refuses a document type declaration outright, so no
entity can expand (a "billion laughs") and no external file is read. Elements are
matched by local name, whatever their namespace (`orx:meta` or `meta`), and in any
order. An element the form has that a document lacks is read as empty (ODK writes
every one; other tools may not). The standard's names (`prs_FirstName`) are accepted
beside the form's (`prs_First_Name`, D1-D3).

Pure Python: no Django import.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

from amparo.htcds.excel import MAX_UNZIPPED, FileRefusedError
from amparo.htcds.mapping import BY_NAME, BY_XFORM, XFORM_FIELDS, XFORM_ID
from amparo.htcds.rows import Problem, RawRow
from amparo.htcds.values import _

MAX_INSTANCE = 1024**2  # bytes; the form's instance is a few kilobytes
MAX_INSTANCES = 1_000_000
_XFORM_ONLY = ("start", "end", "__version__", "meta/instanceID")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class XFormReader:
    """`rows()` yields a RawRow per instance document, or a Problem for a document
    that cannot be read as one (the batch is then refused). `unknown_used` names
    elements the form does not have that held a value; `versions` the form versions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unknown_used: set[str] = set()
        self.versions: set[str] = set()
        self.notes: list[Problem] = []
        self._seen: set[str] = set()
        self._zip = zipfile.is_zipfile(path)
        if self._zip:
            self._check_zip()

    def _check_zip(self) -> None:
        with zipfile.ZipFile(self.path) as archive:
            members = [m for m in archive.infolist() if _is_instance(m)]
        problems = []
        if not members:
            problems.append(Problem("", _("the zip archive holds no .xml instance")))
        if len(members) > MAX_INSTANCES:
            problems.append(
                Problem(
                    "",
                    _("more than %(value)s instances"),
                    {"value": str(MAX_INSTANCES)},
                )
            )
        if sum(m.file_size for m in members) > MAX_UNZIPPED:
            problems.append(Problem("", _("the archive unpacks to more than allowed")))
        if problems:
            raise FileRefusedError(problems)

    def rows(self) -> Iterator[RawRow | Problem]:
        if not self._zip:
            yield self._read(self.path.read_bytes()[: MAX_INSTANCE + 1], self.path.name)
            return
        with zipfile.ZipFile(self.path) as archive:
            members = sorted(
                (m for m in archive.infolist() if _is_instance(m)),
                key=lambda m: m.filename,
            )
            for member in members:
                if member.file_size > MAX_INSTANCE:
                    yield Problem(
                        "", _("an instance larger than 1 MB"), file=member.filename
                    )
                    continue
                with archive.open(member) as handle:
                    data = handle.read(MAX_INSTANCE + 1)
                yield self._read(data, member.filename)

    def _read(self, data: bytes, name: str) -> RawRow | Problem:
        if len(data) > MAX_INSTANCE:
            return Problem("", _("an instance larger than 1 MB"), file=name)
        try:
            root = fromstring(data, forbid_dtd=True)
        except DefusedXmlException:
            return Problem(
                "", _("a document type declaration or entities: refused"), file=name
            )
        except Exception as error:  # ParseError, or a decoding error
            return Problem(
                "", _("not well-formed XML: %(value)s"), {"value": str(error)[:60]},
                file=name,
            )  # fmt: skip
        if _local(root.tag) != "data" or root.get("id") != XFORM_ID:
            return Problem(
                "",
                _('not an instance of the HTCDS XLSForm (root <data id="%(value)s">)'),
                {"value": XFORM_ID},
                file=name,
            )
        if root.get("version"):
            self.versions.add(str(root.get("version"))[:60])
        return self._row(root, name)

    def _row(self, root: Any, name: str) -> RawRow | Problem:
        cells: dict[str, Any] = dict.fromkeys((f.name for f in XFORM_FIELDS), None)
        extra: dict[str, Any] = {}
        for element in root:
            local = _local(element.tag)
            if local == "meta":
                for child in element:
                    if _local(child.tag) == "instanceID":
                        extra["meta/instanceID"] = (child.text or "").strip()
                continue
            text = element.text if len(element) == 0 else None
            field = BY_XFORM.get(local) or BY_NAME.get(local)
            if field is not None and field.name in cells:
                cells[field.name] = text
            elif local in _XFORM_ONLY:
                extra[local] = (text or "").strip()
            elif (text or "").strip() or len(element):
                self.unknown_used.add(local[:60])
        instance = extra.get("meta/instanceID", "")
        if instance:
            if instance in self._seen:
                return Problem(
                    "instanceID", _("the same submission twice (%(value)s)"),
                    {"value": instance}, file=name,
                )  # fmt: skip
            self._seen.add(instance)
        return RawRow(cells, file=name, extra=extra)

    def close(self) -> None:
        return None


def _is_instance(member: zipfile.ZipInfo) -> bool:
    name = member.filename
    return (
        not member.is_dir()
        and name.lower().endswith(".xml")
        and not name.startswith("__MACOSX/")
    )
