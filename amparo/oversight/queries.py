"""Reads for oversight: which cases a data-protection officer or a legal officer sees
(the access policy asks `reviewable_case_ids`), and their read-only pages, each view
audited with what allowed it."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amparo.accounts.models import User, is_enforcement
from amparo.audit.actions import record, record_denial
from amparo.cases.models import Case
from amparo.cases.queries import access_case, cases_visible_to
from amparo.oversight.models import ContentAccessGrant, Escalation
from amparo.people.models import Person
from amparo.people.queries import access_person


def _review_agency(user: User, role: str) -> uuid.UUID | None:
    """The agency whose cases `user` may review in `role`: none behind the firewall."""
    if user.role != role or user.agency_id is None or is_enforcement(user.agency):
        return None
    return user.agency_id


def active_grants(user: User) -> QuerySet[ContentAccessGrant]:
    """The DPO's grants that still give access now: neither ended nor expired. (Each
    is for a case of the DPO's agency when granted; the policy checks the agency of
    the case again, so that a DPO moved to another agency sees none.)"""
    if _review_agency(user, User.Role.DPO) is None:
        return ContentAccessGrant.objects.none()
    return ContentAccessGrant.objects.filter(
        dpo=user,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def open_escalations(user: User) -> QuerySet[Escalation]:
    """The open escalations a legal officer may take: those of their agency addressed
    to them, or to no one in particular."""
    agency_id = _review_agency(user, User.Role.LEGAL_OFFICER)
    if agency_id is None:
        return Escalation.objects.none()
    return Escalation.objects.filter(
        agency_id=agency_id, answered_at__isnull=True
    ).filter(Q(legal_officer__isnull=True) | Q(legal_officer=user))


def reviewable_case_ids(user: User) -> QuerySet[Any] | None:
    """For the access policy: the ids of the cases `user` sees through oversight, or
    None for a role that has no such access."""
    if user.role == User.Role.DPO:
        return active_grants(user).values("case_id")
    if user.role == User.Role.LEGAL_OFFICER:
        return open_escalations(user).values("case_id")
    return None


@dataclass
class Review:
    """A case as an oversight role sees it, and what allows it: the DPO's grant, or
    the legal officer's open escalations of this case."""

    case: Case
    grant: ContentAccessGrant | None = None
    escalations: list[Escalation] = field(default_factory=list)

    def basis(self) -> dict[str, object]:
        return _basis(self.grant, self.escalations)


def _basis(
    grant: ContentAccessGrant | None, escalations: list[Escalation]
) -> dict[str, object]:
    """What the audit event of an oversight view records as its justification."""
    if grant is not None:
        return {"grant": str(grant.pk)}
    return {"escalations": [str(e.pk) for e in escalations]}


def _refuse(user: User, subject_type: str, subject_id: object) -> Http404:
    record_denial(user, subject_type, subject_id)
    return Http404()


def case_under_review(user: User, case_id: uuid.UUID | str) -> Review:
    """The case if `user` sees it through oversight; Http404 otherwise (for the roles
    that work on cases too: their page is the case's own)."""
    if reviewable_case_ids(user) is None:
        raise _refuse(user, "cases.case", case_id)
    case = access_case(user, case_id)
    review = Review(
        case,
        grant=active_grants(user).filter(case=case).order_by("-expires_at").first(),
        escalations=list(open_escalations(user).filter(case=case)),
    )
    if review.grant is None and not review.escalations:
        # Expired or answered between the two reads.
        raise _refuse(user, "cases.case", case_id)
    return review


def view_case_under_review(user: User, case_id: uuid.UUID | str) -> Review:
    """`case_under_review` for showing the case: the view is audited, with the grant
    or escalations that allowed it."""
    review = case_under_review(user, case_id)
    record(user, "cases.case.viewed", review.case, review.basis())
    return review


@dataclass
class PersonReview:
    person: Person
    cases: list[Case]
    grant: ContentAccessGrant | None = None
    escalations: list[Escalation] = field(default_factory=list)


def view_person_under_review(user: User, person_id: uuid.UUID | str) -> PersonReview:
    """A person on a case `user` sees through oversight; Http404 otherwise. The view
    is audited with what allowed it."""
    if reviewable_case_ids(user) is None:
        raise _refuse(user, "people.person", person_id)
    person = access_person(user, person_id)
    on_case = Q(case__primary_person=person) | Q(case__members__person=person)
    grant = active_grants(user).filter(on_case).order_by("-expires_at").first()
    escalations = list(open_escalations(user).filter(on_case).distinct())
    if grant is None and not escalations:
        raise _refuse(user, "people.person", person_id)
    cases = list(
        cases_visible_to(user)
        .filter(Q(primary_person=person) | Q(members__person=person))
        .distinct()
        .select_related("assigned_to")
        .order_by("-updated_at", "-id")
    )
    record(user, "people.person.viewed", person, _basis(grant, escalations))
    return PersonReview(person, cases, grant, escalations)


def grants_of(user: User) -> QuerySet[ContentAccessGrant]:
    """A DPO's grants, current and past, newest first."""
    if user.role != User.Role.DPO:
        return ContentAccessGrant.objects.none()
    return ContentAccessGrant.objects.filter(dpo=user).select_related("case")


def grant_of(user: User, grant_id: uuid.UUID | str) -> ContentAccessGrant:
    try:
        return grants_of(user).get(pk=grant_id)
    except (ContentAccessGrant.DoesNotExist, ValueError, ValidationError):
        raise _refuse(user, "oversight.contentaccessgrant", grant_id) from None


def case_by_reference(user: User, reference: str) -> Case | None:
    """The case of the DPO's agency with this reference, for a request of access. A
    miss is audited: it may be a probe for another agency's case."""
    found = None
    agency_id = _review_agency(user, User.Role.DPO)
    if agency_id is not None:
        found = Case.objects.filter(
            agency_id=agency_id, reference=reference.strip().upper()
        ).first()
    if found is None:
        record_denial(user, "cases.case", reference)
    return found


def escalations_of(case: Case) -> QuerySet[Escalation]:
    """A case's escalations, newest first, for those who already see the case."""
    return case.escalations.select_related(
        "raised_by", "legal_officer", "answered_by"
    ).order_by("-created_at", "-id")


def escalations_for(user: User) -> QuerySet[Escalation]:
    """The legal officer's list: the open escalations they may take, oldest first."""
    return (
        open_escalations(user)
        .select_related("case", "raised_by", "legal_officer")
        .order_by("created_at", "id")
    )


def escalation_of(user: User, escalation_id: uuid.UUID | str) -> Escalation:
    """An escalation of a case `user` sees; Http404 otherwise. Whether they may answer
    it is the action's question."""
    try:
        return Escalation.objects.select_related("case").get(
            pk=escalation_id, case__in=cases_visible_to(user)
        )
    except (Escalation.DoesNotExist, ValueError, ValidationError):
        raise _refuse(user, "oversight.escalation", escalation_id) from None


def legal_officers(agency_id: uuid.UUID | None) -> QuerySet[User]:
    """The active legal officers of an agency, whom an escalation may name."""
    if agency_id is None:
        return User.objects.none()
    return User.objects.filter(
        agency_id=agency_id, role=User.Role.LEGAL_OFFICER, is_active=True
    ).order_by("first_name", "last_name", "username")
