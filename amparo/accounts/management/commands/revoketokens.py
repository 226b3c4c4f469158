from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.actions import revoke_api_tokens
from amparo.accounts.models import User


class Command(BaseCommand):
    help = "Revoke a user's API tokens (all of them, or those with --name)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Only the tokens with this name")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        count = revoke_api_tokens(user, acting_user=None, name=options["name"])
        self.stdout.write(f"Revoked {count} token(s) of {user.username}.")
