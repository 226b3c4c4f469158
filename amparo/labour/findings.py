"""What a domestic worker's ILO C189 checklist finds: each "no" a finding, with the
article it breaches and the complaint type it is, hence the forced-labour indicators
it shows. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.labour.codes import FORCED_LABOUR_INDICATORS, ComplaintType


@dataclass(frozen=True)
class Check:
    field: str
    article: str
    complaint_type: str
    finding: Promise


CHECKS = (
    Check(
        "written_contract",
        "ILO C189 art. 8",
        ComplaintType.CONTRACT_SUBSTITUTION,
        _("No written contract or job offer before travel."),
    ),
    Check(
        "keeps_documents",
        "ILO C189 art. 9(c)",
        ComplaintType.DOCUMENT_RETENTION,
        _("Does not keep their own travel and identity documents."),
    ),
    Check(
        "weekly_rest",
        "ILO C189 art. 10(2)",
        ComplaintType.EXCESSIVE_HOURS,
        _("No weekly rest of at least 24 consecutive hours."),
    ),
    Check(
        "paid_monthly",
        "ILO C189 art. 12(1)",
        ComplaintType.UNPAID_WAGES,
        _("Not paid at least once a month."),
    ),
    Check(
        "no_fees_deducted",
        "ILO C189 art. 15(1)(e)",
        ComplaintType.RECRUITMENT_FEES,
        _("Agency fees deducted from pay."),
    ),
)


def findings(answers: dict[str, bool]) -> list[Check]:
    """The checks answered "no"."""
    return [check for check in CHECKS if answers.get(check.field) is False]


def indicators(types: list[str]) -> list[str]:
    """The forced-labour indicators the complaint types show, each once, in order."""
    found: dict[str, None] = {}
    for code in types:
        found.update(dict.fromkeys(FORCED_LABOUR_INDICATORS.get(code, ())))
    return list(found)
