import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Amparo over HTTP with Granian (WSGI). Put TLS in front in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker")

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not settings.DEBUG and not manifest.exists():
            raise CommandError(
                f"No collected static files in {settings.STATIC_ROOT}: "
                "run `amparo collectstatic` first."
            )
        # Workers are new processes: they must find the same settings.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
        self.stdout.write(f"Amparo is at http://{options['host']}:{options['port']}/")
        Granian(
            "amparo.wsgi:application",
            address=options["host"],
            port=options["port"],
            interface=Interfaces.WSGI,
            workers=options["workers"],
            blocking_threads=options["threads"],
            websockets=False,
        ).serve()
