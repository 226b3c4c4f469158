"""A protected consular notice goes to a legal officer (resolution 4(h); UNHCR
Detention Guidelines, Guideline 9.4): where the detaining State's list makes notifying
the consulate mandatory but the person is an asylum seeker or refugee, the engine
escalates the duty (`consular.mandatory_notification`, status `escalated`), and the
case goes to the agency's legal officers through an oversight escalation, raised in
the same transaction as the fact that made it so. Only a legal officer who may take
that escalation records the decision (`legal_review_completed`: notify or withhold);
a case worker cannot record it for them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User, is_enforcement
from amparo.cases.models import Case
from amparo.oversight.actions import escalate_case
from amparo.oversight.models import Escalation
from amparo.oversight.queries import open_escalations
from amparo.safeguards.models import Obligation
from amparo.safeguards.obligations import Status

PROTECTED_RULE = "consular.mandatory_notification"
DECISION_KIND = "legal_review_completed"


def escalated_notices(case: Case) -> list[Obligation]:
    """The case's protected notices waiting for a legal officer's decision."""
    return list(
        Obligation.objects.filter(
            case=case, rule_id=PROTECTED_RULE, status=Status.ESCALATED
        ).order_by("key")
    )


def escalate_protected_notices(case: Case, acting_user: User) -> Escalation | None:
    """Raise an escalation for the case's protected notices unless one is open; for
    the caller's transaction (a fact was just recorded)."""
    notices = escalated_notices(case)
    if not notices or not acting_user.works_on_cases:
        return None
    if Escalation.objects.filter(case=case, answered_at__isnull=True).exists():
        return None
    countries = ", ".join(notice.key for notice in notices)
    question = _(
        "The detaining State's list makes notifying the consulate of %(countries)s "
        "of this detention mandatory, but the person is an asylum seeker or refugee. "
        "Decide whether to notify it or withhold the notice, and record the decision "
        "on the case's safeguards."
    ) % {"countries": countries}
    return escalate_case(case, acting_user=acting_user, question=question)


def check_reviewer(case: Case, user: User) -> None:
    """PermissionError unless `user` is a legal officer who may take an open
    escalation of `case` (the only way they see it)."""
    if (
        user.role != User.Role.LEGAL_OFFICER
        or user.agency_id != case.agency_id
        or is_enforcement(user.agency)
        or not open_escalations(user).filter(case=case).exists()
    ):
        raise PermissionError("Only a legal officer the case is escalated to decides.")


def refuse_decision(kind: str) -> None:
    """A case worker records every fact but the legal officer's decision."""
    if kind == DECISION_KIND:
        raise ValidationError(
            {
                "kind": _(
                    "A legal officer records this decision, from the case's escalation."
                )
            }
        )
