"""Case files as JSON: the schema, the problems and their paths, contradictory facts."""

import copy
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from amparo.safeguards import casefile
from amparo.safeguards.casefile import CaseFileError, Problem
from amparo.safeguards.facts import Fact

# The vocabulary of the brief (docs/safeguards.md): every kind, one valid `data` each.
VALID_DATA = {
    "nationality": {"country": "GTM", "status": "confirmed"},
    "foreign_nationality_suspected": {},
    "asylum_status": {"status": "asylum_seeker"},
    "birth": {"date": "2009-05-01", "precision": "day"},
    "age_dispute": {"open": True},
    "age_assessed": {"minimum_age": 16},
    "permanent_resident": {"country": "USA"},
    "passport": {"country": "TWN"},
    "death": {},
    "detention_started": {
        "episode": "e1",
        "place": "Estación migratoria Siglo XXI",
        "time_zone": "America/Mexico_City",
        "authority": "INM",
        "order": "administrative",
        "legal_basis": "Ley de Migración art. 99",
    },
    "detention_reviewed": {"episode": "e1", "by": "judicial", "outcome": "continued"},
    "detention_extended": {"episode": "e1", "ground": "identity unknown"},
    "detention_transferred": {
        "episode": "e1",
        "place": "Tapachula",
        "time_zone": "America/Mexico_City",
    },
    "detention_ended": {"episode": "e1", "reason": "released"},
    "vulnerability_screened": {"episode": "e1", "positive": True, "needs": ["torture"]},
    "alternatives_step": {
        "episode": "e1",
        "step": 2,
        "outcome": "screened",
        "evidence": "interview",
    },
    "alternative_applied": {"episode": "e1", "type": "reporting"},
    "rights_informed": {"language": "es"},
    "consular_notification_requested": {"country": "GTM"},
    "consular_notification_declined": {"country": "GTM"},
    "consular_notification_consented": {"country": "GTM"},
    "consulate_notified": {"country": "GTM", "about": "detention"},
    "consular_access_opposed": {"country": "GTM"},
    "communication_received": {"communication": "letter-1"},
    "communication_forwarded": {"communication": "letter-1"},
    "legal_review_completed": {"country": "GTM", "decision": "notify"},
    "guardianship_opened": {},
    "child_status": {"status": "unaccompanied", "with_whom": "nobody"},
    "guardian_appointed": {"guardian": "G1", "guardian_type": "non_relative"},
    "guardian_suitability_checked": {"guardian": "G1", "suitable": True},
    "guardian_ended": {"guardian": "G1", "end_reason": "replaced"},
    "age_assessment_appealed": {},
    "bia_completed": {"bia_form": "short", "child_views_recorded": True},
    "bid_report_submitted": {"bid": "B1", "bid_purpose": "durable_solution"},
    "bid_undertaking_signed": {"bid": "B1"},
    "bid_decided": {"bid": "B1", "bid_decision": "resettlement", "panel": ["tester"]},
    "bid_reopened": {"bid": "B1", "review_reason": "new information"},
    "decision_proposed": {"decision_type": "resettlement"},
    "decision_taken": {"decision_type": "resettlement", "bid": "B1"},
    "education_status": {"enrolment": "not_enrolled", "barriers": ["documents"]},
    "reunification_assessed": {
        "relationship_verified": True,
        "child_views_recorded": True,
        "family_willing": True,
    },
    "reunified": {"country": "GTM"},
    "reunification_visited": {"visit_outcome": "settled"},
    "return_planned": {
        "return": "R1",
        "return_type": "assisted_voluntary",
        "country": "GTM",
        "destination_kind": "nationality",
        "planned_for": "2026-04-01",
    },
    "return_screened": {
        "return": "R1",
        "child": "clear",
        "trafficking": "clear",
        "asylum": "clear",
        "non_refoulement": "clear",
        "health": "not_relevant",
        "pregnancy": "not_relevant",
        "family_unity": "clear",
        "reception": "concern",
    },
    "return_screening_approved": {"return": "R1"},
    "return_ready": {"return": "R1"},
    "return_cancelled": {"return": "R1"},
    "return_completed": {"return": "R1"},
    "return_followed_up": {
        "return": "R1",
        "reached": True,
        "received": True,
        "reintegration_support": False,
    },
    "trafficking_screened": {
        "indicator_set": "adult_labour",
        "indicators": ["deceived_nature_of_job", "excessive_working_days_or_hours"],
        "information_source": "interview",
        "acts": ["recruitment"],
        "means": ["deception"],
        "purposes": ["forced_labour"],
    },
    "forced_labour_screened": {"forced_labour_indicators": ["debt_bondage"]},
    "trafficking_identified": {
        "stage": "reasonable_grounds",
        "finding": "positive",
        "decided_by": "National Referral Mechanism",
        "reasons": "Indicators of deception and exploitation, consistent account.",
    },
    "crime_suffered": {"crime": "extortion", "country": "MEX"},
    "offence_linked": {
        "offence": "Use of a false document",
        "linked_to_exploitation": True,
    },
    "assistance_offered": {"assistance": "medical", "accepted": True},
    "service_referred": {
        "referral": "1f0c5d1e-4f7b-4c1e-9a51-2b6f3c1d0e7a",
        "service": "legal",
        "urgency": "urgent",
    },
    "service_referral_updated": {
        "referral": "1f0c5d1e-4f7b-4c1e-9a51-2b6f3c1d0e7a",
        "status": "accepted",
    },
    "labour_finding": {
        "ref": "7d2e0c4a-1b3f-4e5d-8a9b-0c1d2e3f4a5b",
        "source": "complaint",
        "forced_labour_indicators": ["retention_of_identity_documents"],
    },
}
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def at(hours: float = 0) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


def fact(n: int, kind: str, hours: float = 0, **data: object) -> dict:
    return {
        "id": f"f{n}",
        "kind": kind,
        "at": at(hours),
        "recorded_by": "tester",
        "data": data if data else copy.deepcopy(VALID_DATA[kind]),
    }


def document(*facts: dict, jurisdiction: str = "international") -> dict:
    return {
        "case_id": "case-1",
        "person_id": "person-1",
        "jurisdiction": jurisdiction,
        "facts": list(facts),
    }


def every_kind() -> dict:
    # One fact of each kind, in an order that tells a consistent story.
    facts = [fact(n, kind, hours=n) for n, kind in enumerate(VALID_DATA)]
    for one in facts:
        if one["kind"] == "bid_report_submitted":
            one["recorded_by"] = (
                "author"  # the panel ("tester") is not the author alone
            )
    return document(*facts)


def problems(doc: object) -> list[Problem]:
    with pytest.raises(CaseFileError) as raised:
        casefile.parse(doc)
    return list(raised.value.problems)


def only_problem(doc: object) -> Problem:
    found = problems(doc)
    assert len(found) == 1, found
    return found[0]


# --- The schema ------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = casefile.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_schema_knows_exactly_the_kinds_of_the_vocabulary():
    assert list(casefile.kinds()) == list(VALID_DATA)
    defs = casefile.schema()["$defs"]
    branches = defs["fact"]["allOf"]
    assert [b["if"]["properties"]["kind"]["const"] for b in branches] == list(
        VALID_DATA
    )
    assert {
        name.removeprefix("data_") for name in defs if name.startswith("data_")
    } == (set(VALID_DATA))


def test_every_kind_parses_and_the_facts_come_in_time_order():
    doc = every_kind()
    doc["facts"].reverse()
    case = casefile.parse(doc)
    assert [f.kind for f in case.facts] == list(VALID_DATA)
    assert all(f.at.tzinfo is not None for f in case.facts)
    assert case.facts[0] == Fact(
        "f0", "nationality", T0, "tester", {"country": "GTM", "status": "confirmed"}
    )


def test_recorded_by_and_data_may_be_left_out_where_the_kind_needs_none():
    doc = document({"id": "f1", "kind": "death", "at": at()})
    assert casefile.parse(doc).facts == (Fact("f1", "death", T0),)


def test_times_keep_their_offset():
    doc = document(fact(1, "death") | {"at": "2026-03-01T02:00:00-06:00"})
    moment = casefile.parse(doc).facts[0].at
    assert moment == T0
    assert moment.utcoffset() == timedelta(hours=-6)
    assert moment.tzinfo == timezone(timedelta(hours=-6))


def test_a_case_file_survives_the_round_trip():
    case = casefile.parse(every_kind())
    assert casefile.parse(json.loads(json.dumps(casefile.to_document(case)))) == case


def test_the_compiled_check_covers_the_whole_schema():
    # Without it, jsonschema would check alone: correct, but ten times slower.
    casefile._compile(casefile.schema(), casefile.schema()["$defs"])


# --- Problems and their paths ----------------------------------------------------------


def _set(doc: dict, path: tuple, value: object) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


_DELETE = object()


@pytest.mark.parametrize(
    ("where", "value", "path", "message"),
    [
        (
            ("facts", 3, "at"),
            "2026-03-01T08:00:00",
            "$.facts[3].at",
            "without a time zone",
        ),
        (
            ("facts", 3, "at"),
            "2026-03-01 08:00",
            "$.facts[3].at",
            "without a time zone",
        ),
        (("facts", 3, "at"), "yesterday", "$.facts[3].at", "ISO 8601 date and time"),
        (
            ("facts", 3, "at"),
            "2026-02-30T08:00:00Z",
            "$.facts[3].at",
            "not a real time",
        ),
        (("facts", 3, "at"), 1740000000, "$.facts[3].at", "expected text"),
        (("facts", 3, "at"), _DELETE, "$.facts[3].at", "required, missing"),
        (("facts", 3, "id"), "", "$.facts[3].id", "must not be empty"),
        (("facts", 3, "id"), "f0", "$.facts[3].id", "already used by $.facts[0]"),
        (
            ("facts", 3, "kind"),
            "detention",
            "$.facts[3].kind",
            "unknown fact kind 'detention'; known: nationality, ",
        ),
        (
            ("facts", 3, "colour"),
            "red",
            "$.facts[3].colour",
            "unknown field (allowed: at, data, id, kind, recorded_by)",
        ),
        (("facts", 3, "data"), [], "$.facts[3].data", "expected an object, not a list"),
        (
            ("facts", 0, "data", "country"),
            "gtm",
            "$.facts[0].data.country",
            "ISO 3166-1 alpha-3",
        ),
        (
            ("facts", 0, "data", "country"),
            "ZZZ",
            "$.facts[0].data.country",
            "not an ISO 3166-1 alpha-3 country code",
        ),
        (
            ("facts", 0, "data", "status"),
            "sure",
            "$.facts[0].data.status",
            "'sure' is not one of: confirmed, claimed, suspected, unknown",
        ),
        (
            ("facts", 0, "data", "status"),
            _DELETE,
            "$.facts[0].data.status",
            "required, missing",
        ),
        (
            ("facts", 3, "data", "date"),
            "2009-02-30",
            "$.facts[3].data.date",
            "not a real date",
        ),
        (
            ("facts", 3, "data", "date"),
            "1 May 2009",
            "$.facts[3].data.date",
            "YYYY-MM-DD",
        ),
        (
            ("facts", 5, "data", "minimum_age"),
            16.5,
            "$.facts[5].data.minimum_age",
            "expected a whole number",
        ),
        (
            ("facts", 8, "data", "cause"),
            "x",
            "$.facts[8].data.cause",
            "unknown field (this kind has none)",
        ),
        (
            ("facts", 9, "data", "time_zone"),
            "Mars/Olympus",
            "$.facts[9].data.time_zone",
            "not a known IANA time zone",
        ),
        (
            ("facts", 9, "data", "time_zone"),
            _DELETE,
            "$.facts[9].data.time_zone",
            "required, missing",
        ),
        (
            ("facts", 9, "data", "order"),
            "royal",
            "$.facts[9].data.order",
            "not one of: administrative, judicial",
        ),
        (("facts", 9, "data"), _DELETE, "$.facts[9].data", "required, missing"),
        (
            ("facts", 15, "data", "step"),
            6,
            "$.facts[15].data.step",
            "a step of the IDC CAP model, 1 to 5",
        ),
        (
            ("facts", 14, "data", "positive"),
            "yes",
            "$.facts[14].data.positive",
            "expected true or false, not text",
        ),
        (
            ("facts", 14, "data", "needs"),
            ["x", ""],
            "$.facts[14].data.needs[1]",
            "must not be empty",
        ),
        (
            ("facts", 17, "data", "language"),
            "Spanish",
            "$.facts[17].data.language",
            "a language code",
        ),
        (
            (
                "facts",
                3,
            ),
            "f3",
            "$.facts[3]",
            "expected an object, not text",
        ),
        (("facts",), {}, "$.facts", "expected a list, not an object"),
        (("case_id",), _DELETE, "$.case_id", "required, missing"),
        (("person_id",), 7, "$.person_id", "expected text (a string), not a number"),
        (("bundle",), 1, "$.bundle", "unknown field"),
        (
            ("facts", 0, "data", "weird key"),
            1,
            '$.facts[0].data["weird key"]',
            "unknown field",
        ),
    ],
)
def test_each_problem_is_named_at_its_json_path(where, value, path, message):
    problem = only_problem(_set(every_kind(), where, value))
    assert problem.path == path
    assert message in problem.message
    assert str(problem) == f"{path}: {problem.message}"


def test_a_document_that_is_not_an_object():
    assert str(only_problem([])) == "$: expected an object, not a list"


def test_every_problem_is_reported_in_document_order():
    doc = every_kind()
    doc = _set(doc, ("facts", 9, "at"), "2026-03-01T08:00")
    doc = _set(doc, ("facts", 2, "kind"), "asylum")
    doc = _set(doc, ("person_id",), "")
    assert [p.path for p in problems(doc)] == [
        "$.facts[2].kind",
        "$.facts[9].at",
        "$.person_id",
    ]


def test_an_unknown_jurisdiction_is_a_problem_when_asked():
    def known(code: str) -> str:
        return "" if code == "international" else f"unknown jurisdiction {code!r}"

    doc = document(fact(1, "death"), jurisdiction="atlantis")
    with pytest.raises(CaseFileError) as raised:
        casefile.parse(doc, jurisdiction=known)
    assert [str(p) for p in raised.value.problems] == [
        "$.jurisdiction: unknown jurisdiction 'atlantis'"
    ]
    assert casefile.parse(doc).jurisdiction == "atlantis"  # no check asked


# --- Contradictory facts ---------------------------------------------------------------


def started(n, hours, episode="e1"):
    return fact(n, "detention_started", hours, episode=episode, time_zone="UTC")


def ended(n, hours, episode="e1"):
    return fact(n, "detention_ended", hours, episode=episode, reason="released")


def episode_fact(n, kind, hours, episode="e1"):
    return fact(n, kind, hours, **(VALID_DATA[kind] | {"episode": episode}))


@pytest.mark.parametrize(
    ("facts", "path", "message"),
    [
        (
            [started(1, 10), ended(2, 5)],
            "$.facts[1]",
            "detention_ended at 2026-03-01T13:00:00+00:00 is before detention episode "
            "'e1' started (f1, 2026-03-01T18:00:00+00:00)",
        ),
        (
            [started(1, 0), episode_fact(2, "detention_reviewed", -1)],
            "$.facts[1]",
            "detention_reviewed at 2026-03-01T07:00:00+00:00 is before detention episode 'e1'",
        ),
        (
            [episode_fact(1, "vulnerability_screened", 1, episode="e9")],
            "$.facts[0]",
            "detention episode 'e9' has no detention_started fact",
        ),
        (
            [started(1, 0), started(2, 1)],
            "$.facts[1]",
            "detention episode 'e1' already started (f1)",
        ),
        (
            [started(1, 0), ended(2, 1), ended(3, 2)],
            "$.facts[2]",
            "detention episode 'e1' already ended (f2)",
        ),
        (
            [started(1, 0), ended(2, 1), episode_fact(3, "detention_extended", 2)],
            "$.facts[2]",
            "detention_extended at 2026-03-01T10:00:00+00:00 is after detention episode 'e1' ended",
        ),
        (
            [started(1, 0), ended(2, 1), episode_fact(3, "detention_transferred", 2)],
            "$.facts[2]",
            "detention_transferred",
        ),
        (
            [started(1, 0), started(2, 5, episode="e2")],
            "$.facts[1]",
            "detention episode 'e2' starts while episode 'e1' (f1) is still open; "
            "record its detention_ended first",
        ),
        (
            [
                started(1, 0),
                ended(2, 10),
                started(3, 5, episode="e2"),
                ended(4, 6, "e2"),
            ],
            "$.facts[2]",
            "detention episode 'e2' starts while episode 'e1'",
        ),
    ],
)
def test_contradictory_facts_are_refused(facts, path, message):
    problem = only_problem(document(*facts))
    assert problem.path == path
    assert message in problem.message


def test_facts_that_agree_are_accepted():
    facts = [
        started(1, 0),
        episode_fact(2, "vulnerability_screened", 1),
        episode_fact(3, "detention_reviewed", 2),
        ended(4, 10),
        episode_fact(5, "alternative_applied", 10),  # at the release
        episode_fact(6, "alternatives_step", 11),  # recorded after it
        started(7, 10, episode="e2"),  # the next detention, at once
        episode_fact(8, "detention_transferred", 12, episode="e2"),
        ended(9, 12, episode="e2"),
        started(10, 20, episode="e3"),
    ]
    case = casefile.parse(document(*facts))
    assert len(case.facts) == 10
    assert casefile.contradictions(case.facts) == []


def test_contradictions_name_the_fact_for_the_actions():
    facts = (
        Fact("a", "detention_started", T0, data={"episode": "1"}),
        Fact("b", "detention_ended", T0 - timedelta(days=1), data={"episode": "1"}),
    )
    [found] = casefile.contradictions(facts)
    assert found.fact_id == "b"


# --- Text: JSON and JSON Lines ---------------------------------------------------------


def test_json_that_does_not_parse_gives_the_line_and_column():
    text = '{\n  "case_id": "c1",\n  "person_id": "p1"\n  "facts": []\n}'
    with pytest.raises(CaseFileError) as raised:
        casefile.read(text, "json")
    assert str(raised.value) == (
        "line 4, column 3: not valid JSON: Expecting ',' delimiter"
    )


def test_json_lines_give_each_problem_its_line_and_skip_blank_lines():
    good = json.dumps(document(fact(1, "death")))
    bad_time = json.dumps(document(fact(1, "death") | {"at": "2026-03-01T08:00:00"}))
    text = f"{good}\n\n{{not json}}\n{bad_time}\n   \n{good}\n"
    with pytest.raises(CaseFileError) as raised:
        casefile.read(text, "jsonl")
    assert [str(p) for p in raised.value.problems] == [
        "line 3, column 2: not valid JSON: Expecting property name enclosed in double quotes",
        "line 4: $.facts[0].at: '2026-03-01T08:00:00' is a time without a time zone; "
        "add Z or an offset such as -06:00",
    ]


def test_json_lines_keep_the_order_and_the_lines():
    lines = [
        json.dumps(document(fact(1, "death")) | {"case_id": f"c{n}"}) for n in range(3)
    ]
    numbered = casefile.read_numbered("\n".join(lines) + "\n", "jsonl")
    assert [(line, case.case_id) for line, case in numbered] == [
        (1, "c0"),
        (2, "c1"),
        (3, "c2"),
    ]
    assert casefile.read("", "jsonl") == []


@pytest.mark.parametrize(
    ("text", "format"),
    [
        ('{"case_id": "c1"}', "json"),
        ('{\n  "case_id": "c1"\n}\n', "json"),
        ('{"case_id": "c1"}\n{"case_id": "c2"}\n', "jsonl"),
        ('\n{"case_id": "c1"}\n{"case_id": \n', "jsonl"),  # broken: line errors
        ('{\n  "case_id": "c1",\n}', "json"),  # broken: line and column
        ("", "json"),
    ],
)
def test_the_content_tells_json_from_json_lines(text, format):
    assert casefile.detect_format(text) == format


# --- The compiled check agrees with jsonschema -----------------------------------------

_FIELDS = sorted({name for data in VALID_DATA.values() for name in data} | {"bogus"})
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1, 200),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "",
            "e1",
            "GTM",
            "gtm",
            "XXA",
            "UTC",
            "es",
            "1990-01-01",
            at(),
            "2026-03-01T08:00:00",
            "confirmed",
            "judicial",
            "released",
            "detention",
            "notify",
            "asylum_seeker",
            *VALID_DATA,
        ]
    ),
    st.lists(st.sampled_from(["", "x", 1]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "country"]), st.just("GTM"), max_size=2),
)


@st.composite
def _facts(draw):
    kind = draw(st.sampled_from([*VALID_DATA, "unknown_kind"]))
    raw = fact(1, kind) if kind in VALID_DATA else fact(1, "death") | {"kind": kind}
    for _ in range(draw(st.integers(0, 2))):
        # Change, add or remove a field of the fact or of its data.
        in_data = isinstance(raw.get("data"), dict) and draw(st.booleans())
        target = raw["data"] if in_data else raw
        names = _FIELDS if in_data else ["id", "kind", "at", "data", "x"]
        name = draw(st.sampled_from(names))
        if draw(st.integers(0, 3)) == 0:
            target.pop(name, None)
        else:
            target[name] = draw(_VALUES)
    return raw


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_facts(), max_size=3), st.sampled_from(["c1", "", 3]))
def test_the_compiled_check_agrees_with_jsonschema(facts, case_id):
    doc = document(*facts) | {"case_id": case_id}
    validator = Draft202012Validator(casefile.schema())
    assert casefile._fast_check()(doc) == validator.is_valid(doc)
    assert (casefile.schema_problems(doc) == []) == validator.is_valid(doc)
