"""Benchmark Amparo against the foundation's performance targets.

    python -m bench.run                      # 100,000 persons on PostgreSQL
    python -m bench.run --persons 2000 --repeat 50      # a quick check
    python -m bench.run --also-sqlite        # also time the demo load on SQLite
    python -m bench.run --database-url ''    # everything on the default SQLite

Targets (docs/performance.md): person search p95 < 150 ms, case list p95 < 100 ms,
`amparo demo --persons 100000` < 3 minutes.

One run: drop and recreate the benchmark database, migrate, collect static files, time
`amparo demo` as a subprocess (its own wall time), ANALYZE, then time in this process
the query functions and the web pages through Django's test Client, logged in as the
demo case worker, so that middleware, session, templates and queries all count. Every
result is also given as a ratio to two references measured in the same run (an
anonymous GET of the login page, and a primary-key fetch of one person), so that runs
on different machines can be compared.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import os
import platform
import pstats
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/amparo_bench"
DEFAULT_VAR_DIR = str(Path(tempfile.gettempdir()) / "amparo-bench-var")
SEARCH_TARGET_MS = 150.0
CASE_LIST_TARGET_MS = 100.0
DEMO_TARGET_S = 180.0
LOGIN_REF = "GET /accounts/login/ (anonymous)"
PK_REF = "Person by primary key (ORM)"


# --- Command line and environment --------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL URL of a database the run may drop (its name must contain "
        "'bench'), or '' for Amparo's default SQLite file under --var-dir",
    )
    parser.add_argument("--var-dir", default=DEFAULT_VAR_DIR)
    parser.add_argument(
        "--repeat", type=int, default=200, help="timed samples per measurement"
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="untimed requests before each one"
    )
    parser.add_argument(
        "--deep-pages", type=int, default=40, help="next-page links to follow"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the loaded database: skip drop, migrate and demo load",
    )
    parser.add_argument(
        "--also-sqlite",
        action="store_true",
        help="afterwards, also time `amparo demo` on the default SQLite database",
    )
    parser.add_argument(
        "--no-explain", action="store_true", help="skip EXPLAIN ANALYZE (PostgreSQL)"
    )
    parser.add_argument(
        "--profile",
        choices=("search", "search-web", "cases", "cases-filtered"),
        help="also run cProfile over one measurement and print the top functions",
    )
    parser.add_argument("--output", type=Path, help="also write the report here")
    return parser.parse_args(argv)


def is_postgres(database_url: str) -> bool:
    return urlsplit(database_url).scheme in {"postgres", "postgresql"}


def bench_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of every `amparo` command of the run, and of this process."""
    env = dict(os.environ)
    env.pop("SECRET_KEY_FILE", None)
    env.update(
        AMPARO_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="amparo.settings",
        AMPARO_DEBUG="0",  # DEBUG would record every query and serve unhashed static
    )
    # Without one given, the key is the var dir's, as Amparo keeps it: the same for
    # every run on kept data (the obligations' fingerprints are keyed with it).
    if not os.environ.get("SECRET_KEY"):
        env.pop("SECRET_KEY", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def amparo_command() -> list[str]:
    script = Path(sys.executable).with_name("amparo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "amparo.cli"]


def run_amparo(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 (our own command and arguments)
        [*amparo_command(), *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"`amparo {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# --- Database set-up -----------------------------------------------------------------


def recreate_database(database_url: str, var_dir: Path) -> None:
    """Start from nothing: drop and create the PostgreSQL database, or remove the
    SQLite file."""
    if not database_url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{var_dir / 'amparo.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    if not is_postgres(database_url):
        sys.exit("--database-url must be a postgres:// URL, or '' for SQLite.")
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: a benchmark database's name has 'bench'.")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_database(database_url: str, var_dir: Path, env: dict[str, str]) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    recreate_database(database_url, var_dir)
    run_amparo(["migrate", "--no-input", "--verbosity", "0"], env)


def collect_static(env: dict[str, str]) -> None:
    # Without DEBUG the templates need the hashed-name manifest of collectstatic.
    run_amparo(["collectstatic", "--no-input", "--verbosity", "0"], env)


@dataclass
class LoadTiming:
    database: str
    persons: int
    wall_s: float
    reported_s: float | None
    output: str


def time_demo_load(persons: int, env: dict[str, str], database: str) -> LoadTiming:
    """Wall time of the `amparo demo` command, process start-up included."""
    started = time.perf_counter()
    output = run_amparo(["demo", "--persons", str(persons)], env)
    wall = time.perf_counter() - started
    match = re.search(r"in ([\d.]+) s", output)
    reported = float(match.group(1)) if match else None
    return LoadTiming(database, persons, wall, reported, output.strip())


def time_sqlite_load(persons: int, var_dir: Path) -> LoadTiming:
    """The demo load on Amparo's default SQLite database (WAL), in its own var dir."""
    sqlite_var = var_dir / "sqlite"
    shutil.rmtree(sqlite_var, ignore_errors=True)
    env = bench_environment("", sqlite_var)
    prepare_database("", sqlite_var, env)
    return time_demo_load(persons, env, f"SQLite {sqlite3.sqlite_version}")


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def analyze_database() -> None:
    """Fresh planner statistics, as autovacuum would have within a minute of a load
    (without them the first plans after a bulk load depend on timing), and on
    PostgreSQL a checkpoint, so that flushing the load does not fall in the timings."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            # Flush the load's dirty pages now rather than during the measurements.
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")


# --- Measuring -----------------------------------------------------------------------


@dataclass
class Result:
    group: str
    name: str
    samples: list[float]
    target_ms: float | None = None
    queries: int | None = None

    @property
    def full_gcs(self) -> str:
        pauses = getattr(self.samples, "full_gc_ms", None)
        if pauses is None:
            return ""
        return f"{len(pauses)} ({sum(pauses):.0f} ms)" if pauses else "0"

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)  # nearest rank
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def max(self) -> float:
        return max(self.samples)


class Timings(list[float]):
    """Milliseconds per call, and the pauses of Python's full (generation 2) garbage
    collections that happened while they were taken."""

    full_gc_ms: list[float]


def sample(call: Callable[[int], object], *, repeat: int, warmup: int) -> Timings:
    """Milliseconds of `call(i)` for i in range(repeat), after `warmup` untimed calls."""
    for i in range(warmup):
        call(i)
    timings = Timings()
    timings.full_gc_ms = []
    started_gc = 0.0

    def watch(phase: str, info: dict[str, int]) -> None:
        nonlocal started_gc
        if info["generation"] != 2:
            return
        if phase == "start":
            started_gc = time.perf_counter()
        else:
            timings.full_gc_ms.append((time.perf_counter() - started_gc) * 1000)

    gc.callbacks.append(watch)
    try:
        for i in range(repeat):
            started = time.perf_counter()
            call(i)
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        gc.callbacks.remove(watch)
    return timings


def count_queries(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def captured_sql(call: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def get_ok(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def verified_client(user: Any) -> Any:
    """A logged-in session that has passed the second factor, as every session must
    before it sees a page: through the real verification page, with a real code."""
    from django.test import Client
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    # SERVER_NAME: a host that the default ALLOWED_HOSTS accepts.
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    token = f"{code.token():0{device.digits}d}"
    response = client.post("/accounts/two-factor/", {"code": token})
    if response.status_code != 302:
        raise RuntimeError(f"two-factor verification answered {response.status_code}")
    return client


def clients() -> tuple[Any, Any, Any]:
    """An anonymous client, a client logged in as the demo case worker, and that user."""
    from django.test import Client

    from amparo.accounts.models import User

    user = User.objects.select_related("agency").get(username="caseworker")
    # SERVER_NAME: a host that the default ALLOWED_HOSTS accepts.
    anonymous = Client(SERVER_NAME="localhost")
    return anonymous, verified_client(user), user


def measure_url(
    client: Any,
    group: str,
    name: str,
    urls: Sequence[str],
    args: argparse.Namespace,
    target_ms: float | None = None,
) -> Result:
    samples = sample(
        lambda i: get_ok(client, urls[i % len(urls)]),
        repeat=args.repeat,
        warmup=args.warmup,
    )
    queries = count_queries(lambda: get_ok(client, urls[0]))
    return Result(group, name, samples, target_ms, queries)


def measure_references(
    anonymous: Any, user: Any, args: argparse.Namespace
) -> list[Result]:
    from amparo.people.models import Person

    login = measure_url(anonymous, "reference", LOGIN_REF, ["/accounts/login/"], args)
    ids = list(
        Person.objects.filter(agency_id=user.agency_id)
        .order_by("id")
        .values_list("id", flat=True)[:50]
    )
    pk_fetch = Result(
        "reference",
        PK_REF,
        sample(
            lambda i: Person.objects.get(pk=ids[i % len(ids)]),
            repeat=args.repeat,
            warmup=args.warmup,
        ),
        queries=1,
    )
    return [login, pk_fetch]


# --- Person search -------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    category: str
    text: str


def search_queries() -> list[SearchQuery]:
    """About 40 queries drawn from the demo's own name lists, per region: a stored
    Latin spelling, two cross-spelling ones (another Latin variant, articles glued or
    not), a family name alone, a three-letter prefix, and for regions with their own
    script two queries in that script."""
    from amparo.demo.names_by_region import REGIONS

    def variant(options: tuple[str, ...], index: int) -> str:
        return options[index % len(options)]

    queries: list[SearchQuery] = []
    for region in REGIONS:
        g, f = region.given, region.family
        prefixes = {q.text for q in queries if q.category == "prefix"}
        prefix = next(p for p in (name[1][0][:3] for name in g) if p not in prefixes)
        queries += [
            SearchQuery("same spelling", f"{g[0][1][0]} {f[0][1][0]}"),
            SearchQuery(
                "cross-spelling", f"{variant(g[0][1], 1)} {variant(f[0][1], 1)}"
            ),
            SearchQuery(
                "cross-spelling", f"{variant(g[1][1], -1)} {variant(f[1][1], -1)}"
            ),
            SearchQuery("family name only", variant(f[2][1], 0)),
            SearchQuery("prefix", prefix),
        ]
        if region.script != "Latn":
            queries += [
                SearchQuery("cross-script", f"{g[0][0]} {f[0][0]}"),
                SearchQuery("cross-script", f"{g[-1][0]} {f[-1][0]}"),
            ]
    return queries


def measure_search(
    client: Any, user: Any, args: argparse.Namespace
) -> tuple[list[Result], dict[str, int]]:
    """search_persons() and the /people/?q= page over the query list, round robin;
    plus one row per query category, from the same samples."""
    from urllib.parse import urlencode

    from amparo.people.queries import search_persons

    queries = search_queries()
    hits = {q.text: len(search_persons(user, q.text)) for q in queries}
    samples = sample(
        lambda i: search_persons(user, queries[i % len(queries)].text),
        repeat=max(args.repeat, 5 * len(queries)),
        warmup=max(args.warmup, len(queries)),
    )
    results = [
        Result(
            "search",
            "search_persons(), all queries",
            samples,
            SEARCH_TARGET_MS,
        )
    ]
    for category in dict.fromkeys(q.category for q in queries):
        picked = [
            s
            for i, s in enumerate(samples)
            if queries[i % len(queries)].category == category
        ]
        count = sum(1 for q in queries if q.category == category)
        results.append(
            Result(
                "search",
                f"search_persons(), {category} ({count} queries)",
                picked,
                SEARCH_TARGET_MS,
            )
        )
    results[0].queries = count_queries(lambda: search_persons(user, queries[1].text))
    urls = [f"/people/?{urlencode({'q': q.text})}" for q in queries]
    results.append(
        measure_url(
            client,
            "search",
            "GET /people/?q=…, all queries",
            urls,
            args,
            SEARCH_TARGET_MS,
        )
    )
    return results, hits


def slowest_queries(user: Any, runs: int = 5) -> list[tuple[str, str, float]]:
    """Median ms of search_persons() per query, slowest first."""
    from amparo.people.queries import search_persons

    rows = []
    for q in search_queries():
        timings = sample(
            lambda _i, text=q.text: search_persons(user, text), repeat=runs, warmup=1
        )
        rows.append((q.category, q.text, statistics.median(timings)))
    return sorted(rows, key=lambda row: -row[2])


# --- Case list -----------------------------------------------------------------------

NEXT_LINK = re.compile(r'href="\?([^"]*after=[^"]+)"')


def follow_next(client: Any, url: str, pages: int) -> str:
    """The URL reached by following the "Next page" link `pages` times from `url`."""
    for _ in range(pages):
        html = get_ok(client, url).content.decode()
        match = NEXT_LINK.search(html)
        if not match:
            break
        url = "/cases/?" + match.group(1).replace("&amp;", "&")
    return url


def deep_cursor_url(user: Any, fraction: float = 0.95) -> tuple[str, int, int]:
    """A page that starts `fraction` of the way down the full case list, with the
    cursor the next-page link would carry there."""
    from amparo.cases.queries import CaseFilters, filter_cases
    from amparo.core.pagination import encode_cursor

    ordered = filter_cases(user, CaseFilters()).order_by("-updated_at", "-id")
    total = ordered.count()
    position = int(total * fraction)
    row = ordered.values("updated_at", "id")[position]
    return (
        f"/cases/?after={encode_cursor(row['updated_at'], row['id'])}",
        position,
        total,
    )


def measure_case_list(client: Any, user: Any, args: argparse.Namespace) -> list[Result]:
    filtered = "/cases/?status=open&risk=high"
    deep = follow_next(client, "/cases/", args.deep_pages)
    deep_filtered = follow_next(client, filtered, args.deep_pages)
    deepest, position, total = deep_cursor_url(user)
    pages = [
        ("GET /cases/", "/cases/"),
        ("GET /cases/?status=open&risk=high", filtered),
        (f"GET /cases/?after=… (page {args.deep_pages + 1}, via next links)", deep),
        (
            f"GET /cases/?status=open&risk=high&after=… (page {args.deep_pages + 1})",
            deep_filtered,
        ),
        (f"GET /cases/?after=… (row {position:,} of {total:,})", deepest),
    ]
    return [
        measure_url(client, "case list", name, [url], args, CASE_LIST_TARGET_MS)
        for name, url in pages
    ]


# --- Diagnosis -----------------------------------------------------------------------


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 20]} …[{len(text)} chars]"


def shorten_lines(text: str, limit: int = 240) -> str:
    return "\n".join(shorten(line, limit) for line in text.splitlines())


def explain_request(client: Any, url: str, tables: Sequence[str]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries a real request runs on `tables`."""
    from django.db import connection

    plans = []
    for sql in captured_sql(lambda: get_ok(client, url)):
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        if not any(f'"{table}"' in sql for table in tables):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append(f"-- {url}\n{shorten(sql, 400)}\n\n{shorten_lines(plan)}")
    return plans


def explain_all(client: Any, user: Any, args: argparse.Namespace) -> list[str]:
    from urllib.parse import urlencode

    plans = []
    for q in ("Muhammad Alhassan", "Moh", "Олена Коваленко"):
        plans += explain_request(
            client,
            f"/people/?{urlencode({'q': q})}",
            ["people_namekey", "people_person"],
        )
    for url in ("/cases/", "/cases/?status=open&risk=high"):
        plans += explain_request(client, url, ["cases_case"])
    plans += explain_request(
        client, follow_next(client, "/cases/", args.deep_pages), ["cases_case"]
    )
    plans += explain_request(client, deep_cursor_url(user)[0], ["cases_case"])
    return plans


def profile(client: Any, user: Any, scenario: str, runs: int = 40) -> str:
    from urllib.parse import urlencode

    from amparo.people.queries import search_persons

    queries = search_queries()
    calls: dict[str, Callable[[int], object]] = {
        "search": lambda i: search_persons(user, queries[i % len(queries)].text),
        "search-web": lambda i: get_ok(
            client, f"/people/?{urlencode({'q': queries[i % len(queries)].text})}"
        ),
        "cases": lambda i: get_ok(client, "/cases/"),
        "cases-filtered": lambda i: get_ok(client, "/cases/?status=open&risk=high"),
    }
    call = calls[scenario]
    for i in range(5):
        call(i)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(runs):
        call(i)
    profiler.disable()
    import io

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)
    return f"cProfile of {runs} × {scenario}:\n{out.getvalue()}"


# --- Report --------------------------------------------------------------------------


def machine_info() -> list[tuple[str, str]]:
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW shared_buffers")
            db += f" (shared_buffers {cursor.fetchone()[0]})"
        else:
            db = f"SQLite {sqlite3.sqlite_version}"
    import django

    return [
        ("CPU", f"{os.cpu_count()} × {cpu}"),
        ("Memory", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("Database", db),
        ("SQLite library", sqlite3.sqlite_version),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
    ]


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return "met" if value < target else "**missed**"


def results_table(results: list[Result]) -> str:
    refs = {r.name: r.median for r in results if r.group == "reference"}
    lines = [
        "| What | n | queries | median ms | p95 ms | max ms | median × login GET "
        "| median × PK fetch | target p95 | | full GCs |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|",
    ]
    lines.extend(
        f"| {r.name} | {len(r.samples)} | {'' if r.queries is None else r.queries} "
        f"| {r.median:.1f} | {r.p95:.1f} | {r.max:.1f} "
        f"| {r.median / refs[LOGIN_REF]:.1f} | {r.median / refs[PK_REF]:.0f} "
        f"| {'' if r.target_ms is None else f'< {r.target_ms:.0f} ms'} "
        f"| {verdict(r.p95, r.target_ms)} | {r.full_gcs} |"
        for r in results
    )
    return "\n".join(lines)


def loads_table(loads: list[LoadTiming]) -> str:
    lines = [
        "| Load | persons | wall s (command) | s (as printed) | target | |",
        "|---|--:|--:|--:|--:|---|",
    ]
    lines.extend(
        f"| `amparo demo` on {load.database} | {load.persons:,} | {load.wall_s:.1f} "
        f"| {'' if load.reported_s is None else f'{load.reported_s:.1f}'} "
        f"| < {DEMO_TARGET_S:.0f} s | {verdict(load.wall_s, DEMO_TARGET_S)} |"
        for load in loads
    )
    return "\n".join(lines)


@dataclass
class Report:
    machine: list[tuple[str, str]] = field(default_factory=list)
    loads: list[LoadTiming] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    slowest: list[tuple[str, str, float]] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    profile: str = ""

    def markdown(self, command: str) -> str:
        parts = [
            f"Command: `{command}`",
            "\n".join(f"- {k}: {v}" for k, v in self.machine),
            loads_table(self.loads) if self.loads else "(demo load skipped: --reuse)",
            results_table(self.results),
            "Search queries (results found, median ms of search_persons(), slowest "
            "first):\n\n| category | query | results | median ms |\n|---|---|--:|--:|\n"
            + "\n".join(
                f"| {c} | {t} | {self.hits.get(t, '')} | {ms:.1f} |"
                for c, t, ms in self.slowest
            ),
        ]
        return with_appendix(
            parts, "EXPLAIN (ANALYZE, BUFFERS)", self.plans, self.profile
        )


def with_appendix(
    parts: list[str], plans_title: str, plans: list[str], profile: str
) -> str:
    """A report's parts, then its query plans and its profile, as Markdown."""
    if plans:
        parts.append(f"{plans_title}:\n\n```\n" + "\n\n".join(plans) + "\n```")
    if profile:
        parts.append("```\n" + profile + "\n```")
    return "\n\n".join(parts) + "\n"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Main ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    var_dir = Path(args.var_dir)
    env = bench_environment(args.database_url, var_dir)
    database = "PostgreSQL" if args.database_url else "SQLite"
    report = Report()
    if not args.reuse:
        log(f"recreating the database and migrating ({database})")
        prepare_database(args.database_url, var_dir, env)
        log(f"timing `amparo demo --persons {args.persons}`")
        report.loads.append(time_demo_load(args.persons, env, database))
        log(report.loads[-1].output)
    collect_static(env)
    setup_django(env)
    if not args.reuse:
        analyze_database()
    report.machine = machine_info()
    if report.loads:
        report.loads[0].database = report.machine[2][1].split(" (")[0]
    anonymous, client, user = clients()
    log("measuring references")
    report.results += measure_references(anonymous, user, args)
    log("measuring person search")
    search_results, report.hits = measure_search(client, user, args)
    report.results += search_results
    report.slowest = slowest_queries(user)
    log("measuring the case list")
    report.results += measure_case_list(client, user, args)
    if not args.no_explain and database == "PostgreSQL":
        log("EXPLAIN ANALYZE")
        report.plans = explain_all(client, user, args)
    if args.profile:
        log(f"profiling {args.profile}")
        report.profile = profile(client, user, args.profile)
    if args.also_sqlite:
        log(f"timing `amparo demo --persons {args.persons}` on SQLite")
        report.loads.append(time_sqlite_load(args.persons, var_dir))
        log(report.loads[-1].output)
    command = shlex.join(
        ["python", "-m", "bench.run", *(sys.argv[1:] if argv is None else argv)]
    )
    text = report.markdown(command)
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
