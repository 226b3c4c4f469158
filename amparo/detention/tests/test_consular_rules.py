"""The consular-access rules (resolution 68/179 para 4(h); VCCR arts. 36-37): one table of
scenarios per rule (met on time, met late, overdue, open, not applicable, escalated, and
each special case), the US mandatory-notification list, and properties: evaluation is
deterministic and a fact no consular rule reads never changes a consular obligation.

Times are hours after T0 (a Monday, 09:00 UTC); the engine takes `now` explicitly, so the
scenarios pass it rather than travel in time."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.detention import consular_rules
from amparo.detention.consular_rules import CONSULAR_RULES, RESOLUTION
from amparo.safeguards import engine, profiles
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INTL = profiles.load("international")

US = profiles.load("united_states")
PROFILES = {"intl": INTL, "us": US}


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


# --- Facts, briefly ------------------------------------------------------------------


def det(h=0, episode="e1", zone="Europe/Madrid"):
    return (
        "detention_started",
        h,
        {
            "episode": episode,
            "place": "centre",
            "time_zone": zone,
            "authority": "immigration",
            "order": "administrative",
            "legal_basis": "removal",
        },
    )


def end(h, episode="e1"):
    return ("detention_ended", h, {"episode": episode, "reason": "released"})


def nat(country, h=0, status="confirmed"):
    return ("nationality", h, {"country": country, "status": status})


def suspected(h):
    return ("foreign_nationality_suspected", h, {})


def asylum(h=0, status="asylum_seeker"):
    return ("asylum_status", h, {"status": status})


def informed(h, language="es"):
    return ("rights_informed", h, {"language": language})


def asked(country, h):
    return ("consular_notification_requested", h, {"country": country})


def declined(country, h):
    return ("consular_notification_declined", h, {"country": country})


def consented(country, h):
    return ("consular_notification_consented", h, {"country": country})


def notified(country, h, about="detention"):
    return ("consulate_notified", h, {"country": country, "about": about})


def opposed(country, h):
    return ("consular_access_opposed", h, {"country": country})


def received(name, h):
    return ("communication_received", h, {"communication": name})


def forwarded(name, h):
    return ("communication_forwarded", h, {"communication": name})


def review(country, decision, h):
    return ("legal_review_completed", h, {"country": country, "decision": decision})


def death(h):
    return ("death", h, {})


def guardianship(h):
    return ("guardianship_opened", h, {})


def born(day, precision="day"):
    return ("birth", -1000, {"date": day, "precision": precision})


def case_of(specs, profile=INTL) -> CaseFile:
    facts = tuple(
        Fact(f"f{n}", kind, at(h), "officer", data)
        for n, (kind, h, data) in enumerate(specs)
    )
    return CaseFile("case-1", "person-1", profile.code, facts)


def run(rule_id, specs, now_h, profile=INTL) -> dict[str, Obligation]:
    found = engine.evaluate(case_of(specs, profile), profile, at(now_h), only=[rule_id])
    assert all(o.rule_id == rule_id for o in found)
    return {o.key: o for o in found}


OPEN, MET, OVERDUE = Status.OPEN, Status.MET, Status.OVERDUE
NA, ESCALATED = Status.NOT_APPLICABLE, Status.ESCALATED
INFO, WARNING, CRITICAL = Severity.INFO, Severity.WARNING, Severity.CRITICAL


def expect(status, severity=None, late=None, due=None):
    """What one obligation should be; None leaves a field unchecked."""
    return {"status": status, "severity": severity, "late": late, "due": due}


def check(found: dict[str, Obligation], expected: dict[str, dict[str, Any]]) -> None:
    assert sorted(found) == sorted(expected), found
    for key, want in expected.items():
        got = found[key]
        assert got.status is want["status"], (key, got)
        if want["severity"] is not None:
            assert got.severity is want["severity"], (key, got)
        if want["late"] is not None:
            assert got.met_late is want["late"], (key, got)
        if want["due"] is not None:
            assert got.due_at == at(want["due"]), (key, got.due_at)
        if got.status is MET:
            assert got.met_by and got.met_at is not None
        else:
            assert got.met_at is None


def scenario(name, specs, now_h, expected, profile="intl"):
    return pytest.param(specs, now_h, expected, profile, id=name)


# --- consular.inform_rights ----------------------------------------------------------

INFORM = [
    scenario(
        "met on time",
        [det(0), nat("ALB"), informed(2)],
        30,
        {"ALB": expect(MET, INFO, late=False, due=24)},
    ),
    scenario(
        "met late",
        [det(0), nat("ALB"), informed(30)],
        40,
        {"ALB": expect(MET, INFO, late=True)},
    ),
    scenario(
        "overdue is critical",
        [det(0), nat("ALB")],
        30,
        {"ALB": expect(OVERDUE, CRITICAL, due=24)},
    ),
    scenario("open", [det(0), nat("ALB")], 2, {"ALB": expect(OPEN, INFO)}),
    scenario(
        "open past 80 % warns", [det(0), nat("ALB")], 20, {"ALB": expect(OPEN, WARNING)}
    ),
    scenario(
        "the clock starts at suspicion, not at arrest",
        [det(0), suspected(48)],
        60,
        {"unknown": expect(OPEN, INFO, due=72)},
    ),
    scenario(
        "a later nationality keeps the suspicion's clock",
        [det(0), suspected(48), nat("ALB", 50)],
        60,
        {"ALB": expect(OPEN, due=72)},
    ),
    scenario(
        "suspicion before detention: the clock starts at detention",
        [suspected(-10), det(0)],
        10,
        {"unknown": expect(OPEN, due=24)},
    ),
    scenario(
        "an unknown nationality counts as suspicion",
        [det(0), ("nationality", 5, {"status": "unknown"})],
        10,
        {"unknown": expect(OPEN, due=29)},
    ),
    scenario(
        "custody that ended within the threshold the same day",
        [det(0), nat("ALB"), end(3)],
        30,
        {},
    ),
    scenario(
        "custody beyond the threshold, then released",
        [det(0), nat("ALB"), end(5)],
        30,
        {"ALB": expect(OVERDUE, CRITICAL)},
    ),
    scenario(
        "three hours overnight count",  # 23:00 to 02:00 in Madrid
        [det(13), nat("ALB", 13), end(16)],
        20,
        {"ALB": expect(OPEN, due=37)},
    ),
    scenario("never detained", [nat("ALB")], 30, {}),
    scenario(
        "suspected only after release",
        [det(0), end(10), suspected(20)],
        30,
        {},
    ),
    scenario(
        "national of the detaining State with a second nationality",
        [det(0, zone="America/Chicago"), nat("USA"), nat("ALB")],
        30,
        {"ALB": expect(NA, INFO)},
        profile="us",
    ),
    scenario(
        "stateless: no consulate",
        [det(0), nat("XXA")],
        30,
        {"XXA": expect(NA, INFO)},
    ),
    scenario(
        "two foreign nationalities: one duty each",
        [det(0), nat("ALB"), nat("MEX", 10), informed(30)],
        28,
        {"ALB": expect(OVERDUE, due=24), "MEX": expect(OPEN, due=34)},
    ),
    scenario(
        "opposing visits does not lift the duty",
        [det(0), nat("ALB"), opposed("ALB", 1)],
        30,
        {"ALB": expect(OVERDUE, CRITICAL)},
    ),
    scenario(
        "died before being told",
        [det(0), nat("ALB"), death(30)],
        40,
        {"ALB": expect(NA, INFO)},
    ),
    scenario(
        "a fact dated after now has not happened yet",
        [det(0), nat("ALB"), informed(30)],
        20,
        {"ALB": expect(OPEN, WARNING)},
    ),
    scenario(
        "a new detention needs telling again",
        [det(0, "e1"), nat("ALB"), informed(1), end(10, "e1"), det(100, "e2")],
        130,
        {"ALB": expect(OVERDUE, due=124)},
    ),
    scenario(
        "episodes that follow each other are one custody",
        [det(0, "e1"), nat("ALB"), informed(2), end(5, "e1"), det(5, "e2")],
        30,
        {"ALB": expect(MET, late=False)},
    ),
    scenario(
        "an asylum seeker is told of their rights too",
        [det(0), nat("ALB"), asylum(0), informed(2)],
        30,
        {"ALB": expect(MET)},
    ),
]


@pytest.mark.parametrize(("specs", "now_h", "expected", "profile"), INFORM)
def test_inform_rights(specs, now_h, expected, profile):
    check(run("consular.inform_rights", specs, now_h, PROFILES[profile]), expected)


def test_inform_rights_notes_and_details():
    found = run(
        "consular.inform_rights",
        [det(0), nat("ALB"), asylum(0), opposed("ALB", 1), informed(2, language="sq")],
        30,
    )["ALB"]
    assert found.details["language"] == "sq"
    assert "explicit consent" in found.note
    assert "opposes consular visits" in found.note
    assert found.triggered_by == ("f1", "f0")  # the nationality, the detention
    assert found.met_by == ("f4",)
    assert found.citations[0] == RESOLUTION
    national = run(
        "consular.inform_rights",
        [det(0), nat("USA"), nat("ALB")],
        30,
        US,
    )["ALB"]
    assert "national of the detaining State (USA)" in national.note
    stateless = run("consular.inform_rights", [det(0), nat("XXA")], 30)["XXA"]
    assert "stateless" in stateless.note
    unlanguaged = run(
        "consular.inform_rights",
        [det(0), nat("ALB"), ("rights_informed", 2, {})],
        30,
    )["ALB"]
    assert unlanguaged.status is MET
    assert "Record the language" in unlanguaged.note
    dead = run("consular.inform_rights", [det(0), nat("ALB"), death(30)], 40)["ALB"]
    assert dead.details["breached"] is True


def test_deadlines_are_in_the_place_of_detention():
    found = run(
        "consular.inform_rights", [det(0, zone="America/Chicago"), nat("ALB")], 2, US
    )["ALB"]
    assert str(found.due_at.tzinfo) == "America/Chicago"
    moved = run(
        "consular.inform_rights",
        [
            det(0, zone="America/Chicago"),
            (
                "detention_transferred",
                1,
                {"episode": "e1", "time_zone": "America/Denver"},
            ),
            suspected(5),
        ],
        6,
        US,
    )["unknown"]
    assert str(moved.due_at.tzinfo) == "America/Denver"
    assert moved.due_at == at(29)


# --- consular.notify_on_request ------------------------------------------------------

REQUEST = [
    scenario(
        "met on time",
        [det(0), nat("MEX"), asked("MEX", 1), notified("MEX", 10)],
        30,
        {"MEX": expect(MET, INFO, late=False, due=25)},
    ),
    scenario(
        "met late",
        [det(0), nat("MEX"), asked("MEX", 1), notified("MEX", 30)],
        40,
        {"MEX": expect(MET, INFO, late=True)},
    ),
    scenario(
        "past the target: warning",
        [det(0), nat("MEX"), asked("MEX", 1)],
        30,
        {"MEX": expect(OVERDUE, WARNING)},
    ),
    scenario(
        "past the 72 h limit: critical",
        [det(0), nat("MEX"), asked("MEX", 1)],
        80,
        {"MEX": expect(OVERDUE, CRITICAL)},
    ),
    scenario("open", [det(0), asked("MEX", 1)], 5, {"MEX": expect(OPEN, INFO, due=25)}),
    scenario(
        "a request standing from before the detention",
        [asked("MEX", -5), det(0)],
        5,
        {"MEX": expect(OPEN, due=24)},
    ),
    scenario("asked but never detained", [nat("MEX"), asked("MEX", 1)], 30, {}),
    scenario(
        "withdrawn before the notice",
        [det(0), asked("MEX", 1), declined("MEX", 2)],
        30,
        {"MEX": expect(NA, INFO)},
    ),
    scenario(
        "declined after the notice",
        [det(0), asked("MEX", 1), notified("MEX", 2), declined("MEX", 3)],
        30,
        {"MEX": expect(MET)},
    ),
    scenario(
        "asked again after declining",
        [det(0), asked("MEX", 1), declined("MEX", 2), asked("MEX", 3)],
        10,
        {"MEX": expect(OPEN, due=27)},
    ),
    scenario(
        "asylum seeker without consent: blocked",
        [det(0), nat("MEX"), asylum(0), asked("MEX", 1)],
        30,
        {"MEX": expect(NA, INFO)},
    ),
    scenario(
        "refugee with consent: the clock starts at the consent",
        [
            det(0),
            nat("MEX"),
            asylum(0, "refugee"),
            asked("MEX", 1),
            consented("MEX", 10),
            notified("MEX", 12),
        ],
        30,
        {"MEX": expect(MET, late=False, due=34)},
    ),
    scenario(
        "asylum seeker with consent, not yet told",
        [det(0), nat("MEX"), asylum(0), asked("MEX", 1), consented("MEX", 10)],
        40,
        {"MEX": expect(OVERDUE, WARNING, due=34)},
    ),
    scenario(
        "national of the detaining State",
        [det(0), nat("USA"), nat("MEX"), asked("MEX", 1)],
        30,
        {"MEX": expect(NA)},
        profile="us",
    ),
    scenario(
        "stateless",
        [det(0), nat("XXA"), asked("XXA", 1)],
        30,
        {"XXA": expect(NA)},
    ),
    scenario(
        "another country's notice does not count",
        [det(0), asked("MEX", 1), notified("GTM", 2)],
        30,
        {"MEX": expect(OVERDUE)},
    ),
    scenario(
        "a notice of death does not count",
        [det(0), asked("MEX", 1), notified("MEX", 2, about="death")],
        30,
        {"MEX": expect(OVERDUE)},
    ),
    scenario(
        "two countries asked: one duty each",
        [det(0), asked("MEX", 1), asked("GTM", 2), notified("GTM", 3)],
        10,
        {"MEX": expect(OPEN, due=25), "GTM": expect(MET, due=26)},
    ),
    scenario(
        "opposing visits does not lift the notice asked for",
        [det(0), asked("MEX", 1), opposed("MEX", 1)],
        30,
        {"MEX": expect(OVERDUE, WARNING)},
    ),
    scenario(
        "a notice before the request, in the same custody, counts",
        [det(0), notified("MEX", 1), asked("MEX", 2)],
        30,
        {"MEX": expect(MET, late=False)},
    ),
]


@pytest.mark.parametrize(("specs", "now_h", "expected", "profile"), REQUEST)
def test_notify_on_request(specs, now_h, expected, profile):
    check(run("consular.notify_on_request", specs, now_h, PROFILES[profile]), expected)


def test_notify_on_request_notes_and_limits():
    found = run("consular.notify_on_request", [det(0), asked("MEX", 1)], 5)["MEX"]
    assert datetime.fromisoformat(found.details["critical_at"]) == at(73)
    assert "within 24 h" in found.details["figure_source"]
    blocked = run(
        "consular.notify_on_request", [det(0), asylum(0), asked("MEX", 1)], 30
    )["MEX"]
    assert blocked.details["blocked"] == "consent"
    assert "explicit, informed consent" in blocked.note
    consented_ = run(
        "consular.notify_on_request",
        [det(0), asylum(0), asked("MEX", 1), consented("MEX", 2)],
        5,
    )["MEX"]
    assert "no asylum" in consented_.note
    too_soon = run(
        "consular.notify_on_request",
        [det(0), asylum(0), asked("MEX", 1), notified("MEX", 2)],
        5,
    )["MEX"]
    assert too_soon.status is NA
    assert "without the person's consent" in too_soon.note
    withdrawn = run(
        "consular.notify_on_request", [det(0), asked("MEX", 1), declined("MEX", 2)], 5
    )["MEX"]
    assert "withdrew" in withdrawn.note


# --- consular.mandatory_notification (the detaining State's list) --------------------

CHICAGO = "America/Chicago"

MANDATORY = [
    scenario(
        "met on time: consulate told and person told",
        [det(0, zone=CHICAGO), nat("ALB"), notified("ALB", 5), informed(6)],
        30,
        {"ALB": expect(MET, INFO, late=False, due=24)},
        "us",
    ),
    scenario(
        "met late",
        [det(0, zone=CHICAGO), nat("ALB"), informed(6), notified("ALB", 30)],
        40,
        {"ALB": expect(MET, INFO, late=True)},
        "us",
    ),
    scenario(
        "person told but consulate not: past target",
        [det(0, zone=CHICAGO), nat("ALB"), informed(6)],
        30,
        {"ALB": expect(OVERDUE, WARNING)},
        "us",
    ),
    scenario(
        "consulate told but person not: past the limit",
        [det(0, zone=CHICAGO), nat("ALB"), notified("ALB", 5)],
        80,
        {"ALB": expect(OVERDUE, CRITICAL)},
        "us",
    ),
    scenario(
        "open", [det(0, zone=CHICAGO), nat("ALB")], 5, {"ALB": expect(OPEN, INFO)}, "us"
    ),
    scenario("not on the list", [det(0, zone=CHICAGO), nat("MEX")], 30, {}, "us"),
    scenario("no list in the baseline", [det(0), nat("ALB")], 30, {}, "intl"),
    scenario(
        "China, not for a Taiwan passport",
        [det(0, zone=CHICAGO), nat("CHN"), ("passport", 0, {"country": "TWN"})],
        30,
        {"CHN": expect(NA, INFO)},
        "us",
    ),
    scenario(
        "China, other passport",
        [det(0, zone=CHICAGO), nat("CHN"), ("passport", 0, {"country": "CHN"})],
        30,
        {"CHN": expect(OVERDUE)},
        "us",
    ),
    scenario(
        "Hong Kong falls under China",
        [det(0, zone=CHICAGO), nat("HKG"), notified("CHN", 5), informed(5)],
        30,
        {"HKG": expect(MET)},
        "us",
    ),
    scenario(
        "Poland, not for a permanent resident",
        [
            det(0, zone=CHICAGO),
            nat("POL"),
            ("permanent_resident", 0, {"country": "USA"}),
        ],
        30,
        {"POL": expect(NA)},
        "us",
    ),
    scenario(
        "Poland, a resident elsewhere is no exception",
        [
            det(0, zone=CHICAGO),
            nat("POL"),
            ("permanent_resident", 0, {"country": "CAN"}),
        ],
        30,
        {"POL": expect(OVERDUE)},
        "us",
    ),
    scenario(
        "national of the detaining State",
        [det(0, zone=CHICAGO), nat("USA"), nat("ALB")],
        30,
        {"ALB": expect(NA)},
        "us",
    ),
    scenario(
        "two foreign nationalities: the listed one is mandatory",
        [det(0, zone=CHICAGO), nat("MEX"), nat("ALB")],
        30,
        {"ALB": expect(OVERDUE)},
        "us",
    ),
    scenario(
        "a merely suspected nationality names no consulate",
        [det(0, zone=CHICAGO), nat("ALB", status="suspected")],
        30,
        {},
        "us",
    ),
    scenario(
        "nationality recorded after detention starts the clock",
        [det(0, zone=CHICAGO), nat("ALB", 10)],
        20,
        {"ALB": expect(OPEN, due=34)},
        "us",
    ),
    scenario(
        "opposing visits does not lift it",
        [det(0, zone=CHICAGO), nat("ALB"), opposed("ALB", 1)],
        30,
        {"ALB": expect(OVERDUE)},
        "us",
    ),
    scenario(
        "brief custody triggers nothing",
        [det(0, zone=CHICAGO), nat("ALB"), end(2)],
        30,
        {},
        "us",
    ),
    scenario(
        "asylum seeker: escalated to a legal officer",
        [det(0, zone=CHICAGO), nat("ALB"), asylum(0)],
        5,
        {"ALB": expect(ESCALATED, WARNING)},
        "us",
    ),
    scenario(
        "asylum seeker: escalated past the limit is critical",
        [det(0, zone=CHICAGO), nat("ALB"), asylum(0)],
        80,
        {"ALB": expect(ESCALATED, CRITICAL)},
        "us",
    ),
    scenario(
        "refugee: the legal officer withholds",
        [
            det(0, zone=CHICAGO),
            nat("ALB"),
            asylum(0, "refugee"),
            review("ALB", "withhold", 10),
        ],
        30,
        {"ALB": expect(MET, INFO, late=False)},
        "us",
    ),
    scenario(
        "refugee: the legal officer lets it go, and it goes",
        [
            det(0, zone=CHICAGO),
            nat("ALB"),
            asylum(0, "refugee"),
            review("ALB", "notify", 10),
            notified("ALB", 12),
            informed(12),
        ],
        30,
        {"ALB": expect(MET, late=False)},
        "us",
    ),
    scenario(
        "refugee: let go but not yet sent",
        [
            det(0, zone=CHICAGO),
            nat("ALB"),
            asylum(0, "refugee"),
            review("ALB", "notify", 10),
        ],
        30,
        {"ALB": expect(OVERDUE, WARNING)},
        "us",
    ),
    scenario(
        "a review before this custody does not count",
        [
            review("ALB", "withhold", -50),
            det(0, zone=CHICAGO),
            nat("ALB"),
            asylum(0),
        ],
        5,
        {"ALB": expect(ESCALATED)},
        "us",
    ),
]


@pytest.mark.parametrize(("specs", "now_h", "expected", "profile"), MANDATORY)
def test_mandatory_notification(specs, now_h, expected, profile):
    check(
        run("consular.mandatory_notification", specs, now_h, PROFILES[profile]),
        expected,
    )


def test_mandatory_notification_notes_and_details():
    rule = "consular.mandatory_notification"
    missing = run(rule, [det(0, zone=CHICAGO), nat("ALB"), informed(1)], 30, US)["ALB"]
    assert missing.details["missing"] == ["consulate_notified"]
    assert missing.details["listed_as"] == "ALB"
    taiwan = run(
        rule,
        [det(0, zone=CHICAGO), nat("CHN"), ("passport", 0, {"country": "TWN"})],
        30,
        US,
    )["CHN"]
    assert "TWN passport" in taiwan.note
    assert "TECRO" in taiwan.note  # the list's own note travels with it
    hong_kong = run(rule, [det(0, zone=CHICAGO), nat("HKG")], 5, US)["HKG"]
    assert hong_kong.details["listed_as"] == "CHN"
    escalated = run(rule, [det(0, zone=CHICAGO), nat("ALB"), asylum(0)], 5, US)["ALB"]
    assert "legal officer decides" in escalated.note
    assert "no asylum" in escalated.note
    assert escalated.details["legal_review"] is None
    early = run(
        rule,
        [det(0, zone=CHICAGO), nat("ALB"), asylum(0), notified("ALB", 2)],
        5,
        US,
    )["ALB"]
    assert early.status is ESCALATED
    assert "before a legal officer decided" in early.note
    let_go = run(
        rule,
        [
            det(0, zone=CHICAGO),
            nat("ALB"),
            asylum(0),
            review("ALB", "notify", 3),
            notified("ALB", 4),
            informed(4),
        ],
        5,
        US,
    )["ALB"]
    assert let_go.met_by == ("f3", "f4", "f5")
    assert "no asylum" in let_go.note


def test_the_us_list_as_published():
    listing = profiles.load("united_states").listing("mandatory_notification")
    assert listing is not None
    countries = [e["country"] for e in listing.entries]
    assert len(countries) == len(set(countries)) == 57
    for listed in ("ALB", "CHN", "GBR", "POL", "RUS", "ZWE"):
        assert listed in countries
    for unlisted in ("MEX", "GTM", "TWN", "USA"):
        assert unlisted not in countries
    # Every listed nationality of a detained person gets the duty under the real list.
    for listed in countries:
        found = run(
            "consular.mandatory_notification",
            [det(0, zone=CHICAGO), nat(listed)],
            5,
            profiles.load("united_states"),
        )
        assert found[listed].status is OPEN


# --- consular.forward_communications -------------------------------------------------

FORWARD = [
    scenario(
        "met on time",
        [det(0), nat("MEX"), received("c1", 2), forwarded("c1", 5)],
        30,
        {"c1": expect(MET, INFO, late=False, due=26)},
    ),
    scenario(
        "met late",
        [det(0), nat("MEX"), received("c1", 2), forwarded("c1", 30)],
        40,
        {"c1": expect(MET, late=True)},
    ),
    scenario(
        "overdue",
        [det(0), nat("MEX"), received("c1", 2)],
        30,
        {"c1": expect(OVERDUE, CRITICAL)},
    ),
    scenario(
        "open", [det(0), nat("MEX"), received("c1", 2)], 5, {"c1": expect(OPEN, INFO)}
    ),
    scenario(
        "each communication on its own",
        [det(0), nat("MEX"), received("c1", 2), received("c2", 3), forwarded("c2", 4)],
        30,
        {"c1": expect(OVERDUE), "c2": expect(MET)},
    ),
    scenario(
        "national of the detaining State",
        [det(0), nat("USA"), received("c1", 2)],
        30,
        {"c1": expect(NA)},
        "us",
    ),
    scenario(
        "stateless",
        [det(0), nat("XXA"), received("c1", 2)],
        30,
        {"c1": expect(NA)},
    ),
]


@pytest.mark.parametrize(("specs", "now_h", "expected", "profile"), FORWARD)
def test_forward_communications(specs, now_h, expected, profile):
    check(
        run("consular.forward_communications", specs, now_h, PROFILES[profile]),
        expected,
    )


# --- consular.death ------------------------------------------------------------------

DEATH = [
    scenario(
        "met on time",
        [nat("MEX"), death(10), notified("MEX", 12, about="death")],
        40,
        {"MEX": expect(MET, INFO, late=False, due=34)},
    ),
    scenario(
        "met late",
        [nat("MEX"), death(10), notified("MEX", 40, about="death")],
        50,
        {"MEX": expect(MET, late=True)},
    ),
    scenario(
        "overdue", [nat("MEX"), death(10)], 40, {"MEX": expect(OVERDUE, CRITICAL)}
    ),
    scenario("open", [nat("MEX"), death(10)], 12, {"MEX": expect(OPEN, INFO)}),
    scenario(
        "a notice of detention does not count",
        [det(0), nat("MEX"), notified("MEX", 5), death(10)],
        40,
        {"MEX": expect(OVERDUE)},
    ),
    scenario(
        "death in custody",
        [det(0, zone=CHICAGO), nat("ALB"), death(10), notified("ALB", 11, "death")],
        40,
        {"ALB": expect(MET)},
        "us",
    ),
    scenario(
        "national of the detaining State",
        [nat("USA"), nat("MEX"), death(10)],
        40,
        {"MEX": expect(NA)},
        "us",
    ),
    scenario("stateless", [nat("XXA"), death(10)], 40, {"XXA": expect(NA)}),
    scenario(
        "no established nationality",
        [nat("MEX", status="suspected"), death(10)],
        40,
        {},
    ),
    scenario(
        "two foreign nationalities",
        [nat("MEX"), nat("GTM"), death(10), notified("GTM", 11, "death")],
        40,
        {"MEX": expect(OVERDUE), "GTM": expect(MET)},
    ),
    scenario(
        "asylum seeker: escalated",
        [nat("MEX"), asylum(0), death(10)],
        12,
        {"MEX": expect(ESCALATED, WARNING)},
    ),
    scenario(
        "refugee: withheld by the legal officer",
        [nat("MEX"), asylum(0, "refugee"), death(10), review("MEX", "withhold", 20)],
        40,
        {"MEX": expect(MET, late=False)},
    ),
    scenario(
        "refugee: let go and sent",
        [
            nat("MEX"),
            asylum(0, "refugee"),
            death(10),
            review("MEX", "notify", 20),
            notified("MEX", 21, "death"),
        ],
        40,
        {"MEX": expect(MET, late=False)},
    ),
    scenario(
        "asylum claim withdrawn: the ordinary duty",
        [nat("MEX"), asylum(0), asylum(5, "none"), death(10)],
        12,
        {"MEX": expect(OPEN)},
    ),
]


@pytest.mark.parametrize(("specs", "now_h", "expected", "profile"), DEATH)
def test_death(specs, now_h, expected, profile):
    check(run("consular.death", specs, now_h, PROFILES[profile]), expected)


# --- consular.guardianship -----------------------------------------------------------

CHILD = born("2015-06-01")
ADULT = born("1990-06-01")

GUARDIANSHIP = [
    scenario(
        "met on time",
        [CHILD, nat("MEX"), guardianship(10), notified("MEX", 12, "guardianship")],
        40,
        {"MEX": expect(MET, INFO, late=False, due=34)},
    ),
    scenario(
        "met late",
        [CHILD, nat("MEX"), guardianship(10), notified("MEX", 40, "guardianship")],
        50,
        {"MEX": expect(MET, late=True)},
    ),
    scenario(
        "overdue", [CHILD, nat("MEX"), guardianship(10)], 40, {"MEX": expect(OVERDUE)}
    ),
    scenario("open", [CHILD, nat("MEX"), guardianship(10)], 12, {"MEX": expect(OPEN)}),
    scenario(
        "a notice of detention does not count",
        [CHILD, nat("MEX"), notified("MEX", 11), guardianship(10)],
        40,
        {"MEX": expect(OVERDUE)},
    ),
    scenario(
        "refugee child: escalated, blocked pending best interests",
        [CHILD, nat("MEX"), asylum(0, "refugee"), guardianship(10)],
        12,
        {"MEX": expect(ESCALATED, WARNING)},
    ),
    scenario(
        "asylum-seeking child: withheld by the legal officer",
        [CHILD, nat("MEX"), asylum(0), guardianship(10), review("MEX", "withhold", 20)],
        40,
        {"MEX": expect(MET)},
    ),
    scenario(
        "adult lacking capacity, refugee: escalated",
        [ADULT, nat("MEX"), asylum(0, "refugee"), guardianship(10)],
        12,
        {"MEX": expect(ESCALATED)},
    ),
    scenario(
        "national of the detaining State",
        [CHILD, nat("USA"), nat("MEX"), guardianship(10)],
        40,
        {"MEX": expect(NA)},
        "us",
    ),
    scenario(
        "stateless", [CHILD, nat("XXA"), guardianship(10)], 40, {"XXA": expect(NA)}
    ),
    scenario("no guardianship", [CHILD, nat("MEX")], 40, {}),
]


@pytest.mark.parametrize(("specs", "now_h", "expected", "profile"), GUARDIANSHIP)
def test_guardianship(specs, now_h, expected, profile):
    check(run("consular.guardianship", specs, now_h, PROFILES[profile]), expected)


def test_guardianship_of_a_refugee_child_waits_for_best_interests():
    child = run(
        "consular.guardianship",
        [CHILD, nat("MEX"), asylum(0, "refugee"), guardianship(10)],
        12,
    )["MEX"]
    assert child.details == {
        "child": True,
        "blocked_by": "best_interests_assessment",
        "legal_review": None,
        "figure_source": child.details["figure_source"],
    }
    assert "best-interests assessment" in child.note
    assert "legal officer decides" in child.note
    adult = run(
        "consular.guardianship",
        [ADULT, nat("MEX"), asylum(0, "refugee"), guardianship(10)],
        12,
    )["MEX"]
    assert adult.details["child"] is False
    assert "blocked_by" not in adult.details


@pytest.mark.parametrize(
    ("specs", "child"),
    [
        ([], True),  # no age known: the benefit of the doubt
        ([born("2008-01-01")], False),  # 18 on T0
        ([born("2008-03-03")], True),  # 18 tomorrow
        ([born("2008-01-01", "year")], True),  # could be born 31 Dec 2008
        ([born("2008-02-01", "month")], False),  # 29 Feb 2008 at the latest
        ([born("2008-03-01", "month")], True),
        ([born("1990-01-01"), ("age_dispute", 0, {"open": True})], True),
        ([born("1990-01-01"), ("age_dispute", 0, {"open": False})], False),
        ([("age_assessed", 0, {"minimum_age": 19})], False),
        ([("age_assessed", 0, {"minimum_age": 16})], True),
        ([born("not a date")], True),
    ],
)
def test_who_counts_as_a_child(specs, child):
    assert consular_rules._child(case_of(specs), T0) is child


# --- The rules as a whole ------------------------------------------------------------


def test_every_consular_rule_is_registered_and_explained():
    rules = engine.load_rules()
    for rule_id in CONSULAR_RULES:
        rule = rules[rule_id]
        assert rule.title
        assert len(rule.explanation()) > 200
        assert rule.citations[0] == RESOLUTION
        assert any(c.startswith("VCCR art. 3") for c in rule.citations)


def test_a_national_of_the_detaining_state_is_owed_no_consular_duty():
    specs = [
        det(0, zone=CHICAGO),
        nat("USA"),
        nat("ALB"),
        asked("ALB", 1),
        received("c1", 2),
        death(10),
        guardianship(5),
    ]
    found = engine.evaluate(case_of(specs, US), US, at(40), only=CONSULAR_RULES)
    assert {o.rule_id for o in found} == set(CONSULAR_RULES)
    assert all(o.status is NA for o in found)


# --- Properties ----------------------------------------------------------------------

COUNTRIES = st.sampled_from(["ALB", "MEX", "CHN", "HKG", "POL", "USA", "XXA"])
HOURS = st.integers(min_value=-24, max_value=100)
EPISODES = st.sampled_from(["e1", "e2"])
ZONES = st.sampled_from(["UTC", "Europe/Madrid", "America/Chicago"])

CONSULAR_FACTS = st.one_of(
    st.tuples(
        st.just("nationality"),
        HOURS,
        st.fixed_dictionaries(
            {
                "country": COUNTRIES,
                "status": st.sampled_from(
                    ["confirmed", "claimed", "suspected", "unknown"]
                ),
            }
        ),
    ),
    st.tuples(st.just("foreign_nationality_suspected"), HOURS, st.just({})),
    st.tuples(
        st.just("asylum_status"),
        HOURS,
        st.fixed_dictionaries(
            {"status": st.sampled_from(["asylum_seeker", "refugee", "none"])}
        ),
    ),
    st.tuples(
        st.sampled_from(
            [
                "passport",
                "permanent_resident",
                "consular_notification_requested",
                "consular_notification_declined",
                "consular_notification_consented",
                "consular_access_opposed",
            ]
        ),
        HOURS,
        st.fixed_dictionaries({"country": COUNTRIES}),
    ),
    st.tuples(
        st.just("detention_started"),
        HOURS,
        st.fixed_dictionaries({"episode": EPISODES, "time_zone": ZONES}),
    ),
    st.tuples(
        st.just("detention_transferred"),
        HOURS,
        st.fixed_dictionaries({"episode": EPISODES, "time_zone": ZONES}),
    ),
    st.tuples(
        st.just("detention_ended"), HOURS, st.fixed_dictionaries({"episode": EPISODES})
    ),
    st.tuples(
        st.just("rights_informed"),
        HOURS,
        st.fixed_dictionaries({"language": st.just("es")}),
    ),
    st.tuples(
        st.just("consulate_notified"),
        HOURS,
        st.fixed_dictionaries(
            {
                "country": COUNTRIES,
                "about": st.sampled_from(["detention", "death", "guardianship"]),
            }
        ),
    ),
    st.tuples(
        st.sampled_from(["communication_received", "communication_forwarded"]),
        HOURS,
        st.fixed_dictionaries({"communication": st.sampled_from(["c1", "c2"])}),
    ),
    st.tuples(
        st.just("legal_review_completed"),
        HOURS,
        st.fixed_dictionaries(
            {"country": COUNTRIES, "decision": st.sampled_from(["notify", "withhold"])}
        ),
    ),
    st.tuples(st.sampled_from(["death", "guardianship_opened"]), HOURS, st.just({})),
    st.tuples(
        st.just("birth"),
        HOURS,
        st.fixed_dictionaries(
            {
                "date": st.dates(date(1980, 1, 1), date(2025, 12, 31)).map(str),
                "precision": st.sampled_from(["day", "month", "year"]),
            }
        ),
    ),
    st.tuples(
        st.just("age_dispute"), HOURS, st.fixed_dictionaries({"open": st.booleans()})
    ),
)

# Most cases start with a detention, a nationality or a request, so every rule has work.
SEEDS = st.one_of(
    st.tuples(
        st.just("detention_started"),
        st.integers(min_value=-5, max_value=10),
        st.fixed_dictionaries({"episode": st.just("e1"), "time_zone": ZONES}),
    ),
    st.tuples(
        st.just("nationality"),
        st.integers(min_value=-5, max_value=10),
        st.fixed_dictionaries(
            {
                "country": st.sampled_from(["ALB", "CHN", "POL", "MEX", "USA"]),
                "status": st.just("confirmed"),
            }
        ),
    ),
    st.tuples(
        st.just("consular_notification_requested"),
        st.integers(min_value=-5, max_value=30),
        st.fixed_dictionaries({"country": st.sampled_from(["ALB", "MEX"])}),
    ),
)
CASES = st.tuples(
    st.lists(SEEDS, min_size=2, max_size=4), st.lists(CONSULAR_FACTS, max_size=14)
).map(lambda parts: parts[0] + parts[1])
NOW = st.integers(min_value=0, max_value=150)

# Kinds no consular rule reads (detention reviews, alternatives, screening, and a kind
# the engine does not know at all).
UNRELATED_FACTS = st.tuples(
    st.sampled_from(
        [
            "detention_reviewed",
            "detention_extended",
            "vulnerability_screened",
            "alternatives_step",
            "alternative_applied",
            "note_added",
        ]
    ),
    HOURS,
    st.fixed_dictionaries(
        {"episode": EPISODES, "country": COUNTRIES, "communication": st.just("c1")}
    ),
)

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def consular(specs, profile, now_h):
    return engine.evaluate(
        case_of(specs, profile), profile, at(now_h), only=CONSULAR_RULES
    )


@PROPERTY_SETTINGS
@given(
    specs=CASES,
    now_h=NOW,
    profile=st.sampled_from([INTL, US]),
    data=st.data(),
)
def test_evaluation_is_deterministic(specs, now_h, profile, data):
    first = consular(specs, profile, now_h)
    assert consular(specs, profile, now_h) == first
    # The order the facts arrive in does not matter either (ids travel with them).
    facts = list(case_of(specs, profile).facts)
    shuffled = data.draw(st.permutations(facts))
    again = engine.evaluate(
        CaseFile("case-1", "person-1", profile.code, tuple(shuffled)),
        profile,
        at(now_h),
        only=CONSULAR_RULES,
    )
    assert again == first


@PROPERTY_SETTINGS
@given(
    specs=st.lists(CONSULAR_FACTS, max_size=14),
    extra=st.lists(UNRELATED_FACTS, min_size=1, max_size=3),
    now_h=st.integers(min_value=-10, max_value=300),
    profile=st.sampled_from([INTL, US]),
)
def test_an_unrelated_fact_never_changes_a_consular_obligation(
    specs, extra, now_h, profile
):
    before = consular(specs, profile, now_h)
    after = consular(specs + extra, profile, now_h)
    assert after == before
