"""Every read of the service directory and of service referrals. The directory is seen
by every user of a protection agency (a provider's offer is no one's personal data).
A referral is seen by those who see its case, and, for a provider that is an agency of
this Amparo, by that agency's supervisors, who see only the fields chosen. Everyone
else gets 404."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from amparo.accounts.models import User, is_enforcement
from amparo.audit.actions import record_denial, record_view
from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.services.models import Provider, ServiceReferral

KEEPERS = frozenset({User.Role.SUPERVISOR, User.Role.AGENCY_ADMIN})


def sees_directory(user: User) -> bool:
    return (
        user.is_authenticated
        and user.agency is not None
        and not is_enforcement(user.agency)
    )


def keeps_directory(user: User) -> bool:
    return sees_directory(user) and user.role in KEEPERS


def directory(user: User) -> QuerySet[Provider]:
    """The providers a user can refer to (or, for those who keep the directory, also
    their agency's entries taken out of it)."""
    if not sees_directory(user):
        return Provider.objects.none()
    scope = Q(active=True)
    if keeps_directory(user) and user.agency_id is not None:
        scope |= Q(agency_id=user.agency_id)
    return (
        Provider.objects.filter(scope)
        .select_related("agency", "amparo_agency")
        .order_by("name", "id")
    )


def provider_to_change(user: User, provider_id: uuid.UUID | str) -> Provider:
    if keeps_directory(user) and user.agency_id is not None:
        try:
            return Provider.objects.get(pk=provider_id, agency_id=user.agency_id)
        except (Provider.DoesNotExist, ValueError, ValidationError):
            pass
    record_denial(user, "services.provider", provider_id)
    raise Http404


def answers_in_amparo(user: User) -> bool:
    """Supervisors receive and answer the referrals to their agency as a provider."""
    return (
        user.is_authenticated
        and user.role == User.Role.SUPERVISOR
        and user.agency is not None
        and not is_enforcement(user.agency)
    )


def referrals_visible_to(user: User) -> QuerySet[ServiceReferral]:
    if not user.is_authenticated or user.agency_id is None:
        return ServiceReferral.objects.none()
    scope = Q(case__in=cases_visible_to(user))
    if answers_in_amparo(user):
        scope |= Q(provider__amparo_agency_id=user.agency_id)
    return ServiceReferral.objects.filter(scope).select_related(
        "case", "provider", "sent_by"
    )


def received_by_agency_of(user: User) -> QuerySet[ServiceReferral]:
    if not answers_in_amparo(user):
        return ServiceReferral.objects.none()
    return referrals_visible_to(user).filter(provider__amparo_agency_id=user.agency_id)


def sent_by_agency_of(user: User) -> QuerySet[ServiceReferral]:
    if user.agency_id is None:
        return ServiceReferral.objects.none()
    return referrals_visible_to(user).filter(case__agency_id=user.agency_id)


def referrals_of_case(case: Case) -> QuerySet[ServiceReferral]:
    """For a page that has checked that its user sees `case`."""
    return ServiceReferral.objects.filter(case=case).select_related(
        "provider", "sent_by"
    )


def access_referral(user: User, referral_id: uuid.UUID | str) -> ServiceReferral:
    try:
        return referrals_visible_to(user).get(pk=referral_id)
    except (ServiceReferral.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "services.referral", referral_id)
        raise Http404 from None


def view_referral(user: User, referral_id: uuid.UUID | str) -> ServiceReferral:
    """`access_referral` for showing what was shared: the view is audited."""
    referral = access_referral(user, referral_id)
    record_view(user, "services.referral.viewed", referral)
    return referral


def answers_for_provider(user: User, referral: ServiceReferral) -> bool:
    """Who gives the provider's answer: its own supervisors when it is an agency of
    this Amparo; otherwise the case team, recording what the provider said."""
    provider = referral.provider
    if provider.amparo_agency_id is not None:
        return answers_in_amparo(user) and user.agency_id == provider.amparo_agency_id
    return works_on(user, referral)


def works_on(user: User, referral: ServiceReferral) -> bool:
    return (
        user.works_on_cases
        and user.agency_id == referral.case.agency_id
        and cases_visible_to(user).filter(pk=referral.case_id).exists()
    )
