"""An imported case is indistinguishable from the same case made through the actions
the pages call (`register_person`, `open_case`, `record_fact`): the same names and
search keys, nationalities, lawful basis, case, facts, obligations and timeline."""

from datetime import UTC, datetime

import pytest
import time_machine

from amparo.cases.actions import open_case
from amparo.cases.models import Case
from amparo.htcds.actions import import_batch
from amparo.htcds.prepare import decision_data, decision_times
from amparo.htcds.tests.conftest import SAMPLE, fill
from amparo.htcds.values import alpha3
from amparo.people.actions import register_person
from amparo.people.models import NameKey
from amparo.people.records import NameRecord, NationalityRecord, PersonRecord
from amparo.safeguards.actions import record_fact

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)


def made_by_hand(imported: Case, boss, owner) -> Case:
    values = {
        "vic_TraffickingStatus": SAMPLE["vic_TraffickingStatus"],
        "vic_TraffickingStatusDecisionMakingOrg": SAMPLE[
            "vic_TraffickingStatusDecisionMakingOrg"
        ],
    }
    person = register_person(
        PersonRecord(
            names=[NameRecord(given_names="Amina", family_names="Diallo")],
            sex="F",
            birth_date=SAMPLE["prs_Birthdate"],
            nationalities=[NationalityRecord(alpha3(c)) for c in ("GN", "SN")],
            contact=imported.primary_person.contact,
        ),
        acting_user=boss,
    )
    case = open_case(
        person,
        acting_user=boss,
        types=["victim"],
        risk="high",
        reason=imported.opening_reason,
        assigned_to=owner,
        lawful_basis={"basis": "consent", "method": "oral", "given_by": "person"},
    )
    data = decision_data(values)
    for at, one in zip(decision_times(NOW, len(data)), data, strict=True):
        record_fact(
            case, acting_user=boss, kind="trafficking_identified", at=at, data=one
        )
    return case


def shape(case: Case) -> dict:
    person = case.primary_person
    return {
        "person": (
            person.display_name, person.sex, person.birth_date,
            person.birth_date_precision, person.contact, person.registered_by_id,
            person.team_id, person.agency_id,
        ),
        "names": sorted(
            person.names.values_list(
                "kind", "given_names", "family_names", "script", "language", "search_form"
            )
        ),
        "keys": sorted(NameKey.objects.filter(person=person).values_list("key", flat=True)),
        "nationalities": list(person.nationalities.values_list("country", "status")),
        "consents": list(
            person.consents.values_list(
                "purpose", "basis", "method", "given_by", "obtained_on", "recorded_by"
            )
        ),
        "case": (
            case.status, case.risk, case.assigned_to_id, case.opened_at, case.opened_by_id,
            case.opening_reason, case.closed_at, case.closure_reason, case.agency_id,
        ),
        "types": list(case.types.values_list("code", flat=True)),
        "facts": [
            (f.kind, f.at, f.at_utc_offset, f.recorded_by_id, f.data)
            for f in case.safeguard_facts.order_by("at")
        ],
        "obligations": sorted(
            (o.rule_id, o.key, o.due, o.due_at, o.time_zone, o.status, o.severity,
             o.citations, o.note, o.details_json, o.recheck_at, len(o.triggered_by))
            for o in case.obligations.all()
        ),
        "safeguards": (case.safeguards.jurisdiction, case.safeguards.recheck_at),
        "timeline": [
            (e.kind, e.actor_id, {k: v for k, v in e.data.items() if k != "note"})
            for e in case.events.order_by("occurred_at", "id")
        ],
    }  # fmt: skip


def test_an_imported_case_is_the_case_the_actions_make(
    template, tmp_path, boss, caseworker
):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE | {"prs_Salutation": None}])
    with time_machine.travel(NOW, tick=False):
        report = import_batch(path, acting_user=boss)
        assert not report.refused
        imported = Case.objects.get()
        by_hand = made_by_hand(imported, boss, caseworker)
    assert shape(imported) == shape(by_hand)
    assert imported.obligations.count() == 4
