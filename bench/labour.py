"""The labour complaints list at scale (issue 7), on PostgreSQL.

    python -m bench.labour                                  # 1,000,000 complaints
    python -m bench.labour --complaints 50000 --cases 10000 # a quick check
    python -m bench.labour --keep        # leave the loaded database for another run
    python -m bench.labour --reuse       # measure a kept database again (no load)

Target (issue 7): the complaint list with 1,000,000 complaints, filtered by employer,
p95 under 100 ms.

The data. Two agencies hold 90 and 10 % of the cases (200,000 by default); each has
teams of ten case workers holding about 2,000 cases each (20,000 a team; the agencies
share cases within teams), a supervisor per team and one over the whole agency; 2 % of
the cases wait unassigned. The first agency also has a case worker in no team, who
sees only the 2,000 cases assigned to her (Amparo's default, without team sharing);
none of them is against the most complained-about employer, whose list is therefore
empty for her: the planner's worst case (it walks the employer's complaints, or the
agency's, looking for 50 it will never find). Every case has its own person and five complaints (about
1,000,000). The first agency keeps 3,000 employers and 600 recruiters (agencies,
brokers, sub-agents), the second a tenth of that. Which employer a worker complains
about follows Zipf's law (the k-th employer is named in proportion to 1/k), so that a
few employers gather tens of thousands of complaints and most a few dozen: a case's
complaints name its employer, one in ten another, one in twenty none; four cases in ten
name a recruiter too. Types, amounts, statuses and dates are spread as a case load
would have them; every complaint has an encrypted description (from a pool of
ciphertexts: what a page decrypts is the same). Persons, cases and complaints are
written with COPY by one process per core, then VACUUM ANALYZE and CHECKPOINT.

One run measures, for the first agency's head supervisor (the whole agency), a case
worker in a team (her team's cases) and the case worker in no team (her own), after `--warmup` untimed calls, `--repeat` timed calls of:

1. `queries.complaints_list(user, employer=e)[:50]` evaluated, for a large, a medium
   and a small employer (the issue's target); the unfiltered list; the list of a large
   and a small recruiter (`recruiter=r`, what a recruiter's page shows).
2. The pages, through Django's test Client in a session that passed two-factor
   verification: `GET /labour/complaints/?employer=<id>` and `GET /labour/employers/
   <id>/` (skipped if the labour URLs are missing).
3. References in the same run: a `SELECT 1` round trip, and the first page (50) of the
   agency's case list through the ORM.

EXPLAIN (ANALYZE, BUFFERS) of each ORM list is in the report. The database is dropped
at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.run import (
    Result,
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
from bench.safeguards_scale import (
    AgencyPlan,
    Copier,
    Staff,
    _admin,
    _disconnect,
    _names,
    count_queries,
    create_staff,
    in_processes,
    measure_references,
    results_table,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/amparo_bench_labour"
DEFAULT_VAR_DIR = str(Path(tempfile.gettempdir()) / "amparo-bench-labour-var")
TARGET_MS = 100.0
PAGE_SIZE = 50
SEED = 68179
LAYOUT = 2  # bump when the generated data changes
CHUNK = 5_000  # cases per piece of the load (one transaction in one process)
AGENCIES = (
    ("Agencia de Protección Norte", "norte", 0.9),
    ("Refugee Legal Aid West", "west", 0.1),
)
EMPLOYERS = 3_000  # the first agency's; the others have their share
RECRUITERS = 600
ZIPF = 1.0
OTHER_EMPLOYER = 0.10  # a complaint against another employer than the case's
NO_EMPLOYER = 0.05
RECRUITED = 0.40  # cases whose complaints name a recruiter
UNASSIGNED = 0.02
SOLO_CASES = 2_000  # the first agency's case worker in no team
DAYS = 3 * 365  # complaints received over the last three years
TYPES = {
    "unpaid_wages": 30,
    "unlawful_deductions": 10,
    "recruitment_fees": 10,
    "document_retention": 8,
    "contract_substitution": 6,
    "excessive_hours": 10,
    "unsafe_work": 6,
    "freedom_of_association": 2,
    "sexual_harassment": 3,
    "threat_of_denunciation": 4,
    "retaliatory_dismissal": 4,
    "emergency_care_denied": 1,
    "restricted_movement": 2,
    "abusive_housing": 2,
    "other": 2,
}
STATUSES = {
    "received": 40,
    "referred": 25,
    "mediation": 10,
    "resolved": 15,
    "closed": 10,
}
COUNTRIES = ("MEX", "USA", "GTM", "CAN", "ESP", "ARE", "SAU", "MYS")
SECTORS = "AACFFGIINNTTTQH"
STORIES = (
    "Worked six months on the harvest; the last three were never paid.",
    "The employer kept her passport and residence card in the office safe.",
    "Paid the agency 1,500 dollars for the visa and the ticket before leaving.",
    "Twelve-hour shifts seven days a week, no day of rest since arriving.",
    "Fell from the scaffolding; the foreman refused to call an ambulance.",
    "Told that the police would be called if she complained again.",
    "The contract signed at home promised twice the wage paid here.",
    "Dismissed the day after speaking to the union delegate.",
)
OUTCOMES = (
    "Paid in full after the inspection.",
    "Settled in mediation: half the amount, paid in two instalments.",
    "Passport returned in the presence of the inspector.",
    "Judgment for the worker; enforcement pending.",
)


# --- Command line --------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.labour", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL URL of a database the run may drop (its name must contain "
        "'bench')",
    )
    parser.add_argument("--var-dir", default=DEFAULT_VAR_DIR)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the kept database, if it holds the same data set (else load)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="do not drop the database at the end"
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not 0 < args.cases <= args.complaints:
        parser.error("--cases must be from 1 to --complaints")
    return args


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- The data set --------------------------------------------------------------------


def agency_plans(cases: int) -> list[AgencyPlan]:
    plans, first, share_so_far = [], 0, 0.0
    for n, (name, code, share) in enumerate(AGENCIES):
        share_so_far += share
        end = cases if n == len(AGENCIES) - 1 else round(cases * share_so_far)
        plans.append(AgencyPlan(name, code, first, end))
        first = end
    return plans


@dataclass
class Parties:
    """An agency's employers and recruiters, as ids, with Zipf's cumulative weights."""

    employers: list[uuid.UUID]
    recruiters: list[uuid.UUID]
    employer_weights: list[float] = field(default_factory=list)
    recruiter_weights: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.employer_weights = zipf_weights(len(self.employers))
        self.recruiter_weights = zipf_weights(len(self.recruiters))

    def employer(self, rng: random.Random, *, not_first: bool = False) -> uuid.UUID:
        """An employer by Zipf's law; with `not_first`, never the largest."""
        while True:
            chosen = pick(rng, self.employers, self.employer_weights)
            if not (not_first and chosen == self.employers[0]):
                return chosen

    def recruiter(self, rng: random.Random) -> uuid.UUID:
        return pick(rng, self.recruiters, self.recruiter_weights)


def zipf_weights(n: int) -> list[float]:
    return list(itertools.accumulate(1 / (k**ZIPF) for k in range(1, n + 1)))


def pick(rng: random.Random, items: list[uuid.UUID], weights: list[float]) -> uuid.UUID:
    return items[bisect.bisect_left(weights, rng.random() * weights[-1])]


def create_parties(plans: list[AgencyPlan], staff: list[Staff]) -> list[Parties]:
    """Each agency's employers and recruiters, in proportion to its cases; the first
    in each list is the most complained about."""
    from amparo.labour.models import Employer

    parties = []
    rng = random.Random(SEED)
    kinds = ("agency", "broker", "sub_agent")
    biggest = plans[0].cases
    for plan, people in zip(plans, staff, strict=True):
        share = plan.cases / biggest
        rows = [
            Employer(
                agency_id=people.agency_id,
                kind="employer",
                name=f"{plan.code.title()} Employer {k + 1:05d}",
                country=rng.choice(COUNTRIES),
                sector=rng.choice(SECTORS),
                recorded_by_id=people.head,
            )
            for k in range(max(3, round(EMPLOYERS * share)))
        ]
        rows += [
            Employer(
                agency_id=people.agency_id,
                kind=kinds[k % 3],
                name=f"{plan.code.title()} Recruiter {k + 1:04d}",
                country=rng.choice(COUNTRIES),
                licence=f"LIC-{k:05d}" if k % 2 else "",
                recorded_by_id=people.head,
            )
            for k in range(max(3, round(RECRUITERS * share)))
        ]
        Employer.objects.bulk_create(rows, batch_size=2_000)
        parties.append(
            Parties(
                [e.pk for e in rows if e.kind == "employer"],
                [e.pk for e in rows if e.kind != "employer"],
            )
        )
    return parties


def create_solo(plan: AgencyPlan, staff: Staff) -> int:
    """The first agency's case worker in no team: she sees her own cases only."""
    from django.contrib.auth.hashers import make_password

    from amparo.accounts.models import User

    return User.objects.create(
        username=f"{plan.code}-solo",
        agency_id=staff.agency_id,
        role=User.Role.CASEWORKER,
        password=make_password(None),
        first_name="Solo",
    ).pk


@dataclass
class LoadContext:
    """What every loading process needs; forked, they have it without copying."""

    cases: int
    complaints: int
    seed: int
    today: date
    plans: list[AgencyPlan]
    staff: list[Staff]
    parties: list[Parties]
    solo: int  # the first agency's case worker in no team
    stories: list[str]
    outcomes: list[str]
    opening_reason: str


_load: LoadContext | None = None


def complaint_values(rng: random.Random, received: date, today: date) -> dict[str, Any]:
    """A complaint's own fields: its type's, its status's and their dates."""
    context = _load
    assert context is not None
    type_ = rng.choices(list(TYPES), list(TYPES.values()))[0]
    values: dict[str, Any] = {
        "type": type_,
        "received_on": received,
        "country_of_employment": rng.choice(COUNTRIES),
        "description": rng.choice(context.stories),
    }
    if type_ in ("unpaid_wages", "unlawful_deductions"):
        values |= {
            "amount_owed": Decimal(rng.randint(1_000, 90_000)),
            "currency": rng.choice(("MXN", "USD", "GTQ")),
            "period_start": received - timedelta(days=rng.randint(30, 300)),
            "period_end": received - timedelta(days=rng.randint(0, 29)),
        }
    if type_ in ("unpaid_wages", "recruitment_fees"):
        values |= {
            "monthly_income": Decimal(rng.randint(300, 2_500)),
            "income_currency": "USD",
        }
    if type_ == "document_retention":
        values |= {
            "documents_held_by": rng.choice(("employer", "recruiter", "unknown")),
            "receipt_given": rng.random() < 0.1,
        }
    if type_ == "unsafe_work":
        values["injury_fatal"] = rng.random() < 0.02
    values |= status_values(rng, received, today, values.get("amount_owed"))
    return values


def status_values(
    rng: random.Random, received: date, today: date, owed: Decimal | None
) -> dict[str, Any]:
    """A status, with the dates and outcome it records, each after the one before."""
    context = _load
    assert context is not None
    status = rng.choices(list(STATUSES), list(STATUSES.values()))[0]
    values: dict[str, Any] = {"status": status}
    day = received

    def later() -> date:
        return min(day + timedelta(days=rng.randint(1, 40)), today)

    if status in ("referred", "resolved", "closed") and rng.random() < 0.7:
        day = later()
        values["referred_to"] = rng.choice(
            ("inspectorate", "inspectorate", "court", "union", "embassy")
        )
        values["referred_on"] = day
    if status == "mediation":
        values["mediation_on"] = later()
    if status in ("resolved", "closed"):
        day = later()
        values["resolved_on"] = day
        values["outcome"] = rng.choice(context.outcomes)
        if owed is not None and rng.random() < 0.6:
            values["amount_recovered"] = owed
            values["recovered_on"] = day
    if status == "closed":
        values["closed_on"] = later()
    return values


def load_chunk(number: int) -> Counter[str]:
    """Cases `number` × CHUNK onwards: their persons, cases and complaints, in one
    transaction. In a forked process."""
    from django.db import connections, transaction

    from amparo.cases.models import Case
    from amparo.labour.models import Complaint
    from amparo.people.models import Person

    context = _load
    if context is None:
        raise RuntimeError("load_chunk runs only in load_data's processes")
    first = number * CHUNK
    end = min(first + CHUNK, context.cases)
    rng = random.Random(f"{context.seed}:{number}")
    persons, cases, complaints = Copier(Person), Copier(Case), Copier(Complaint)
    bounds = [plan.end for plan in context.plans]
    base, extra = divmod(context.complaints, context.cases)
    today = context.today
    start = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    counts: Counter[str] = Counter()
    for n in range(first, end):
        k = bisect.bisect_right(bounds, n)
        staff, parties = context.staff[k], context.parties[k]
        solo = k == 0 and rng.random() < SOLO_CASES / context.plans[0].cases
        if solo:
            assignee, team = context.solo, None
        elif rng.random() < UNASSIGNED:
            assignee, team = None, None
        else:
            assignee, team = rng.choice(staff.workers)
        opener = assignee or staff.head
        person_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        case_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        opened_at = start - timedelta(minutes=rng.randint(60, DAYS * 24 * 60))
        persons.add(
            {
                "id": person_id,
                "created_at": opened_at,
                "updated_at": opened_at,
                "agency_id": staff.agency_id,
                "display_name": f"Worker {n + 1}",
                "sex": rng.choice("FMU"),
                "registered_by_id": opener,
                "team_id": team,
            }
        )
        updated_at = min(opened_at + timedelta(days=rng.randint(0, 60)), start)
        cases.add(
            {
                "id": case_id,
                "created_at": opened_at,
                "updated_at": updated_at,
                "agency_id": staff.agency_id,
                "reference": f"{context.plans[k].code.upper()}-{n + 1:07d}",
                "primary_person_id": person_id,
                "status": rng.choice(("open", "assessed", "plan", "in_progress")),
                "risk": rng.choice(("low", "medium", "high", "critical")),
                "assigned_to_id": assignee,
                "opened_at": opened_at,
                "opened_by_id": opener,
                "opening_reason": context.opening_reason,
            }
        )
        counts["cases"] += 1
        employer = parties.employer(rng, not_first=solo)
        recruiter = parties.recruiter(rng) if rng.random() < RECRUITED else None
        opened = opened_at.date()
        for _ in range(base + (n < extra)):
            draw = rng.random()
            if draw < NO_EMPLOYER:
                against = None
            elif draw < NO_EMPLOYER + OTHER_EMPLOYER:
                against = parties.employer(rng, not_first=solo)
            else:
                against = employer
            received = opened + timedelta(days=rng.randint(0, (today - opened).days))
            moment = datetime.combine(received, datetime.min.time(), tzinfo=UTC)
            values = complaint_values(rng, received, today)
            complaints.add(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "created_at": moment,
                    "updated_at": moment,
                    "case_id": case_id,
                    "agency_id": staff.agency_id,
                    "employer_id": against,
                    "recruiter_id": recruiter,
                    "recorded_by_id": opener,
                    **values,
                }
            )
            counts["complaints"] += 1
    with transaction.atomic():
        persons.copy()
        cases.copy()
        complaints.copy()
    connections.close_all()
    return counts


def load_data(args: argparse.Namespace) -> dict[str, Any]:
    """Everything into the (empty, migrated) database; what was loaded, with the time
    the load took."""
    global _load
    from django.db import connection

    from amparo.cases.models import Case
    from amparo.labour.models import Complaint

    started = time.perf_counter()
    today = datetime.now(UTC).date()
    plans = agency_plans(args.cases)
    staff = create_staff(plans)
    solo = create_solo(plans[0], staff[0])
    parties = create_parties(plans, staff)
    # Encrypted once here, each ciphertext used by many rows: a page decrypts the
    # same amount of text as with one encryption a row.
    stories = Copier(Complaint)
    _load = LoadContext(
        args.cases,
        args.complaints,
        args.seed,
        today,
        plans,
        staff,
        parties,
        solo,
        [stories.prep("description", s) for s in STORIES for _ in range(8)],
        [stories.prep("outcome", s) for s in OUTCOMES for _ in range(8)],
        Copier(Case).prep("opening_reason", "Labour exploitation reported."),
    )
    workers = len(os.sched_getaffinity(0))
    chunks = range(math.ceil(args.cases / CHUNK))
    counts: Counter[str] = Counter()
    try:
        for n, done in enumerate(in_processes(load_chunk, chunks, workers), start=1):
            counts.update(done)
            if n % 10 == 0 or n == len(chunks):
                log(
                    f"  {n}/{len(chunks)} chunks, {counts['cases']:,} cases, "
                    f"{counts['complaints']:,} complaints"
                )
    finally:
        _load = None
    loaded_s = time.perf_counter() - started
    log("VACUUM ANALYZE, CHECKPOINT")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    meta = {
        "layout": LAYOUT,
        "cases": args.cases,
        "complaints": args.complaints,
        "seed": args.seed,
        "loaded_on": today.isoformat(),
        "load_s": loaded_s,
        "vacuum_s": time.perf_counter() - started,
        "workers": workers,
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_labour_meta (value text NOT NULL)")
        cursor.execute("INSERT INTO bench_labour_meta VALUES (%s)", [json.dumps(meta)])
    return meta


def kept_meta(args: argparse.Namespace) -> dict[str, Any] | None:
    """What the kept database holds, if it holds this data set."""
    import psycopg

    name, admin = _names(args.database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if not found:
        return None
    try:
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            row = conn.execute("SELECT value FROM bench_labour_meta").fetchone()
    except psycopg.Error:
        return None
    meta = json.loads(row[0]) if row else None
    wanted = (LAYOUT, args.cases, args.complaints, args.seed)
    if meta is None or wanted != tuple(
        meta[k] for k in ("layout", "cases", "complaints", "seed")
    ):
        return None
    return meta


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """The loaded database: the kept one with `--reuse` (migrated to the code's
    models), else a new one, loaded."""
    from psycopg import sql

    meta = kept_meta(args) if args.reuse else None
    if meta is not None:
        log("reusing the kept database; migrating")
        run_amparo(["migrate", "--no-input", "--verbosity", "0"], env)
        setup_django(env)
        return meta
    name = _names(args.database_url)[0]
    log(f"loading {args.complaints:,} complaints on {args.cases:,} cases into {name}")
    _admin(
        args.database_url,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)),
    )
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    run_amparo(["migrate", "--no-input", "--verbosity", "0"], env)
    setup_django(env)
    meta = load_data(args)
    log(f"  loaded in {meta['load_s']:.1f} s (VACUUM ANALYZE {meta['vacuum_s']:.1f} s)")
    return meta


def drop_database(args: argparse.Namespace) -> None:
    from psycopg import sql

    _disconnect()
    name = _names(args.database_url)[0]
    _admin(
        args.database_url,
        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
    )


# --- What is measured ----------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    label: str  # "large employer", ...
    employer: Any
    complaints: int  # against it, in the whole agency


def bench_users() -> dict[str, Any]:
    from amparo.accounts.models import User

    code = AGENCIES[0][1]
    names = {
        "head supervisor": f"{code}-head",
        "team case worker": f"{code}-worker-1-1",
        "own-cases case worker": f"{code}-solo",
    }
    return {
        label: User.objects.select_related("agency", "team").get(username=username)
        for label, username in names.items()
    }


def measured_parties(agency_id: uuid.UUID) -> list[Party]:
    """The most complained-about employer, the one nearest 1,000 complaints and the
    one nearest 20; the largest recruiter and one nearest 20 complaints."""
    from django.db.models import Count

    from amparo.labour.models import Complaint, Employer

    def ranked(column: str) -> list[tuple[uuid.UUID, int]]:
        return list(
            Complaint.objects.filter(
                agency_id=agency_id, **{f"{column}__isnull": False}
            )
            .values_list(column)
            .annotate(n=Count("id"))
            .order_by("-n", column)
        )

    def nearest(rows: list[tuple[uuid.UUID, int]], size: int) -> tuple[uuid.UUID, int]:
        return min(rows, key=lambda row: (abs(row[1] - size), row[0]))

    employers, recruiters = ranked("employer"), ranked("recruiter")
    chosen = [
        ("large employer", employers[0]),
        ("medium employer", nearest(employers, 1_000)),
        ("small employer", nearest(employers, 20)),
        ("large recruiter", recruiters[0]),
        ("small recruiter", nearest(recruiters, 20)),
    ]
    return [
        Party(label, Employer.objects.get(pk=pk), count)
        for label, (pk, count) in chosen
    ]


def measure_lists(
    users: dict[str, Any], parties: list[Party], args: argparse.Namespace
) -> tuple[list[Result], dict[str, int], list[tuple[str, Callable[[], Any]]]]:
    """`complaints_list(...)[:50]` evaluated, per user and party; the sizes of the
    lists; and each list's call, for EXPLAIN."""
    from amparo.labour.queries import complaints_list

    results, sizes, calls = [], {}, []
    for label, user in users.items():
        lists: list[tuple[str, dict[str, Any]]] = [("all complaints", {})]
        for party in parties:
            kind = "recruiter" if "recruiter" in party.label else "employer"
            lists.append((f"{party.label} ({kind}=…)", {kind: party.employer}))
        for name, filters in lists:

            def page(_i: int, user: Any = user, filters: dict[str, Any] = filters):
                return list(complaints_list(user, **filters)[:PAGE_SIZE])

            title = f"{label}: complaints_list, {name}[:50]"
            target = TARGET_MS if "employer" in filters else None
            results.append(
                Result(
                    "list",
                    title,
                    sample(page, repeat=args.repeat, warmup=args.warmup),
                    target,
                    count_queries(lambda page=page: page(0)),
                )
            )
            sizes[title] = complaints_list(user, **filters).count()
            calls.append((title, lambda page=page: page(0)))
    return results, sizes, calls


def labour_urls_exist() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("labour:complaints")
        reverse("labour:employer", kwargs={"employer_id": uuid.uuid4()})
    except NoReverseMatch:
        return False
    return True


def measure_pages(
    users: dict[str, Any], parties: list[Party], args: argparse.Namespace
) -> list[Result]:
    """The complaints page filtered by employer, and the employer's own page."""
    results = []
    employers = [p for p in parties if "employer" in p.label]
    for label, user in users.items():
        client = verified_client(user)
        for party in employers:
            pk = party.employer.pk
            for url in (
                f"/labour/complaints/?employer={pk}",
                f"/labour/employers/{pk}/",
            ):
                shown = url.split("?")[0].replace(str(pk), "<id>")
                suffix = "?employer=<id>" if "?" in url else ""
                results.append(
                    Result(
                        "page",
                        f"{label}: GET {shown}{suffix}, {party.label}",
                        sample(
                            lambda _i, url=url, client=client: get_ok(client, url),
                            repeat=args.repeat,
                            warmup=args.warmup,
                        ),
                        TARGET_MS,
                        count_queries(
                            lambda url=url, client=client: get_ok(client, url)
                        ),
                    )
                )
    return results


def explain(calls: list[tuple[str, Callable[[], Any]]]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plans = []
    for title, call in calls:
        with CaptureQueriesContext(connection) as captured:
            call()
        for query in captured.captured_queries:
            sql = query["sql"]
            if "labour_complaint" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"-- {title}\n{plan}")
    return plans


# --- Report --------------------------------------------------------------------------


def lscpu() -> str:
    try:
        done = subprocess.run(
            ["lscpu"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return "\n".join(done.stdout.splitlines()[:15])


def data_summary(users: dict[str, Any]) -> list[tuple[str, str]]:
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for label, query in (
            ("cases", "SELECT count(*) FROM cases_case"),
            ("complaints", "SELECT count(*) FROM labour_complaint"),
            ("employers and recruiters", "SELECT count(*) FROM labour_employer"),
            (
                "complaints table with its indexes",
                "SELECT pg_size_pretty(pg_total_relation_size('labour_complaint'))",
            ),
            (
                "database size",
                "SELECT pg_size_pretty(pg_database_size(current_database()))",
            ),
        ):
            cursor.execute(query)
            value = cursor.fetchone()[0]
            rows.append((label, f"{value:,}" if isinstance(value, int) else value))
    from amparo.labour.queries import complaints_visible_to

    for label, user in users.items():
        rows.append(
            (f"complaints the {label} sees", f"{complaints_visible_to(user).count():,}")
        )
    return rows


def distribution(agency_id: uuid.UUID) -> str:
    """How the complaints spread over the first agency's employers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n FROM (SELECT employer_id, count(*) AS n FROM labour_complaint "
            "WHERE agency_id = %s AND employer_id IS NOT NULL GROUP BY employer_id) t "
            "ORDER BY n DESC",
            [agency_id],
        )
        counts = [row[0] for row in cursor.fetchall()]
    if not counts:
        return ""
    quantiles = {
        "top 1": counts[0],
        "2nd": counts[1] if len(counts) > 1 else 0,
        "10th": counts[min(9, len(counts) - 1)],
        "100th": counts[min(99, len(counts) - 1)],
        "median": counts[len(counts) // 2],
        "last": counts[-1],
    }
    over = sum(1 for n in counts if n >= 10_000)
    return (
        f"Complaints per employer of the first agency ({len(counts):,} employers "
        "named in a complaint): "
        + ", ".join(f"{k} {v:,}" for k, v in quantiles.items())
        + f"; {over} employers with 10,000 or more."
    )


@dataclass
class Report:
    command: str
    machine: list[tuple[str, str]]
    cpu: str
    meta: dict[str, Any]
    data: list[tuple[str, str]]
    spread: str
    parties: list[Party]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    results: list[Result] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    plans: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        meta = self.meta
        parts = [
            f"Command: `{self.command}`",
            "\n".join(f"- {k}: {v}" for k, v in self.machine)
            + "\n- Load average (1, 5, 15 min): "
            + " ".join(f"{x:.2f}" for x in self.load_before)
            + " before, "
            + " ".join(f"{x:.2f}" for x in self.load_after)
            + " after",
            f"`lscpu | head -15`:\n\n```\n{self.cpu}\n```" if self.cpu else "",
            f"Data (seed {meta['seed']}, loaded {meta['loaded_on']}): "
            + "; ".join(f"{k} {v}" for k, v in self.data)
            + f". Load: {meta['load_s']:.1f} s ({meta['workers']} processes, COPY), "
            f"then VACUUM ANALYZE and CHECKPOINT {meta['vacuum_s']:.1f} s.",
            self.spread,
            "Measured parties (complaints against each in the whole agency): "
            + "; ".join(
                f"{p.label} {p.employer.name} ({p.complaints:,})" for p in self.parties
            )
            + ".",
            results_table(self.results, self.sizes),
            *self.notes,
        ]
        return with_appendix(
            [p for p in parts if p], "EXPLAIN (ANALYZE, BUFFERS)", self.plans, ""
        )


# --- Main ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = os.getloadavg()
    env = bench_environment(args.database_url, Path(args.var_dir))
    meta = prepare(args, env)
    collect_static(env)
    users = bench_users()
    head = users["head supervisor"]
    parties = measured_parties(head.agency_id)
    command = shlex.join(
        ["python", "-m", "bench.labour", *(sys.argv[1:] if argv is None else argv)]
    )
    report = Report(
        command,
        machine_info(),
        lscpu(),
        meta,
        data_summary(users),
        distribution(head.agency_id),
        parties,
        load_before,
    )
    log("measuring the references")
    report.results += measure_references(head, args)
    log("measuring complaints_list")
    results, report.sizes, calls = measure_lists(users, parties, args)
    report.results += results
    if args.skip_http:
        pass
    elif labour_urls_exist():
        log("measuring the pages")
        report.results += measure_pages(users, parties, args)
    else:
        report.notes.append("The labour pages are not there yet: not measured.")
    if not args.no_explain:
        log("EXPLAIN ANALYZE")
        report.plans = explain(calls)
    report.load_after = os.getloadavg()
    text = report.markdown()
    print(text)
    if args.output:
        args.output.write_text(text)
    if not args.keep:
        log("dropping the benchmark database")
        drop_database(args)


if __name__ == "__main__":
    main()
