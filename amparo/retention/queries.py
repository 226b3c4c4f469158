"""Reads for retention: what is past its period, who may see erasure requests, and what
an erasure would erase, keep, or be blocked by."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User, is_enforcement
from amparo.audit.actions import record_denial, record_view
from amparo.cases.models import Case, CaseMember
from amparo.people.models import Person
from amparo.retention.anonymisation import CASE_ROWS, PERSON_ROWS, Fate, RowRule
from amparo.retention.models import ErasureRequest


class RecordType(StrEnum):
    """The keys of `settings.AMPARO_RETENTION_DAYS`, and of the audit events' data."""

    CLOSED_CASE = "closed_case"
    PERSON_WITHOUT_CASE = "person_without_case"
    PERSON_AFTER_CASES = "person_after_cases"


RECORD_TYPE_LABELS: dict[RecordType, Promise] = {
    RecordType.CLOSED_CASE: _("Closed cases, counted from their closing"),
    RecordType.PERSON_WITHOUT_CASE: _(
        "Persons on no case at all, counted from the last change to their record"
    ),
    RecordType.PERSON_AFTER_CASES: _(
        "Persons whose every case is anonymised, counted from the last one's "
        "anonymisation"
    ),
}


# Where each period is set (amparo/settings.py), for the officer's page.
RECORD_TYPE_SETTINGS: dict[RecordType, str] = {
    RecordType.CLOSED_CASE: "AMPARO_RETENTION_CLOSED_CASE_DAYS",
    RecordType.PERSON_WITHOUT_CASE: "AMPARO_RETENTION_PERSON_WITHOUT_CASE_DAYS",
    RecordType.PERSON_AFTER_CASES: "AMPARO_RETENTION_PERSON_AFTER_CASES_DAYS",
}


def retention_days(record_type: RecordType) -> int:
    return int(settings.AMPARO_RETENTION_DAYS[record_type.value])


def cutoff(record_type: RecordType, now: datetime) -> datetime:
    return now - timedelta(days=retention_days(record_type))


def _on_a_case(**case_filter: Any) -> Q:
    """The outer query's person is on a case matching `case_filter`, as its primary
    person or as a member. Two indexed lookups rather than one join with an OR."""
    as_member = {f"case__{name}": value for name, value in case_filter.items()}
    return Q(
        Exists(Case.objects.filter(primary_person=OuterRef("pk"), **case_filter))
    ) | Q(Exists(CaseMember.objects.filter(person=OuterRef("pk"), **as_member)))


def cases_of(person: Person) -> QuerySet[Case]:
    return Case.objects.filter(
        Q(primary_person=person)
        | Q(pk__in=CaseMember.objects.filter(person=person).values("case_id"))
    )


def due_cases(now: datetime) -> QuerySet[Case]:
    """Closed cases past their period. An open case is never due, however old."""
    return Case.objects.filter(
        status=Case.Status.CLOSED,
        anonymised_at__isnull=True,
        closed_at__lte=cutoff(RecordType.CLOSED_CASE, now),
    )


def due_persons_without_case(now: datetime) -> QuerySet[Person]:
    return Person.objects.filter(
        ~_on_a_case(),
        anonymised_at__isnull=True,
        updated_at__lte=cutoff(RecordType.PERSON_WITHOUT_CASE, now),
    )


def due_persons_after_cases(now: datetime) -> QuerySet[Person]:
    return Person.objects.filter(
        _on_a_case(),
        ~_on_a_case(anonymised_at__isnull=True),
        ~_on_a_case(anonymised_at__gt=cutoff(RecordType.PERSON_AFTER_CASES, now)),
        anonymised_at__isnull=True,
    )


DUE: dict[RecordType, Callable[[datetime], QuerySet[Any]]] = {
    RecordType.CLOSED_CASE: due_cases,
    RecordType.PERSON_WITHOUT_CASE: due_persons_without_case,
    RecordType.PERSON_AFTER_CASES: due_persons_after_cases,
}


def blocking_cases(person: Person) -> QuerySet[Case]:
    """The open cases the person is on: their data is still in use, so an erasure waits
    until these are closed."""
    return (
        cases_of(person).exclude(status=Case.Status.CLOSED).order_by("opened_at", "id")
    )


def approved_erasures() -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(
        status=ErasureRequest.Status.APPROVED
    ).order_by("decided_at", "id")


# --- Erasure requests, for the data-protection officer --------------------------------


def erasure_requests_visible_to(user: User) -> QuerySet[ErasureRequest]:
    """The data-protection officer sees their agency's requests; nobody else does (the
    requester sees the outcome on the person's record)."""
    if (
        not user.is_authenticated
        or user.role != User.Role.DPO
        or user.agency_id is None
        or is_enforcement(user.agency)
    ):
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.filter(agency_id=user.agency_id)


def pending_erasures(user: User) -> QuerySet[ErasureRequest]:
    return (
        erasure_requests_visible_to(user)
        .filter(
            status__in=[ErasureRequest.Status.REQUESTED, ErasureRequest.Status.APPROVED]
        )
        .select_related("requested_by", "decided_by")
        .order_by("created_at", "id")
    )


def decided_erasures(user: User, *, limit: int = 50) -> QuerySet[ErasureRequest]:
    return (
        erasure_requests_visible_to(user)
        .filter(
            status__in=[ErasureRequest.Status.REJECTED, ErasureRequest.Status.COMPLETED]
        )
        .select_related("requested_by", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def access_erasure(user: User, erasure_id: uuid.UUID | str) -> ErasureRequest:
    """The request if `user` may see it; Http404 otherwise, audited."""
    try:
        return (
            erasure_requests_visible_to(user)
            .select_related("person", "requested_by", "decided_by")
            .get(pk=erasure_id)
        )
    except (ErasureRequest.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "retention.erasurerequest", erasure_id)
        raise Http404 from None


def view_erasure(user: User, erasure_id: uuid.UUID | str) -> ErasureRequest:
    erasure = access_erasure(user, erasure_id)
    record_view(user, "retention.erasurerequest.viewed", erasure)
    return erasure


@dataclass
class CaseSummary:
    case: Case
    notes: int
    events: int
    primary: bool


@dataclass
class ErasurePreview:
    """What approving a request would do, in counts and field names, never values:
    the officer decides without reading the case file."""

    blockers: list[CaseSummary] = field(default_factory=list)
    # The person's own (primary) closed cases: anonymised with the person.
    cases: list[CaseSummary] = field(default_factory=list)
    # Other people's cases the person is a member of: they keep their content.
    member_of: int = 0
    names: int = 0
    consents: int = 0
    already_anonymised: bool = False


def erasure_preview(erasure: ErasureRequest) -> ErasurePreview:
    person = erasure.person
    cases = (
        cases_of(person)
        .annotate(
            note_count=Count("notes", distinct=True),
            event_count=Count("events", distinct=True),
        )
        .order_by("opened_at", "id")
    )
    preview = ErasurePreview(
        names=person.names.count(),
        consents=person.consents.count(),
        already_anonymised=person.anonymised_at is not None,
    )
    for case in cases:
        summary = CaseSummary(
            case,
            case.note_count,
            case.event_count,
            case.primary_person_id == person.pk,
        )
        if case.status != Case.Status.CLOSED:
            preview.blockers.append(summary)
        elif summary.primary:
            if case.anonymised_at is None:
                preview.cases.append(summary)
        else:
            preview.member_of += 1
    return preview


# --- The rules as the officer reads them ----------------------------------------------


@dataclass
class ShownField:
    label: str
    fate: Fate
    why: Promise


@dataclass
class ShownRows:
    label: str
    fate: Fate
    why: Promise
    fields: list[ShownField]


# Names for tables and columns whose models declare none (or none translated).
_TABLE_LABELS: dict[str, Promise] = {
    "people.personname": _("names"),
    "people.namekey": _("search keys"),
    "cases.casetype": _("case types"),
    "cases.casemember": _("case members"),
    "cases.note": _("notes"),
    "cases.caseevent": _("timeline"),
    "referrals.referral": _("referrals"),
    "disclosures.firewalloverride": _("firewall overrides"),
    "disclosures.exportrequest": _("export requests"),
    "oversight.contentaccessgrant": _(
        "case access granted to the data-protection officer"
    ),
    "oversight.escalation": _("escalations to a legal officer"),
}
_FIELD_LABELS: dict[str, Promise] = {
    "id": _("record number"),
    "created_at": _("created"),
    "occurred_at": _("date"),
    "actor_id": _("done by"),
    "kind": _("kind"),
    "data": _("details"),
    "case_id": _("case"),
    "person_id": _("person"),
    "packet": _("values shared"),
    "agency_id": _("agency"),
    "from_agency_id": _("sending agency"),
    "agreement_id": _("data-sharing agreement"),
    "consent_id": _("consent or lawful basis"),
    "override_id": _("firewall override"),
    "received_case_id": _("the recipient's case"),
    "download_count": _("number of downloads"),
    "dpo_id": _("data-protection officer"),
    "registered_by_id": _("registered by"),
    "team_id": _("team"),
    "opened_by_id": _("opened by"),
    "recorded_by_id": _("recorded by"),
    "withdrawn_by_id": _("withdrawn by"),
    "requested_by_id": _("requested by"),
    "decided_by_id": _("decided by"),
    "sent_by_id": _("sent by"),
    "responded_by_id": _("answered by"),
    "raised_by_id": _("raised by"),
    "answered_by_id": _("answered by"),
    "used_by_id": _("used by"),
}


def shown_rules(rules: tuple[RowRule, ...]) -> list[ShownRows]:
    """The rules with the tables' and fields' names in the reader's language."""
    shown = []
    for rule in rules:
        model = apps.get_model(rule.model)
        fields = [
            ShownField(str(field_label(model, f.name)), f.fate, f.why)
            for f in rule.fields
        ]
        label = _TABLE_LABELS.get(rule.model, model._meta.verbose_name_plural)
        shown.append(ShownRows(str(label), rule.fate, rule.why, fields))
    return shown


def field_label(model: type[Model], name: str) -> Promise | str:
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        # A foreign key's column (agency_id) is named by its field (agency).
        field = model._meta.get_field(name.removesuffix("_id"))
    label: Promise | str = getattr(field, "verbose_name", name)
    return label


def person_rules() -> list[ShownRows]:
    return shown_rules(PERSON_ROWS)


def case_rules() -> list[ShownRows]:
    return shown_rules(CASE_ROWS)
