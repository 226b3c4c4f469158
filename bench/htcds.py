"""What an HTCDS import costs: 100,000 rows of the Excel template, and the error report
of a file with 1 % bad rows.

    python -m bench.htcds                      # 100,000 rows (and 10,000 for memory)
    python -m bench.htcds --rows 20000 --small 2000 --repeat 1   # a quick check

Targets (issue 6): importing 100,000 HTCDS rows under 2 minutes with bounded memory,
and the error report of a file with 1 % bad rows in the same time; on SQLite, the
default database.

Each measurement is one `import_batch` in a fresh process (`--child`), on a copy of a
freshly migrated SQLite database, so that runs do not see each other's rows and the
peak memory (`ru_maxrss`) is that import's: of the importing process, and of the
second process that reads the workbook. The files are generated first (not timed)
with the export's writer, so they declare their size as Excel's files do. The
reference, measured in the same run on the same file: openpyxl reading it bare
(read-only, every row's values), the floor of any import that uses openpyxl.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

TARGET_S = 120.0
SEED = 68179
FIRST = ("Amina", "Fatima", "Oksana", "María José", "Nguyễn Thị", "Samuel", "Dawit",
         "Ана", "فاطمة", "Tigist", "Li", "Bich Ngoc", "Moussa", "Grace", "Rahel")  # fmt: skip
SECOND = ("Diallo", "Al Hassan", "Kovalenko", "García López", "Trần", "Okafor",
          "Бондаренко", "الحسن", "Haile", "王", "Mensah", "Tesfaye")  # fmt: skip
COUNTRIES = ("NG", "ER", "UA", "VN", "GN", "SY", "ET", "CN", "VE", "NP", "PH")


def rows(count: int, *, bad_every: int = 0, seed: int = SEED) -> Any:
    """`count` rows as the mapping holds them; with `bad_every`, every n-th row has
    a wrong code, a malformed date or an unknown country (in turn)."""
    from amparo.htcds import codes

    rng = random.Random(seed)
    statuses = [n for n, _ in codes.TRAFFICKING_STATUS]
    for n in range(1, count + 1):
        row: dict[str, Any] = {
            "cas_CaseOwner": "boss",
            "prs_FirstName": rng.choice(FIRST),
            "prs_SecondName": rng.choice(SECOND),
            "con_Consent": True,
            "prs_Birthdate": date(1970, 1, 1) + timedelta(days=rng.randint(0, 15000)),
            "prs_Gender": rng.choice(("Feminine", "Masculine", "Feminine", "NonConforming")),
            "prs_Citizenship": tuple(rng.sample(COUNTRIES, rng.choice((1, 1, 2)))),
            "prs_MobilePhone": f"+2348{rng.randint(10**8, 10**9 - 1)}",
            "prs_MailingCity": rng.choice(("Lagos", "Kyiv", "Lyon", "Madrid")),
            "vic_TraffickingStatus": rng.choice(statuses),
            "vic_TraffickingStatusDecisionMakingOrg": rng.choice(codes.DECISION_MAKING_ORG)[0],
            "vic_MethodOfRecruitment": tuple(rng.sample([c for c, _ in codes.METHOD_OF_RECRUITMENT], 2)),
            "vic_MethodsOfControl": tuple(rng.sample([c for c, _ in codes.METHODS_OF_CONTROL], 3)),
            "vic_TypeOfExploitation": (rng.choice(codes.TYPE_OF_EXPLOITATION)[0],),
            "vic_LocationOfExploitation": rng.choice(("Warehouse, Lagos", "Farm near Murcia")),
            "cas_Status": rng.choice(("Active", "Active", "FollowUp", "Closed", "ClosedReferred")),
            "cas_ReferringOrganisation": rng.choice(("Hotline", "Labour inspectorate", "")),
            "cas_IncomingReferralDate": date(2024, 1, 1) + timedelta(days=rng.randint(0, 600)),
        }  # fmt: skip
        if bad_every and n % bad_every == 0:
            which = (n // bad_every) % 3
            if which == 0:
                row["prs_Gender"] = "Female"
            elif which == 1:
                row["prs_Birthdate"] = "17/05/1994"
            else:
                row["prs_Citizenship"] = ("XZ",)
        yield {k: v for k, v in row.items() if v != ""}


def generate(path: Path, count: int, bad_every: int = 0) -> None:
    from amparo.htcds.writer import write_xlsx

    write_xlsx(rows(count, bad_every=bad_every), path, count=count)


# --- One measurement, in its own process --------------------------------------------


def child(path: str, username: str) -> None:
    import django

    django.setup()
    from amparo.accounts.models import User
    from amparo.htcds.actions import import_batch

    user = User.objects.get(username=username)
    started = time.perf_counter()
    # Always with the second process, so that 10,000 and 100,000 rows compare alike
    # (below 2 MB the import reads in its own process).
    report = import_batch(Path(path), acting_user=user, second_process=True)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "seconds": seconds,
        "imported": report.imported,
        "rows": report.rows,
        "problems": report.problem_count,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reader_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "cpu_s": _cpu(resource.RUSAGE_SELF),
        "reader_cpu_s": _cpu(resource.RUSAGE_CHILDREN),
    }))  # fmt: skip


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return round(usage.ru_utime + usage.ru_stime, 1)


def bare_read(path: str) -> None:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rows": count, "rss_mb": rss}))


def _run(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - this module, with our own arguments
        [sys.executable, "-m", "bench.htcds", *args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"bench.htcds {args} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- The run ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.htcds")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--small", type=int, default=10_000, help="rows of the memory comparison"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="imports of the large file"
    )
    parser.add_argument("--var-dir", default="/tmp/amparo-bench-htcds-var")  # noqa: S108
    parser.add_argument(
        "--child", nargs=2, metavar=("FILE", "USER"), help=argparse.SUPPRESS
    )
    parser.add_argument("--bare", metavar="FILE", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def prepare(var_dir: Path) -> tuple[dict[str, str], Path]:
    """A migrated SQLite database with an agency and its supervisor `boss`, kept as
    a pristine copy each measurement starts from."""
    from bench.run import bench_environment, prepare_database, run_amparo

    env = bench_environment("", var_dir)
    prepare_database("", var_dir, env)
    run_amparo(["createagency", "Bench Agency", "--code", "bench"], env)
    password = {**env, "AMPARO_PASSWORD": "bench-htcds-password-0123"}
    run_amparo(
        ["createuser", "boss", "--agency", "bench", "--role", "supervisor"], password
    )
    database = var_dir / "amparo.sqlite3"
    pristine = var_dir / "pristine.sqlite3"
    shutil.copyfile(database, pristine)
    return env, pristine


def measure_import(
    path: Path, var_dir: Path, pristine: Path, env: dict[str, str]
) -> dict[str, Any]:
    database = var_dir / "amparo.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, database)
    return _run(["--child", str(path), "boss"], env)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child(*args.child)
        return
    if args.bare:
        bare_read(args.bare)
        return
    load = os.getloadavg()
    var_dir = Path(args.var_dir)
    env, pristine = prepare(var_dir)
    with tempfile.TemporaryDirectory(prefix="amparo-bench-htcds-") as tmp:
        large, small, bad = (
            Path(tmp) / n for n in ("large.xlsx", "small.xlsx", "bad.xlsx")
        )
        log(
            f"generating {args.rows:,} rows, {args.small:,} rows, and {args.rows:,} with 1 % bad"
        )
        generate(large, args.rows)
        generate(small, args.small)
        generate(bad, args.rows, bad_every=100)
        log(f"file sizes: {large.stat().st_size:,} / {small.stat().st_size:,} bytes")
        bare = _run(["--bare", str(large)], env)
        log(f"openpyxl bare read: {bare['seconds']:.1f} s")
        small_run = measure_import(small, var_dir, pristine, env)
        log(f"import of {args.small:,}: {small_run}")
        runs = []
        for n in range(args.repeat):
            runs.append(measure_import(large, var_dir, pristine, env))
            log(f"import of {args.rows:,} (run {n + 1}): {runs[-1]}")
        refused = measure_import(bad, var_dir, pristine, env)
        log(f"error report: {refused}")
    print(report(args, load, bare, small_run, runs, refused))


def report(args: argparse.Namespace, load: tuple[float, ...], bare: dict[str, Any],
           small: dict[str, Any], runs: list[dict[str, Any]], refused: dict[str, Any]) -> str:  # fmt: skip
    median_run = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    median = median_run["seconds"]
    big_rss = max(r["rss_mb"] for r in runs)
    times = ", ".join(f"{r['seconds']:.1f}" for r in runs)

    def line(what: str, one: dict[str, Any], rows: int, target: bool) -> str:
        seconds = one["seconds"]
        verdict = ("met" if seconds < TARGET_S else "MISSED") if target else ""
        return (
            f"| {what} | {rows:,} | {seconds:.1f} | {seconds / bare['seconds']:.2f} "
            f"| {one['cpu_s']} / {one['reader_cpu_s']} "
            f"| {one['rss_mb']:.0f} / {one['reader_rss_mb']:.0f} "
            f"| {f'< {TARGET_S:.0f} s' if target else ''} | {verdict} |"
        )

    lines = [
        f"Machine: {os.cpu_count()} cores; load average before {load[0]:.2f}",
        f"Python {sys.version.split()[0]}; SQLite {_sqlite_version()}",
        "",
        "| What | rows | seconds | × bare read | CPU s (importer / reader) "
        "| peak RSS MB (importer / reader) | target | |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
        f"| openpyxl bare read (reference) | {bare['rows'] - 2:,} | {bare['seconds']:.1f} "
        f"| 1.0 | | {bare['rss_mb']:.0f} | | |",
        line("import", small, small["imported"], target=False),
        line(f"import, median of {len(runs)} ({times})", median_run, median_run["imported"], target=True),
        line(f"error report, 1 % bad rows ({refused['problems']:,} problems, nothing written)",
             refused, refused["rows"], target=True),
        "",
        f"Median: {median:.1f} s. Peak memory, {args.rows:,} rows against {args.small:,}: "
        f"{big_rss / small['rss_mb']:.2f}× (bounded if far below "
        f"{args.rows / args.small:.0f}×)",
    ]  # fmt: skip
    return "\n".join(lines)


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


if __name__ == "__main__":
    main()
