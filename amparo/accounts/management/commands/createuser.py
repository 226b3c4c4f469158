import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.actions import create_team, create_user
from amparo.accounts.models import Agency, User
from amparo.core.errors import describe


class Command(BaseCommand):
    help = (
        "Create a user of an agency. The password is read from AMPARO_PASSWORD, or "
        "asked for when a terminal is attached."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="Agency code")
        parser.add_argument("--role", required=True, choices=User.Role.values)
        parser.add_argument("--team", default="", help="Team name (created if new)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency has the code {options['agency']!r}.")
        password = os.environ.get("AMPARO_PASSWORD") or self._ask_password()
        team = None
        if options["team"]:
            team = agency.teams.filter(name=options["team"]).first()
            team = team or create_team(agency, options["team"])
        try:
            user = create_user(
                options["username"],
                agency=agency,
                role=options["role"],
                password=password,
                team=team,
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError(describe(error)) from None
        self.stdout.write(f"Created {user.role} {user.username} in {agency.name}.")

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError("Set AMPARO_PASSWORD, or run in a terminal to be asked.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password
