from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.actions import issue_api_token
from amparo.accounts.models import User


class Command(BaseCommand):
    help = "Issue an API token for a user. The token is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {options['username']!r}.")
        if not options["name"].strip():
            raise CommandError("--name must say what the token is for.")
        _token, raw = issue_api_token(
            user, name=options["name"].strip(), acting_user=user
        )
        self.stdout.write(raw)
