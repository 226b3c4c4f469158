from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import User
from amparo.accounts.two_factor import reset_second_factor


class Command(BaseCommand):
    help = (
        "Forget a user's authenticator app (a lost or replaced phone); at the next "
        "login they link a new one. Check who is asking before you run it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        removed = reset_second_factor(user, acting_user=None)
        self.stdout.write(f"Removed {removed} authenticator(s) of {user.username}.")
