"""What recording a protection fact checks beyond the case file's consistency
(`amparo.protection.checks`): an identification decision (reasonable grounds or
conclusive) is made by an authorised person, a supervisor, and never by whoever
screened the person (four eyes); the screening only suggests. Nothing is saved on a
refusal."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.safeguards.actions import register_precondition
from amparo.safeguards.facts import CaseFile, Fact

# Who may decide: the agency's supervisors (legal officers see a case only through an
# escalation, read-only).
DECIDING_ROLES = frozenset({User.Role.SUPERVISOR})


@register_precondition("trafficking_identified")
def authorised(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    if actor.role not in DECIDING_ROLES:
        raise ValidationError(
            {
                "kind": _(
                    "An identification decision is made by an authorised person (a "
                    "supervisor); the screening only suggests."
                )
            }
        )
    if any(
        f.kind == "trafficking_screened" and f.recorded_by == new.recorded_by
        for f in file.facts
    ):
        raise ValidationError(
            {
                "kind": _(
                    "You screened this person: another authorised person makes the "
                    "identification decision."
                )
            }
        )
