"""Every read of referrals and agreements. A referral is seen by the sending agency's
users who see its case, and by the recipient agency's supervisors (who receive and
assign incoming work); everyone else gets 404."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amparo.accounts.models import Agency, User
from amparo.audit.actions import record_denial, record_view
from amparo.cases.queries import cases_visible_to
from amparo.referrals.models import Referral, SharingAgreement


def agreement_in_force(
    from_agency_id: uuid.UUID | None, to_agency: Agency
) -> SharingAgreement | None:
    today = timezone.localdate()
    return (
        SharingAgreement.objects.filter(
            from_agency_id=from_agency_id,
            to_agency=to_agency,
            valid_from__lte=today,
            valid_until__gte=today,
            ended_at__isnull=True,
        )
        .order_by("-valid_until")
        .first()
    )


def agreements_of(user: User) -> QuerySet[SharingAgreement]:
    """The agreements of the user's agency, for its data-protection officer."""
    if user.role != User.Role.DPO or user.agency_id is None:
        return SharingAgreement.objects.none()
    return SharingAgreement.objects.filter(
        from_agency_id=user.agency_id
    ).select_related("to_agency", "recorded_by")


def receives_referrals(user: User) -> bool:
    return user.role == User.Role.SUPERVISOR and user.agency_id is not None


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or user.agency_id is None:
        return Referral.objects.none()
    scope = Q(case__in=cases_visible_to(user))
    if receives_referrals(user):
        scope |= Q(to_agency_id=user.agency_id)
    return Referral.objects.filter(scope).select_related(
        "case", "from_agency", "to_agency", "sent_by", "responded_by"
    )


def sent_by_agency_of(user: User) -> QuerySet[Referral]:
    return referrals_visible_to(user).filter(from_agency_id=user.agency_id)


def received_by_agency_of(user: User) -> QuerySet[Referral]:
    if not receives_referrals(user):
        return Referral.objects.none()
    return referrals_visible_to(user).filter(to_agency_id=user.agency_id)


def access_referral(user: User, referral_id: uuid.UUID | str) -> Referral:
    try:
        return referrals_visible_to(user).get(pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "referrals.referral", referral_id)
        raise Http404 from None


def view_referral(user: User, referral_id: uuid.UUID | str) -> Referral:
    """`access_referral` for showing what was shared: the view is audited."""
    referral = access_referral(user, referral_id)
    record_view(user, "referrals.referral.viewed", referral)
    return referral


def recipients_for(user: User) -> QuerySet[Agency]:
    """Every other agency: the form lists enforcement agencies too, so that sending to
    one is refused with the reason rather than silently impossible."""
    if user.agency_id is None:
        return Agency.objects.none()
    return Agency.objects.exclude(pk=user.agency_id).order_by("name")
