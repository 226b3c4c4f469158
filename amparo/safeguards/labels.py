"""The words the pages use for the engine's codes: fact kinds, their fields and values,
and the rules' titles, in the reader's language. The engine and the case-file format
keep their English codes; a test checks that every kind, field, value and rule the
engine knows has a label here, so a new one cannot reach a page untranslated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KIND_LABELS: dict[str, Promise] = {
    "nationality": _("Nationality"),
    "foreign_nationality_suspected": _("Foreign nationality known or suspected"),
    "asylum_status": _("Asylum status"),
    "birth": _("Date of birth"),
    "age_dispute": _("Age dispute"),
    "age_assessed": _("Age assessed"),
    "permanent_resident": _("Permanent residence"),
    "passport": _("Passport held"),
    "death": _("Death"),
    "detention_started": _("Detention began"),
    "detention_reviewed": _("Detention reviewed"),
    "detention_extended": _("Detention extended"),
    "detention_transferred": _("Transferred to another place of detention"),
    "detention_ended": _("Detention ended"),
    "vulnerability_screened": _("Vulnerability screened"),
    "alternatives_step": _("Alternatives to detention: a step of the assessment"),
    "alternative_applied": _("Alternative to detention applied"),
    "rights_informed": _("Told of consular rights"),
    "consular_notification_requested": _("Asked that the consulate be told"),
    "consular_notification_declined": _("Declined that the consulate be told"),
    "consular_notification_consented": _("Consented that the consulate be told"),
    "consulate_notified": _("Consulate told"),
    "consular_access_opposed": _("Opposes consular access"),
    "communication_received": _("Communication for the consulate received"),
    "communication_forwarded": _("Communication forwarded to the consulate"),
    "legal_review_completed": _("Legal officer's decision on notifying the consulate"),
    "guardianship_opened": _("Guardianship opened"),
}

# The pages group the kinds as a worker looks for them.
KIND_GROUPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (
        _("Detention"),
        (
            "detention_started",
            "detention_reviewed",
            "detention_extended",
            "detention_transferred",
            "detention_ended",
            "vulnerability_screened",
            "alternatives_step",
            "alternative_applied",
        ),
    ),
    (
        _("Consular access"),
        (
            "foreign_nationality_suspected",
            "rights_informed",
            "consular_notification_requested",
            "consular_notification_declined",
            "consular_notification_consented",
            "consulate_notified",
            "consular_access_opposed",
            "communication_received",
            "communication_forwarded",
            "legal_review_completed",
        ),
    ),
    (
        _("The person"),
        (
            "nationality",
            "asylum_status",
            "birth",
            "age_dispute",
            "age_assessed",
            "permanent_resident",
            "passport",
            "guardianship_opened",
            "death",
        ),
    ),
)

FIELD_LABELS: dict[str, Promise] = {
    "about": _("About"),
    "authority": _("Detaining authority"),
    "by": _("Reviewed by"),
    "communication": _("Reference of the communication"),
    "country": _("Country"),
    "date": _("Date"),
    "decision": _("Decision"),
    "episode": _("Detention episode"),
    "evidence": _("Evidence"),
    "ground": _("Ground"),
    "language": _("Language"),
    "legal_basis": _("Legal basis"),
    "minimum_age": _("Minimum age (lower bound of the range)"),
    "needs": _("Needs found"),
    "open": _("The age is disputed"),
    "order": _("Order"),
    "outcome": _("Outcome"),
    "place": _("Place of detention"),
    "positive": _("Positive: the person is vulnerable"),
    "precision": _("Known to the"),
    "reason": _("Reason"),
    "status": _("Status"),
    "step": _("Step"),
    "time_zone": _("Time zone of the place"),
    "type": _("Alternative"),
}

VALUE_LABELS: dict[str, dict[str, Promise]] = {
    "about": {
        "detention": _("the detention"),
        "death": _("the death"),
        "guardianship": _("the guardianship"),
    },
    "by": {
        "judicial": _("a court"),
        "administrative": _("the administration"),
        "independent": _("an independent body"),
    },
    "decision": {"notify": _("Notify"), "withhold": _("Withhold")},
    "order": {
        "administrative": _("Administrative order"),
        "judicial": _("Judicial order"),
    },
    "outcome": {"continued": _("Detention continued"), "released": _("Release")},
    "precision": {"day": _("day"), "month": _("month"), "year": _("year")},
    "reason": {
        "released": _("Released"),
        "removed": _("Removed from the country"),
        "alternative": _("Alternative to detention"),
        "no_prospect_of_removal": _("No realistic prospect of removal"),
        "other": _("Other"),
    },
    "status": {
        "confirmed": _("Confirmed"),
        "claimed": _("Claimed"),
        "suspected": _("Suspected"),
        "unknown": _("Unknown"),
        "asylum_seeker": _("Asylum seeker"),
        "refugee": _("Refugee"),
        "none": _("Neither"),
    },
    "step": {
        "1": _("1. Presume detention is not needed"),
        "2": _("2. Screen and assess the individual case"),
        "3": _("3. Assess the community setting"),
        "4": _("4. Apply conditions in the community if needed"),
        "5": _("5. Detain only as a last resort, with review"),
    },
    "type": {
        "reporting": _("Reporting"),
        "release_to_community": _("Release to the community"),
        "case_management": _("Case management"),
        "guarantor": _("Guarantor"),
        "bail": _("Bail"),
        "open_centre": _("Open centre"),
        "other": _("Other"),
    },
}

RULE_TITLES: dict[str, Promise] = {
    "consular.death": _("Tell the consulate of a death"),
    "consular.forward_communications": _(
        "Forward the person's communications to the consulate"
    ),
    "consular.guardianship": _("Tell the consulate of a guardianship"),
    "consular.inform_rights": _("Tell the person of their consular rights"),
    "consular.mandatory_notification": _("Mandatory notification of the consulate"),
    "consular.notify_on_request": _("Tell the consulate when the person asks"),
    "detention.alternatives_review": _("Review of alternatives to detention"),
    "detention.child": _("Child in immigration detention"),
    "detention.first_review": _("First review of detention"),
    "detention.indefinite_risk": _("Risk of indefinite detention"),
    "detention.maximum_period": _("Maximum period of detention"),
    "detention.periodic_review": _("Periodic review of detention"),
    "detention.vulnerability_screening": _("Vulnerability screening"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def rule_title(rule_id: str) -> str:
    return str(RULE_TITLES.get(rule_id, rule_id))


def value_label(field: str, value: object) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    label = VALUE_LABELS.get(field, {}).get(str(value))
    return str(label) if label is not None else str(value)
