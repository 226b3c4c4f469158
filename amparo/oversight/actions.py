"""Every write of oversight: a data-protection officer's access to a case is granted
and ended; a case is escalated to a legal officer, who answers. One transaction each,
with its audit event and, where the case's team should know, a line on its timeline."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User, is_enforcement
from amparo.audit.actions import record as audit
from amparo.cases.models import Case, CaseEvent
from amparo.core.text import clean_text
from amparo.oversight.models import ContentAccessGrant, Escalation

DEFAULT_ACCESS_HOURS = 8
MIN_REASON_LENGTH = 20
MAX_REASON_LENGTH = 2_000
MAX_TEXT_LENGTH = 20_000


def max_access_hours() -> int:
    return int(settings.AMPARO_DPO_ACCESS_MAX_HOURS)


def default_access_hours() -> int:
    return min(DEFAULT_ACCESS_HOURS, max_access_hours())


def _lock_case(case: Case) -> None:
    """Take the case row's lock, so that two requests for the same case (a double
    click) are decided one after the other."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()


def _timeline(
    case: Case, user: User, kind: str, data: dict[str, Any], *, touch: bool
) -> None:
    now = timezone.now()
    CaseEvent.objects.create(
        case=case, occurred_at=now, actor=user, kind=kind, data=data
    )
    if touch:
        Case.objects.filter(pk=case.pk).update(updated_at=now)


@transaction.atomic
def grant_content_access(
    case: Case, *, dpo: User, reason: str, hours: int
) -> ContentAccessGrant:
    """Give the DPO read access to `case` for `hours`, for `reason`."""
    if (
        dpo.role != User.Role.DPO
        or dpo.agency_id is None
        or dpo.agency_id != case.agency_id
        or is_enforcement(dpo.agency)
    ):
        raise PermissionError("Only a DPO of the case's agency may ask for access.")
    reason = clean_text(
        reason, field="reason", max_length=MAX_REASON_LENGTH, required=True
    )
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Give the reason in at least %(count)s characters.")
                % {"count": MIN_REASON_LENGTH}
            }
        )
    if not 1 <= hours <= max_access_hours():
        raise ValidationError(
            {
                "hours": _("Choose between 1 and %(hours)s hours.")
                % {"hours": max_access_hours()}
            }
        )
    _lock_case(case)
    now = timezone.now()
    current = ContentAccessGrant.objects.filter(
        dpo=dpo, case=case, revoked_at__isnull=True, expires_at__gt=now
    ).first()
    if current is not None:
        until = formats.date_format(
            timezone.localtime(current.expires_at), "SHORT_DATETIME_FORMAT"
        )
        raise ValidationError(
            {
                "reference": _(
                    "You already have access to this case until %(until)s; end it "
                    "first to ask again."
                )
                % {"until": until}
            }
        )
    grant = ContentAccessGrant.objects.create(
        dpo=dpo,
        case=case,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    # The team sees that the DPO looked and until when, not why: a review can be
    # about the team itself. A look changes nothing, so the case keeps its place in
    # the "recently updated" lists.
    _timeline(
        case,
        dpo,
        CaseEvent.Kind.DPO_ACCESS,
        {"grant": str(grant.pk), "until": grant.expires_at.isoformat()},
        touch=False,
    )
    audit(
        dpo,
        "oversight.content_access.granted",
        case,
        {"grant": str(grant.pk), "hours": hours, "expires_at": grant.expires_at},
    )
    return grant


@transaction.atomic
def end_content_access(grant: ContentAccessGrant, *, dpo: User) -> ContentAccessGrant:
    """The DPO ends their access before it expires."""
    if grant.dpo_id != dpo.pk:
        raise PermissionError("Only the DPO who holds this access may end it.")
    ContentAccessGrant.objects.select_for_update().filter(pk=grant.pk).values_list(
        "pk"
    ).first()
    grant.refresh_from_db()
    now = timezone.now()
    if grant.revoked_at is not None or grant.expires_at <= now:
        raise ValidationError({"grant": _("This access has already ended.")})
    grant.revoked_at = now
    grant.save(update_fields=["revoked_at", "updated_at"])
    audit(dpo, "oversight.content_access.ended", grant.case, {"grant": str(grant.pk)})
    return grant


@transaction.atomic
def escalate_case(
    case: Case, *, acting_user: User, question: str, legal_officer: User | None = None
) -> Escalation:
    """Ask the agency's legal officers (or the one named) a question about `case`."""
    if not acting_user.works_on_cases or acting_user.agency_id != case.agency_id:
        raise PermissionError("Only the case's case workers and supervisors escalate.")
    question = clean_text(
        question, field="question", max_length=MAX_TEXT_LENGTH, required=True
    )
    if legal_officer is not None and (
        legal_officer.agency_id != case.agency_id
        or legal_officer.role != User.Role.LEGAL_OFFICER
        or not legal_officer.is_active
    ):
        raise ValidationError(
            {"legal_officer": _("Choose an active legal officer of your agency.")}
        )
    _lock_case(case)
    escalation = Escalation.objects.create(
        agency_id=case.agency_id,
        case=case,
        raised_by=acting_user,
        legal_officer=legal_officer,
        question=question,
    )
    data = {
        "escalation": str(escalation.pk),
        "legal_officer": legal_officer.pk if legal_officer else None,
    }
    _timeline(case, acting_user, CaseEvent.Kind.ESCALATED, data, touch=True)
    audit(acting_user, "oversight.escalation.raised", case, data)
    return escalation


@transaction.atomic
def answer_escalation(
    escalation: Escalation, *, acting_user: User, answer: str
) -> Escalation:
    """A legal officer answers; the escalation closes, and with it their view of the
    case."""
    if (
        acting_user.role != User.Role.LEGAL_OFFICER
        or acting_user.agency_id != escalation.agency_id
        or is_enforcement(acting_user.agency)
        or escalation.legal_officer_id not in (None, acting_user.pk)
    ):
        raise PermissionError("Only a legal officer it is addressed to may answer.")
    Escalation.objects.select_for_update().filter(pk=escalation.pk).values_list(
        "pk"
    ).first()
    escalation.refresh_from_db()
    if escalation.answered_at is not None:
        raise ValidationError({"answer": _("This escalation is already answered.")})
    escalation.answer = clean_text(
        answer, field="answer", max_length=MAX_TEXT_LENGTH, required=True
    )
    escalation.answered_by = acting_user
    escalation.answered_at = timezone.now()
    escalation.save(
        update_fields=["answer", "answered_by", "answered_at", "updated_at"]
    )
    data = {"escalation": str(escalation.pk)}
    _timeline(
        escalation.case,
        acting_user,
        CaseEvent.Kind.ESCALATION_ANSWERED,
        data,
        touch=True,
    )
    audit(acting_user, "oversight.escalation.answered", escalation.case, data)
    return escalation
