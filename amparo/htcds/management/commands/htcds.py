"""`amparo htcds import FILE --as USERNAME [--dry-run]` and `amparo htcds export --as
USERNAME --out FILE [--format xlsx|xform]`: HTCDS 2.0 files, as a supervisor of the
agency would import or export them on the page. A refused file exits non-zero with
every problem listed (row and field) and nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.htcds.actions import export_cases, import_batch
from amparo.htcds.build import Basis
from amparo.htcds.report import lines, losses_lines
from amparo.people.models import Consent

_OTHER_BASES = [b for b in Consent.Basis.values if b != Consent.Basis.CONSENT]


class Command(BaseCommand):
    help = (
        "HTCDS 2.0 files. `amparo htcds import FILE --as USERNAME` imports the trafficking "
        "cases of an Excel template or XForm submissions (all or nothing); `amparo htcds "
        "export --as USERNAME --out FILE` writes the cases the user may see."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser(
            "import", help="Import an HTCDS file, all or nothing"
        )
        load.add_argument(
            "file", type=Path, help=".xlsx, an XForm instance .xml, or a .zip of them"
        )
        load.add_argument("--as", dest="username", required=True, help="a supervisor")
        load.add_argument(
            "--dry-run", action="store_true", help="Check only; write nothing"
        )
        load.add_argument(
            "--consent-method", choices=Consent.Method.values, default=Consent.Method.ORAL,
            help="How the consent of rows with Consent TRUE was obtained (default: oral, "
            "at the interview, as the standard's guidance describes)",
        )  # fmt: skip
        load.add_argument(
            "--basis", choices=_OTHER_BASES, default="",
            help="The lawful basis of the rows without consent (FALSE or empty)",
        )  # fmt: skip
        load.add_argument(
            "--justification", default="", help="Why that basis (with --basis)"
        )
        load.add_argument("--risk", choices=Case.Risk.values, default=Case.Risk.HIGH)
        out = commands.add_parser("export", help="Export the trafficking cases")
        out.add_argument("--as", dest="username", required=True, help="a supervisor")
        out.add_argument("--out", type=Path, required=True, help="the file to write")
        out.add_argument("--format", choices=("xlsx", "xform"), default="xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["username"])
        try:
            if options["command"] == "import":
                self._import(user, options)
            else:
                self._export(user, options)
        except PermissionError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _import(self, user: User, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        basis = Basis(
            options["consent_method"], options["basis"], options["justification"]
        )
        report = import_batch(
            path,
            acting_user=user,
            basis=basis,
            risk=options["risk"],
            dry_run=options["dry_run"],
        )
        for line in lines(report):
            self.stdout.write(line)
        if report.refused:
            raise CommandError(
                _("Refused: %(count)s problems in %(rows)s rows; nothing was imported.")
                % {"count": report.problem_count, "rows": report.rows}
            )
        if report.dry_run:
            self.stdout.write(
                _("Dry run: %(rows)s rows would be imported; nothing was written.")
                % {"rows": report.rows}
            )
        else:
            self.stdout.write(
                _("Imported %(count)s cases (file SHA-256 %(sha)s).")
                % {"count": report.imported, "sha": report.sha256}
            )

    def _export(self, user: User, options: dict[str, Any]) -> None:
        result = export_cases(
            options["out"], acting_user=user, format=options["format"]
        )
        for line in losses_lines(result.losses):
            self.stdout.write(line)
        self.stdout.write(
            _("Exported %(count)s cases to %(path)s (SHA-256 %(sha)s).")
            % {"count": result.count, "path": options["out"], "sha": result.sha256}
        )


def _user(username: str) -> User:
    try:
        return User.objects.select_related("agency").get(
            username=username, is_active=True
        )
    except User.DoesNotExist:
        raise CommandError(_("No active user %(name)s.") % {"name": username}) from None
