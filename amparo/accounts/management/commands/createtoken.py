from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import ApiToken, User
from amparo.core.errors import describe


class Command(BaseCommand):
    help = (
        "Issue an API token for a user: read-only unless --scope read_write, expiring "
        "after --days (90). The token is printed once and never stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default="read")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {options['username']!r}.")
        if not options["name"].strip():
            raise CommandError("--name must say what the token is for.")
        try:
            _token, raw = issue_api_token(
                user,
                name=options["name"].strip(),
                acting_user=user,
                scope=options["scope"],
                days=options["days"],
            )
        except ValidationError as error:
            raise CommandError(describe(error)) from None
        self.stdout.write(raw)
