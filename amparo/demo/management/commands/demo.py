import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.demo.actions import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load demo data: two agencies, one user per role and a synthetic population. "
        "Runs once: when the demo agency exists, nothing is added."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons", type=int, default=200, help="How many people (default 200)"
        )
        parser.add_argument("--seed", type=int, default=68179)
        parser.add_argument(
            "--print-logins", action="store_true", help="Print the demo logins"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["persons"] <= 5_000_000:
            raise CommandError("--persons must be between 1 and 5,000,000.")
        started = time.perf_counter()
        result = load_demo(persons=options["persons"], seed=options["seed"])
        if result.created:
            self.stdout.write(
                f"Loaded {result.persons} people and {result.cases} cases "
                f"in {time.perf_counter() - started:.1f} s."
            )
        else:
            self.stdout.write("Demo data is already loaded; nothing added.")
        if options["print_logins"]:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for username, role, *_rest, agency in DEMO_USERS:
                self.stdout.write(f"  {username:<13} {role.label:<13} agency: {agency}")
