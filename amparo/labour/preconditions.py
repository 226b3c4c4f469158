"""A labour finding is recorded by the complaint or checklist it comes from, in the
same transaction: the case-file API and the fact form cannot record one nobody made."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.labour.models import Checklist, Complaint
from amparo.safeguards.actions import register_precondition
from amparo.safeguards.facts import CaseFile, Fact


@register_precondition("labour_finding")
def made_by_a_record(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    model = Complaint if new.get("source") == "complaint" else Checklist
    try:
        ref = uuid.UUID(str(new.get("ref")))
    except ValueError:
        ref = None
    if (
        ref is None
        or not model.objects.filter(pk=ref, case=case).exists()
        or any(
            f.kind == "labour_finding" and f.get("ref") == new.get("ref")
            for f in file.facts
        )
    ):
        raise ValidationError(
            {
                "kind": _(
                    "A labour finding is recorded with its complaint or checklist, "
                    "not as a fact."
                )
            }
        )
