from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.core.crypto import Keyring
from amparo.core.fields import keyring
from amparo.core.rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Encryption keys. `keys new ID` prints a new key entry to put first in the "
        "keyring; `keys rotate` then re-encrypts every value with it (resumable)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        new = commands.add_parser("new", help="Print a new key entry")
        new.add_argument("key_id")
        commands.add_parser("rotate", help="Re-encrypt every value with the active key")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "new":
            if options["key_id"] in dict(keyring().keys):
                raise CommandError(
                    f"The keyring already has a key {options['key_id']!r}."
                )
            entry = Keyring.new_entry(options["key_id"])
            Keyring.parse(entry)  # the id must be a valid one
            self.stdout.write(entry)
            return
        self.stdout.write(f"Re-encrypting with key {keyring().active_id!r}…")
        for result in rotate_all(progress=lambda line: self.stderr.write(line)):
            self.stdout.write(
                f"{result.model}: {result.checked} rows checked, {result.rewritten} re-encrypted."
            )
