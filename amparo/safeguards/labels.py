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
    "child_status": _("Child identified: unaccompanied, separated or other"),
    "guardian_appointed": _("Guardian appointed"),
    "guardian_suitability_checked": _("Guardian's suitability checked"),
    "guardian_ended": _("Guardianship ended"),
    "age_assessment_appealed": _("Age assessment appealed"),
    "bia_completed": _("Best interests assessment (BIA) completed"),
    "bid_report_submitted": _("BID report submitted to a panel"),
    "bid_undertaking_signed": _("BID panel: undertaking of confidentiality signed"),
    "bid_decided": _("BID panel's decision"),
    "bid_reopened": _("BID reopened"),
    "decision_proposed": _("Decision proposed for the child"),
    "decision_taken": _("Decision taken for the child"),
    "education_status": _("Education"),
    "reunification_assessed": _("Reunification checked"),
    "reunified": _("Reunited with family"),
    "reunification_visited": _("Visit after reunification"),
    "return_planned": _("Return planned"),
    "return_screened": _("Screened before return"),
    "return_screening_approved": _("Screening before return approved"),
    "return_ready": _("Ready for return"),
    "return_cancelled": _("Return called off"),
    "return_completed": _("Returned"),
    "return_followed_up": _("Followed up after return"),
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
    (
        _("Children"),
        (
            "child_status",
            "guardian_appointed",
            "guardian_suitability_checked",
            "guardian_ended",
            "age_assessment_appealed",
            "bia_completed",
            "bid_report_submitted",
            "bid_undertaking_signed",
            "bid_reopened",
            "decision_proposed",
            "decision_taken",
            "education_status",
            "reunification_assessed",
            "reunified",
            "reunification_visited",
        ),
    ),
    (
        _("Returns"),
        (
            "return_planned",
            "return_screened",
            "return_screening_approved",
            "return_ready",
            "return_cancelled",
            "return_completed",
            "return_followed_up",
        ),
    ),
)
# Recorded from a page of their own, which shows what they need: not offered among
# the kinds (the action checks them wherever they come from).
OWN_PAGE_KINDS = frozenset({"bid_decided"})

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
    # Children
    "with_whom": _("Who the child is with"),
    "risk_level": _("Risk level"),
    "guardian": _("Guardian (a short id, e.g. G1)"),
    "guardian_type": _("Type of guardian"),
    "appointed_by": _("Appointed by"),
    "suitable": _("Found suitable"),
    "end_reason": _("Why it ended"),
    "maximum_age": _("Maximum age (upper bound of the range)"),
    "doubt": _("Why the age was doubted"),
    "method": _("Method (the least intrusive that could settle it)"),
    "assessors": _("Assessors"),
    "consent": _("Informed consent given"),
    "assessment_decision": _("Decision on the age"),
    "bia_form": _("Form of assessment"),
    "child_views_recorded": _("The child's views are recorded"),
    "recommendation": _("Recommendation"),
    "bid": _("BID (a short id, e.g. B1)"),
    "bid_purpose": _("What the BID is for"),
    "bid_decision": _("The panel's decision"),
    "panel": _("Panel members"),
    "review_reason": _("Why it is reopened"),
    "decision_type": _("Decision"),
    "enrolment": _("Enrolment"),
    "barriers": _("Barriers to education"),
    "relationship_verified": _("The relationship is verified"),
    "family_willing": _("The family is willing"),
    "best_interests": _("BIA or BID it rests on"),
    "visit_outcome": _("How the child is"),
    # Returns
    "return": _("Return (a short id, e.g. R1)"),
    "return_type": _("Type of return"),
    "destination_kind": _("Returned to"),
    "planned_for": _("Planned for"),
    "child": _("A child's best interests"),
    "trafficking": _("Trafficking (victim or possible victim)"),
    "asylum": _("Asylum claim pending, or refugee"),
    "non_refoulement": _("Risk of torture, ill-treatment or persecution"),
    "health": _("Disability or serious illness"),
    "pregnancy": _("Pregnancy"),
    "family_unity": _("Family unity"),
    "reception": _("Received duly in the country of return"),
    "reached": _("The person was reached"),
    "received": _("The person was duly received"),
    "reintegration_support": _("Reintegration support given"),
}

_AREA: dict[str, Promise] = {
    "clear": _("Clear"),
    "concern": _("Concern: blocks the return"),
    "not_relevant": _("Not relevant"),
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
        "unaccompanied": _("Unaccompanied child"),
        "separated": _("Separated child"),
        "accompanied": _("Accompanied child"),
        "other_vulnerable": _("Other vulnerable child"),
    },
    "with_whom": {
        "nobody": _("Nobody"),
        "parent": _("A parent"),
        "relative": _("A relative"),
        "other_adult": _("Another adult"),
        "other_children": _("Other children"),
        "institution": _("An institution"),
        "unknown": _("Unknown"),
    },
    "risk_level": {"high": _("High"), "medium": _("Medium"), "low": _("Low")},
    "guardian_type": {
        "relative": _("A relative"),
        "non_relative": _("A non-relative"),
        "professional": _("A professional guardian"),
        "institutional": _("An institution"),
    },
    "end_reason": {
        "turned_18": _("The child turned 18"),
        "left_jurisdiction": _("The child left the country"),
        "replaced": _("Replaced"),
        "unsuitable": _("Unsuitable"),
        "other": _("Other"),
    },
    "method": {
        "documents": _("Documents"),
        "interview": _("Interview"),
        "psychosocial": _("Psychosocial assessment"),
        "medical": _("Medical examination"),
        "other": _("Other"),
    },
    "assessment_decision": {
        "provisional": _("Provisional"),
        "final": _("Final"),
    },
    "bia_form": {"short": _("Short"), "comprehensive": _("Comprehensive")},
    "bid_purpose": {
        "durable_solution": _("A durable solution"),
        "separation_from_parents": _("Separation from the parents"),
        "temporary_care": _("Temporary care"),
    },
    "decision_type": {
        "return": _("Return"),
        "local_integration": _("Local integration"),
        "resettlement": _("Resettlement"),
        "complementary_pathway": _("A complementary pathway"),
        "separation_from_parents": _("Separation from the parents"),
    },
    "enrolment": {
        "enrolled": _("Enrolled"),
        "not_enrolled": _("Not enrolled"),
        "non_formal": _("Non-formal education only"),
        "not_school_age": _("Not of school age"),
    },
    "barriers": {
        "documents": _("Documents"),
        "language": _("Language"),
        "fees": _("Fees"),
        "distance": _("Distance"),
        "detention": _("Detention"),
        "discrimination": _("Discrimination"),
        "no_place": _("No place"),
        "child_labour": _("Child labour"),
        "other": _("Other"),
    },
    "visit_outcome": {
        "settled": _("Settled"),
        "concerns": _("Concerns"),
        "breakdown": _("The placement broke down"),
    },
    "return_type": {
        "voluntary": _("Voluntary"),
        "assisted_voluntary": _("Assisted voluntary"),
        "forced": _("Forced"),
    },
    "destination_kind": {
        "nationality": _("The country of nationality"),
        "third_country": _("A third country"),
    },
    **dict.fromkeys(
        (
            "child",
            "trafficking",
            "asylum",
            "non_refoulement",
            "health",
            "pregnancy",
            "family_unity",
            "reception",
        ),
        _AREA,
    ),
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
    "children.guardian": _("Appoint a guardian"),
    "children.guardian_suitability": _("Check the guardian's suitability"),
    "children.best_interests_assessment": _("Assess the child's best interests"),
    "children.best_interests_determination": _(
        "Determine the child's best interests before deciding"
    ),
    "children.reunification_follow_up": _("Visit the child after reunification"),
    "returns.screening": _("Screen before return"),
    "returns.concern": _("Resolve a concern before return"),
    "returns.follow_up": _("Follow up after return"),
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
