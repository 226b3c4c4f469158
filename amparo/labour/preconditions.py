"""A labour finding is recorded by the complaint or checklist it comes from, in the
same transaction: the case-file API and the fact form cannot record one nobody made."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.labour import findings
from amparo.labour.models import Checklist, Complaint
from amparo.safeguards.actions import register_precondition
from amparo.safeguards.facts import CaseFile, Fact


@register_precondition("labour_finding")
def made_by_a_record(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    recorded = any(
        f.kind == "labour_finding" and f.get("ref") == new.get("ref")
        for f in file.facts
    )
    if recorded or _expected(case, new) != new.get("forced_labour_indicators"):
        raise ValidationError(
            {
                "kind": _(
                    "A labour finding is recorded with its complaint or checklist, "
                    "not as a fact."
                )
            }
        )


def _expected(case: Case, new: Fact) -> list[str] | None:
    """The indicators the referenced record shows, or None when there is no such
    record (the reference must be its id exactly as the action writes it)."""
    ref = str(new.get("ref"))
    try:
        if str(uuid.UUID(ref)) != ref:
            return None
    except ValueError:
        return None
    if new.get("source") == "complaint":
        complaint = Complaint.objects.filter(pk=ref, case=case).first()
        return None if complaint is None else findings.indicators([complaint.type])
    checklist = Checklist.objects.filter(pk=ref, case=case).first()
    if checklist is None:
        return None
    answers = {c.field: getattr(checklist, c.field) for c in findings.CHECKS}
    found = findings.findings(answers)
    if not found:
        return None
    return findings.indicators([c.complaint_type for c in found])
