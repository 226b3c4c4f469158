"""Which fact meets an obligation, so that a worker records it from the obligation
itself: the kind, and the fields the obligation already knows (the episode, the
country, the communication). Pure: it reads a rule id, a key and a status."""

from __future__ import annotations

from dataclasses import dataclass, field

from amparo.safeguards.obligations import Status

UNKNOWN_COUNTRY = "unknown"


@dataclass(frozen=True)
class Meeting:
    kind: str
    initial: dict[str, str] = field(default_factory=dict)


def _episode(key: str) -> dict[str, str]:
    # Periodic reviews are keyed "<episode>/review-<n>".
    return {"episode": key.split("/", 1)[0]}


def _country(key: str, **more: str) -> dict[str, str]:
    known = {} if key == UNKNOWN_COUNTRY else {"country": key}
    return known | more


def meeting_fact(rule_id: str, key: str, status: str) -> Meeting | None:
    """The fact that meets the obligation, or None where the case worker records none
    (it is met, not applicable, waits for a legal officer's decision, only time meets
    it: a reflection period, or the provider answers on the referral's own page)."""
    if (
        status in (Status.MET.value, Status.NOT_APPLICABLE.value)
        or rule_id == "services.urgent_referral"
        # An asylum seeker's or refugee's consulate: a legal officer decides first,
        # from the escalation (`legal_review`), not the case worker from this duty.
        or (
            rule_id == "consular.mandatory_notification"
            and status == Status.ESCALATED.value
        )
    ):
        return None
    by_episode = {
        "detention.first_review": "detention_reviewed",
        "detention.periodic_review": "detention_reviewed",
        "detention.vulnerability_screening": "vulnerability_screened",
        "detention.alternatives_review": "alternatives_step",
        "detention.maximum_period": "detention_ended",
        "detention.indefinite_risk": "detention_ended",
        "detention.child": "detention_ended",
    }
    if rule_id in by_episode:
        return Meeting(by_episode[rule_id], _episode(key))
    notices = {
        "consular.notify_on_request": "detention",
        "consular.mandatory_notification": "detention",
        "consular.death": "death",
        "consular.guardianship": "guardianship",
    }
    if rule_id in notices:
        return Meeting("consulate_notified", _country(key, about=notices[rule_id]))
    children = {
        "children.guardian": Meeting("guardian_appointed"),
        "children.guardian_suitability": Meeting(
            "guardian_suitability_checked", {"guardian": key}
        ),
        "children.best_interests_assessment": Meeting("bia_completed"),
        # The panel decides (its own page); the case worker's part is the report.
        "children.best_interests_determination": Meeting(
            "bid_report_submitted",
            {
                "bid_purpose": "separation_from_parents"
                if key == "separation_from_parents"
                else "durable_solution"
            },
        ),
        "children.reunification_follow_up": Meeting("reunification_visited"),
    }
    if rule_id in children:
        return children[rule_id]
    returns = {
        "returns.screening": "return_screened",
        "returns.concern": "return_screened",
        "returns.follow_up": "return_followed_up",
    }
    if rule_id in returns:
        # A concern is keyed "<return>/<area>".
        return Meeting(returns[rule_id], {"return": key.split("/", 1)[0]})
    if rule_id == "protection.identification":
        return Meeting("trafficking_identified", {"stage": "reasonable_grounds"})
    if rule_id == "labour.trafficking_screening":
        return Meeting("forced_labour_screened")
    if rule_id == "protection.assistance":
        return Meeting("assistance_offered", {"assistance": key})
    if rule_id == "consular.inform_rights":
        return Meeting("rights_informed")
    if rule_id == "consular.forward_communications":
        return Meeting("communication_forwarded", {"communication": key})
    return None
