"""`amparo safeguards ...`: the offline commands of `amparo.safeguards.cli` (`check`,
`rules`), which need no database. This wrapper only hands them the arguments, so they
behave the same here and under `python -m amparo.safeguards.cli`. Commands that need the
database belong in this module, before the hand-over: `refresh`."""

import argparse
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.safeguards import cli

REFRESH = "refresh"


class Command(BaseCommand):
    help = (
        "The safeguards engine. `amparo safeguards check FILE` evaluates case files "
        "offline; `amparo safeguards rules [RULE_ID]` lists or explains the rules; "
        "`amparo safeguards refresh` re-evaluates the cases whose obligations time "
        "alone has changed (run it every minute)."
    )
    requires_system_checks: list[str] = []

    def run_from_argv(self, argv: list[str]) -> None:
        if argv[2:3] == [REFRESH]:
            # The database command: Django's set-up, then `handle`.
            super().run_from_argv(argv)
            return
        # Django's own options (--settings, --verbosity) mean nothing here, and the
        # offline commands parse their arguments, print their usage and choose their
        # exit code themselves: `amparo safeguards check --help` is theirs.
        # `amparo safeguards check|rules` run the same `cli.run` before Django's set-up
        # (amparo/cli.py); this way in remains for the rest (`amparo safeguards
        # --help`, `python -m django safeguards check ...`), and must say the same.
        cli.run(argv[2:])

    def add_arguments(self, parser: CommandParser) -> None:
        # For call_command("safeguards", "check", path): the words, as on the command line.
        parser.add_argument(
            "words",
            nargs=argparse.REMAINDER,
            help="check FILE [...], rules [RULE_ID] or refresh [--all | --jurisdiction "
            "CODE] [--batch-size N] [--processes N]: see `amparo safeguards --help`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        words = [*args, *options["words"]]
        if words[:1] == [REFRESH]:
            self._refresh(words[1:])
            return
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(words, stdout=out, stderr=err)
        self.stdout.write(out.getvalue(), ending="")
        self.stderr.write(err.getvalue(), ending="")
        if code:
            raise CommandError(f"exit status {code}", returncode=code)

    def _refresh(self, words: list[str]) -> None:
        # Imported here: `check` and `rules` need none of the database code.
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        from amparo.safeguards.actions import (
            REFRESH_BATCH,
            mark_for_refresh,
            refresh_due,
        )

        parser = argparse.ArgumentParser(
            prog="amparo safeguards refresh",
            description="Re-evaluate the cases with an obligation that time alone has "
            "changed (a deadline passed, a warning due), batch by batch; idempotent.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REFRESH_BATCH,
            help=f"cases per transaction (default {REFRESH_BATCH})",
        )
        parser.add_argument(
            "--processes",
            type=int,
            help="processes sharing a large refresh out, each with its own database "
            "connection (default: one per core, on PostgreSQL)",
        )
        everything = parser.add_mutually_exclusive_group()
        everything.add_argument(
            "--all",
            action="store_true",
            help="re-evaluate every case now, as after a change to the rules or the "
            "profiles (anonymised cases excepted)",
        )
        everything.add_argument(
            "--jurisdiction",
            metavar="CODE",
            help="re-evaluate every case judged by this profile now, as after a change "
            "to its figures",
        )
        try:
            options = parser.parse_args(words)
        except SystemExit as stop:
            if stop.code == 0:  # --help: printed, nothing else to do
                return
            raise CommandError("bad arguments", returncode=2) from stop
        if options.batch_size < 1:
            raise CommandError("--batch-size must be at least 1", returncode=2)
        if options.processes is not None and options.processes < 1:
            raise CommandError("--processes must be at least 1", returncode=2)
        now = timezone.now()
        if options.all or options.jurisdiction:
            try:
                mark_for_refresh(now=now, jurisdiction=options.jurisdiction)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages), returncode=2) from error
        changes = refresh_due(
            now=now, batch_size=options.batch_size, processes=options.processes
        )
        self.stdout.write(
            f"{changes.cases} cases re-evaluated: {changes.created} obligations "
            f"created, {changes.updated} updated, {changes.deleted} deleted."
        )
