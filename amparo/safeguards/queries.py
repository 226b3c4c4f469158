"""Every read of the safeguards tables, scoped by the cases' access policy: a user sees
the facts and obligations of the cases they may see (`cases_visible_to`), no others."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record_denial
from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.core.pagination import InvalidCursorError
from amparo.safeguards import profiles
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.models import (
    LIVE_STATUSES,
    CaseFact,
    CaseSafeguards,
    Obligation,
)
from amparo.safeguards.obligations import Severity, Status

# "Due soon": within this time from now.
DUE_SOON = timedelta(hours=24)
# Every open detention episode has a live duty of one of these (a maximum period, or
# the risk of indefinite detention where the law sets none) until it ends.
EPISODE_RULES = ("detention.maximum_period", "detention.indefinite_risk")


class Worklist(StrEnum):
    """The worklists of `GET /api/v1/obligations/?filter=`; every one shows only what
    is still to be done (open, overdue, escalated), most urgent first."""

    ALL = "all"  # everything still to be done on the cases the user sees
    MINE = "mine"  # ... on the cases assigned to the user
    DUE_SOON = "due_soon"  # open or escalated, due within 24 hours
    OVERDUE = "overdue"  # past the deadline and not met
    CRITICAL = "critical"  # severity critical
    # One row per open detention episode (its limit): the detention register.
    REGISTER = "register"


def obligations_visible_to(user: User) -> QuerySet[Obligation]:
    """The obligations of the cases `user` may see: the cases' policy, not a copy."""
    if not user.is_authenticated or user.agency_id is None:
        return Obligation.objects.none()
    # The agency repeats what the case scope implies, so that the planner can start
    # from the worklist indexes, which lead with it.
    return Obligation.objects.filter(
        agency_id=user.agency_id,
        case_id__in=cases_visible_to(user).values("pk"),
    )


def worklist(user: User, which: Worklist, now: datetime) -> QuerySet[Obligation]:
    """A worklist of what is still to be done on the open cases the user sees (a
    closed case's duties are on its page, `obligations_of`, not on anyone's list)."""
    # The condition of the worklist indexes, word for word, so that every database
    # sees they apply; each list narrows it after.
    obligations = (
        obligations_visible_to(user)
        .filter(status__in=LIVE_STATUSES)
        .exclude(case__status=Case.Status.CLOSED)
    )
    if which is Worklist.OVERDUE:
        # An open one past its deadline is overdue even before `refresh` says so.
        return obligations.filter(due_at__lt=now).exclude(status=Status.ESCALATED)
    if which is Worklist.DUE_SOON:
        return obligations.filter(due_at__gte=now, due_at__lt=now + DUE_SOON).exclude(
            status=Status.OVERDUE
        )
    if which is Worklist.CRITICAL:
        return obligations.filter(severity=Severity.CRITICAL)
    if which is Worklist.MINE:
        return obligations.filter(case__assigned_to=user)
    if which is Worklist.REGISTER:
        return obligations.filter(rule_id__in=EPISODE_RULES)
    return obligations


def episodes_of(case: Case) -> list[tuple[str, str]]:
    """The case's detention episodes, (id, "id · place · since"), oldest first."""
    found: dict[str, str] = {}
    for row in facts_of(case).filter(kind="detention_started"):
        data = row.data
        episode = str(data.get("episode", ""))
        place = str(data.get("place", ""))
        since = row.local_at.strftime("%Y-%m-%d")
        found[episode] = " · ".join(part for part in (episode, place, since) if part)
    return list(found.items())


def next_episode_id(episodes: Iterable[tuple[str, str]]) -> str:
    taken = {episode for episode, _label in episodes}
    number = len(taken) + 1
    while f"E{number}" in taken:
        number += 1
    return f"E{number}"


def access_obligation(case: Case, user: User, obligation_id: str) -> Obligation:
    """One obligation of a case the caller already accessed; Http404 (the refusal
    audited, as `access_case` does) if it is not one of that case's."""
    try:
        found = obligations_of(case).filter(pk=obligation_id).first()
    except (ValidationError, ValueError, TypeError):
        found = None
    if found is None:
        record_denial(user, "safeguards.obligation", obligation_id)
        raise Http404
    return found


def obligations_of(case: Case) -> QuerySet[Obligation]:
    """Every obligation of a case the caller already accessed, whatever its status."""
    return Obligation.objects.filter(case=case)


def facts_of(case: Case) -> QuerySet[CaseFact]:
    """The facts of a case the caller already accessed."""
    return CaseFact.objects.filter(case=case)


def jurisdiction_of(case: Case) -> str:
    found = (
        CaseSafeguards.objects.filter(case=case)
        .values_list("jurisdiction", flat=True)
        .first()
    )
    return found or profiles.BASELINE


def case_file(
    case: Case, facts: Iterable[CaseFact] | None = None, jurisdiction: str = ""
) -> CaseFile:
    """The case as the engine reads it: its facts (about its primary person) and its
    jurisdiction. Fact ids are the facts' primary keys, as text."""
    rows = facts_of(case) if facts is None else facts
    return CaseFile(
        case_id=str(case.pk),
        person_id=str(case.primary_person_id),
        jurisdiction=jurisdiction or jurisdiction_of(case),
        facts=tuple(engine_fact(row) for row in rows),
    )


def engine_fact(row: CaseFact) -> Fact:
    return Fact(
        id=str(row.pk),
        kind=row.kind,
        at=row.local_at,
        recorded_by=str(row.recorded_by_id),
        data=row.data,
    )


# --- Pages of a worklist: most urgent first --------------------------------------------


@dataclass
class ObligationPage:
    items: list[Obligation]
    next_cursor: str | None


def worklist_page(
    obligations: QuerySet[Obligation],
    *,
    cursor: str | None,
    size: int,
    people: bool = True,
) -> ObligationPage:
    """Obligations by deadline, earliest first (none last), then id; keyset pages like
    `core.pagination` (which pages newest first), so each page costs the same."""
    ordered = obligations.order_by(F("due_at").asc(nulls_last=True), "id")
    if cursor:
        moment, pk = _decode(cursor)
        if moment is None:
            ordered = ordered.filter(due_at__isnull=True, id__gt=pk)
        else:
            ordered = ordered.filter(
                Q(due_at__gt=moment)
                | Q(due_at=moment, id__gt=pk)
                | Q(due_at__isnull=True)
            )
    # Of the case, its reference; of its person, the name (the pages; `people=False`
    # for the API, which gives ids): a whole case and person a row was half the
    # time of a page.
    related = ("case", "person") if people else ("case",)
    shown = (
        ("case__reference", "person__display_name") if people else ("case__reference",)
    )
    rows = ordered.select_related(*related).only(*_OBLIGATION_FIELDS, *shown)
    items = list(rows[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        next_cursor = _encode(items[-1].due_at, str(items[-1].pk))
    return ObligationPage(items, next_cursor)


_OBLIGATION_FIELDS = tuple(f.name for f in Obligation._meta.concrete_fields)


def _encode(moment: datetime | None, pk: str) -> str:
    raw = json.dumps([moment.isoformat() if moment else None, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime | None, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment_text, pk = json.loads(raw)
        if not isinstance(pk, str) or not (moment_text is None or moment_text):
            raise TypeError("not a cursor")
        Obligation._meta.pk.to_python(pk)
        if moment_text is None:
            return None, pk
        moment = datetime.fromisoformat(moment_text)
        if moment.tzinfo is None:
            raise ValueError("naive timestamp")
        return moment.astimezone(UTC), pk
    except (
        binascii.Error,
        ValueError,
        TypeError,
        UnicodeDecodeError,
        OverflowError,
        ValidationError,
    ) as error:
        raise InvalidCursorError(
            _("The cursor is not one this server gave out.")
        ) from error
