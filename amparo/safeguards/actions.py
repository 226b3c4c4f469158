"""Every write of the safeguards tables. Recording a fact (or changing the case's
jurisdiction) recomputes the case's obligations in the same transaction: nobody ever
sees a fact without the obligations it changes. `refresh_due` re-evaluates only the
cases where time alone may have changed something (`CaseSafeguards.recheck_at`)."""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import multiprocessing
import multiprocessing.util
import os
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record as audit
from amparo.cases.actions import lock_case_row, lock_for_change
from amparo.cases.models import Case, CaseEvent
from amparo.detention.consular_rules import WARNING_SHARE
from amparo.safeguards import casefile, engine, legal_review, profiles
from amparo.safeguards.casefile import Contradiction
from amparo.safeguards.deadlines import fraction_of
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.models import (
    CaseFact,
    CaseSafeguards,
    Obligation,
    dump_json,
)
from amparo.safeguards.obligations import Obligation as Computed
from amparo.safeguards.obligations import Status
from amparo.safeguards.queries import engine_fact, facts_of, jurisdiction_of

# A fact records what has happened; a little ahead of the server's clock is a device's
# clock, more is a mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)
REFRESH_BATCH = 500
_INSTANT = timedelta(microseconds=1)
MARK_BATCH = 5_000
_LIVE = (Status.OPEN, Status.OVERDUE, Status.ESCALATED)
_FIELDS = (
    "agency_id",
    "person_id",
    "due",
    "due_at",
    "time_zone",
    "status",
    "severity",
    "citations",
    "triggered_by",
    "met_by",
    "met_at",
    "note",
    "details_json",
    "recheck_at",
)


@dataclass
class Changes:
    """What a recomputation changed: obligations created, updated, deleted."""

    cases: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def add(self, other: Changes) -> None:
        self.cases += other.cases
        self.created += other.created
        self.updated += other.updated
        self.deleted += other.deleted


@transaction.atomic
def record_fact(
    case: Case,
    *,
    acting_user: User,
    kind: str,
    at: datetime,
    data: Mapping[str, Any] | None = None,
) -> CaseFact:
    """Add a fact to the case file and recompute the case's obligations. Refused with
    a ValidationError keyed by field (`kind`, `at`, `data.<field>`): a fact the case-file
    schema refuses, a time in the future, or a fact that contradicts the recorded ones
    (a release before the detention). The case must be open and the actor work on it.
    A fact that leaves a protected consular notice waiting raises an escalation to the
    agency's legal officers (`legal_review`), who alone record the decision."""
    legal_review.refuse_decision(kind)
    lock_for_change(case, acting_user)
    fact = _add_fact(case, acting_user=acting_user, kind=kind, at=at, data=data)
    legal_review.escalate_protected_notices(case, acting_user)
    return fact


@transaction.atomic
def record_legal_decision(
    case: Case,
    *,
    acting_user: User,
    country: str,
    decision: str,
    about: str = "",
) -> CaseFact:
    """A legal officer's decision on a protected consular notice of the case escalated
    to them: `notify` or `withhold` the consulate of `country` (about one notice, or
    any). PermissionError for anyone else; the case must be open."""
    legal_review.check_reviewer(case, acting_user)
    lock_case_row(case)
    data = {"country": country, "decision": decision} | (
        {"about": about} if about else {}
    )
    return _add_fact(
        case,
        acting_user=acting_user,
        kind=legal_review.DECISION_KIND,
        at=timezone.now(),
        data=data,
    )


@transaction.atomic
def record_answer(
    case: Case,
    *,
    acting_user: User,
    kind: str,
    at: datetime,
    data: Mapping[str, Any] | None = None,
) -> CaseFact:
    """A fact about what became of something the case's agency sent out: a service
    referral accepted, declined or delivered by its provider (who may be another
    agency's user, without access to the case), or closed by the case team. The
    caller has checked the actor's right to the move; the kind's preconditions check
    that it matches what was sent. It still counts after the case is closed: it
    happened."""
    lock_case_row(case, open_only=False)
    return _add_fact(case, acting_user=acting_user, kind=kind, at=at, data=data)


def _add_fact(
    case: Case,
    *,
    acting_user: User,
    kind: str,
    at: datetime,
    data: Mapping[str, Any] | None,
) -> CaseFact:
    """Recording a fact, for a caller that has checked the actor and locked the case."""
    now = timezone.now()
    existing = list(facts_of(case))
    fact = CaseFact(case=case, kind=kind, recorded_by=acting_user)
    new, recorded = _check(
        fact.pk, kind, at, dict(data or {}), existing, now, str(acting_user.pk)
    )
    preconditions = _PRECONDITIONS.get(kind, ())
    if preconditions:
        file = CaseFile(
            case_id=str(case.pk),
            person_id=str(case.primary_person_id),
            jurisdiction=jurisdiction_of(case),
            facts=tuple(recorded),
        )
        for precondition in preconditions:
            precondition(case, acting_user, file, new, now)
    offset = at.utcoffset()
    fact.at = at
    fact.at_utc_offset = int(offset.total_seconds()) if offset else 0
    fact.data = dict(data or {})
    fact.save()
    # The timeline says what kind of fact, never its values (the case page shows them
    # to those who may see them).
    CaseEvent.objects.create(
        case=case,
        occurred_at=now,
        actor=acting_user,
        kind=CaseEvent.Kind.FACT_RECORDED,
        data={"fact_kind": kind},
    )
    # "Recently updated" case lists see a new fact as a change of the case.
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    recompute(case, now=now, facts=[*existing, fact])
    # The kind, never the values (the audit log outlives the records).
    audit(
        acting_user,
        "safeguards.fact.recorded",
        case,
        {"fact": str(fact.pk), "kind": kind},
        agency_id=case.agency_id,
    )
    return fact


@transaction.atomic
def set_jurisdiction(case: Case, *, acting_user: User, code: str) -> CaseSafeguards:
    """Judge the case by the profile `code` from now on (default: the international
    baseline), and recompute its obligations."""
    lock_for_change(case, acting_user)
    known = profiles.available()
    if code not in known:
        raise ValidationError(
            {
                "jurisdiction": _("Unknown jurisdiction %(code)s; known: %(known)s.")
                % {"code": code, "known": ", ".join(known)}
            }
        )
    previous = jurisdiction_of(case)
    settings, _created = CaseSafeguards.objects.update_or_create(
        case=case, defaults={"jurisdiction": code}
    )
    recompute(case, now=timezone.now())
    audit(
        acting_user,
        "safeguards.jurisdiction.changed",
        case,
        {"from": previous, "to": code},
        agency_id=case.agency_id,
    )
    settings.refresh_from_db()
    return settings


# --- Checking a fact -------------------------------------------------------------------

# What a domain checks before a fact of a kind is recorded, beyond the case file's own
# consistency: what depends on the case's law or on who records it (a BID panel's
# size, a supervisor's approval). It gets the case, the actor, the case file of the
# recorded facts (with the case's jurisdiction) and the new fact as the engine reads
# them, and the time; it raises ValidationError (keyed by field, as `record_fact`
# does) or PermissionError.
Precondition = Callable[[Case, User, CaseFile, Fact, datetime], None]
_PRECONDITIONS: dict[str, list[Precondition]] = defaultdict(list)


def register_precondition(*kinds: str) -> Callable[[Precondition], Precondition]:
    """Decorator, for a domain app's `ready()`: check `kinds` with the function."""

    def add(check: Precondition) -> Precondition:
        for kind in kinds:
            if check not in _PRECONDITIONS[kind]:
                _PRECONDITIONS[kind].append(check)
        return check

    return add


def _check(
    fact_id: uuid.UUID,
    kind: str,
    at: datetime,
    data: dict[str, Any],
    existing: Sequence[CaseFact],
    now: datetime,
    recorded_by: str,
) -> tuple[Fact, list[Fact]]:
    """The case-file schema's checks on the one fact, then the contradictions it adds
    to the recorded facts (casefile.contradictions). Returns the new fact and the
    recorded ones as the engine reads them."""
    if not isinstance(at, datetime):
        raise ValidationError({"at": _("Give the time the fact happened.")})
    raw = {"id": str(fact_id), "kind": kind, "at": at.isoformat(), "data": data}
    document = {
        "case_id": "case",
        "person_id": "person",
        "jurisdiction": profiles.BASELINE,
        "facts": [raw],
    }
    errors: dict[str, list[str]] = {}
    problems = casefile.schema_problems(document)
    if not problems:
        try:
            casefile.parse(document)
        except casefile.CaseFileError as error:
            # A fact alone about an episode "has no start": only the whole case file
            # can say, below.
            problems = [p for p in error.problems if p.path != "$.facts[0]"]
    for problem in problems:
        errors.setdefault(_field(problem.path), []).append(problem.message)
    if errors:
        raise ValidationError(errors)
    if at > now + FUTURE_TOLERANCE:
        raise ValidationError(
            {"at": _("A fact records what has happened: this time is in the future.")}
        )
    new = Fact(id=str(fact_id), kind=kind, at=at, recorded_by=recorded_by, data=data)
    recorded = [engine_fact(row) for row in existing]
    added = _new_contradictions(recorded, new)
    if added:
        errors = {}
        for c in added:
            where = c.field or _contradiction_field(new, recorded)
            errors.setdefault(where, []).append(
                _("It contradicts the recorded facts: %(problem)s")
                % {"problem": c.message}
            )
        raise ValidationError(errors)
    return new, recorded


def _field(path: str) -> str:
    """`$.facts[0].data.country` -> `data.country`."""
    rest = path.removeprefix("$.facts[0]").lstrip(".")
    return rest or "kind"


def _new_contradictions(recorded: list[Fact], new: Fact) -> list[Contradiction]:
    before = {(c.fact_id, c.message) for c in casefile.contradictions(recorded)}
    return [
        c
        for c in casefile.contradictions([*recorded, new])
        if (c.fact_id, c.message) not in before
    ]


def _contradiction_field(new: Fact, recorded: Iterable[Fact]) -> str:
    """Where the fix is: the episode, for a fact about an episode that never started;
    the time, for the rest (before the start, after the end, while another is open)."""
    episode = new.get("episode")
    started = any(
        f.kind == "detention_started" and f.get("episode") == episode
        for f in [*recorded, new]
    )
    return "data.episode" if episode is not None and not started else "at"


# --- Recomputing -----------------------------------------------------------------------


@transaction.atomic(savepoint=False)
def recompute(
    case: Case,
    *,
    now: datetime | None = None,
    facts: Sequence[CaseFact] | None = None,
) -> Changes:
    """Evaluate the case's facts at `now` under its jurisdiction's profile and make its
    stored obligations exactly the engine's: new ones created, changed ones updated,
    those the engine no longer returns deleted. Call it in the transaction that changed
    the facts (it joins it)."""
    now = now or timezone.now()
    rows = list(facts_of(case)) if facts is None else list(facts)
    code = jurisdiction_of(case)
    plan = _Plan(now)
    plan.add(
        case, [engine_fact(row) for row in rows], code, _stored([case.pk])[case.pk]
    )
    known = CaseSafeguards.objects.filter(case_id=case.pk).exists()
    return plan.write({case.pk: code}, known={case.pk} if known else set())


@transaction.atomic(savepoint=False)
def _recompute_all(cases: Sequence[Case], now: datetime) -> Changes:
    """`recompute` for many cases, with a few queries for all of them (a refresh
    re-evaluates thousands). The facts go straight to the engine's and the stored
    obligations are compared by fingerprint: no model instance for any of them."""
    with _cyclic_gc_paused():
        return _recompute_batch(cases, now)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is evaluated: it makes hundreds of
    thousands of short-lived objects, freed by their counts, and the collector
    walking them again and again took a fifth of a refresh."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _recompute_batch(cases: Sequence[Case], now: datetime) -> Changes:
    ids = [case.pk for case in cases]
    facts = _facts(ids)
    stored = _stored(ids)
    codes = dict(
        CaseSafeguards.objects.filter(case_id__in=ids).values_list(
            "case_id", "jurisdiction"
        )
    )
    plan = _Plan(now)
    for case in cases:
        code = codes.get(case.pk, profiles.BASELINE)
        plan.add(case, facts[case.pk], code, stored[case.pk])
    return plan.write(
        {case.pk: codes.get(case.pk, profiles.BASELINE) for case in cases},
        known=codes.keys(),
    )


def _facts(case_ids: Sequence[uuid.UUID]) -> defaultdict[uuid.UUID, list[Fact]]:
    """The cases' facts as the engine reads them: what `queries.engine_fact` makes of a
    `CaseFact`, made from the columns (a model instance for each fact and obligation
    was a large part of a refresh's time)."""
    found: defaultdict[uuid.UUID, list[Fact]] = defaultdict(list)
    zones: dict[int, dt_timezone] = {}
    rows = CaseFact.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "id", "kind", "at", "at_utc_offset", "recorded_by_id", "data_json"
    )
    for case_id, pk, kind, at, offset, recorded_by, data in rows:
        zone = zones.get(offset)
        if zone is None:
            zone = zones[offset] = dt_timezone(timedelta(seconds=offset))
        found[case_id].append(
            Fact(
                id=str(pk),
                kind=kind,
                at=at.astimezone(zone),
                recorded_by=str(recorded_by),
                data=json.loads(data) if data else {},
            )
        )
    return found


@dataclass(slots=True)
class _Stored:
    """An obligation as stored, as far as a comparison needs: its key and the
    fingerprint of its values (`_fingerprint`)."""

    pk: uuid.UUID
    rule_id: str
    key: str
    fingerprint: str


def _stored(case_ids: Sequence[uuid.UUID]) -> defaultdict[uuid.UUID, list[_Stored]]:
    """The cases' stored obligations, by key and fingerprint: none of their values
    is read, so nothing is decrypted or parsed (that was a quarter of a refresh)."""
    found: defaultdict[uuid.UUID, list[_Stored]] = defaultdict(list)
    rows = Obligation.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "id", "rule_id", "key", "fingerprint"
    )
    for case_id, pk, rule_id, key, fingerprint in rows:
        found[case_id].append(_Stored(pk, rule_id, key, fingerprint))
    return found


class _Plan:
    """The writes that make stored obligations the engine's, gathered case by case and
    made at once."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.created: list[Obligation] = []
        self.updated: list[tuple[uuid.UUID, tuple[Any, ...]]] = []
        self.deleted: list[uuid.UUID] = []
        # Each case's next look: the earliest of its obligations' and its facts'.
        self.rechecks: dict[uuid.UUID, datetime | None] = {}
        self.cases = 0

    def add(
        self,
        case: Case,
        facts: Sequence[Fact],
        code: str,
        stored_rows: Iterable[_Stored],
    ) -> None:
        now = self.now
        computed = engine.evaluate(
            # What `queries.case_file` makes of the case and its facts.
            CaseFile(
                case_id=str(case.pk),
                person_id=str(case.primary_person_id),
                jurisdiction=code,
                facts=tuple(facts),
            ),
            profiles.load(code),
            now,
        )
        times = {fact.id: fact.at for fact in facts}
        pending = min((fact.at for fact in facts if fact.at > now), default=None)
        stored = {(o.rule_id, o.key): o for o in stored_rows}
        recheck = pending
        whose = f"{case.agency_id} {case.primary_person_id}"
        for one in computed:
            one_recheck = _recheck_at(one, now, times, pending)
            if one_recheck is not None and (recheck is None or one_recheck < recheck):
                recheck = one_recheck
            fingerprint = _fingerprint(whose, one, one_recheck)
            row = stored.pop((one.rule_id, one.key), None)
            if row is not None and row.fingerprint == fingerprint:
                continue  # most of a refresh: nothing to build or write
            values = _values(case, one, one_recheck)
            if row is None:
                self.created.append(
                    Obligation(
                        case=case,
                        rule_id=one.rule_id,
                        key=one.key,
                        fingerprint=fingerprint,
                        **dict(zip(_FIELDS, values, strict=True)),
                    )
                )
            else:
                self.updated.append((row.pk, (*values, fingerprint, now)))
        self.deleted.extend(o.pk for o in stored.values())
        self.rechecks[case.pk] = recheck
        self.cases += 1

    def write(
        self, codes: Mapping[uuid.UUID, str], *, known: Iterable[uuid.UUID]
    ) -> Changes:
        """Make the writes; `known` are the cases that have their `CaseSafeguards`
        row already (the others are evaluated for the first time)."""
        Obligation.objects.bulk_create(self.created)
        _update_each(Obligation, (*_FIELDS, "fingerprint", "updated_at"), self.updated)
        if self.deleted:
            Obligation.objects.filter(pk__in=self.deleted).delete()
        known = set(known)
        _update_each(
            CaseSafeguards,
            ("evaluated_at", "recheck_at"),
            [(pk, (self.now, self.rechecks[pk])) for pk in codes if pk in known],
        )
        CaseSafeguards.objects.bulk_create(
            CaseSafeguards(
                case_id=pk,
                jurisdiction=code,
                evaluated_at=self.now,
                recheck_at=self.rechecks[pk],
            )
            for pk, code in codes.items()
            if pk not in known
        )
        return Changes(
            cases=self.cases,
            created=len(self.created),
            updated=len(self.updated),
            deleted=len(self.deleted),
        )


def _update_each(
    model: type[Obligation] | type[CaseSafeguards],
    names: Sequence[str],
    rows: Sequence[tuple[Any, Sequence[Any]]],
) -> None:
    """Set the fields `names` of each row (its primary key, its values in that
    order), one prepared UPDATE run for each: `bulk_update` builds a CASE per field
    and row, which took nine tenths of a refresh's time."""
    if not rows:
        return
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    key = next(f for f in meta.concrete_fields if f.primary_key)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Table and column names come from the model; every value is a bound parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(key.column)} = %s"  # noqa: S608
    params = [
        [
            *(
                f.get_db_prep_save(value, connection)
                for f, value in zip(fields, values, strict=True)
            ),
            key.get_db_prep_save(pk, connection),
        ]
        for pk, values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _fingerprint(whose: str, one: Computed, recheck_at: datetime | None) -> str:
    """A keyed hash (BLAKE2b with a key) of what an obligation stores (`_values` of
    the same arguments, `whose` its case's agency and person): equal for equal
    values, so a re-evaluation compares it instead of reading and decrypting the
    stored ones, and builds the values only of what changed. Keyed, because the
    values include encrypted details with few possible values, which a plain hash
    would let anyone with the table guess. Made from `repr`, exact for these types:
    the same instant in two zones differs, which at worst rewrites an unchanged
    row."""
    text = repr(
        (
            one.due,
            one.due_at,
            one.status.value,
            one.severity.value,
            one.citations,
            one.triggered_by,
            one.met_by,
            one.met_at,
            one.note,
            one.details,
            recheck_at,
        )
    )
    return hashlib.blake2b(
        f"{whose} {text}".encode(),
        key=_fingerprint_key(settings.SECRET_KEY),
        digest_size=16,
    ).hexdigest()


@functools.cache
def _fingerprint_key(secret: str) -> bytes:
    return hashlib.sha256(b"amparo.safeguards.fingerprint:" + secret.encode()).digest()


def _values(case: Case, one: Computed, recheck_at: datetime | None) -> tuple[Any, ...]:
    """The obligation's `_FIELDS`, in order, as stored."""
    return (
        case.agency_id,
        case.primary_person_id,
        one.due,
        one.due_at,
        getattr(one.due_at.tzinfo, "key", "") if one.due_at else "",
        one.status.value,
        one.severity.value,
        list(one.citations),
        list(one.triggered_by),
        list(one.met_by),
        one.met_at,
        one.note,
        dump_json(one.details) if one.details else "",
        recheck_at,
    )


def _recheck_at(
    one: Computed,
    now: datetime,
    times: Mapping[str, datetime],
    pending: datetime | None,
) -> datetime | None:
    """The next moment after `now` at which time alone may change `one`: a fact dated
    later than now (the engine reads it only from then on); and, for a duty still to
    be done, its deadline, the times its details name (a warning, a critical limit),
    and the 80 % warning counted from each fact that started it (the engine does not
    report the warning of every rule; from a wrong start it is only an early look).
    None: only a new fact can change it (the rules state every moment time alone
    acts at, a detained child's 18th birthday included)."""
    candidates = [pending] if pending is not None else []
    if one.status in _LIVE:
        if one.due_at is not None:
            due_at = one.due_at
            candidates.append(due_at)
            candidates.extend(
                fraction_of(times[t], due_at, WARNING_SHARE)
                for t in one.triggered_by
                if t in times and times[t] < due_at
            )
        candidates.extend(_moments(one.details))
    # A deadline passes the instant after it (`now > due_at`): a moment equal to now
    # is looked at again a microsecond later, not dropped.
    return min(
        (c if c > now else c + _INSTANT for c in candidates if c >= now), default=None
    )


def _moments(details: Mapping[str, Any]) -> list[datetime]:
    """The moments the details name at which time alone acts: by the rules'
    convention, the keys that end in `_at` (`warning_at`, `critical_at`, `adult_at`);
    the others record what has been (`detained_since`, `child_until`)."""
    found = []
    for name, value in details.items():
        if name.endswith("_at") and isinstance(value, str):
            try:
                found.append(datetime.fromisoformat(value))
            except ValueError:
                continue
    return found


# --- What time alone changes -----------------------------------------------------------

# A refresh of at least this many cases is shared out among processes, one per core:
# the engine is pure Python, and one process runs on one core.
REFRESH_PARALLEL_FROM = 2 * REFRESH_BATCH


def mark_for_refresh(*, now: datetime, jurisdiction: str | None = None) -> int:
    """Make every case (or every case judged by `jurisdiction`) due for `refresh_due`
    at `now`, as after a change to a rule or a profile's figures, which no deadline
    announces. An anonymised case is left alone: its facts are gone, and what it
    keeps for statistics must not be recomputed from nothing. Returns how many.

    In short transactions of `MARK_BATCH` cases, in order of case, as a refresh batch
    writes them: a refresh running meanwhile neither waits long nor deadlocks."""
    if jurisdiction is not None and jurisdiction not in profiles.available():
        raise ValidationError(
            {
                "jurisdiction": _("No jurisdiction profile %(code)s.")
                % {"code": jurisdiction}
            }
        )
    rows = CaseSafeguards.objects.filter(case__anonymised_at__isnull=True)
    if jurisdiction is not None:
        rows = rows.filter(jurisdiction=jurisdiction)
    ids = list(rows.order_by("case_id").values_list("case_id", flat=True))
    marked = 0
    for start in range(0, len(ids), MARK_BATCH):
        with transaction.atomic():
            marked += CaseSafeguards.objects.filter(
                case_id__in=ids[start : start + MARK_BATCH]
            ).update(recheck_at=now)
    return marked


def refresh_due(
    *,
    now: datetime | None = None,
    batch_size: int = REFRESH_BATCH,
    processes: int | None = None,
) -> Changes:
    """Re-evaluate every case whose `recheck_at` has come, batch by
    batch (one transaction each), in order of case. Idempotent: a re-evaluated case's
    next recheck is after `now`, so a second run at the same time finds nothing. A
    case locked by an action is skipped: that action recomputes it.

    A large refresh runs its batches in `processes` processes (default: one per core,
    on PostgreSQL on Linux, outside a transaction), each with its own connection: every
    batch is the same transaction as in one process, so the guarantees hold."""
    now = now or timezone.now()
    # One pass over the recheck index for the whole run (a case id each: a few
    # megabytes for a million), rather than one per batch.
    due = list(
        CaseSafeguards.objects.filter(recheck_at__lte=now)
        .order_by("case_id")
        .values_list("case_id", flat=True)
    )
    batches = [due[n : n + batch_size] for n in range(0, len(due), batch_size)]
    processes = min(_processes_for(len(due), processes), len(batches))
    if processes > 1:
        return _refresh_in_processes(batches, now, processes)
    return _refresh_batches(batches, now)


def _refresh_batch(case_ids: Sequence[uuid.UUID], now: datetime) -> Changes:
    with transaction.atomic():
        # Only what the recomputation reads: the opening reason would be decrypted.
        cases = list(
            Case.objects.select_for_update(skip_locked=True)
            .filter(pk__in=case_ids)
            .order_by("pk")
            .only("pk", "agency_id", "primary_person_id")
        )
        # Under the lock, again: an action may have recomputed a case since (at a
        # later time, which this run must not overwrite with an earlier one).
        still_due = set(
            CaseSafeguards.objects.filter(
                case_id__in=[c.pk for c in cases], recheck_at__lte=now
            ).values_list("case_id", flat=True)
        )
        return _recompute_all([c for c in cases if c.pk in still_due], now)


def _processes_for(cases: int, wanted: int | None) -> int:
    if (
        sys.platform != "linux"  # no fork, or fork unsafe with the system libraries
        or connection.vendor != "postgresql"  # SQLite has one writer at a time
        or connection.in_atomic_block  # the caller's transaction cannot be shared
    ):
        return 1
    if wanted is not None:
        return max(wanted, 1)
    return len(os.sched_getaffinity(0)) if cases >= REFRESH_PARALLEL_FROM else 1


def _refresh_in_processes(
    batches: Sequence[Sequence[uuid.UUID]], now: datetime, processes: int
) -> Changes:
    """The batches shared out among forked processes, whichever is free taking the
    next. Each opens its own connection: a connection shared over a fork is one
    session for two processes, so this one's are closed first."""
    connections.close_all()
    try:
        pool = multiprocessing.get_context("fork").Pool(
            processes, initializer=_process_started
        )
    except (OSError, ImportError):  # no processes or semaphores allowed here
        return _refresh_batches(batches, now)
    total = Changes()
    with pool:
        for changes in pool.imap_unordered(
            functools.partial(_refresh_batch, now=now), batches
        ):
            total.add(changes)
        # Ended in order, not terminated: each closes its connection as it exits.
        pool.close()
        pool.join()
    return total


def _refresh_batches(batches: Iterable[Sequence[uuid.UUID]], now: datetime) -> Changes:
    total = Changes()
    for case_ids in batches:
        total.add(_refresh_batch(case_ids, now))
    return total


def _process_started() -> None:
    # What was imported before the fork lives as long as the process: the cyclic
    # garbage collector need not walk it again and again.
    gc.freeze()
    multiprocessing.util.Finalize(None, connections.close_all, exitpriority=0)
