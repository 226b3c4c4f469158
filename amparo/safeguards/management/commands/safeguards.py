"""`amparo safeguards ...`: the offline commands of `amparo.safeguards.cli` (`check`,
`rules`), which need no database. This wrapper only hands them the arguments, so they
behave the same here and under `python -m amparo.safeguards.cli`. Commands that need the
database (`refresh`, later) belong in this module, before the hand-over."""

import argparse
import io
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.safeguards import cli


class Command(BaseCommand):
    help = (
        "The safeguards engine. `amparo safeguards check FILE` evaluates case files "
        "offline; `amparo safeguards rules [RULE_ID]` lists or explains the rules."
    )
    requires_system_checks: list[str] = []

    def run_from_argv(self, argv: list[str]) -> None:
        # Django's own options (--settings, --verbosity) mean nothing here, and the
        # offline commands parse their arguments, print their usage and choose their
        # exit code themselves: `amparo safeguards check --help` is theirs.
        code = cli.main(argv[2:], stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr)
        sys.stdout.flush()
        if code:
            sys.exit(code)

    def add_arguments(self, parser: CommandParser) -> None:
        # For call_command("safeguards", "check", path): the words, as on the command line.
        parser.add_argument(
            "words",
            nargs=argparse.REMAINDER,
            help="check FILE [...] or rules [RULE_ID]: see `amparo safeguards --help`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main([*args, *options["words"]], stdout=out, stderr=err)
        self.stdout.write(out.getvalue(), ending="")
        self.stderr.write(err.getvalue(), ending="")
        if code:
            raise CommandError(f"exit status {code}", returncode=code)
