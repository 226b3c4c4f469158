"""The rules themselves: every field and every related table is decided, and each
rule computes what it says."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils.functional import Promise

from amparo.retention import anonymisation as plan
from amparo.retention.anonymisation import Fate
from amparo.retention.queries import case_rules, field_label, person_rules

# Set by the anonymisation itself, to its own time.
BOOKKEEPING = {"updated_at", "anonymised_at"}


def _pointing_at(label: str) -> set[tuple[str, str]]:
    """(table, foreign key) of every foreign key to the model, hidden ones included."""
    return {
        (rel.related_model._meta.label_lower, rel.field.name)
        for rel in apps.get_model(label)._meta.get_fields(include_hidden=True)
        if rel.is_relation and rel.auto_created and not rel.concrete
    }


@pytest.mark.parametrize(
    ("rules", "subject"),
    [(plan.PERSON_ROWS, "people.person"), (plan.CASE_ROWS, "cases.case")],
)
def test_every_table_pointing_at_a_person_or_a_case_has_a_rule(rules, subject):
    """A new table holding a person's or a case's data must say what happens to it
    before it can ship."""
    ruled = {(rule.model, rule.via) for rule in rules}
    assert _pointing_at(subject) - ruled == set()
    assert (subject, "pk") in ruled


@pytest.mark.parametrize(
    "rule",
    [rule for rule in (*plan.PERSON_ROWS, *plan.CASE_ROWS) if rule.fields],
    ids=lambda rule: rule.model,
)
def test_every_field_of_a_reduced_table_has_exactly_one_rule(rule):
    model = apps.get_model(rule.model)
    columns = {f.attname for f in model._meta.concrete_fields} - BOOKKEEPING
    named = [f.name for f in rule.fields]
    assert sorted(named) == sorted(set(named)), "a field is named twice"
    assert set(named) == columns


def test_a_kept_field_has_no_new_value_and_every_other_field_has_one():
    for rule in (*plan.PERSON_ROWS, *plan.CASE_ROWS):
        for field in rule.fields:
            assert (field.fate == Fate.KEPT) == (field.becomes is None), field.name


def test_the_person_keeps_what_statistics_count_and_loses_what_identifies():
    row = {
        "id": uuid.uuid4(),
        "created_at": datetime(2026, 3, 17, 14, 5, tzinfo=UTC),
        "display_name": "Amina Diallo",
        "sex": "F",
        "birth_date": date(1990, 7, 14),
        "birth_date_precision": "day",
        "country_of_birth": "MLI",
        "place_of_origin": "Ségou",
        "preferred_language": "bam",
        "languages": ["bam", "fra"],
        "contact": "+223 70 00 00 00",
        "vulnerabilities": ["WR"],
        "migration_status": "irregular",
    }
    assert plan.anonymised(plan.PERSON, row) == {
        "created_at": datetime(2026, 3, 1, tzinfo=UTC),
        "display_name": "Anonymised",
        "birth_date": date(1990, 1, 1),
        "birth_date_precision": "year",
        "place_of_origin": "",
        "preferred_language": "",
        "languages": [],
        "contact": "",
        "migration_status": "",
    }


def test_an_unknown_birth_date_stays_unknown():
    row = {"created_at": None, "birth_date": None}
    assert (
        plan.anonymised(plan.PERSON, row | dict.fromkeys(["id"]))["birth_date"] is None
    )


def test_a_case_keeps_its_codes_and_months_and_loses_its_story():
    case_id = uuid.uuid4()
    row = {
        "id": case_id,
        "created_at": datetime(2026, 1, 5, 10, tzinfo=UTC),
        "reference": "A-2026-000001",
        "opened_at": datetime(2026, 1, 5, 10, tzinfo=UTC),
        "opening_reason": "Alone at the border.",
        "closed_at": datetime(2026, 2, 28, 23, 59, tzinfo=UTC),
        "closure_note": "Moved to Lyon.",
    }
    assert plan.anonymised(plan.CASE, row) == {
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "reference": f"ANON-{case_id.hex}",
        "opened_at": datetime(2026, 1, 1, tzinfo=UTC),
        "opening_reason": "",
        "closed_at": datetime(2026, 2, 1, tzinfo=UTC),
        "closure_note": "",
    }


@override_settings(TIME_ZONE="America/Mexico_City")
def test_months_are_those_of_the_deployments_time_zone():
    """Early on 1 March in UTC is still February in Mexico City: monthly counts made in
    local time must not move a case to another month."""
    reduced = plan.month_start(datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    assert (reduced.year, reduced.month, reduced.day, reduced.hour) == (2026, 2, 1, 0)
    assert reduced.utcoffset() is not None


@pytest.mark.parametrize(
    ("kind", "data", "kept"),
    [
        (
            "opened",
            {"types": ["child"], "risk": "high"},
            {"types": ["child"], "risk": "high"},
        ),
        (
            "status_changed",
            {"from": "open", "to": "assessed"},
            {"from": "open", "to": "assessed"},
        ),
        ("closed", {"reason": "goals_met"}, {"reason": "goals_met"}),
        ("assigned", {"assignee": 7}, {}),
        ("note_added", {"note": "1b2c"}, {}),
        ("member_added", {"person": "3d4e"}, {}),
        ("reopened", {"reason_given": True}, {}),
        ("something_new", {"text": "Amina"}, {}),
    ],
)
def test_the_timeline_keeps_codes_only(kind, data, kept):
    assert plan.reduced_event_data(kind, data) == kept


def test_a_consent_justification_is_replaced_not_emptied():
    """The database requires a justification for every basis but consent."""
    rule = next(r for r in plan.PERSON_ROWS if r.model == "people.consent")
    row = dict.fromkeys(plan.changed_fields(rule), "x")
    assert (
        plan.anonymised(rule, row | {"justification": "Lost her phone"})[
            "justification"
        ]
        == "Anonymised"
    )
    assert plan.anonymised(rule, row | {"justification": ""})["justification"] == ""


@pytest.mark.parametrize(
    "rule",
    [rule for rule in (*plan.PERSON_ROWS, *plan.CASE_ROWS) if rule.fields],
    ids=lambda rule: rule.model,
)
def test_every_field_the_officer_reads_has_a_translatable_name(rule):
    model = apps.get_model(rule.model)
    for field in rule.fields:
        assert isinstance(field_label(model, field.name), Promise), field.name


def test_the_officer_reads_every_rule_by_name():
    shown = person_rules() + case_rules()
    assert len(shown) == len(plan.PERSON_ROWS) + len(plan.CASE_ROWS)
    assert all(rows.label and all(f.label for f in rows.fields) for rows in shown)
