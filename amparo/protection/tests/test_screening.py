"""Screening with the ILO / European Commission operational indicators (2009)
(amparo.protection.screening): the rule that makes one dimension positive, on a table
of counts and on real indicators of the adult/labour set; the "possible trafficking"
step for an adult (recruitment, exploitation, and coercion or abuse of vulnerability at
destination) and for a child (exploitation alone); the two incomplete sexual sets,
which are never scored; duplicate and unknown codes; the reasoning; and the data file
itself (its six dimensions, its counts, and a malformed copy refused)."""

from collections import Counter

import pytest

from amparo.protection import indicator_texts, screening

ADULT, CHILD = "adult_labour", "child_labour"
DECEPTIVE = "deceptive_recruitment"
COERCIVE = "coercive_recruitment"
RECRUITMENT_ABUSE = "recruitment_abuse_of_vulnerability"
EXPLOITATION = "exploitation"
COERCION = "coercion_at_destination"
DESTINATION_ABUSE = "abuse_of_vulnerability_at_destination"


def pick(set_code: str, dimension: str, strength: str, n: int) -> list[str]:
    """`n` indicator codes of the set in `dimension` rated `strength` (from the file,
    so that the tests follow its data, not a copy of it)."""
    codes = [
        i.code
        for i in screening.load()[1][set_code].indicators.values()
        if i.dimension == dimension and i.strength == strength
    ]
    assert len(codes) >= n, f"{set_code} has {len(codes)} {strength} in {dimension}"
    return codes[:n]


def indicators(set_code: str, dimension: str, **counts: int) -> list[str]:
    """Indicators of one dimension: so many strong, medium and weak."""
    return [
        code
        for strength in screening.STRENGTHS
        for code in pick(set_code, dimension, strength, counts.get(strength, 0))
    ]


def dimension(suggestion: screening.Suggestion, code: str) -> screening.Dimension:
    return next(d for d in suggestion.dimensions if d.code == code)


def positives(suggestion: screening.Suggestion) -> set[str]:
    return {d.code for d in suggestion.dimensions if d.positive}


# --- One dimension ---------------------------------------------------------------------

# (strong, medium, weak) → positive: each branch of the rule, and the near misses.
DIMENSION_RULE = [
    pytest.param(2, 0, 0, True, id="2 strong"),
    pytest.param(1, 1, 0, True, id="1 strong + 1 medium"),
    pytest.param(1, 0, 1, True, id="1 strong + 1 weak"),
    pytest.param(0, 3, 0, True, id="3 medium"),
    pytest.param(0, 2, 1, True, id="2 medium + 1 weak"),
    pytest.param(3, 2, 2, True, id="more than enough"),
    pytest.param(0, 0, 0, False, id="nothing"),
    pytest.param(1, 0, 0, False, id="near miss: 1 strong alone"),
    pytest.param(0, 2, 0, False, id="near miss: 2 medium"),
    pytest.param(0, 1, 2, False, id="near miss: 1 medium + 2 weak"),
    pytest.param(0, 1, 1, False, id="near miss: 1 medium + 1 weak"),
    pytest.param(0, 0, 3, False, id="near miss: 3 weak"),
    pytest.param(0, 0, 2, False, id="near miss: 2 weak"),
]


@pytest.mark.parametrize(("strong", "medium", "weak", "expected"), DIMENSION_RULE)
def test_the_rule_for_one_dimension(strong, medium, weak, expected):
    counts = {"strong": strong, "medium": medium, "weak": weak}
    assert screening.positive(counts) is expected
    assert screening.positive(Counter(counts)) is expected


# The same rule on real indicators of the adult/labour set, each in a dimension that
# has enough of them.
DIMENSION_CASES = [
    pytest.param(COERCION, {"strong": 2}, True, id="2 strong"),
    pytest.param(
        EXPLOITATION, {"strong": 1, "medium": 1}, True, id="1 strong+1 medium"
    ),
    pytest.param(EXPLOITATION, {"strong": 1, "weak": 1}, True, id="1 strong + 1 weak"),
    pytest.param(RECRUITMENT_ABUSE, {"medium": 3}, True, id="3 medium"),
    pytest.param(
        DESTINATION_ABUSE, {"medium": 2, "weak": 1}, True, id="2 medium + 1 weak"
    ),
    pytest.param(COERCION, {"strong": 1}, False, id="near miss: 1 strong alone"),
    pytest.param(EXPLOITATION, {"medium": 2}, False, id="near miss: 2 medium"),
    pytest.param(
        RECRUITMENT_ABUSE,
        {"medium": 1, "weak": 2},
        False,
        id="near miss: 1 medium + 2 weak",
    ),
    pytest.param(DESTINATION_ABUSE, {"weak": 2}, False, id="near miss: 2 weak"),
]


@pytest.mark.parametrize(("code", "counts", "expected"), DIMENSION_CASES)
def test_a_dimension_is_positive_by_the_rule(code, counts, expected):
    observed = indicators(ADULT, code, **counts)
    suggestion = screening.suggest(ADULT, observed)
    found = dimension(suggestion, code)
    assert {k: v for k, v in found.counts.items() if v} == counts
    assert found.positive is expected
    assert positives(suggestion) == ({code} if expected else set())
    # One dimension alone never suggests trafficking for an adult.
    assert suggestion.possible is False


# --- An adult: recruitment, exploitation, and coercion or abuse at destination -------

RECRUITED = {
    DECEPTIVE: {"strong": 1, "medium": 1},
    COERCIVE: {"strong": 1, "medium": 1},
    RECRUITMENT_ABUSE: {"medium": 3},
}
EXPLOITED = {"strong": 1, "medium": 1}
AT_DESTINATION = {
    COERCION: {"strong": 2},
    DESTINATION_ABUSE: {"medium": 3},
}


def adult(recruitment: str | None, exploited: bool, destination: str | None):
    observed = []
    if recruitment:
        observed += indicators(ADULT, recruitment, **RECRUITED[recruitment])
    if exploited:
        observed += indicators(ADULT, EXPLOITATION, **EXPLOITED)
    if destination:
        observed += indicators(ADULT, destination, **AT_DESTINATION[destination])
    return screening.suggest(ADULT, observed)


@pytest.mark.parametrize("recruitment", list(RECRUITED))
@pytest.mark.parametrize("destination", list(AT_DESTINATION))
def test_an_adult_is_possible_with_all_three(recruitment, destination):
    suggestion = adult(recruitment, True, destination)
    assert suggestion.possible is True
    assert positives(suggestion) == {recruitment, EXPLOITATION, destination}
    assert suggestion.reasoning.startswith(
        "Possible trafficking for labour exploitation"
    )
    assert "not an identification" in suggestion.reasoning


@pytest.mark.parametrize(
    ("recruitment", "exploited", "destination"),
    [
        pytest.param(None, True, COERCION, id="no recruitment dimension"),
        pytest.param(DECEPTIVE, False, COERCION, id="no exploitation"),
        pytest.param(DECEPTIVE, True, None, id="nothing at destination"),
        pytest.param(None, True, None, id="exploitation alone"),
        pytest.param(
            COERCIVE, False, DESTINATION_ABUSE, id="means without exploitation"
        ),
    ],
)
def test_an_adult_missing_one_part_is_not_possible(recruitment, exploited, destination):
    suggestion = adult(recruitment, exploited, destination)
    assert suggestion.possible is False
    assert suggestion.reasoning.startswith(
        "No indication of trafficking for labour exploitation"
    )


def test_an_adult_with_a_near_miss_in_one_part_is_not_possible():
    observed = (
        indicators(ADULT, DECEPTIVE, strong=1, medium=1)
        + indicators(ADULT, EXPLOITATION, medium=2)  # 2 medium: not positive
        + indicators(ADULT, COERCION, strong=2)
    )
    assert screening.suggest(ADULT, observed).possible is False


# --- A child: exploitation is enough ---------------------------------------------------


def test_a_child_with_exploitation_alone_is_possible():
    observed = indicators(CHILD, EXPLOITATION, strong=1, medium=1)
    suggestion = screening.suggest(CHILD, observed)
    assert suggestion.possible is True
    assert positives(suggestion) == {EXPLOITATION}
    assert "for a child the means are not required" in suggestion.reasoning
    # The same indicators for an adult suggest nothing.
    assert screening.suggest(ADULT, observed).possible is False


def test_a_child_with_means_but_no_exploitation_is_not_possible():
    observed = indicators(CHILD, COERCIVE, strong=2) + indicators(
        CHILD, COERCION, strong=2
    )
    suggestion = screening.suggest(CHILD, observed)
    assert positives(suggestion) == {COERCIVE, COERCION}
    assert suggestion.possible is False


def test_a_childs_exploitation_near_miss_is_not_possible():
    observed = indicators(CHILD, EXPLOITATION, medium=2)
    assert screening.suggest(CHILD, observed).possible is False


# --- The incomplete sets ---------------------------------------------------------------


@pytest.mark.parametrize("set_code", ["adult_sexual", "child_sexual"])
def test_an_incomplete_set_is_recorded_but_not_scored(set_code):
    codes = list(screening.load()[1][set_code].indicators)
    suggestion = screening.suggest(set_code, codes)
    assert suggestion.possible is None
    assert suggestion.set_code == set_code
    assert "No suggestion" in suggestion.reasoning
    assert "incomplete" in suggestion.reasoning
    assert set_code in suggestion.reasoning
    # The indicators observed are still counted.
    assert sum(sum(d.counts.values()) for d in suggestion.dimensions) == len(codes)


# --- Duplicate and unknown codes -------------------------------------------------------


def test_a_code_observed_twice_counts_once():
    strong = pick(ADULT, COERCION, "strong", 1)[0]
    suggestion = screening.suggest(ADULT, [strong, strong])
    assert dimension(suggestion, COERCION).counts == {"strong": 1}
    assert dimension(suggestion, COERCION).positive is False


def test_unknown_codes_are_ignored_by_the_suggestion():
    strong = pick(ADULT, COERCION, "strong", 1)[0]
    with_noise = screening.suggest(ADULT, ["no_such_indicator", strong, "sexual"])
    alone = screening.suggest(ADULT, [strong])
    assert with_noise == alone
    assert dimension(with_noise, COERCION).counts == {"strong": 1}


def test_unknown_reports_the_codes_not_in_the_set():
    strong = pick(ADULT, COERCION, "strong", 1)[0]
    observed = ["x", strong, "y", strong]
    assert screening.unknown(ADULT, observed) == ["x", "y"]
    assert screening.unknown(ADULT, [strong]) == []
    # An indicator of the adult set that the child set does not have.
    assert screening.unknown(CHILD, ["no_social_protection"]) == [
        "no_social_protection"
    ]
    assert screening.unknown(ADULT, ["no_social_protection"]) == []
    # For an unknown set, every code.
    assert screening.unknown("no_such_set", [strong, "x"]) == [strong, "x"]


# --- The reasoning ---------------------------------------------------------------------


def test_the_reasoning_names_the_positive_dimensions_and_only_them():
    titles = screening.load()[0]
    suggestion = adult(COERCIVE, True, None)
    listed = suggestion.reasoning.split("positive: ", 1)[1].split("; it takes", 1)[0]
    assert set(listed.split(", ")) == {titles[COERCIVE], titles[EXPLOITATION]}
    assert "recruitment dimension" in suggestion.reasoning  # what it takes


def test_the_reasoning_says_none_when_nothing_is_positive():
    suggestion = screening.suggest(ADULT, [])
    assert suggestion.possible is False
    assert "positive: none;" in suggestion.reasoning


# --- The data file ---------------------------------------------------------------------


def test_the_file_has_the_six_dimensions_in_order():
    titles, sets = screening.load()
    assert list(titles) == [
        DECEPTIVE,
        COERCIVE,
        RECRUITMENT_ABUSE,
        EXPLOITATION,
        COERCION,
        DESTINATION_ABUSE,
    ]
    assert set(sets) == {ADULT, "adult_sexual", CHILD, "child_sexual"}
    assert screening.set_codes() == tuple(sets)


@pytest.mark.parametrize(
    ("set_code", "total", "strengths", "complete", "child"),
    [
        (ADULT, 67, {"strong": 7, "medium": 53, "weak": 7}, True, False),
        (CHILD, 65, {"strong": 15, "medium": 50}, True, True),
        ("adult_sexual", 1, {"strong": 1}, False, False),
        ("child_sexual", 2, {"strong": 2}, False, True),
    ],
)
def test_each_set_has_its_counts(set_code, total, strengths, complete, child):
    chosen = screening.load()[1][set_code]
    assert len(chosen.indicators) == total
    assert Counter(i.strength for i in chosen.indicators.values()) == strengths
    assert (chosen.complete, chosen.child) == (complete, child)


def test_adult_labour_counts_per_dimension():
    # The README's table: 10 / 10 / 16 / 9 / 15 / 7.
    chosen = screening.load()[1][ADULT]
    per = Counter(i.dimension for i in chosen.indicators.values())
    assert [per[d] for d in screening.load()[0]] == [10, 10, 16, 9, 15, 7]


def test_every_indicator_has_a_known_dimension_and_strength():
    titles, sets = screening.load()
    for chosen in sets.values():
        for code, item in chosen.indicators.items():
            assert item.code == code
            assert item.dimension in titles, code
            assert item.strength in ("strong", "medium", "weak"), code
            assert item.confidence in ("V", "K", "U"), code
            assert item.text, code


# --- A malformed file ------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """The indicator directory moved to an empty temporary one, load's cache cleared
    before and after."""
    monkeypatch.setattr(screening, "DATA", tmp_path)
    screening.load.cache_clear()
    yield tmp_path
    screening.load.cache_clear()


DIMENSIONS = """
[[dimensions]]
code = "exploitation"
order = 1
title = "Exploitation"
"""


def indicator_file(strength: str = "strong", dimension: str = "exploitation") -> str:
    return (
        DIMENSIONS
        + f"""
[[sets]]
code = "adult_labour"
title = "Adults, labour"
complete = true

[[sets.indicators]]
code = "excessive_working_days_or_hours"
dimension = "{dimension}"
text = "Excessive working days or hours"
strength = "{strength}"
"""
    )


def test_a_well_formed_copy_loads(data_dir):
    (data_dir / "ilo_ec_2009.toml").write_text(indicator_file(), encoding="utf-8")
    titles, sets = screening.load()
    assert titles == {"exploitation": "Exploitation"}
    assert list(sets["adult_labour"].indicators) == ["excessive_working_days_or_hours"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param('code = "x\n[[dimensions', "ilo_ec_2009.toml", id="bad TOML"),
        pytest.param(
            indicator_file(dimension="slavery"), "unknown dimension", id="dimension"
        ),
        pytest.param(
            indicator_file(strength="very strong"), "unknown strength", id="strength"
        ),
        pytest.param(
            indicator_file()
            + """
[[sets.indicators]]
code = "excessive_working_days_or_hours"
dimension = "exploitation"
text = "Again"
strength = "medium"
""",
            "listed twice",
            id="duplicate code",
        ),
    ],
)
def test_a_malformed_file_is_refused(data_dir, text, says):
    (data_dir / "ilo_ec_2009.toml").write_text(text, encoding="utf-8")
    with pytest.raises(screening.IndicatorDataError) as caught:
        screening.load()
    assert says in str(caught.value)


def test_a_missing_file_is_refused(data_dir):
    with pytest.raises(screening.IndicatorDataError):
        screening.load()


def test_the_uncertain_items_are_those_the_readme_lists():
    sets = screening.load()[1]
    uncertain = {
        code: sorted(c for c, i in s.indicators.items() if i.confidence == "U")
        for code, s in sets.items()
    }
    assert uncertain == {
        ADULT: sorted(
            [
                "violence_on_victims_recruitment",
                "difficulties_in_past_recruitment",
                "difficulty_to_organise_travel",
            ]
        ),
        "adult_sexual": ["forced_tasks_or_clients"],
        CHILD: [],
        "child_sexual": ["forced_tasks_or_clients", "hazardous_work"],
    }


def test_every_indicator_text_of_the_data_is_marked_for_translation():
    data = {i.text for s in screening.load()[1].values() for i in s.indicators.values()}
    assert data <= set(indicator_texts.TEXTS)
