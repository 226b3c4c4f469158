"""Every code the engine knows has words on the pages, and every live duty can be met
from itself: a new kind, field, value or rule fails here until it has both."""

import pytest
from django.utils import translation

from amparo.safeguards import casefile, engine, explanations, labels
from amparo.safeguards.meeting import meeting_fact
from amparo.safeguards.obligations import Status


def _data_definitions():
    defs = casefile.schema()["$defs"]
    return {kind: defs[f"data_{kind}"] for kind in casefile.kinds()}


def test_every_kind_has_a_label_and_a_group_or_a_page_of_its_own():
    kinds = set(casefile.kinds())
    assert set(labels.KIND_LABELS) == kinds
    grouped = [k for _title, group in labels.KIND_GROUPS for k in group]
    assert sorted([*grouped, *labels.OWN_PAGE_KINDS]) == sorted(kinds)


def test_every_field_and_value_has_a_label():
    for kind, definition in _data_definitions().items():
        for name, node in definition.get("properties", {}).items():
            assert name in labels.FIELD_LABELS, (kind, name)
            for value in node.get("enum", ()):
                assert value in labels.VALUE_LABELS.get(name, {}), (kind, name, value)


def test_every_rule_has_a_title():
    assert set(labels.RULE_TITLES) == set(engine.load_rules())


@pytest.mark.parametrize("rule_id", sorted(engine.load_rules()))
def test_every_live_duty_names_the_fact_that_meets_it(rule_id):
    fields = _data_definitions()
    for status in (Status.OPEN, Status.OVERDUE, Status.ESCALATED):
        if (rule_id, status) == ("consular.mandatory_notification", Status.ESCALATED):
            continue  # a legal officer's decision (test_legal_review)
        if rule_id == "protection.reflection_period":
            continue  # time meets it: the period runs out
        if rule_id == "services.urgent_referral":
            continue  # the provider's answer, on the referral's page (services)
        meeting = meeting_fact(rule_id, "MEX", status.value)
        assert meeting is not None, (rule_id, status)
        assert meeting.kind in fields
        # What it fills in are fields of that kind.
        assert set(meeting.initial) <= set(fields[meeting.kind].get("properties", {}))
    assert meeting_fact(rule_id, "MEX", Status.MET.value) is None


def test_meeting_reads_the_key():
    review = meeting_fact("detention.periodic_review", "E2/review-3", "open")
    assert review.kind == "detention_reviewed" and review.initial == {"episode": "E2"}
    death = meeting_fact("consular.death", "GTM", "overdue")
    assert death.initial == {"country": "GTM", "about": "death"}
    unknown = meeting_fact("consular.notify_on_request", "unknown", "open")
    assert unknown.initial == {"about": "detention"}
    assert meeting_fact("consular.mandatory_notification", "SYR", "escalated") is None


def test_every_rule_has_its_docstring_as_a_translatable_explanation():
    rules = engine.load_rules()
    assert set(explanations.EXPLANATIONS) == set(rules)
    with translation.override("en"):
        for rule_id, rule in rules.items():
            english = " ".join(rule.explanation().split())
            assert str(explanations.EXPLANATIONS[rule_id]) == english, rule_id


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_explanation_is_translated(language):
    with translation.override(language):
        for rule_id, text in explanations.EXPLANATIONS.items():
            with translation.override("en"):
                english = str(text)
            assert str(text) != english, (language, rule_id)
