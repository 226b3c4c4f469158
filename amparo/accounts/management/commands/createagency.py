from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.actions import create_agency
from amparo.accounts.models import Agency
from amparo.core.errors import describe


class Command(BaseCommand):
    help = "Create an agency: the organisation that owns the records its users create."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Full name of the agency")
        parser.add_argument(
            "--code", default="", help="Short code used in case references"
        )
        parser.add_argument(
            "--kind",
            choices=Agency.Kind.values,
            default=Agency.Kind.PROTECTION,
            help="An enforcement agency's accounts never see a person or a case",
        )
        parser.add_argument(
            "--team-sharing",
            action="store_true",
            help="Case workers see their team's cases, not only those assigned to them",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = create_agency(
                options["name"],
                code=options["code"],
                team_sharing=options["team_sharing"],
                kind=options["kind"],
            )
        except ValidationError as error:
            raise CommandError(describe(error)) from None
        self.stdout.write(f"Created agency {agency.name} (code {agency.code}).")
