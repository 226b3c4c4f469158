"""What recording a referral's facts checks: that they say what the referral in the
database says. `services.actions` writes both in one transaction; the checks keep the
case-file API and the fact form from recording a referral nobody sent, or a move it
never made."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.safeguards.actions import register_precondition
from amparo.safeguards.facts import CaseFile, Fact
from amparo.services.models import ServiceReferral


@register_precondition("service_referred", "service_referral_updated")
def matches_referral(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    key = _uuid(new.get("referral"))
    referral = (
        ServiceReferral.objects.filter(pk=key, case=case).first() if key else None
    )
    if referral is None:
        raise ValidationError(
            {
                "kind": _(
                    "A referral is recorded by sending it from the case's referrals "
                    "to services, not as a fact."
                )
            }
        )
    if new.kind == "service_referred":
        if (new.get("service"), new.get("urgency")) != (
            referral.service,
            referral.urgency,
        ):
            raise ValidationError(
                {"kind": _("This fact does not match the referral that was sent.")}
            )
        moment: datetime | None = referral.sent_at
    elif new.get("status") != referral.status:
        raise ValidationError(
            {"kind": _("This fact does not match the referral's status.")}
        )
    else:
        moment = _moment(referral, new.get("status"))
    # One fact per move, at the moment the referral records for it: a second, or a
    # backdated, copy would change what the rules see (an urgent referral accepted late
    # made to look accepted in time).
    if any(
        f.kind == new.kind
        and f.get("referral") == new.get("referral")
        and f.get("status") == new.get("status")
        for f in file.facts
    ):
        raise ValidationError({"kind": _("This move of the referral is recorded.")})
    if new.at != moment:
        raise ValidationError(
            {"at": _("The time is not the time the referral records for this move.")}
        )


def _moment(referral: ServiceReferral, status: object) -> datetime | None:
    moments: dict[str, datetime | None] = {
        "accepted": referral.accepted_at,
        "declined": referral.declined_at,
        "delivered": referral.delivered_at,
        "closed": referral.closed_at,
    }
    return moments.get(str(status))


def _uuid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
