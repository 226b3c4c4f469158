"""An HTCDS file as a stream of checked rows, read once, with bounded memory: an Excel
workbook, an XForm instance or a zip of instances, told apart by their content.

`stream` yields `Opened` (the format, and the problems that refuse the file whole),
then a `rows.Record` per row (or a `rows.Problem` for an instance that cannot be
read), then `Closed` (what the reader noticed on the way). `stream_in_process` is
the same stream produced by a second process: parsing a workbook is most of an
import's work and uses one core, so the importing process writes while the other
reads (`actions.import_batch`).

Pure Python: no Django import, so the second process starts without Django.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amparo.htcds.excel import ExcelReader, FileRefusedError
from amparo.htcds.rows import Context, Problem, Record, check
from amparo.htcds.values import _
from amparo.htcds.xform import XFormReader

XLSX = "xlsx"
XFORM = "xform"
CHUNK = 500  # rows a second process sends at once
AHEAD = 8  # chunks it may read ahead: what bounds the memory between the processes


@dataclass
class Opened:
    format: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Closed:
    unknown_used: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


Item = Opened | Record | Problem | Closed


def detect(path: Path) -> str | None:
    """XLSX, XFORM, or None for anything else."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        return XLSX if "xl/workbook.xml" in names else XFORM
    with path.open("rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return XFORM if start.startswith(b"<") else None


# Called with each valid row, and whether the file has had no problem so far.
Prepare = Callable[[Record, Context, bool], None]


def stream(
    path: Path, context: Context, prepare: Prepare | None = None
) -> Iterator[Item]:
    kind = detect(path)
    if kind is None:
        yield Opened(
            "",
            [Problem("", _("not an HTCDS file: expected an .xlsx workbook, an XForm "
                           "instance (.xml) or a .zip of instances"))],
        )  # fmt: skip
        yield Closed()
        return
    reader: ExcelReader | XFormReader
    try:
        reader = ExcelReader(path) if kind == XLSX else XFormReader(path)
    except FileRefusedError as refused:
        yield Opened(kind, refused.problems)
        yield Closed()
        return
    yield Opened(kind)
    excel = kind == XLSX
    clean = True
    try:
        for raw in reader.rows():
            if isinstance(raw, Problem):
                clean = False
                yield raw
                continue
            record = check(raw, context, excel=excel)
            if prepare is not None and record.valid:
                prepare(record, context, clean)
            clean = clean and record.valid
            yield record
    finally:
        reader.close()
    yield Closed(
        sorted(reader.unknown_used),
        sorted(getattr(reader, "versions", ())),
        reader.notes,
    )


@dataclass(frozen=True)
class Setup:
    """What the second process needs to prepare valid rows for Django's side: the
    settings module, the language of the messages, and the `Prepare` function's
    dotted path."""

    settings: str
    language: str
    prepare: str


def stream_in_process(
    path: Path, context: Context, setup: Setup | None = None
) -> Iterator[Item]:
    """`stream`, produced by a second Python process (`serve`) that shares nothing with
    this one, not even the open database connection; its items come pickled through a
    pipe, whose small buffer holds the two processes in step (bounded memory). With
    `setup`, that process also sets Django up and prepares each valid row. Falls back
    to this process where no process can be started (without preparing)."""
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", "from amparo.htcds.stream import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
    except OSError:
        yield from stream(path, context)
        return
    assert child.stdin is not None and child.stdout is not None  # noqa: S101 - piped
    try:
        child.stdin.write(pickle.dumps((str(path), context, setup)))
        child.stdin.close()
        while True:
            try:
                # Trusted: what our own child process pickled, never the file's bytes.
                chunk = pickle.load(child.stdout)  # noqa: S301
            except EOFError:
                raise RuntimeError(
                    f"the reading process ended early (exit status {child.wait()})"
                ) from None
            if chunk is None:
                break
            if isinstance(chunk, BaseException):
                raise chunk
            yield from chunk
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()


def serve() -> None:
    """The second process of `stream_in_process`: the path, context and set-up come
    pickled on standard input, chunks of items go pickled to standard output, then
    None. A thread writes them, up to `AHEAD` chunks behind the reading, so that the
    reading goes on while the importing process is busy writing to its database."""
    path, context, setup = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - our parent's
    chunks: queue.Queue[Any] = queue.Queue(AHEAD)
    sender = threading.Thread(target=_send, args=(chunks, sys.stdout.buffer))
    sender.start()
    chunk: list[Item] = []
    try:
        prepare = _set_up(setup) if setup is not None else None
        for item in stream(Path(path), context, prepare):
            chunk.append(item)
            if len(chunk) >= CHUNK:
                chunks.put(chunk)
                chunk = []
        chunks.put(chunk)
    except Exception as error:  # sent over, raised again in the importing process
        chunks.put(RuntimeError(f"{type(error).__name__}: {error}"))
    chunks.put(None)
    sender.join()


def _send(chunks: queue.Queue[Any], out: Any) -> None:
    while True:
        chunk = chunks.get()
        pickle.dump(chunk, out)
        if chunk is None:
            out.flush()
            return


def _set_up(setup: Setup) -> Prepare:
    """Django, in the second process only: imported here, so that reading a file
    needs none."""
    os.environ["DJANGO_SETTINGS_MODULE"] = setup.settings
    import django
    from django.utils import translation
    from django.utils.module_loading import import_string

    django.setup()
    translation.activate(setup.language)
    prepare: Prepare = import_string(setup.prepare)
    return prepare
