import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.audit.queries import verify_chain


class Command(BaseCommand):
    help = "Work with the audit trail. `amparo audit verify` checks its hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser(
            "verify", help="Check every link; exit 1 at the first broken one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = verify_chain()
        elapsed = time.perf_counter() - started
        if result.first_break is not None:
            broken = result.first_break
            raise CommandError(
                f"Audit chain broken at event {broken.sequence} ({broken.reason}); "
                f"{result.checked} events before it are intact."
            )
        self.stdout.write(
            f"Audit chain intact: {result.checked} events in {elapsed:.1f} s."
        )
