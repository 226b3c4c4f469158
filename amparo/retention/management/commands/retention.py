import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from amparo.retention.actions import run_retention
from amparo.retention.queries import RecordType, retention_days

DEFAULT_BATCH_SIZE = 500

_HEADINGS = {
    "erasure_request": "Approved erasure requests nothing blocks any more",
    RecordType.CLOSED_CASE.value: "Closed cases, {days} days after closing",
    RecordType.PERSON_WITHOUT_CASE.value: (
        "Persons on no case, {days} days after the last change to their record"
    ),
    RecordType.PERSON_AFTER_CASES.value: (
        "Persons whose every case is anonymised, {days} days after the last one"
    ),
}


def _batch_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


class Command(BaseCommand):
    help = (
        "Retention. `amparo retention run` anonymises every record past its retention "
        "period (AMPARO_RETENTION_*_DAYS) and carries out approved erasure requests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser(
            "run",
            help="Anonymise what is due, batch by batch (resumable, idempotent)",
        )
        run.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what is due now; change nothing",
        )
        run.add_argument(
            "--batch-size",
            type=_batch_size,
            default=DEFAULT_BATCH_SIZE,
            help=f"Records per transaction (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        counts = run_retention(
            now=timezone.now(),
            batch_size=options["batch_size"],
            dry_run=dry_run,
            progress=lambda line: self.stderr.write(line),
        )
        self.stdout.write(
            "Dry run: what is due now; nothing was changed."
            if dry_run
            else "Anonymised:"
        )
        periods = {t.value: retention_days(t) for t in RecordType}
        for key, count in counts.items():
            heading = _HEADINGS[key].format(days=periods.get(key, 0))
            self.stdout.write(f"  {heading}: {count}")
