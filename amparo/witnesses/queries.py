"""Every read of protected persons. Who may see a protected person's identity: the
people on their protection team, and a user whose re-identification request was
approved, until its time runs out. Every showing of an identity is audited."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from amparo.accounts.models import User, is_enforcement
from amparo.audit.actions import record_denial, record_view
from amparo.people.models import Person
from amparo.people.queries import persons_visible_to
from amparo.people.records import PersonRecord
from amparo.witnesses import identity
from amparo.witnesses.models import Protection, Reidentification

# Who may protect a person, and approve a re-identification: one of the two approvals
# must be a legal officer's.
DECIDERS = frozenset({User.Role.SUPERVISOR, User.Role.LEGAL_OFFICER})


def protection_of(person: Person) -> Protection | None:
    return Protection.objects.filter(person=person, ended_at__isnull=True).first()


def protected_person_ids() -> QuerySet[Protection, uuid.UUID]:
    """For exports and statistics, which leave protected persons out."""
    return Protection.objects.filter(ended_at__isnull=True).values_list(
        "person_id", flat=True
    )


def on_team(user: User, protection: Protection) -> bool:
    return protection.team.filter(pk=user.pk).exists()


def current_reidentification(
    user: User, protection: Protection
) -> Reidentification | None:
    return Reidentification.objects.filter(
        protection=protection,
        requested_by=user,
        status=Reidentification.Status.APPROVED,
        expires_at__gt=timezone.now(),
    ).first()


def pending_request(user: User, protection: Protection) -> Reidentification | None:
    return Reidentification.objects.filter(
        protection=protection,
        requested_by=user,
        status=Reidentification.Status.PENDING,
    ).first()


def sees_identity(user: User, protection: Protection) -> bool:
    return on_team(user, protection) or (
        current_reidentification(user, protection) is not None
    )


def identity_for(user: User, protection: Protection) -> PersonRecord | None:
    """The person's identity if `user` may see it now (the showing is audited);
    None otherwise."""
    if not sees_identity(user, protection):
        return None
    record_view(user, "witnesses.identity.viewed", protection)
    return identity.loads(protection.identity)


def can_protect(user: User) -> bool:
    """Supervisors protect a person they see, and end the protection."""
    return user.role == User.Role.SUPERVISOR and user.agency_id is not None


def protection_for(
    user: User, person_id: uuid.UUID | str
) -> tuple[Person, Protection | None]:
    """The person (404 unless `user` sees them) and their protection, if any."""
    try:
        person = persons_visible_to(user).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "people.person", person_id)
        raise Http404 from None
    return person, protection_of(person)


def decides(user: User) -> bool:
    """Supervisors and legal officers of a protection agency decide on requests."""
    return (
        user.is_authenticated
        and user.role in DECIDERS
        and user.agency is not None
        and not is_enforcement(user.agency)
    )


def pending_for(user: User) -> QuerySet[Reidentification]:
    """The requests of the user's agency that wait for an approval the user may give."""
    if not decides(user) or user.agency_id is None:
        return Reidentification.objects.none()
    return (
        Reidentification.objects.filter(
            protection__agency_id=user.agency_id,
            protection__ended_at__isnull=True,
            status=Reidentification.Status.PENDING,
        )
        .exclude(requested_by=user)
        .select_related("protection", "requested_by")
        .prefetch_related("approvers")
    )


def request_to_decide(user: User, request_id: uuid.UUID | str) -> Reidentification:
    try:
        return pending_for(user).get(pk=request_id)
    except (Reidentification.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "witnesses.reidentification", request_id)
        raise Http404 from None
