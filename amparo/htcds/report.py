"""What an import or an export tells its user, in the user's language: each problem
with where and which field, what was not imported, what an export left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.htcds import exporting
from amparo.htcds.mapping import BY_NAME
from amparo.htcds.rows import Problem

MAX_PROBLEMS = 1000  # kept and shown; the rest are counted

LOSSES = {
    exporting.STATELESS_LOST: gettext_lazy(
        "nationalities HTCDS has no code for (statelessness): left out"
    ),
    exporting.IMPRECISE_BIRTH: gettext_lazy(
        "dates of birth known only to the month or year: left out (HTCDS has exact "
        "dates only)"
    ),
    exporting.FREE_CONTACT: gettext_lazy(
        "contacts written as free text, not as HTCDS fields: left out"
    ),
    exporting.UNREADABLE: gettext_lazy(
        "values written by hand in a form the export cannot read: left out"
    ),
    exporting.MORE_CITIZENSHIPS: gettext_lazy(
        "cases with more than one citizenship: the XLSForm takes one, the first"
    ),
    exporting.EXCEL_ONLY: gettext_lazy(
        "cases with case owner, outgoing referral or reason for closure, which the "
        "XLSForm does not have: left out"
    ),
}
NARROWED = gettext_lazy(
    "rows whose Gender is transgender: kept as the gender it names (Amparo records "
    "sex, not gender identity)"
)
NOT_E164 = gettext_lazy("phone numbers not in E.164 form: kept as written")


@dataclass
class ImportReport:
    format: str = ""
    sha256: str = ""
    rows: int = 0  # rows read (valid or not)
    imported: int = 0  # cases written (0 on a refusal or a dry run)
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    # Non-empty columns that were not imported: HTCDS fields Amparo does not keep
    # (name -> rows), and columns or elements HTCDS does not define.
    not_imported: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    form_versions: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.problem_count > 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def describe(problem: Problem) -> str:
    """`row 7, Birthdate (prs_Birthdate): not a date: 03/04/2021`."""
    return f"{where(problem)}: {message(problem)}"


def message(problem: Problem) -> str:
    """The problem's message alone, in the user's language."""
    text = _(problem.message)
    return text % problem.params if problem.params else text


def where(problem: Problem) -> str:
    parts = []
    if problem.row is not None:
        parts.append(_("row %(row)s") % {"row": problem.row})
    if problem.file:
        parts.append(_("file %(file)s") % {"file": problem.file})
    if problem.field:
        parts.append(field_name(problem.field))
    return ", ".join(parts) or _("the file")


def field_name(name: str) -> str:
    known = BY_NAME.get(name)
    return f"{known.label} ({name})" if known else name


def lines(report: ImportReport) -> list[str]:
    """The report as lines of text, for the command line and the page."""
    found = [describe(p) for p in report.problems]
    if report.problem_count > len(report.problems):
        found.append(
            _("… and %(count)s more problems (the first %(shown)s are shown).")
            % {
                "count": report.problem_count - len(report.problems),
                "shown": len(report.problems),
            }
        )
    found += [
        _("Not imported (Amparo does not keep it): %(field)s, in %(rows)s rows.")
        % {"field": field_name(name), "rows": rows}
        for name, rows in report.not_imported.items()
    ]
    found += [
        _("Not imported (not an HTCDS field): %(column)s.") % {"column": column}
        for column in report.unknown
    ]
    return found + report.notes


def losses_lines(losses: dict[str, int]) -> list[str]:
    return [f"{count}: {LOSSES[key]}" for key, count in sorted(losses.items())]
