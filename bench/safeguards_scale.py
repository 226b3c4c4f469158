"""The safeguards engine's database side at scale: the worklist, recording a fact, and
`amparo safeguards refresh`, on PostgreSQL.

    python -m bench.safeguards_scale                  # 1,000,000 cases, 200,000 detained
    python -m bench.safeguards_scale --cases 20000 --detained 4000   # a quick check
    python -m bench.safeguards_scale --reload         # load the data again

Targets (issue 4), with 1,000,000 cases of which 200,000 in open detention: the worklist
p95 < 50 ms; recording a fact and recomputing the case's obligations p95 < 30 ms;
`amparo safeguards refresh` over all of them < 60 s.

The data. Four agencies hold 40, 30, 20 and 10 % of the cases; each has teams of ten
case workers holding about 2,000 cases each (20,000 a team; the agencies share cases
within teams), a supervisor per team and one over the whole agency; 2 % of the cases
wait unassigned. Every case has its own person. The detained cases are spread evenly
over the others; each has a case file of `bench.safeguards`'s generator (the eight
shipped jurisdictions in turn, about ten facts: nationalities, a detention with its
place's time zone, reviews, transfers, consular requests and notifications, screenings,
alternatives...) as encrypted `CaseFact` rows; only the generator's case files whose
detention is still open are kept, and their cases are open. Of the other cases, three
in ten are closed. Persons, cases and facts are written with PostgreSQL's COPY by one
process per core, the facts' data encrypted by the model field; then the obligations
are computed as the product computes them (`actions._recompute_all`, 500 cases a
transaction, one process per core): the "initial computation". The facts are dated up
to T0, two days before the load, and the obligations are evaluated at T0.

The loaded database is kept as a PostgreSQL template, one per data set
(`<name>_<cases>_<detained>_<seed>`, so a quick run leaves the large one alone); every
run works on a fresh copy of it (`CREATE DATABASE ... TEMPLATE`), so that every run
starts from the same state however the previous one ended. `--reload` loads it again.

One run measures, in this order:

1. References: a `SELECT 1` round trip, and the first page (50) of an agency's case list
   by the index it is read by (`cases_case_recent_idx`), through the ORM.
2. The worklist: `queries.worklist_page(queries.worklist(user, filter, T0), cursor=None,
   size=50)` for every filter, for a case worker (her team's cases), the supervisor of
   her team (the team's cases, and the agency's unassigned ones) and the agency's head
   supervisor (the whole agency's), and a page deep down the head's list; the same
   first pages with PostgreSQL's parallel query off in the session; then through HTTP,
   `GET /api/v1/obligations/?filter=...&limit=50` with Django's test Client in a session
   that passed two-factor verification (there the time is the clock's). EXPLAIN
   ANALYZE of each list's query is in the report.
3. Recording a fact: `actions.record_fact` on random open cases in open detention, by
   their case worker, each call its own transaction (what the API does); a
   `detention_reviewed` of the open episode and a `rights_informed` in turn.
4. `refresh` as time passes: `actions.refresh_due(now=T)` in this process, at T0 + 1
   minute (what the command finds when it runs every minute), then one hour later, then
   one day later.
5. The engine alone on 2,000 of the stored cases: the floor of any refresh.
6. `refresh` over all of them: `amparo safeguards refresh --all` (every case made due,
   as after a change to the rules or profiles, then re-evaluated) as a subprocess,
   the real command, start-up included, `--refresh-runs` times (it re-evaluates
   every case at the clock's time, days after T0). Then once more with
   nothing due: the command's cost when it finds (almost) nothing.

Each timing is also given as a ratio to the references measured in the same run, so that
runs on different machines compare. The machine is recorded and the load average before
and after is printed: the VM is shared.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import io
import json
import math
import multiprocessing
import os
import pstats
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import bench.safeguards as generator
from bench.run import (
    Result,
    amparo_command,
    bench_environment,
    collect_static,
    get_ok,
    machine_info,
    run_amparo,
    sample,
    setup_django,
    verified_client,
    with_appendix,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/amparo_bench_scale"
DEFAULT_VAR_DIR = str(Path(tempfile.gettempdir()) / "amparo-bench-scale-var")
WORKLIST_TARGET_MS = 50.0
RECORD_TARGET_MS = 30.0
REFRESH_TARGET_S = 60.0
SEED = 68179
# Bump when the generated data changes, or what the initial computation stores (3: the
# obligations' fingerprints): a kept template of another layout is reloaded.
LAYOUT = 3
# Cases per piece of the load (one transaction in one process).
CHUNK = 10_000
# name, code, share of the cases
AGENCIES = (
    ("Agencia de Protección Norte", "norte", 0.4),
    ("Protection Services East", "east", 0.3),
    ("Servicio Jesuita Sur", "sur", 0.2),
    ("Refugee Legal Aid West", "west", 0.1),
)
TEAM_CASES = 20_000
WORKER_CASES = 2_000
UNASSIGNED = 0.02
PAGE_SIZE = 50
INITIAL_BATCH = 500
FILTERS = ("mine", "due_soon", "overdue", "critical", "all")
SELECT1_REF = "`SELECT 1` round trip (reference)"
CASES_REF = "50 newest cases of an agency, ORM (reference)"
REFRESH_LINE = re.compile(
    r"(\d+) cases re-evaluated: (\d+) obligations created, (\d+) updated, "
    r"(\d+) deleted"
)


# --- Command line --------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.safeguards_scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--detained", type=int, default=200_000, help="cases in open detention"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL URL of a database the run may drop (its name must contain "
        "'bench'); the loaded data is kept in <name>_<cases>_<detained>_<seed>",
    )
    parser.add_argument("--var-dir", default=DEFAULT_VAR_DIR)
    parser.add_argument("--reload", action="store_true", help="load the data again")
    parser.add_argument(
        "--repeat", type=int, default=200, help="timed samples per worklist"
    )
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--records", type=int, default=400, help="facts recorded (timed calls)"
    )
    parser.add_argument(
        "--refresh-runs",
        type=int,
        default=1,
        help="runs of the command with every case due (about 5 minutes each for the "
        "default sizes on 2 cores)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("worklist", "http", "record", "incremental", "refresh"),
        help="leave out a part (repeat)",
    )
    parser.add_argument(
        "--profile",
        choices=("refresh", "record"),
        help="also print cProfile's top functions of a refresh of 2,000 cases, or of "
        "recording 100 facts",
    )
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not 0 < args.detained <= args.cases:
        parser.error("--detained must be from 1 to --cases")
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- The databases -------------------------------------------------------------------


def _names(database_url: str) -> tuple[str, str]:
    """(the working database, the URL of the server's `postgres`)."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("--database-url must be a postgres:// URL.")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: a benchmark database's name has 'bench'.")
    return name, parts._replace(path="/postgres").geturl()


def template_name(args: argparse.Namespace) -> str:
    name = _names(args.database_url)[0]
    return f"{name}_{args.cases}_{args.detained}_{args.seed}"


def _admin(database_url: str, *statements: Any) -> None:
    import psycopg

    admin = _names(database_url)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _template_meta(database_url: str, template: str) -> dict[str, Any] | None:
    """What the kept template holds (`--cases`, `--detained`, seed, T0, the load's
    timings), or None if there is none."""
    import psycopg

    admin = _names(database_url)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
    if not found:
        return None
    url = urlsplit(database_url)._replace(path=f"/{template}").geturl()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT value FROM bench_scale_meta").fetchone()
    except psycopg.Error:
        return None
    return json.loads(row[0]) if row else None


def _disconnect() -> None:
    """Close this process's connections, if Django is set up: a database cannot be
    copied while someone is connected to it."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


def _copy_database(database_url: str, *, source: str, target: str) -> float:
    """`target` as a file copy of `source`."""
    from psycopg import sql

    _disconnect()
    started = time.perf_counter()
    _admin(
        database_url,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(target)
        ),
        # FILE_COPY: the files as they are, rather than every page through the WAL.
        sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
            sql.Identifier(target), sql.Identifier(source)
        ),
    )
    return time.perf_counter() - started


# --- The data set --------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyPlan:
    name: str
    code: str
    first: int  # its cases are the numbers first .. end - 1
    end: int

    @property
    def cases(self) -> int:
        return self.end - self.first


def agency_plans(cases: int) -> list[AgencyPlan]:
    plans, first, share_so_far = [], 0, 0.0
    for n, (name, code, share) in enumerate(AGENCIES):
        share_so_far += share
        end = cases if n == len(AGENCIES) - 1 else round(cases * share_so_far)
        plans.append(AgencyPlan(name, code, first, end))
        first = end
    return plans


@dataclass
class Staff:
    """An agency's users, as ids: its case workers with their team, its supervisors."""

    agency_id: uuid.UUID
    workers: list[tuple[int, uuid.UUID]]  # (user id, team id)
    team_supervisors: list[int]
    head: int  # the supervisor of the whole agency (no team)


@dataclass
class LoadContext:
    """What every loading process needs; forked, they have it without copying."""

    cases: int
    detained: int
    seed: int
    t0: datetime
    plans: list[AgencyPlan]
    staff: list[Staff]


_load: LoadContext | None = None


def create_staff(plans: list[AgencyPlan]) -> list[Staff]:
    """The agencies, their teams and users; the benchmark's users are the first case
    worker of the first agency, her team's supervisor and the agency's head."""
    from django.contrib.auth.hashers import make_password

    from amparo.accounts.models import Agency, Team, User

    password = make_password(None)  # unusable: the benchmark logs in without one
    staff = []
    for plan in plans:
        agency = Agency.objects.create(
            name=plan.name, code=plan.code, team_sharing=True
        )
        teams = Team.objects.bulk_create(
            Team(agency=agency, name=f"Team {n + 1}")
            for n in range(max(1, round(plan.cases / TEAM_CASES)))
        )
        per_team = max(1, round(TEAM_CASES / WORKER_CASES))
        users = [
            User(
                username=f"{plan.code}-worker-{t + 1}-{w + 1}",
                agency=agency,
                team=team,
                role=User.Role.CASEWORKER,
                password=password,
                first_name=f"Worker {w + 1}",
                last_name=team.name,
            )
            for t, team in enumerate(teams)
            for w in range(per_team)
        ]
        users += [
            User(
                username=f"{plan.code}-supervisor-{t + 1}",
                agency=agency,
                team=team,
                role=User.Role.SUPERVISOR,
                password=password,
            )
            for t, team in enumerate(teams)
        ]
        users.append(
            User(
                username=f"{plan.code}-head",
                agency=agency,
                role=User.Role.SUPERVISOR,
                password=password,
            )
        )
        User.objects.bulk_create(users)
        created = {
            u.username: u
            for u in User.objects.filter(agency=agency).only("id", "team_id", "role")
        }
        staff.append(
            Staff(
                agency.pk,
                [
                    (u.pk, u.team_id)
                    for u in created.values()
                    if u.role == User.Role.CASEWORKER and u.team_id is not None
                ],
                [
                    created[f"{plan.code}-supervisor-{t + 1}"].pk
                    for t in range(len(teams))
                ],
                created[f"{plan.code}-head"].pk,
            )
        )
    return staff


def bench_users() -> dict[str, Any]:
    """The measured users: a case worker, her team's supervisor, the agency's head."""
    from amparo.accounts.models import User

    code = AGENCIES[0][1]
    names = {
        "case worker": f"{code}-worker-1-1",
        "team supervisor": f"{code}-supervisor-1",
        "head supervisor": f"{code}-head",
    }
    return {
        label: User.objects.select_related("agency", "team").get(username=username)
        for label, username in names.items()
    }


@contextmanager
def generated_at(moment: datetime) -> Iterator[None]:
    """`bench.safeguards`'s generator, with its evaluation time moved to `moment`: it
    dates every fact at or before its module's `AT`."""
    saved = generator.AT
    generator.AT = moment
    try:
        yield
    finally:
        generator.AT = saved


def is_open(document: dict[str, Any]) -> bool:
    started = {
        f["data"]["episode"]
        for f in document["facts"]
        if f["kind"] == "detention_started"
    }
    ended = {
        f["data"]["episode"]
        for f in document["facts"]
        if f["kind"] == "detention_ended"
    }
    return bool(started - ended)


class Copier:
    """Rows of one model for COPY: every concrete column, the given values over the
    fields' defaults, each through the field (so encrypted fields are encrypted)."""

    def __init__(self, model: Any) -> None:
        from django.db import connection
        from django.db.models import AutoField, BigAutoField

        self.model = model
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not isinstance(f, AutoField | BigAutoField)
        ]
        self.defaults = [
            f.get_db_prep_save(f.get_default(), connection) for f in self.fields
        ]
        self.index = {f.attname: n for n, f in enumerate(self.fields)}
        self.rows: list[tuple[Any, ...]] = []

    def prep(self, attname: str, value: Any) -> Any:
        from django.db import connection

        return self.fields[self.index[attname]].get_db_prep_save(value, connection)

    def add(self, values: dict[str, Any]) -> None:
        row = list(self.defaults)
        for name, value in values.items():
            row[self.index[name]] = value
        self.rows.append(tuple(row))

    def copy(self) -> int:
        from django.db import connection

        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in self.rows:
                copy.write_row(row)
        count = len(self.rows)
        self.rows = []
        return count


GIVEN = ("Amina", "José", "Thi Lan", "Mohammed", "Olena", "Kofi", "Ana", "Rahim")
FAMILY = ("Haile", "García", "Nguyen", "Alhassan", "Kovalenko", "Mensah", "Rahman")


def load_chunk(number: int) -> Counter[str]:
    """Cases `number` × CHUNK onwards: their persons, cases, types, and for the
    detained ones the case file's facts, in one transaction. In a forked process."""
    from django.db import connections, transaction

    from amparo.cases.models import Case, CaseType
    from amparo.people.models import Person
    from amparo.safeguards.models import CaseFact, CaseSafeguards, dump_json

    context = _load
    if context is None:
        raise RuntimeError("load_chunk runs only in load_data's processes")
    first = number * CHUNK
    end = min(first + CHUNK, context.cases)
    size = end - first
    rng = random.Random(f"{context.seed}:{number}")
    # The open detentions of this chunk: its share of --detained, spread evenly.
    wanted = (context.detained * end) // context.cases - (
        context.detained * first
    ) // context.cases
    files: list[dict[str, Any]] = []
    with generated_at(context.t0):
        made = 0
        while len(files) < wanted:
            made += 1
            document = generator._case_file(rng, first + made)
            # The others' detention has ended: not what this benchmark counts.
            if is_open(document):
                files.append(document)
    slots = {first + (k * size) // len(files): f for k, f in enumerate(files)}
    persons, cases = Copier(Person), Copier(Case)
    types, safeguards, facts = (
        Copier(CaseType),
        Copier(CaseSafeguards),
        Copier(CaseFact),
    )
    counts: Counter[str] = Counter()
    bounds = [plan.end for plan in context.plans]
    t0 = context.t0
    for n in range(first, end):
        k = bisect.bisect_right(bounds, n)
        staff = context.staff[k]
        document = slots.get(n)
        if rng.random() < UNASSIGNED:
            assignee, team = None, None
        else:
            assignee, team = rng.choice(staff.workers)
        opener = assignee or staff.head
        person_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        case_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        opened_at = t0 - timedelta(minutes=rng.randint(60, 400 * 24 * 60))
        if document is not None:
            first_fact = min(datetime.fromisoformat(f["at"]) for f in document["facts"])
            opened_at = min(opened_at, first_fact) - timedelta(hours=rng.randint(0, 72))
        closed = document is None and rng.random() < 0.3
        persons.add(
            {
                "id": person_id,
                "created_at": opened_at,
                "updated_at": opened_at,
                "agency_id": staff.agency_id,
                "display_name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "sex": rng.choice("FMU"),
                "registered_by_id": opener,
                "team_id": team,
            }
        )
        updated_at = min(opened_at + timedelta(days=rng.randint(0, 60)), t0)
        cases.add(
            {
                "id": case_id,
                "created_at": opened_at,
                "updated_at": updated_at,
                "agency_id": staff.agency_id,
                "reference": f"{context.plans[k].code.upper()}-{n + 1:07d}",
                "primary_person_id": person_id,
                "status": "closed"
                if closed
                else rng.choice(("open", "assessed", "plan", "in_progress")),
                "risk": rng.choice(("low", "medium", "high", "critical")),
                "assigned_to_id": assignee,
                "opened_at": opened_at,
                "opened_by_id": opener,
                "opening_reason": cases.prep(
                    "opening_reason", "Referred by the detention monitoring team."
                ),
                "closed_at": updated_at if closed else None,
                "closure_reason": "goals_met" if closed else "",
            }
        )
        types.add(
            {
                "case_id": case_id,
                "code": "detention"
                if document is not None
                else rng.choice(("general", "child", "victim", "labour")),
            }
        )
        counts["cases"] += 1
        counts["closed"] += closed
        if document is None:
            continue
        counts["detained"] += 1
        safeguards.add({"case_id": case_id, "jurisdiction": document["jurisdiction"]})
        for raw in document["facts"]:
            at = datetime.fromisoformat(raw["at"])
            offset = at.utcoffset()
            data = raw.get("data") or {}
            facts.add(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "created_at": at,
                    "updated_at": at,
                    "case_id": case_id,
                    "kind": raw["kind"],
                    "at": at,
                    "at_utc_offset": int(offset.total_seconds()) if offset else 0,
                    "recorded_by_id": opener,
                    "data_json": facts.prep("data_json", dump_json(data))
                    if data
                    else "",
                }
            )
            counts["facts"] += 1
    with transaction.atomic():
        persons.copy()
        cases.copy()
        types.copy()
        safeguards.copy()
        facts.copy()
    # The process lives on for the next chunk; a connection per chunk is cheap.
    connections.close_all()
    return counts


def compute_chunk(case_ids: list[uuid.UUID]) -> int:
    """The initial computation of some cases, as the product computes it."""
    from django.db import connections, transaction

    from amparo.cases.models import Case
    from amparo.safeguards import actions

    if _load is None:
        raise RuntimeError("compute_chunk runs only in load_data's processes")
    with transaction.atomic():
        cases = list(Case.objects.filter(pk__in=case_ids).order_by("pk"))
        changes = actions._recompute_all(cases, _load.t0)
    connections.close_all()
    return changes.created


def in_processes(
    function: Callable[[Any], Any], items: Sequence[Any], workers: int
) -> Iterator[Any]:
    """`function` over `items` in forked processes, one per core, in any order."""
    from django.db import connections

    connections.close_all()  # each process opens its own
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(function, items)
        pool.close()
        pool.join()


def load_data(args: argparse.Namespace) -> dict[str, Any]:
    """Everything into the (empty, migrated) working database; what was loaded, with
    the times the load and the initial computation took."""
    global _load
    from django.db import connection

    from amparo.safeguards.models import CaseSafeguards

    started = time.perf_counter()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    t0 = now - timedelta(days=2)
    plans = agency_plans(args.cases)
    staff = create_staff(plans)
    _load = LoadContext(args.cases, args.detained, args.seed, t0, plans, staff)
    workers = len(os.sched_getaffinity(0))
    chunks = range(math.ceil(args.cases / CHUNK))
    counts: Counter[str] = Counter()
    try:
        for n, done in enumerate(in_processes(load_chunk, chunks, workers), start=1):
            counts.update(done)
            if n % 10 == 0 or n == len(chunks):
                log(f"  {n}/{len(chunks)} chunks, {counts['cases']:,} cases")
        loaded_s = time.perf_counter() - started
        ids = list(
            CaseSafeguards.objects.order_by("case_id").values_list("case_id", flat=True)
        )
        log(f"initial computation of {len(ids):,} cases' obligations")
        started = time.perf_counter()
        batches = [
            ids[n : n + INITIAL_BATCH] for n in range(0, len(ids), INITIAL_BATCH)
        ]
        counts["obligations"] = sum(in_processes(compute_chunk, batches, workers))
        computed_s = time.perf_counter() - started
    finally:
        _load = None
    log("VACUUM ANALYZE, CHECKPOINT")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    meta = {
        "layout": LAYOUT,
        "cases": args.cases,
        "detained": args.detained,
        "seed": args.seed,
        "t0": t0.isoformat(),
        "loaded_at": now.isoformat(),
        "load_s": loaded_s,
        "initial_s": computed_s,
        "workers": workers,
        "counts": dict(counts),
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_scale_meta (value text NOT NULL)")
        cursor.execute("INSERT INTO bench_scale_meta VALUES (%s)", [json.dumps(meta)])
    return meta


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """The working database, a fresh copy of the loaded template; loaded first if there
    is no template of these arguments (or `--reload`)."""
    from psycopg import sql

    name = _names(args.database_url)[0]
    template = template_name(args)
    meta = None if args.reload else _template_meta(args.database_url, template)
    wanted = (LAYOUT, args.cases, args.detained, args.seed)
    if meta is not None and (
        meta["layout"],
        meta["cases"],
        meta["detained"],
        meta["seed"],
    ) == (wanted):
        log(f"copying the loaded data ({template}) to {name}")
        seconds = _copy_database(args.database_url, source=template, target=name)
        log(f"  copied in {seconds:.1f} s")
        # Also writes the keys if the var dir is new, and applies newer migrations.
        run_amparo(["migrate", "--no-input", "--verbosity", "0"], env)
        setup_django(env)
        if keys_match():
            return meta
        log("the kept data was encrypted with other keys: loading again")
    log(f"loading {args.cases:,} cases ({args.detained:,} detained) into {name}")
    _disconnect()
    _admin(
        args.database_url,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(template)
        ),
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)),
    )
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    run_amparo(["migrate", "--no-input", "--verbosity", "0"], env)
    setup_django(env)
    meta = load_data(args)
    log(
        f"  loaded in {meta['load_s']:.1f} s, obligations computed in "
        f"{meta['initial_s']:.1f} s; keeping a copy as {template}"
    )
    _copy_database(args.database_url, source=name, target=template)
    return meta


def keys_match() -> bool:
    """Whether this run's keys decrypt the kept data."""
    from amparo.core.crypto import DecryptionError
    from amparo.safeguards.models import CaseFact

    try:
        fact = CaseFact.objects.exclude(data_json="").first()
    except DecryptionError:
        return False
    return fact is not None


# --- Measuring -----------------------------------------------------------------------


def count_queries(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def measure_references(user: Any, args: argparse.Namespace) -> list[Result]:
    from django.db import connection

    from amparo.cases.models import Case

    def select_1(_i: int) -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    def cases_page(_i: int) -> object:
        return list(
            Case.objects.filter(agency_id=user.agency_id).order_by(
                "-updated_at", "-id"
            )[:PAGE_SIZE]
        )

    repeat, warmup = max(args.repeat, 200), max(args.warmup, 20)
    return [
        Result(
            "reference", SELECT1_REF, sample(select_1, repeat=repeat, warmup=warmup)
        ),
        Result(
            "reference",
            CASES_REF,
            sample(cases_page, repeat=repeat, warmup=warmup),
            queries=1,
        ),
    ]


def measure_worklists(
    users: dict[str, Any], at: datetime, args: argparse.Namespace
) -> tuple[list[Result], dict[str, int]]:
    """The first page of every worklist of every measured user, at `at`; and how many
    obligations each list holds."""
    from amparo.safeguards.queries import Worklist, worklist, worklist_page

    results = first_pages(users, at, args)
    sizes = {
        f"{label}: {name}": worklist(user, Worklist(name), at).count()
        for label, user in users.items()
        for name in FILTERS
    }
    # A page deep down the longest list: keyset pages cost the same wherever they are.
    label, user = list(users.items())[-1]
    cursor = None
    for _ in range(20):
        cursor = worklist_page(
            worklist(user, Worklist.ALL, at), cursor=cursor, size=PAGE_SIZE
        ).next_cursor
    if cursor is not None:
        deep = cursor

        def deep_page(_i: int) -> object:
            return worklist_page(
                worklist(user, Worklist.ALL, at), cursor=deep, size=PAGE_SIZE
            )

        results.append(
            Result(
                "worklist",
                f"{label}: all, page 21 (cursor)",
                sample(deep_page, repeat=args.repeat, warmup=args.warmup),
                WORKLIST_TARGET_MS,
                count_queries(lambda: deep_page(0)),
            )
        )
    return results, sizes


def first_pages(
    users: dict[str, Any], at: datetime, args: argparse.Namespace, suffix: str = ""
) -> list[Result]:
    from amparo.safeguards.queries import Worklist, worklist, worklist_page

    results = []
    for label, user in users.items():
        for name in FILTERS:
            which = Worklist(name)

            def page(_i: int, user: Any = user, which: Worklist = which) -> object:
                return worklist_page(
                    worklist(user, which, at), cursor=None, size=PAGE_SIZE
                )

            results.append(
                Result(
                    "worklist",
                    f"{label}: {name}{suffix}",
                    sample(page, repeat=args.repeat, warmup=args.warmup),
                    WORKLIST_TARGET_MS,
                    count_queries(lambda page=page: page(0)),
                )
            )
    return results


def measure_worklists_serial(
    users: dict[str, Any], at: datetime, args: argparse.Namespace
) -> list[Result]:
    """The same first pages with PostgreSQL's parallel query off in this session:
    starting a query's parallel workers costs tens of milliseconds on a small VM,
    more than the work they share (EXPLAIN ANALYZE in the report)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    try:
        return first_pages(users, at, args, " (no parallel workers)")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")


def measure_http(users: dict[str, Any], args: argparse.Namespace) -> list[Result]:
    results = []
    for label, user in users.items():
        client = verified_client(user)
        for name in FILTERS:
            url = f"/api/v1/obligations/?filter={name}&limit={PAGE_SIZE}"
            items = len(get_ok(client, url).json()["items"])
            results.append(
                Result(
                    "worklist (HTTP)",
                    f"{label}: GET {url} ({items} items)",
                    sample(
                        lambda _i, url=url, client=client: get_ok(client, url),
                        repeat=args.repeat,
                        warmup=args.warmup,
                    ),
                    WORKLIST_TARGET_MS,
                    count_queries(lambda url=url, client=client: get_ok(client, url)),
                )
            )
    return results


@dataclass
class Recording:
    case_id: uuid.UUID
    kind: str
    data: dict[str, Any]
    zone: str


def recordings(count: int, seed: int) -> list[Recording]:
    """`count` facts to record on random open cases in open detention with a case
    worker: a review of the open episode and a `rights_informed`, in turn."""
    from amparo.cases.models import Case
    from amparo.safeguards.queries import facts_of

    ids = list(
        Case.objects.filter(safeguards__isnull=False, assigned_to__isnull=False)
        .exclude(status=Case.Status.CLOSED)
        .values_list("pk", flat=True)
    )
    rng = random.Random(seed)
    rng.shuffle(ids)
    found: list[Recording] = []
    for case_id in ids:
        if len(found) == count:
            break
        started: dict[str, str] = {}
        for fact in facts_of(Case(pk=case_id)).order_by("at", "id"):
            if fact.kind in ("detention_started", "detention_transferred"):
                started[fact.data["episode"]] = fact.data["time_zone"]
            elif fact.kind == "detention_ended":
                started.pop(fact.data["episode"], None)
        if not started:
            continue  # its detention has ended
        episode, zone = next(iter(started.items()))
        if len(found) % 2 == 0:
            found.append(
                Recording(
                    case_id,
                    "detention_reviewed",
                    {"episode": episode, "by": "judicial", "outcome": "continued"},
                    zone,
                )
            )
        else:
            found.append(
                Recording(case_id, "rights_informed", {"language": "es"}, zone)
            )
    return found


def record(one: Recording) -> None:
    from amparo.cases.models import Case
    from amparo.safeguards import actions

    case = Case.objects.select_related("assigned_to").get(pk=one.case_id)
    assert case.assigned_to is not None
    # Whole minutes, a minute ago, in the place's zone: as a case worker records it.
    at = datetime.now(ZoneInfo(one.zone)).replace(second=0, microsecond=0)
    actions.record_fact(
        case,
        acting_user=case.assigned_to,
        kind=one.kind,
        at=at - timedelta(minutes=1),
        data=one.data,
    )


def measure_record(args: argparse.Namespace) -> list[Result]:
    """`actions.record_fact` alone; the case and its user are read before the clock
    starts, as a view has them already."""
    from amparo.cases.models import Case
    from amparo.safeguards import actions

    warmup = max(args.warmup // 2, 5)
    todo = recordings(args.records + warmup + 1, args.seed)
    for one in todo[:warmup]:
        record(one)
    samples: dict[str, list[float]] = {}
    for one in todo[warmup:-1]:
        case = Case.objects.select_related("assigned_to").get(pk=one.case_id)
        user = case.assigned_to
        at = datetime.now(ZoneInfo(one.zone)).replace(
            second=0, microsecond=0
        ) - timedelta(minutes=1)
        started = time.perf_counter()
        actions.record_fact(case, acting_user=user, kind=one.kind, at=at, data=one.data)
        samples.setdefault(one.kind, []).append((time.perf_counter() - started) * 1000)
    queries = count_queries(lambda: record(todo[-1]))
    every = [ms for kind in samples.values() for ms in kind]
    return [
        Result(
            "record",
            "record_fact + recompute, all",
            every,
            RECORD_TARGET_MS,
            queries,
        ),
        *(
            Result("record", f"record_fact + recompute, {kind}", ms, RECORD_TARGET_MS)
            for kind, ms in samples.items()
        ),
    ]


@dataclass
class RefreshRun:
    what: str
    seconds: float
    cases: int
    created: int
    updated: int
    deleted: int
    target_s: float | None = None
    marked: int | None = None

    @property
    def per_case_ms(self) -> float | None:
        return self.seconds / self.cases * 1000 if self.cases else None


@dataclass
class EngineTime:
    cases: int
    per_case_ms: float  # the median case
    mean_ms: float


def measure_engine(at: datetime, cases: int = 2_000) -> EngineTime:
    """The engine alone (`engine.evaluate`) on stored cases, their facts read first,
    in this process with the cyclic garbage collector paused: the part of a refresh
    no database work can remove."""
    import gc

    from amparo.safeguards import actions, engine, profiles
    from amparo.safeguards.facts import CaseFile
    from amparo.safeguards.models import CaseSafeguards

    rows = list(
        CaseSafeguards.objects.order_by("case_id").values_list(
            "case_id", "jurisdiction"
        )[:cases]
    )
    facts = actions._facts([pk for pk, _code in rows])
    files = [
        (CaseFile(str(pk), "person", code, tuple(facts[pk])), code) for pk, code in rows
    ]
    engine.evaluate(files[0][0], profiles.load(files[0][1]), at)  # warm
    times = []
    gc.disable()
    try:
        for case, code in files:
            started = time.perf_counter()
            engine.evaluate(case, profiles.load(code), at)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        gc.enable()
    return EngineTime(len(files), statistics.median(times), statistics.fmean(times))


def measure_incremental(t0: datetime) -> list[RefreshRun]:
    """`refresh_due` in this process as time passes from T0 (the command itself always
    runs at the clock's time)."""
    from amparo.safeguards.actions import refresh_due

    runs = []
    moment = t0
    for label, step in (
        ("1 minute", timedelta(minutes=1)),
        ("1 hour", timedelta(hours=1)),
        ("1 day", timedelta(days=1)),
    ):
        moment += step
        started = time.perf_counter()
        changes = refresh_due(now=moment)
        seconds = time.perf_counter() - started
        runs.append(
            RefreshRun(
                f"`refresh_due(now=…)`, {label} later (T0 + "
                f"{(moment - t0).total_seconds() / 3600:g} h)",
                seconds,
                **asdict(changes),
            )
        )
    return runs


def evaluated_cases() -> int:
    from amparo.safeguards.models import CaseSafeguards

    return CaseSafeguards.objects.count()


def run_refresh(
    env: dict[str, str], what: str, marked: int | None, *options: str
) -> RefreshRun:
    command = [*amparo_command(), "safeguards", "refresh", *options]
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own command)
        command, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    match = REFRESH_LINE.search(done.stdout)
    if done.returncode or not match:
        sys.exit(f"`amparo safeguards refresh` failed:\n{done.stdout}\n{done.stderr}")
    cases, created, updated, deleted = (int(g) for g in match.groups())
    return RefreshRun(
        what, seconds, cases, created, updated, deleted, REFRESH_TARGET_S, marked
    )


def measure_refresh(env: dict[str, str], args: argparse.Namespace) -> list[RefreshRun]:
    from django.db import connections

    runs = []
    for n in range(args.refresh_runs):
        marked = evaluated_cases()
        connections.close_all()  # the command has the database to itself
        runs.append(
            run_refresh(
                env,
                f"`amparo safeguards refresh --all`, every case (run {n + 1})",
                marked,
                "--all",
            )
        )
        log(f"  {runs[-1]}")
    idle = run_refresh(env, "`amparo safeguards refresh`, just after (start-up)", 0)
    idle.target_s = None
    runs.append(idle)
    return runs


def explain_worklists(users: dict[str, Any], at: datetime) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amparo.safeguards.queries import Worklist, worklist, worklist_page

    plans = []
    for label, user in users.items():
        for name in FILTERS:
            with CaptureQueriesContext(connection) as captured:
                worklist_page(
                    worklist(user, Worklist(name), at), cursor=None, size=PAGE_SIZE
                )
            for query in captured.captured_queries:
                sql = query["sql"]
                if "safeguards_obligation" not in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append(f"-- {label}: {name}\n{plan}")
    return plans


def profile_refresh(t0: datetime, cases: int = 2_000) -> str:
    """cProfile of `_recompute_all` over `cases` cases, 500 a batch, rolled back."""
    from django.db import transaction

    from amparo.cases.models import Case
    from amparo.safeguards import actions
    from amparo.safeguards.models import CaseSafeguards

    ids = list(
        CaseSafeguards.objects.order_by("case_id").values_list("case_id", flat=True)[
            :cases
        ]
    )
    profiler = cProfile.Profile()

    class UndoError(Exception):
        pass

    try:
        with transaction.atomic():
            for n in range(0, len(ids), INITIAL_BATCH):
                batch = list(
                    Case.objects.filter(pk__in=ids[n : n + INITIAL_BATCH]).order_by(
                        "pk"
                    )
                )
                profiler.enable()
                actions._recompute_all(batch, t0 + timedelta(days=3))
                profiler.disable()
            raise UndoError
    except UndoError:
        pass
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    return f"cProfile of _recompute_all over {len(ids)} cases:\n{out.getvalue()}"


def profile_record(args: argparse.Namespace, count: int = 100) -> str:
    todo = recordings(count, args.seed + 1)
    profiler = cProfile.Profile()
    profiler.enable()
    for one in todo:
        record(one)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    return f"cProfile of recording {len(todo)} facts:\n{out.getvalue()}"


# --- Report --------------------------------------------------------------------------


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return "met" if value < target else "**missed**"


def results_table(results: list[Result], sizes: dict[str, int]) -> str:
    refs = {r.name: r.median for r in results if r.group == "reference"}
    lines = [
        "| What | on the list | n | queries | median ms | p95 ms | max ms "
        "| median × SELECT 1 | median × cases page | target p95 | | full GCs |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    for r in results:
        size = sizes.get(r.name)
        lines.append(
            f"| {r.name} | {'' if size is None else f'{size:,}'} | {len(r.samples)} "
            f"| {'' if r.queries is None else r.queries} "
            f"| {r.median:.2f} | {r.p95:.2f} | {r.max:.1f} "
            f"| {r.median / refs[SELECT1_REF]:.0f} | {r.median / refs[CASES_REF]:.1f} "
            f"| {'' if r.target_ms is None else f'< {r.target_ms:.0f} ms'} "
            f"| {verdict(r.p95, r.target_ms)} | {r.full_gcs} |"
        )
    return "\n".join(lines)


def refresh_table(runs: list[RefreshRun], cases_page_ms: float) -> str:
    lines = [
        "| What | cases made due | cases re-evaluated | obligations created "
        "/ updated / deleted | s | ms per case | × cases page "
        "| target | |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for run in runs:
        per_case = "" if run.per_case_ms is None else f"{run.per_case_ms:.3f}"
        lines.append(
            f"| {run.what} | {'' if run.marked is None else f'{run.marked:,}'} "
            f"| {run.cases:,} | {run.created:,} / {run.updated:,} / {run.deleted:,} "
            f"| {run.seconds:.2f} | {per_case} "
            f"| {run.seconds * 1000 / cases_page_ms:,.0f} "
            f"| {'' if run.target_s is None else f'< {run.target_s:.0f} s'} "
            f"| {verdict(run.seconds, run.target_s) if run.cases else ''} |"
        )
    return "\n".join(lines)


def data_summary() -> list[tuple[str, str]]:
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for label, sql in (
            ("persons", "SELECT count(*) FROM people_person"),
            ("cases", "SELECT count(*) FROM cases_case"),
            ("closed cases", "SELECT count(*) FROM cases_case WHERE status = 'closed'"),
            ("cases with facts", "SELECT count(*) FROM safeguards_casesafeguards"),
            ("facts", "SELECT count(*) FROM safeguards_casefact"),
            ("obligations", "SELECT count(*) FROM safeguards_obligation"),
            (
                "obligations still to be done (open, overdue, escalated)",
                "SELECT count(*) FROM safeguards_obligation"
                " WHERE status IN ('open', 'overdue', 'escalated')",
            ),
            (
                "database size",
                "SELECT pg_size_pretty(pg_database_size(current_database()))",
            ),
        ):
            cursor.execute(sql)
            value = cursor.fetchone()[0]
            rows.append((label, f"{value:,}" if isinstance(value, int) else value))
    return rows


@dataclass
class Report:
    command: str
    machine: list[tuple[str, str]]
    meta: dict[str, Any]
    data: list[tuple[str, str]]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    results: list[Result] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    refreshes: list[RefreshRun] = field(default_factory=list)
    engine: EngineTime | None = None
    plans: list[str] = field(default_factory=list)
    profile: str = ""

    def markdown(self) -> str:
        meta = self.meta
        counts = meta["counts"]
        refs = {r.name: r.median for r in self.results if r.group == "reference"}
        parts = [
            f"Command: `{self.command}`",
            "\n".join(f"- {k}: {v}" for k, v in self.machine)
            + "\n- Load average (1, 5, 15 min): "
            + " ".join(f"{x:.2f}" for x in self.load_before)
            + " before, "
            + " ".join(f"{x:.2f}" for x in self.load_after)
            + " after",
            f"Data (seed {meta['seed']}, loaded {meta['loaded_at']}, T0 {meta['t0']}): "
            + "; ".join(f"{k} {v}" for k, v in self.data)
            + f". Load: {meta['load_s']:.1f} s ({meta['workers']} processes); "
            f"initial computation of the obligations (`_recompute_all`, "
            f"{INITIAL_BATCH} cases a transaction, {meta['workers']} processes): "
            f"{meta['initial_s']:.1f} s, "
            f"{meta['initial_s'] / max(counts['detained'], 1) * 1000:.3f} ms a case.",
        ]
        if self.results:
            parts.append(results_table(self.results, self.sizes))
        if self.refreshes and CASES_REF in refs:
            parts.append(refresh_table(self.refreshes, refs[CASES_REF]))
        if self.engine is not None:
            cores = len(os.sched_getaffinity(0))
            detained = meta["counts"]["detained"]
            bound = self.engine.mean_ms * detained / 1000 / cores
            parts.append(
                f"The engine alone (`engine.evaluate`, {self.engine.cases:,} stored "
                f"cases, one process, garbage collector paused): "
                f"{self.engine.per_case_ms:.3f} ms the median case, "
                f"{self.engine.mean_ms:.3f} ms on average; for {detained:,} cases on "
                f"{cores} cores, at least {bound:.0f} s of any refresh over all of "
                f"them, with no database work at all."
            )
        return with_appendix(
            parts,
            "EXPLAIN (ANALYZE, BUFFERS) of the worklists",
            self.plans,
            self.profile,
        )


# --- Main ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = os.getloadavg()
    env = bench_environment(args.database_url, Path(args.var_dir))
    meta = prepare(args, env)
    t0 = datetime.fromisoformat(meta["t0"])
    collect_static(env)
    users = bench_users()
    command = shlex.join(
        [
            "python",
            "-m",
            "bench.safeguards_scale",
            *(sys.argv[1:] if argv is None else argv),
        ]
    )
    report = Report(command, machine_info(), meta, data_summary(), load_before)
    log("measuring the references")
    report.results += measure_references(users["head supervisor"], args)
    if "worklist" not in args.skip:
        log("measuring the worklists")
        results, report.sizes = measure_worklists(users, t0, args)
        report.results += results
        log("measuring the worklists without parallel query")
        report.results += measure_worklists_serial(users, t0, args)
    if "http" not in args.skip:
        log("measuring the worklists through HTTP")
        report.results += measure_http(users, args)
    if not args.no_explain:
        report.plans = explain_worklists(users, t0)
    if "record" not in args.skip:
        log(f"recording {args.records} facts")
        report.results += measure_record(args)
    if "incremental" not in args.skip:
        log("refresh as time passes")
        report.refreshes += measure_incremental(t0)
    if args.profile == "refresh":
        log("profiling _recompute_all")
        report.profile = profile_refresh(t0)
    elif args.profile == "record":
        log("profiling record_fact")
        report.profile = profile_record(args)
    if "refresh" not in args.skip:
        log("the engine alone")
        report.engine = measure_engine(t0 + timedelta(days=2))
        log("refresh over every case, the command")
        report.refreshes += measure_refresh(env, args)
    report.load_after = os.getloadavg()
    text = report.markdown()
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
