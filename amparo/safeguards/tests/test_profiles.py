"""The jurisdiction profiles: every shipped file loads, every figure says where it comes
from, figures are chosen by date, the baseline fills gaps, and a broken file is refused
with the place where it is wrong."""

from __future__ import annotations

import itertools
import tomllib
from datetime import date
from pathlib import Path

import pycountry
import pytest

from amparo.safeguards import profiles
from amparo.safeguards.deadlines import Duration, Unit
from amparo.safeguards.profiles import CONFIDENCE, Profile, ProfileError

SHIPPED = {
    "international",
    "eu_return_directive",
    "mexico",
    "south_africa",
    "united_states",
    "united_kingdom",
    "canada",
    "australia",
}


def every_figure(profile: Profile) -> list[profiles.Figure]:
    return [figure for versions in profile.figures.values() for figure in versions]


def iso3(code: str) -> bool:
    return pycountry.countries.get(alpha_3=code) is not None


# Loading --------------------------------------------------------------------------


def test_every_jurisdiction_of_the_issue_ships() -> None:
    assert set(profiles.available()) >= SHIPPED


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_profile_loads_on_the_baseline(code: str) -> None:
    profile = profiles.load(code)
    assert profile.code == code
    if code == "international":
        assert profile.parent is None
    else:
        assert profile.parent is not None
        assert profile.parent.code == "international"


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_figure_has_a_source_a_confidence_tag_and_a_start(code: str) -> None:
    profile = profiles.load(code)
    for figure in every_figure(profile):
        assert figure.source.strip(), figure.name
        assert figure.confidence in CONFIDENCE, figure.name
        assert isinstance(figure.effective_from, date), figure.name
        # A value always comes with its unit, so a deadline can be computed from it.
        assert (figure.value is None) == (figure.unit is None), figure.name
    for listing in profile.listings.values():
        assert listing.source.strip() and listing.retrieved.strip()
        assert listing.confidence in CONFIDENCE


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_versions_of_a_figure_never_overlap(code: str) -> None:
    # Two versions in force on the same day would make the choice depend on file order.
    for name, versions in profiles.load(code).figures.items():
        ordered = sorted(versions, key=lambda f: f.effective_from)
        for earlier, later in itertools.pairwise(ordered):
            assert earlier.effective_to is not None, name
            assert earlier.effective_to <= later.effective_from, name


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_country_is_the_detaining_states_iso3(code: str) -> None:
    country = profiles.load(code).country
    if code in {"international", "eu_return_directive"}:
        assert country == ""  # not one State
    else:
        assert iso3(country), country


@pytest.mark.parametrize(
    ("code", "zone", "holidays"),
    [
        ("international", "UTC", ""),
        ("eu_return_directive", "Europe/Brussels", ""),
        ("mexico", "America/Mexico_City", "MX"),
        ("south_africa", "Africa/Johannesburg", "ZA"),
        ("united_states", "America/New_York", "US"),
        ("united_kingdom", "Europe/London", "GB"),
        ("canada", "America/Toronto", "CA"),
        ("australia", "Australia/Sydney", "AU"),
    ],
)
def test_time_zone_and_holiday_calendar(code: str, zone: str, holidays: str) -> None:
    profile = profiles.load(code)
    assert profile.time_zone.key == zone
    assert profile.holiday_country == holidays


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_working_days_only_where_there_is_a_holiday_calendar(code: str) -> None:
    profile = profiles.load(code)
    for figure in every_figure(profile):
        if figure.unit is Unit.WORKING_DAYS:
            assert profile.holiday_country or profile.extra_holidays, figure.name


# Figures by jurisdiction ------------------------------------------------------------


def duration(code: str, name: str, day: date) -> Duration | None:
    figure = profiles.load(code).figure(name, day)
    assert figure is not None, (code, name, day)
    return figure.duration


@pytest.mark.parametrize(
    ("code", "name", "day", "expected"),
    [
        # EU Return Directive art. 15: 6 months, 18 once extended.
        (
            "eu_return_directive",
            "detention_maximum",
            date(2024, 1, 1),
            Duration(6, Unit.MONTHS),
        ),
        (
            "eu_return_directive",
            "detention_maximum_extended",
            date(2024, 1, 1),
            Duration(18, Unit.MONTHS),
        ),
        # Mexico: art. 111 until the SCJN ruling of 15 March 2023, 36 hours from that day.
        (
            "mexico",
            "detention_maximum",
            date(2023, 3, 14),
            Duration(15, Unit.WORKING_DAYS),
        ),
        (
            "mexico",
            "detention_maximum_extended",
            date(2023, 3, 14),
            Duration(60, Unit.WORKING_DAYS),
        ),
        ("mexico", "detention_maximum", date(2023, 3, 15), Duration(36, Unit.HOURS)),
        (
            "mexico",
            "detention_maximum_extended",
            date(2023, 3, 15),
            Duration(36, Unit.HOURS),
        ),
        ("mexico", "detention_maximum", date(2026, 11, 30), Duration(36, Unit.HOURS)),
        # South Africa s.34: 30 days, 120 with a court's extension; 48 h since 2017.
        (
            "south_africa",
            "detention_maximum",
            date(2024, 1, 1),
            Duration(30, Unit.CALENDAR_DAYS),
        ),
        (
            "south_africa",
            "detention_maximum_extended",
            date(2024, 1, 1),
            Duration(120, Unit.CALENDAR_DAYS),
        ),
        (
            "south_africa",
            "detention_first_review",
            date(2017, 6, 29),
            Duration(48, Unit.HOURS),
        ),
        # Canada IRPA s.57: 48 h, the next 7 days, then every 30 days.
        (
            "canada",
            "detention_first_review",
            date(2024, 1, 1),
            Duration(48, Unit.HOURS),
        ),
        (
            "canada",
            "detention_second_review",
            date(2024, 1, 1),
            Duration(7, Unit.CALENDAR_DAYS),
        ),
        (
            "canada",
            "detention_periodic_review",
            date(2024, 1, 1),
            Duration(30, Unit.CALENDAR_DAYS),
        ),
        # UK: automatic bail referral after 4 months.
        (
            "united_kingdom",
            "detention_periodic_review",
            date(2024, 1, 1),
            Duration(4, Unit.MONTHS),
        ),
        # No statutory maximum: a figure without a value.
        ("united_kingdom", "detention_maximum", date(2024, 1, 1), None),
        ("united_states", "detention_maximum", date(2024, 1, 1), None),
        ("australia", "detention_maximum", date(2024, 1, 1), None),
        ("canada", "detention_maximum", date(2024, 1, 1), None),
    ],
)
def test_figure_in_force(
    code: str, name: str, day: date, expected: Duration | None
) -> None:
    assert duration(code, name, day) == expected


def test_mexico_figure_changes_on_the_day_of_the_ruling() -> None:
    mexico = profiles.load("mexico")
    before = mexico.figure("detention_maximum", date(2023, 3, 14))
    after = mexico.figure("detention_maximum", date(2023, 3, 15))
    assert before is not None and after is not None
    assert "art. 111" in before.source and before.effective_to == date(2023, 3, 15)
    assert "388/2022" in after.source and after.effective_from == date(2023, 3, 15)
    assert before.confidence == after.confidence == "V"


def test_before_a_jurisdictions_own_figure_the_baseline_applies() -> None:
    # South Africa's 48 h court appearance dates from the ConCourt's 2017 judgment.
    south_africa = profiles.load("south_africa")
    earlier = south_africa.figure("detention_first_review", date(2017, 6, 28))
    baseline = profiles.load("international").figure(
        "detention_first_review", date(2017, 6, 28)
    )
    assert earlier is not None and earlier is baseline
    assert "UNHCR" in earlier.source


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("mexico", "detention_first_review"),
        ("mexico", "consular_rights_information"),
        ("eu_return_directive", "detention_first_review"),
        ("eu_return_directive", "detention_periodic_review"),
        ("united_states", "consular_notification_limit"),
        ("australia", "indefinite_detention_review"),
        ("united_kingdom", "indefinite_detention_review"),
    ],
)
def test_the_baseline_fills_missing_figures(code: str, name: str) -> None:
    day = date(2025, 6, 1)
    profile = profiles.load(code)
    assert name not in profile.figures
    assert profile.figure(name, day) is profiles.load("international").figure(name, day)


def test_a_figure_nobody_defines_is_none() -> None:
    assert profiles.load("mexico").figure("no_such_figure", date(2025, 1, 1)) is None


def test_settings() -> None:
    assert profiles.load("eu_return_directive").setting("cumulative_detention") is True
    assert profiles.load("mexico").setting("children_detention_prohibited") is True
    assert profiles.load("canada").setting("cumulative_detention", False) is False


def test_reference_confidence_tags_are_kept() -> None:
    # [U] where the reference says uncertain: the UK's figures other than "no limit".
    uk = profiles.load("united_kingdom")
    review = uk.figure("detention_periodic_review", date(2024, 1, 1))
    assert review is not None and review.confidence == "U"
    limit = uk.figure("detention_maximum", date(2024, 1, 1))
    assert limit is not None and limit.confidence == "V"
    eu = profiles.load("eu_return_directive").figure(
        "detention_maximum", date(2024, 1, 1)
    )
    assert eu is not None and eu.confidence == "K"


# The US mandatory-notification list --------------------------------------------------


def us_list() -> profiles.Listing:
    listing = profiles.load("united_states").listing("mandatory_notification")
    assert listing is not None
    return listing


def by_country() -> dict[str, dict[str, object]]:
    return {str(entry["country"]): entry for entry in us_list().entries}


def test_us_list_has_57_distinct_valid_iso3_countries() -> None:
    codes = [entry["country"] for entry in us_list().entries]
    assert len(codes) == 57
    assert len(set(codes)) == 57
    assert [code for code in codes if not iso3(code)] == []
    covered = [c for e in us_list().entries for c in e.get("also_covers", [])]
    assert [code for code in covered if not iso3(code)] == []


def test_us_list_is_sourced() -> None:
    listing = us_list()
    assert "travel.state.gov" in listing.source
    assert "Mandatory Notifications" in listing.source
    assert listing.confidence == "V"


@pytest.mark.parametrize(
    "code",
    [
        "ALB",
        "DZA",
        "CHN",
        "CZE",
        "GMB",
        "KGZ",
        "MDA",
        "RUS",
        "VCT",
        "TZA",
        "GBR",
        "ZWE",
    ],
)
def test_us_list_members(code: str) -> None:
    assert code in by_country()


@pytest.mark.parametrize("code", ["MEX", "USA", "TWN", "HKG", "FRA", "DEU", "IND"])
def test_us_list_non_members(code: str) -> None:
    assert code not in by_country()


def test_us_list_footnotes() -> None:
    entries = by_country()
    # * China, not for "Republic of China" (Taiwan) passport holders.
    assert entries["CHN"]["not_for_passport"] == "TWN"
    assert set(entries["CHN"]["also_covers"]) == {"HKG", "MAC"}  # type: ignore[call-overload]
    assert "TECRO" in str(entries["CHN"]["note"])
    # † Poland, not for US permanent residents; which country the dagger marks is [U].
    assert entries["POL"]["not_for_permanent_residents"] is True
    assert entries["POL"]["confidence"] == "U"
    # ‡ the United Kingdom, with its dependencies and territories.
    assert "Overseas Territories" in str(entries["GBR"]["note"])
    assert {"JEY", "GGY", "IMN", "BMU", "GIB"} <= set(entries["GBR"]["also_covers"])  # type: ignore[call-overload]
    # No other entry carries a modifier.
    plain = {
        code: e for code, e in entries.items() if code not in {"CHN", "POL", "GBR"}
    }
    assert all(set(e) == {"country"} for e in plain.values())


def test_other_jurisdictions_inherit_no_us_list() -> None:
    # The baseline has no list: a country's mandatory list is its own bilateral law.
    assert profiles.load("mexico").listing("mandatory_notification") is None


# Holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "day", "holiday"),
    [
        ("mexico", date(2024, 9, 16), True),  # Independence Day
        ("mexico", date(2024, 9, 17), False),
        ("mexico", date(2024, 11, 18), True),  # Revolution Day (third Monday)
        ("south_africa", date(2025, 4, 27), True),  # Freedom Day
        ("united_states", date(2025, 7, 4), True),
        ("united_kingdom", date(2025, 8, 25), True),  # England's summer bank holiday
        ("eu_return_directive", date(2025, 12, 25), False),  # no calendar
    ],
)
def test_is_holiday(code: str, day: date, holiday: bool) -> None:
    assert profiles.load(code).is_holiday(day) is holiday


# Bad profiles: refused, saying where ------------------------------------------------

VALID = """
code = "testland"
name = "Testland"
version = "2026-11-30"
country = "TST"
time_zone = "{zone}"

[figures.detention_maximum]
{figure}
"""

GOOD_FIGURE = """
value = 30
unit = "calendar_days"
source = "Testland Act s.1"
confidence = "V"
effective_from = 2020-01-01
"""


def parse(tmp_path: Path, *, figure: str = GOOD_FIGURE, zone: str = "UTC") -> Profile:
    """Write the profile to a file and read it as `load` does, from that file."""
    path = tmp_path / "testland.toml"
    path.write_text(VALID.format(zone=zone, figure=figure), encoding="utf-8")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return profiles._parse(raw, path.name)


def test_the_test_profile_itself_is_valid(tmp_path: Path) -> None:
    profile = parse(tmp_path)
    figure = profile.figure("detention_maximum", date(2021, 1, 1))
    assert figure is not None and figure.duration == Duration(30, Unit.CALENDAR_DAYS)


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        (
            'unit = "calendar_days"',
            'unit = "fortnights"',
            "testland.toml: figures.detention_maximum.unit",
        ),
        (
            'source = "Testland Act s.1"',
            "",
            "testland.toml: figures.detention_maximum: source",
        ),
        (
            'source = "Testland Act s.1"',
            'source = "  "',
            "testland.toml: figures.detention_maximum: source",
        ),
        (
            'confidence = "V"',
            'confidence = "verified"',
            "testland.toml: figures.detention_maximum.confidence",
        ),
        (
            'confidence = "V"',
            "",
            "testland.toml: figures.detention_maximum.confidence",
        ),
        (
            "effective_from = 2020-01-01",
            "effective_from = 2020-01-01\neffective_to = 2019-12-31",
            "testland.toml: figures.detention_maximum.effective_to",
        ),
        (
            "effective_from = 2020-01-01",
            "effective_from = 2020-01-01\neffective_to = 2020-01-01",
            "testland.toml: figures.detention_maximum.effective_to",
        ),
        (
            "effective_from = 2020-01-01",
            'effective_from = "2020-01-01"',
            "testland.toml: figures.detention_maximum.effective_from",
        ),
        (
            "effective_from = 2020-01-01",
            "",
            "testland.toml: figures.detention_maximum.effective_from",
        ),
        (
            "value = 30",
            'value = "30"',
            "testland.toml: figures.detention_maximum.value",
        ),
        ("value = 30", "value = -1", "testland.toml: figures.detention_maximum.value"),
    ],
)
def test_bad_figure_names_the_place(
    tmp_path: Path, old: str, new: str, place: str
) -> None:
    with pytest.raises(ProfileError) as error:
        parse(tmp_path, figure=GOOD_FIGURE.replace(old, new))
    assert place in str(error.value)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../../etc/passwd"])
def test_unknown_time_zone(tmp_path: Path, zone: str) -> None:
    with pytest.raises(ProfileError) as error:
        parse(tmp_path, zone=zone)
    assert "testland.toml: time_zone" in str(error.value)


def test_bad_version_in_a_list_of_versions_names_it(tmp_path: Path) -> None:
    versions = f"""
[[figures.detention_maximum]]
{GOOD_FIGURE}
effective_to = 2021-01-01
[[figures.detention_maximum]]
{GOOD_FIGURE.replace('"V"', '"maybe"').replace("2020-01-01", "2021-01-01")}
"""
    path = tmp_path / "testland.toml"
    text = VALID.format(zone="UTC", figure="").replace(
        "[figures.detention_maximum]", versions
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"figures\.detention_maximum\.confidence"):
        profiles._parse(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


def test_bad_holiday_calendar_and_listing(tmp_path: Path) -> None:
    path = tmp_path / "testland.toml"
    base = VALID.format(zone="UTC", figure=GOOD_FIGURE)
    path.write_text(base + '\n[holidays]\ncountry = "ZZ"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"testland\.toml: holidays\.country"):
        profiles._parse(tomllib.loads(path.read_text(encoding="utf-8")), path.name)
    listing = '\n[lists.mandatory_notification]\nsource = "s"\nconfidence = "V"\nentries = []\n'
    path.write_text(base + listing, encoding="utf-8")
    with pytest.raises(
        ProfileError, match=r"testland\.toml: lists\.mandatory_notification: retrieved"
    ):
        profiles._parse(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


# Unknown jurisdictions ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["atlantis", "Mexico", "../profiles/mexico", ""])
def test_unknown_jurisdiction_lists_the_known_ones(code: str) -> None:
    with pytest.raises(ProfileError) as error:
        profiles.load(code)
    message = str(error.value)
    assert f"unknown jurisdiction {code!r}" in message
    for known in SHIPPED:
        assert known in message
