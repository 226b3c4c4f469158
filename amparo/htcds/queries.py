"""Every read the HTCDS export makes, scoped by the cases' access policy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from amparo.accounts.models import User
from amparo.cases.models import Case, CaseType, Note
from amparo.cases.queries import cases_visible_to
from amparo.htcds.models import ImportBatch
from amparo.people.models import Consent
from amparo.safeguards.models import CaseFact
from amparo.witnesses.queries import protected_person_ids


def cases_for_export(user: User) -> QuerySet[Case]:
    """The trafficking cases (type "victim") `user` may see and export, oldest
    first. Left out: anonymised cases, and protected witnesses and victim-witnesses,
    whose identities must not leave the protection team (`amparo.witnesses`). Every
    export reads its cases here and nowhere else, so that one rule decides."""
    return (
        cases_visible_to(user)
        .filter(types__code=CaseType.Code.VICTIM, anonymised_at__isnull=True)
        .exclude(primary_person_id__in=protected_person_ids())
        .select_related("primary_person", "assigned_to")
        .prefetch_related(
            "primary_person__names",
            "primary_person__nationalities",
            Prefetch(
                "primary_person__consents",
                queryset=Consent.objects.filter(
                    purpose=Consent.Purpose.CASE_MANAGEMENT, withdrawn_at__isnull=True
                ),
                to_attr="case_management_bases",
            ),
            Prefetch(
                "safeguard_facts",
                queryset=CaseFact.objects.filter(
                    kind="trafficking_identified"
                ).order_by("at", "id"),
                to_attr="decisions",
            ),
            Prefetch(
                "notes",
                queryset=Note.objects.order_by("created_at", "id"),
                to_attr="oldest_notes",
            ),
        )
        .order_by("opened_at", "reference")
    )


def imported_before(user: User, sha256: str) -> ImportBatch | None:
    """The earlier import of the same file into the user's agency, if any."""
    if user.agency_id is None:
        return None
    return (
        ImportBatch.objects.filter(agency_id=user.agency_id, sha256=sha256)
        .select_related("imported_by")
        .first()
    )


def active_owners(user: User) -> dict[str, User]:
    """Who may own an imported case: the agency's active case workers and
    supervisors, by username."""
    if user.agency_id is None:
        return {}
    return {
        u.username: u
        for u in User.objects.filter(
            agency_id=user.agency_id,
            is_active=True,
            role__in=[User.Role.CASEWORKER, User.Role.SUPERVISOR],
        )
    }
