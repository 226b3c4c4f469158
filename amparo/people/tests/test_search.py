"""Finding a person again from a name spelled another way, or written in another script."""

import pytest

from amparo.people.queries import search_persons
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(caseworker):
    return {
        "hassan": make_person(caseworker, "Mohamed", "Al Hassan"),
        "mahmoud": make_person(caseworker, "Mohamed", "Mahmoud"),
        "olena": make_person(caseworker, "Olena", "Kovalenko"),
        "tesfay": make_person(caseworker, "Tesfay", "Gebremichael"),
        "jose": make_person(caseworker, "José", "Hernández"),
        "ahmad": make_person(caseworker, "Ahmad", "Karimi"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Muhammad Alhassan", "hassan"),
        ("MOHAMMED el-hassan", "hassan"),
        ("محمد الحسن", "hassan"),
        ("Alena Kowalenko", "olena"),
        ("Олена Коваленко", "olena"),
        ("Tesfai Ghebremichael", "tesfay"),
        ("ተስፋይ ገብረሚካኤል", "tesfay"),
        ("jose hernandez", "jose"),
        ("Hernández", "jose"),
    ],
)
def test_finds_the_person_first_across_spellings_and_scripts(
    caseworker, registry, query, expected
):
    results = search_persons(caseworker, query)
    assert results, f"nothing found for {query!r}"
    assert results[0] == registry[expected]


def test_an_alias_is_searched_too(caseworker):
    person = make_person(caseworker, "Yonas", "Haile", aliases=(("Johannes", "Haile"),))
    assert search_persons(caseworker, "Johannes")[0] == person


def test_unrelated_names_are_not_returned(caseworker, registry):
    assert registry["olena"] not in search_persons(caseworker, "Muhammad Alhassan")
    assert search_persons(caseworker, "Zbigniew") == []


def test_search_never_crosses_agencies(caseworker, outsider, registry):
    assert search_persons(outsider, "Mohamed Al Hassan") == []


def test_statistician_finds_nobody(statistician, registry):
    assert search_persons(statistician, "Mohamed") == []


def test_names_from_the_transliteration_benchmark_meet(caseworker, shared_data):
    """Wikidata names with their Russian spelling (steveash NETransliteration, CC0):
    a name registered in Latin is found from its Cyrillic form in most cases."""
    rows = (
        (shared_data / "names_xlit" / "steveash_wd_russian_20.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    pairs = []
    for row in rows:
        parts = row.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and len(parts[0]) > 3:
            # The file spells the Cyrillic side letter by letter: "с и р а н и".
            pairs.append((parts[0], parts[1].replace(" ", "")))
        if len(pairs) == 40:
            break
    for latin, _cyrillic in pairs:
        make_person(caseworker, latin, "Test")
    found = sum(
        1
        for latin, cyrillic in pairs
        if any(
            p.display_name == f"{latin} Test"
            for p in search_persons(caseworker, cyrillic)[:5]
        )
    )
    assert found >= 0.7 * len(pairs), f"only {found} of {len(pairs)} found"
