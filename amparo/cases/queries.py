"""Every read of cases, scoped to what the user may see (own agency, for roles that
work on cases; the security work refines this)."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from amparo.accounts.models import User
from amparo.audit.actions import record_denial, record_view
from amparo.cases.models import Case, CaseEvent, Note


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The access policy for cases (DESIGN §3, least privilege): a case worker sees the
    cases assigned to them, and their team's where the agency shares within teams; a
    supervisor their team's, or the whole agency's if they lead no team; every other
    role none, except through oversight: a data-protection officer the cases of a
    current access grant, a legal officer those of an open escalation they may take
    (`amparo.oversight`). Sharing with another agency comes only through referral or
    transfer."""
    if not user.is_authenticated or user.agency_id is None:
        return Case.objects.none()
    if not user.works_on_cases:
        # Imported here: oversight builds on cases, not the other way round.
        from amparo.oversight.queries import reviewable_case_ids

        reviewed = reviewable_case_ids(user)
        if reviewed is None:
            return Case.objects.none()
        return Case.objects.filter(agency_id=user.agency_id, pk__in=reviewed)
    cases = Case.objects.filter(agency_id=user.agency_id)
    if user.sees_whole_agency:
        return cases
    scope = Q(assigned_to=user)
    team_id = user.team_id
    if (
        user.agency is not None
        and team_id is not None
        and user.sees_team_cases(user.agency)
    ):
        # The team's members as values, not a join to each case's assignee: a
        # worklist checks thousands of cases against a team of a few people, and a
        # list lets the database read each member's cases by the assignee index.
        members = User.objects.filter(
            agency_id=user.agency_id, team_id=team_id
        ).values_list("pk", flat=True)
        scope = Q(assigned_to__in=sorted({user.pk, *members}))
    if user.role == User.Role.SUPERVISOR:
        # Unassigned cases wait for a supervisor to assign them.
        scope |= Q(assigned_to__isnull=True)
    return cases.filter(scope)


def access_case(user: User, case_id: uuid.UUID | str) -> Case:
    """The case if `user` may see it; Http404 otherwise. A refusal is audited."""
    try:
        return (
            cases_visible_to(user)
            .select_related("primary_person", "assigned_to", "opened_by")
            .prefetch_related("types", "members__person")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "cases.case", case_id)
        raise Http404 from None


def view_case(user: User, case_id: uuid.UUID | str) -> Case:
    """`access_case` for showing the case to the user: the view is audited."""
    case = access_case(user, case_id)
    record_view(user, "cases.case.viewed", case)
    return case


@dataclass
class CaseFilters:
    status: str = ""
    type: str = ""
    risk: str = ""
    assigned_to_me: bool = False
    person_id: uuid.UUID | None = None
    include_closed: bool = True


def filter_cases(user: User, filters: CaseFilters) -> QuerySet[Case]:
    cases = cases_visible_to(user).select_related("primary_person", "assigned_to")
    if filters.status:
        cases = cases.filter(status=filters.status)
    elif not filters.include_closed:
        cases = cases.exclude(status=Case.Status.CLOSED)
    if filters.type:
        cases = cases.filter(types__code=filters.type)
    if filters.risk:
        cases = cases.filter(risk=filters.risk)
    if filters.assigned_to_me:
        cases = cases.filter(assigned_to=user)
    if filters.person_id:
        cases = cases.filter(primary_person_id=filters.person_id)
    return cases.prefetch_related("types")


def timeline(case: Case) -> QuerySet[CaseEvent]:
    """Everything that happened on a case the caller already accessed, newest first."""
    return case.events.select_related("actor").order_by("-occurred_at", "-id")


def notes_of(case: Case) -> QuerySet[Note]:
    return case.notes.select_related("author").order_by("-created_at", "-id")
