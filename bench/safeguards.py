"""How fast `amparo safeguards check` evaluates a batch of case files.

    python -m bench.safeguards                        # 10,000 case files, 3 runs
    python -m bench.safeguards --cases 1000 --repeat 5  # a quick check

Target (issue 4): `amparo safeguards check` on a JSON Lines file of 10,000 case files
under 10 s.

One run: generate N realistic, schema-valid case files from a fixed seed (the same
files every run), write them to a temporary .jsonl, and time the whole command, start-up
included, as a subprocess (`amparo safeguards check FILE --at T`, its output to a file;
the median of R runs). The output must have one line per case file, in order, and the
command must exit 0. Then, in this process, the parts: reading and checking the case
files (JSON, schema, values, contradictions), evaluating them (per case file and in
total), and writing the obligations as JSON, each as the command runs it, with Python's
cyclic garbage collector paused, all in one process; and the whole check in this
process, with the command's worker processes (one per core, from 2,000 case files) and
without them, as on one core. Two references measured in the same run compare
machines: `json.loads` of every line, and the start-up of a bare `python -c pass`; the
start-up of the `amparo` command itself (`amparo safeguards rules`: the engine, its
profiles and rules, without Django) is shown too. The machine is shared: the load average before and after the
run is printed with the results, and each row gives the range of its runs.

The case files mix the shipped jurisdictions evenly. Each is a detained foreign national
with one to three nationalities (some stateless, some also nationals of the detaining
State, some asylum seekers or refugees, some children by date of birth or by an open age
dispute), with about 8 to 12 facts: reviews of every kind, transfers, extensions, ended
episodes and second detentions, screenings and alternatives, consular requests,
refusals, consents and notifications, communications, the odd death or guardianship.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.run import amparo_command, bench_environment

TARGET_S = 10.0
SEED = 68179  # A/RES/68/179
# The evaluation time (`--at`): every generated fact is at or before it.
AT = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
DEFAULT_VAR_DIR = str(Path(tempfile.gettempdir()) / "amparo-bench-safeguards-var")


# --- The jurisdictions, as the generator sees them -------------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    time_zone: str
    authority: str
    legal_basis: str


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    home: str  # the detaining State (ISO3), "" for the supranational profiles
    places: tuple[Place, ...]
    nationalities: tuple[str, ...]  # the usual nationalities of those detained there
    languages: tuple[str, ...]
    judicial_orders: float = 0.0  # the share of detentions a judge orders


JURISDICTIONS = (
    Jurisdiction(
        "international",
        "",
        (
            Place(
                "Immigration Detention Centre, Suan Phlu, Bangkok",
                "Asia/Bangkok",
                "Immigration Bureau",
                "Immigration Act B.E. 2522, s. 54",
            ),
            Place(
                "Depot Imigresen Semenyih",
                "Asia/Kuala_Lumpur",
                "Jabatan Imigresen Malaysia",
                "Immigration Act 1959/63, s. 34",
            ),
            Place(
                "Holding facility, Nairobi",
                "Africa/Nairobi",
                "Directorate of Immigration Services",
                "Kenya Citizenship and Immigration Act 2011, s. 48",
            ),
        ),
        ("MMR", "KHM", "LAO", "VNM", "PAK", "AFG", "SOM", "ETH", "ERI", "BGD"),
        ("my", "km", "lo", "vi", "ur", "ps", "so", "am", "ti", "bn", "en"),
    ),
    Jurisdiction(
        "eu_return_directive",
        "",
        (
            Place(
                "Abschiebungshafteinrichtung Büren",
                "Europe/Berlin",
                "Ausländerbehörde",
                "AufenthG § 62",
            ),
            Place(
                "CIE Aluche, Madrid",
                "Europe/Madrid",
                "Policía Nacional",
                "LO 4/2000 art. 62",
            ),
            Place(
                "CPR Ponte Galeria, Roma",
                "Europe/Rome",
                "Questura di Roma",
                "D.lgs. 286/1998 art. 14",
            ),
            Place(
                "Amygdaleza pre-removal centre",
                "Europe/Athens",
                "Hellenic Police",
                "Law 3907/2011 art. 30",
            ),
        ),
        ("MAR", "DZA", "TUN", "SYR", "AFG", "NGA", "ALB", "GEO", "SEN", "PAK"),
        ("ar", "fr", "en", "ps", "fa", "sq", "ka", "wo", "ur"),
        judicial_orders=0.25,
    ),
    Jurisdiction(
        "mexico",
        "MEX",
        (
            Place(
                "Estación migratoria Siglo XXI, Tapachula",
                "America/Mexico_City",
                "Instituto Nacional de Migración",
                "Ley de Migración art. 99 (presentación)",
            ),
            Place(
                "Estación migratoria, Tijuana",
                "America/Tijuana",
                "Instituto Nacional de Migración",
                "Ley de Migración art. 99 (presentación)",
            ),
            Place(
                "Estación migratoria, Ciudad Juárez",
                "America/Ciudad_Juarez",
                "Instituto Nacional de Migración",
                "Ley de Migración art. 99 (presentación)",
            ),
        ),
        ("HND", "GTM", "SLV", "VEN", "CUB", "HTI", "NIC", "COL", "ECU", "USA"),
        ("es", "ht", "en", "mam", "quc"),
    ),
    Jurisdiction(
        "south_africa",
        "ZAF",
        (
            Place(
                "Lindela Repatriation Centre, Krugersdorp",
                "Africa/Johannesburg",
                "Department of Home Affairs",
                "Immigration Act 13 of 2002, s. 34",
            ),
        ),
        ("ZWE", "MOZ", "MWI", "LSO", "COD", "SOM", "ETH", "NGA", "BDI", "PAK"),
        ("sn", "pt", "ny", "st", "fr", "so", "am", "en"),
        judicial_orders=0.1,
    ),
    Jurisdiction(
        "united_states",
        "USA",
        (
            Place(
                "Processing Center, Adelanto, California",
                "America/Los_Angeles",
                "ICE",
                "INA s. 235(b)",
            ),
            Place(
                "Krome Service Processing Center, Miami",
                "America/New_York",
                "ICE",
                "INA s. 236(a)",
            ),
            Place(
                "Port Isabel Detention Center, Texas",
                "America/Chicago",
                "ICE",
                "INA s. 235(b)",
            ),
            Place(
                "Eloy Detention Center, Arizona", "America/Phoenix", "ICE", "INA s. 241"
            ),
        ),
        ("MEX", "GTM", "HND", "SLV", "CHN", "IND", "VEN", "CUB", "NGA", "ROU", "RUS"),
        ("es", "zh", "hi", "en", "ro", "ru", "pa"),
    ),
    Jurisdiction(
        "united_kingdom",
        "GBR",
        (
            Place(
                "Harmondsworth IRC", "Europe/London", "Home Office", "IA 1971 Sch. 2"
            ),
            Place(
                "Dungavel IRC",
                "Europe/London",
                "Home Office",
                "NIAA 2002 s. 62",
            ),
        ),
        ("ALB", "IRN", "IRQ", "ERI", "SDN", "AFG", "VNM", "IND", "POL", "NGA"),
        ("sq", "fa", "ku", "ti", "ar", "ps", "vi", "pa", "pl", "en"),
    ),
    Jurisdiction(
        "canada",
        "CAN",
        (
            Place(
                "Immigration Holding Centre, Laval",
                "America/Toronto",
                "CBSA",
                "IRPA s. 55",
            ),
            Place(
                "Immigration Holding Centre, Toronto",
                "America/Toronto",
                "CBSA",
                "IRPA s. 55",
            ),
            Place(
                "Immigration Holding Centre, Surrey",
                "America/Vancouver",
                "CBSA",
                "IRPA s. 55",
            ),
        ),
        ("MEX", "IND", "HTI", "COL", "NGA", "CHN", "USA", "IRN", "PHL"),
        ("es", "hi", "ht", "fr", "en", "zh", "fa", "tl"),
    ),
    Jurisdiction(
        "australia",
        "AUS",
        (
            Place(
                "Villawood Immigration Detention Centre",
                "Australia/Sydney",
                "Australian Border Force",
                "Migration Act 1958 s. 189",
            ),
            Place(
                "Yongah Hill Immigration Detention Centre",
                "Australia/Perth",
                "Australian Border Force",
                "Migration Act 1958 s. 189",
            ),
            Place(
                "Christmas Island Immigration Detention Centre",
                "Indian/Christmas",
                "Australian Border Force",
                "Migration Act 1958 s. 189",
            ),
        ),
        ("NZL", "CHN", "IND", "LKA", "IRN", "AFG", "VNM", "MYS", "IDN"),
        ("en", "zh", "hi", "ta", "fa", "ps", "vi", "ms", "id"),
    ),
)


# --- Generating case files -------------------------------------------------------------


@dataclass
class _Case:
    """One case file being written: its facts as (time, kind, zone, data)."""

    rng: random.Random
    where: Jurisdiction
    place: Place
    facts: list[tuple[datetime, str, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, at: datetime, kind: str, zone: str, **data: Any) -> None:
        # Whole minutes, as people record them; nothing after the evaluation time.
        at = min(at, AT).replace(second=0, microsecond=0)
        self.facts.append((at, kind, zone, data))

    def between(self, start: datetime, end: datetime) -> datetime:
        """A whole minute from `start` to `end` (`start` if `end` is earlier)."""
        minutes = max(int((end - start).total_seconds() // 60), 0)
        return start + timedelta(minutes=self.rng.randint(0, minutes))


@dataclass
class _Episode:
    id: str
    start: datetime
    end: datetime | None  # when it ended (None: still detained at AT)
    zone: str

    @property
    def until(self) -> datetime:
        return self.end or AT


def generate(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` case files, always the same for one seed."""
    rng = random.Random(seed)
    return [_case_file(rng, number) for number in range(1, count + 1)]


def _case_file(rng: random.Random, number: int) -> dict[str, Any]:
    where = JURISDICTIONS[(number - 1) % len(JURISDICTIONS)]
    case = _Case(rng, where, rng.choice(where.places))
    wanted = rng.randint(8, 12)
    detained_for = timedelta(minutes=rng.randint(2 * 60, 150 * 24 * 60))
    first = _Episode("ep1", AT - detained_for, None, case.place.time_zone)
    if rng.random() < 0.35:
        first.end = min(case.between(first.start + timedelta(hours=3), AT), AT)
    episodes = [first]
    countries = _person(case, first)
    protected = rng.random() < 0.2
    if protected:
        status = rng.choices(["asylum_seeker", "refugee"], weights=[4, 1])[0]
        case.add(
            case.between(first.start, first.start + timedelta(days=10)),
            "asylum_status",
            first.zone,
            status=status,
        )
    child = _age(case, first)
    _start(case, first, judicial=rng.random() < where.judicial_orders)
    if (
        first.end is not None
        and AT - first.end > timedelta(days=3)
        and rng.random() < 0.3
    ):
        second = _Episode(
            "ep2",
            case.between(first.end + timedelta(days=1), AT),
            None,
            rng.choice(where.places).time_zone,
        )
        _start(case, second, judicial=False)
        episodes.append(second)
    extras = _extras(case, episodes, countries, protected=protected, child=child)
    ends = sum(1 for e in episodes if e.end is not None)
    while len(case.facts) + ends < wanted and extras:
        add = rng.choice(extras)
        if not add():
            extras.remove(add)
    _death(case, episodes[-1], countries)
    for episode in episodes:
        if episode.end is not None:
            case.add(
                episode.end,
                "detention_ended",
                episode.zone,
                episode=episode.id,
                reason=rng.choices(
                    ["released", "removed", "alternative", "no_prospect_of_removal"],
                    weights=[5, 4, 2, 1],
                )[0],
            )
    return _document(case, number)


def _person(case: _Case, episode: _Episode) -> list[str]:
    """The nationality facts; the foreign countries a consulate may be told of."""
    rng, where = case.rng, case.where
    arrest = episode.start - timedelta(minutes=rng.randint(0, 180))
    if rng.random() < 0.06:
        case.add(arrest, "nationality", episode.zone, country="XXA", status="confirmed")
        return []
    count = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
    countries = rng.sample(where.nationalities, count)
    if where.home and count > 1 and rng.random() < 0.3:
        countries[-1] = where.home  # also a national of the detaining State
    if rng.random() < 0.25:
        case.add(arrest, "foreign_nationality_suspected", episode.zone)
    for n, country in enumerate(countries):
        at = arrest if n == 0 else case.between(arrest, arrest + timedelta(hours=72))
        status = rng.choices(
            ["confirmed", "claimed", "suspected", "unknown"], weights=[55, 30, 10, 5]
        )[0]
        case.add(at, "nationality", episode.zone, country=country, status=status)
    return [c for c in countries if c != where.home]


def _age(case: _Case, episode: _Episode) -> bool:
    """A date of birth, or an age dispute; whether the person may be a child."""
    rng = case.rng
    recorded = episode.start - timedelta(minutes=rng.randint(0, 120))
    roll = rng.random()
    if roll < 0.07:
        years = rng.randint(9, 17)
        born = (
            episode.start - timedelta(days=365.25 * years + rng.randint(0, 300))
        ).date()
        case.add(
            recorded, "birth", episode.zone, date=born.isoformat(), precision="day"
        )
        return True
    if roll < 0.13:
        case.add(recorded, "age_dispute", episode.zone, open=True)
        if rng.random() < 0.5:
            assessed = case.between(recorded, episode.until)
            case.add(
                assessed, "age_assessed", episode.zone, minimum_age=rng.randint(15, 20)
            )
            case.add(assessed, "age_dispute", episode.zone, open=False)
        return True
    if roll < 0.65:
        born = (episode.start - timedelta(days=rng.randint(19 * 365, 60 * 365))).date()
        precision = rng.choices(["day", "month", "year"], weights=[8, 1, 1])[0]
        text = {"day": born.isoformat(), "month": born.isoformat()[:7] + "-01"}.get(
            precision, f"{born.year}-01-01"
        )
        case.add(recorded, "birth", episode.zone, date=text, precision=precision)
    return False


def _start(case: _Case, episode: _Episode, *, judicial: bool) -> None:
    place = next(
        (p for p in case.where.places if p.time_zone == episode.zone), case.place
    )
    case.add(
        episode.start,
        "detention_started",
        episode.zone,
        episode=episode.id,
        place=place.name,
        time_zone=episode.zone,
        authority=place.authority,
        order="judicial" if judicial else "administrative",
        legal_basis=place.legal_basis,
    )


def _extras(  # noqa: C901 - one small closure per kind of fact reads best
    case: _Case,
    episodes: list[_Episode],
    countries: list[str],
    *,
    protected: bool,
    child: bool,
) -> list[Callable[[], bool]]:
    """The facts a case may also hold, each added by a call (False: no more of it)."""
    rng, where = case.rng, case.where
    episode = episodes[-1]
    country = countries[0] if countries else ""
    reviews = [0]
    steps = [0]

    def during(hours: float = 0) -> datetime:
        return case.between(episode.start + timedelta(hours=hours), episode.until)

    def review() -> bool:
        reviews[0] += 1
        by = rng.choices(["judicial", "independent", "administrative"], [5, 2, 3])[0]
        outcome = "released" if rng.random() < 0.08 else "continued"
        first = timedelta(hours=rng.uniform(6, 72))
        at = episode.start + first if reviews[0] == 1 else during(24 * reviews[0])
        case.add(
            min(at, episode.until),
            "detention_reviewed",
            episode.zone,
            episode=episode.id,
            by=by,
            outcome=outcome,
        )
        return reviews[0] < 4

    def transfer() -> bool:
        # While detained only: a transfer after the release contradicts it.
        at = during(1)
        if episode.end is not None and at >= episode.end:
            return False
        other = rng.choice(where.places)
        case.add(
            at,
            "detention_transferred",
            episode.zone,
            episode=episode.id,
            place=other.name,
            time_zone=other.time_zone,
        )
        return False

    def extension() -> bool:
        at = during(24 * 20)
        if episode.end is not None and at >= episode.end:
            return False
        case.add(
            at,
            "detention_extended",
            episode.zone,
            episode=episode.id,
            ground="Lack of cooperation in obtaining travel documents",
        )
        return False

    def screening() -> bool:
        positive = rng.random() < 0.25
        needs = (
            rng.sample(
                [
                    "torture_survivor",
                    "trafficking",
                    "disability",
                    "pregnant",
                    "serious_illness",
                    "lgbti",
                ],
                rng.randint(1, 2),
            )
            if positive
            else []
        )
        data: dict[str, Any] = {"episode": episode.id, "positive": positive}
        if needs:
            data["needs"] = needs
        case.add(
            episode.start + timedelta(hours=rng.uniform(2, 48)),
            "vulnerability_screened",
            episode.zone,
            **data,
        )
        return False

    def alternatives() -> bool:
        steps[0] += 1
        case.add(
            during(24 + steps[0]),
            "alternatives_step",
            episode.zone,
            episode=episode.id,
            step=steps[0],
            outcome="assessed",
            evidence=f"caseworker note {steps[0]}",
        )
        return steps[0] < 5

    def alternative() -> bool:
        case.add(
            during(48),
            "alternative_applied",
            episode.zone,
            episode=episode.id,
            type=rng.choice(
                [
                    "reporting",
                    "release_to_community",
                    "case_management",
                    "guarantor",
                    "bail",
                ]
            ),
        )
        return False

    def informed() -> bool:
        case.add(
            episode.start + timedelta(minutes=rng.randint(20, 60 * 40)),
            "rights_informed",
            episode.zone,
            language=rng.choice(where.languages),
        )
        return False

    def requested() -> bool:
        if not country:
            return False
        at = during(0.5)
        case.add(at, "consular_notification_requested", episode.zone, country=country)
        if protected and rng.random() < 0.5:
            at += timedelta(hours=rng.uniform(1, 24))
            case.add(
                at, "consular_notification_consented", episode.zone, country=country
            )
        if rng.random() < 0.7:
            at += timedelta(hours=rng.uniform(1, 60))
            case.add(
                at,
                "consulate_notified",
                episode.zone,
                country=country,
                about="detention",
            )
        return False

    def declined() -> bool:
        if len(countries) > 1:
            case.add(
                during(),
                "consular_notification_declined",
                episode.zone,
                country=countries[-1],
            )
        return False

    def review_by_lawyer() -> bool:
        if protected and country:
            case.add(
                during(2),
                "legal_review_completed",
                episode.zone,
                country=country,
                decision=rng.choice(["notify", "withhold"]),
                about="detention",
            )
        return False

    def opposed() -> bool:
        if country and rng.random() < 0.3:
            case.add(during(), "consular_access_opposed", episode.zone, country=country)
        return False

    def letter() -> bool:
        name = f"letter-{len(case.facts)}"
        at = during(1)
        case.add(at, "communication_received", episode.zone, communication=name)
        if rng.random() < 0.75:
            at += timedelta(hours=rng.uniform(0.5, 40))
            case.add(at, "communication_forwarded", episode.zone, communication=name)
        return rng.random() < 0.3

    def documents() -> bool:
        passport = "TWN" if country == "CHN" and rng.random() < 0.3 else country
        if passport:
            case.add(episode.start, "passport", episode.zone, country=passport)
        if where.home in ("USA", "CAN") and rng.random() < 0.2:
            case.add(
                episode.start, "permanent_resident", episode.zone, country=where.home
            )
        return False

    def guardianship() -> bool:
        if child:
            case.add(during(12), "guardianship_opened", episode.zone)
        return False

    extras: list[Callable[[], bool]] = [
        review,
        review,
        transfer,
        extension,
        screening,
        informed,
        informed,
        requested,
        requested,
        letter,
        documents,
        declined,
        opposed,
    ]
    if child:
        extras.append(guardianship)
    if protected:
        extras.append(review_by_lawyer)
    if rng.random() < 0.3:
        extras += [alternatives, alternative]
    return extras


def _death(case: _Case, episode: _Episode, countries: list[str]) -> None:
    """Rarely, a death in detention, after every other fact, and maybe the notice."""
    rng = case.rng
    if episode.end is not None or rng.random() > 0.01:
        return
    died = max(at for at, *_ in case.facts) + timedelta(minutes=30)
    case.add(died, "death", episode.zone)
    if countries and rng.random() < 0.5:
        case.add(
            died + timedelta(hours=5),
            "consulate_notified",
            episode.zone,
            country=countries[0],
            about="death",
        )


def _document(case: _Case, number: int) -> dict[str, Any]:
    ordered = sorted(case.facts, key=lambda f: f[0])
    return {
        "case_id": f"case-{number:05d}",
        "person_id": f"person-{number:05d}",
        "jurisdiction": case.where.code,
        "facts": [
            {
                "id": f"f{n}",
                "kind": kind,
                "at": at.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds"),
                "recorded_by": f"officer-{case.rng.randint(1, 60)}",
                "data": data,
            }
            for n, (at, kind, zone, data) in enumerate(ordered, start=1)
        ],
    }


# --- Measuring -------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.safeguards", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--keep", type=Path, help="also write the generated case files here"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print cProfile's top functions of one in-process check",
    )
    parser.add_argument("--var-dir", default=DEFAULT_VAR_DIR)
    return parser.parse_args(argv)


@dataclass
class Row:
    what: str
    seconds: list[float]  # one per run
    per_case_ms: float | None = None
    target_s: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of `repeat` calls."""
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        found.append(time.perf_counter() - started)
    return found


def wall(
    command: list[str], env: dict[str, str], repeat: int, out: Path
) -> list[float]:
    """Seconds of each run of `command`, its output to `out`; any failure stops here."""
    found = []
    for _ in range(repeat):
        with out.open("w") as handle:
            started = time.perf_counter()
            done = subprocess.run(  # noqa: S603 (our own command and arguments)
                command, env=env, stdout=handle, stderr=subprocess.PIPE, text=True
            )
            found.append(time.perf_counter() - started)
        if done.returncode:
            sys.exit(
                f"`{shlex.join(command)}` exited {done.returncode}:\n{done.stderr}"
            )
    return found


def check_output(out: Path, documents: list[dict[str, Any]]) -> int:
    """The number of obligations, once the output is one line per case file, in order."""
    lines = out.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(documents):
        sys.exit(f"{len(lines)} lines of output for {len(documents)} case files")
    obligations = 0
    for line, document in zip(lines, documents, strict=True):
        result = json.loads(line)
        if result["case_id"] != document["case_id"]:
            sys.exit(f"output {result['case_id']} where {document['case_id']} was due")
        obligations += len(result["obligations"])
    return obligations


def in_process(text: str, repeat: int) -> list[Row]:
    """The parts of the check, in this process: read and check, evaluate, write. Each
    runs as in the command: with Python's cyclic garbage collector paused."""
    from amparo.safeguards import casefile, cli, engine, profiles

    def known(code: str) -> str:
        try:
            profiles.load(code)
        except profiles.ProfileError as error:
            return str(error)
        return ""

    def read() -> list[Any]:
        return casefile.read(text, "jsonl", jurisdiction=known)

    engine.load_rules()
    read()  # warm: profiles, schema, compiled check, holiday calendars
    count = len(read())
    paused = _gc_paused
    with paused():
        parse = timed(read, repeat)
    evaluate: list[float] = []
    per_case: list[float] = []
    serialise: list[float] = []
    for _ in range(repeat):
        # Fresh case files each run: a case file keeps what the rules derived from it.
        cases = read()
        results = []
        with paused():
            started = time.perf_counter()
            for case in cases:
                one = time.perf_counter()
                profile = profiles.load(case.jurisdiction)
                results.append(engine.evaluate(case, profile, AT))
                per_case.append(time.perf_counter() - one)
            evaluate.append(time.perf_counter() - started)
            started = time.perf_counter()
            for case, obligations in zip(cases, results, strict=True):
                # As the command writes them (cli._result, cli._dumps).
                cli._dumps(
                    {
                        "case_id": case.case_id,
                        "jurisdiction": case.jurisdiction,
                        "profile_version": profiles.load(case.jurisdiction).version,
                        "at": AT.isoformat(),
                        "obligations": [o.as_json() for o in obligations],
                    }
                )
            serialise.append(time.perf_counter() - started)

    def whole() -> None:
        out, err = io.StringIO(), io.StringIO()
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            code = cli.main(
                ["check", f.name, "--at", AT.isoformat()], stdout=out, stderr=err
            )
        if code:
            sys.exit(f"in-process check exited {code}: {err.getvalue()[:2000]}")

    all_cores = timed(whole, repeat)
    with one_process():
        one_core = timed(whole, repeat)

    rows = [
        Row(
            "read and check (JSON, schema, values, contradictions)",
            parse,
            statistics.median(parse) / count * 1000,
        ),
        Row(
            "evaluate (every rule; in this process)",
            evaluate,
            statistics.median(per_case) * 1000,
        ),
        Row(
            "write the obligations as JSON",
            serialise,
            statistics.median(serialise) / count * 1000,
        ),
        Row("the whole check, in this process (`cli.main`)", all_cores),
        Row("the whole check, in this process only (no worker processes)", one_core),
    ]
    return rows


@contextmanager
def one_process() -> Iterator[None]:
    """The command without its worker processes: as on a machine with one core."""
    from amparo.safeguards import cli

    saved = cli.PARALLEL_FROM
    cli.PARALLEL_FROM = sys.maxsize
    try:
        yield
    finally:
        cli.PARALLEL_FROM = saved


def profile_check(text: str) -> str:
    import cProfile
    import pstats

    from amparo.safeguards import cli

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        profiler = cProfile.Profile()
        with one_process():  # cProfile sees only this process
            profiler.enable()
            cli.main(
                ["check", f.name, "--at", AT.isoformat()],
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            profiler.disable()
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    return report.getvalue()


def table(rows: list[Row], references: dict[str, float], count: int) -> str:
    loads, python = references["json"], references["python"]
    lines = [
        "| What | runs | median s | range s | per case ms | × json.loads "
        "| × python start-up | target | |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        per_case = "" if row.per_case_ms is None else f"{row.per_case_ms:.3f}"
        target = "" if row.target_s is None else f"< {row.target_s:.0f} s"
        verdict = ""
        if row.target_s is not None:
            verdict = "met" if row.median < row.target_s else "**missed**"
        lines.append(
            f"| {row.what} | {len(row.seconds)} | {row.median:.3f} "
            f"| {min(row.seconds):.2f}–{max(row.seconds):.2f} | {per_case} "
            f"| {row.median / loads:.1f} | {row.median / python:.1f} | {target} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} × {cpu}, Python {platform.python_version()}"


def _gc_paused() -> Any:
    from amparo.safeguards.cli import _no_cycle_collection

    return _no_cycle_collection()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    load_before = os.getloadavg()
    log(f"generating {args.cases:,} case files (seed {args.seed})")
    documents = generate(args.cases, args.seed)
    text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
    facts = sum(len(d["facts"]) for d in documents)
    env = bench_environment("", Path(args.var_dir))
    with tempfile.TemporaryDirectory(prefix="amparo-bench-safeguards-") as tmp:
        cases_path = Path(tmp) / "cases.jsonl"
        out = Path(tmp) / "obligations.jsonl"
        cases_path.write_text(text, encoding="utf-8")
        if args.keep:
            args.keep.write_text(text, encoding="utf-8")
        command = [
            *amparo_command(),
            "safeguards",
            "check",
            str(cases_path),
            "--at",
            AT.isoformat(),
        ]
        log("timing references")
        python = wall([sys.executable, "-c", "pass"], env, max(args.repeat, 5), out)
        startup = wall(
            [*amparo_command(), "safeguards", "rules"], env, args.repeat, out
        )
        lines = text.splitlines()
        with _gc_paused():  # as the command, and as the parts below
            loads = timed(lambda: [json.loads(line) for line in lines], args.repeat)
        log(f"timing `{shlex.join(['amparo', *command[1:]])}`")
        whole = wall(command, env, args.repeat, out)
        obligations = check_output(out, documents)
        log("timing the parts in this process")
        parts = in_process(text, args.repeat)
        profiled = profile_check(text) if args.profile else ""
    references = {"json": statistics.median(loads), "python": statistics.median(python)}
    rows = [
        Row(
            "`amparo safeguards check FILE.jsonl --at T` (subprocess, wall)",
            whole,
            statistics.median(whole) / args.cases * 1000,
            TARGET_S,
        ),
        *parts,
        Row("`amparo safeguards rules` (the command's start-up; reference)", startup),
        Row("`json.loads` of every line (reference)", loads),
        Row("`python -c pass` (start-up; reference)", python),
    ]
    command_line = shlex.join(
        ["python", "-m", "bench.safeguards", *(sys.argv[1:] if argv is None else argv)]
    )
    kinds = len({f["kind"] for d in documents for f in d["facts"]})
    by_code = {j.code: 0 for j in JURISDICTIONS}
    for d in documents:
        by_code[d["jurisdiction"]] += 1
    load_after = os.getloadavg()
    print(
        f"Command: `{command_line}`\n\n"
        f"Machine: {machine()}; load average (1, 5, 15 min) "
        f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.2f}' for x in load_after)} after.\n\n"
        f"{args.cases:,} case files ({len(text.encode()) / 1e6:.1f} MB), {facts:,} facts "
        f"({facts / args.cases:.1f} a case, {kinds} kinds), "
        f"{', '.join(f'{code} {n:,}' for code, n in by_code.items())}; "
        f"{obligations:,} obligations at {AT.isoformat()}; seed {args.seed}.\n\n"
        + table(rows, references, args.cases)
    )
    if profiled:
        print("\n```\n" + profiled + "```")


if __name__ == "__main__":
    main()
