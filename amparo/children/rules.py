"""The children's rules of the safeguards engine (resolution 68/179 para 5(g): the best
interests of the child a primary consideration, above all for unaccompanied children,
in integration, return and family reunification). Pure: imports nothing from Django.

Deadlines are counted in the profile's time zone (a child's case has no place of
detention to take one from). A duty owed to a child lapses (`not_applicable`) when the
person is no longer a child by the facts, or no longer separated, before it was met;
`details["missed"]` tells whether its deadline had passed first. A child who may turn
18 while a duty is open has `details["adult_at"]`, so that the duty is looked at again
then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from amparo.children import age
from amparo.children.situation import (
    CHECKED_TYPES,
    Determination,
    determinations,
    guardians,
    known,
    panel_minimum,
    panel_problems,
    periods,
)
from amparo.safeguards.engine import Rule, register
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status
from amparo.safeguards.profiles import Profile

RESOLUTION = "A/RES/68/179 para 5(g)"
GC6 = "CRC GC No. 6 (2005)"
DURABLE_SOLUTIONS = frozenset(
    {"return", "local_integration", "resettlement", "complementary_pathway"}
)
# Why a guardian's end leaves the child needing none: the guardianship has done its work.
FINAL_ENDINGS = frozenset({"turned_18", "left_jurisdiction"})


def adulthood(
    case: CaseFile, now: datetime, since: datetime, zone: ZoneInfo
) -> datetime | None:
    """When, at or after `since`, the facts known at `now` say the person is an
    adult: `since` itself if they say so then, the 18th birthday if it is to come,
    None if nothing says the person is or becomes an adult (a child's status with no
    age recorded is a child's)."""
    if not any(f.kind in age.AGE_KINDS and f.at <= now for f in case.facts):
        return None
    found = age.childhood(case, now, (since, max(since, now)), zone)
    if found is None:
        return since
    return found.until or found.adult_at


def _earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


@register
class AppointGuardian(Rule):
    """As soon as a child is identified as unaccompanied or separated, a guardian or
    adviser must be appointed: by default within 24 hours (the profile's
    `guardian_appointment`; the law says "as soon as", the hours are policy). The
    guardianship lasts until the child turns 18 or leaves the country for good; if it
    ends sooner (the guardian is replaced, or a check finds them unsuitable), another
    guardian is due at once, by the same figure. Met by `guardian_appointed`. Lapses
    when the child turns 18 or is no longer separated first. Open: warning; overdue:
    critical. Sources: CRC General Comment No. 6 (2005) paras 33-34; CRC art. 20."""

    id = "children.guardian"
    title = "Appoint a guardian"
    citations = (RESOLUTION, f"{GC6} paras 33-34", "CRC art. 20")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        if not known(case, now):
            return
        zone = profile.time_zone
        appointed = guardians(case, now)
        number = 0
        for period in periods(case, now):
            need: datetime | None = period.identified.at
            triggered: tuple[str, ...] = (period.identified.id,)
            while need is not None:
                number += 1
                adult = adulthood(case, now, need, zone)
                lapse = _earliest(period.until, adult)
                if lapse is not None and lapse <= need:
                    yield self._adult(case, number, triggered)
                    break
                cover = next(
                    (
                        g
                        for g in appointed
                        if (g.ended is None or g.ended.at > need)
                        and (lapse is None or g.appointed.at < lapse)
                    ),
                    None,
                )
                details: dict[str, Any] = {}
                if adult is not None and adult > now:
                    details["adult_at"] = adult.isoformat()
                if cover is not None:
                    details |= {
                        "guardian": cover.id,
                        "guardian_type": cover.guardian_type,
                    }
                yield self.timed(
                    case,
                    profile,
                    now,
                    key=str(number),
                    due="Appoint a guardian for the child",
                    start=need,
                    figure="guardian_appointment",
                    met=cover.appointed if cover else None,
                    lapse=lapse,
                    lapse_note="The person is no longer a separated child.",
                    triggered_by=triggered,
                    details=details,
                )
                need = None
                if (
                    cover is not None
                    and cover.ended is not None
                    and cover.ended.get("end_reason") not in FINAL_ENDINGS
                    and (lapse is None or cover.ended.at < lapse)
                ):
                    need = cover.ended.at
                    triggered = (cover.ended.id,)

    def _adult(
        self, case: CaseFile, number: int, triggered: tuple[str, ...]
    ) -> Obligation:
        return self.obligation(
            case,
            key=str(number),
            due="Appoint a guardian for the child",
            due_at=None,
            status=Status.NOT_APPLICABLE,
            severity=Severity.INFO,
            triggered_by=triggered,
            note="The facts say the person was not a child then.",
        )


@register
class GuardianSuitability(Rule):
    """A relative or other carer appointed as a child's guardian must have their
    suitability checked, a non-relative's more closely: by default within 7 calendar
    days of the appointment (the profile's `guardian_suitability_check`, a policy
    figure). Professional and institutional guardians are vetted by their own body.
    Met by `guardian_suitability_checked`, whatever it found: a guardian found
    unsuitable ends the guardianship, and children.guardian asks for another. Lapses
    if the guardianship ends first. Open: info; overdue: warning. Source: CRC General
    Comment No. 6 (2005) para 34."""

    id = "children.guardian_suitability"
    title = "Check the guardian's suitability"
    citations = (RESOLUTION, f"{GC6} para 34")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        if not known(case, now):
            return
        for guardian in guardians(case, now):
            if guardian.guardian_type not in CHECKED_TYPES:
                continue
            ended = guardian.ended if guardian.ended not in guardian.checks else None
            checks = [c for c in guardian.checks if ended is None or c.at < ended.at]
            yield self.timed(
                case,
                profile,
                now,
                key=guardian.id,
                due=f"Check the suitability of guardian {guardian.id}",
                start=guardian.appointed.at,
                figure="guardian_suitability_check",
                met=checks[0] if checks else None,
                lapse=ended.at if ended else None,
                lapse_note="The guardianship ended before the check.",
                triggered_by=(guardian.appointed.id,),
                severity=(Severity.INFO, Severity.WARNING),
                details={"guardian_type": guardian.guardian_type},
            )


@register
class BestInterestsAssessment(Rule):
    """Every unaccompanied or separated child's best interests must be assessed by the
    case worker (a short or comprehensive BIA, with the child's views): by default
    within 72 hours of identification, or 24 hours for a child at high risk (the
    profile's `bia_separated_child` and `bia_urgent`; the UNHCR guidelines leave the
    times to each operation). Met by `bia_completed`. Lapses when the child turns 18
    or is no longer separated first. Open: warning; overdue: critical. Sources: UNHCR
    Best Interests Procedure Guidelines (2021); CRC art. 3(1)."""

    id = "children.best_interests_assessment"
    title = "Assess the child's best interests"
    citations = (RESOLUTION, "UNHCR BIP Guidelines (2021)", "CRC art. 3(1)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        facts = known(case, now)
        if not facts:
            return
        zone = profile.time_zone
        assessments = [f for f in facts if f.kind == "bia_completed"]
        for period in periods(case, now):
            start = period.identified.at
            adult = adulthood(case, now, start, zone)
            lapse = _earliest(period.until, adult)
            if lapse is not None and lapse <= start:
                continue  # children.guardian says the person was not a child
            urgent = period.identified.get("risk_level") == "high"
            met = next(
                (
                    f
                    for f in assessments
                    if f.at >= start and (lapse is None or f.at < lapse)
                ),
                None,
            )
            details: dict[str, Any] = {"urgent": urgent}
            if adult is not None and adult > now:
                details["adult_at"] = adult.isoformat()
            yield self.timed(
                case,
                profile,
                now,
                key=str(period.number),
                due="Assess the child's best interests (BIA)",
                start=start,
                figure="bia_urgent" if urgent else "bia_separated_child",
                met=met,
                lapse=lapse,
                lapse_note="The person is no longer a separated child.",
                triggered_by=(period.identified.id,),
                details=details,
            )


@register
class BestInterestsDetermination(Rule):
    """A formal best interests determination (BID) must come before a durable
    solution (return, local integration, resettlement or a complementary pathway) is
    decided for an unaccompanied or separated child, and before any decision that
    would separate a child from their parents against their will (a return planned
    for such a child is a return proposed). A BID is a report
    to a panel of at least three members (the profile's `bid_panel_minimum`), each of
    whom has signed an undertaking of confidentiality, and the report's author never
    decides alone. Raised by `decision_proposed`; met by such a panel's `bid_decided`
    for the purpose, unless reopened since. No deadline: due before the decision
    (warning); a decision taken without it is escalated (critical). Sources: UNHCR Best
    Interests Procedure Guidelines (2021); UNHCR Guidelines on Determining the Best
    Interests of the Child (2008); CRC arts. 3(1), 9(1)."""

    id = "children.best_interests_determination"
    title = "Determine the child's best interests before deciding"
    citations = (
        RESOLUTION,
        "UNHCR BIP Guidelines (2021)",
        "CRC art. 3(1)",
        "CRC art. 9(1)",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        facts = known(case, now)
        latest = {
            str(f.get("decision_type")): f
            for f in facts
            if f.kind == "decision_proposed"
        }
        zone = profile.time_zone
        # A return planned for a separated child is a return proposed (the return's
        # readiness waits for this duty); an adult's return raises nothing here.
        planned = [f for f in case.facts if f.kind == "return_planned" and f.at <= now]
        if (
            planned
            and ("return" not in latest or planned[-1].at > latest["return"].at)
            and not bid_not_needed(case, now, zone, "return", planned[-1].at)
        ):
            latest["return"] = planned[-1]
        if not latest:
            return
        bids = determinations(case, now)
        minimum = panel_minimum(profile)
        for decision_type, proposal in sorted(latest.items()):
            yield self.one(case, now, zone, decision_type, proposal, bids, minimum)

    def one(
        self,
        case: CaseFile,
        now: datetime,
        zone: ZoneInfo,
        decision_type: str,
        proposal: Fact,
        bids: Sequence[Determination],
        minimum: int,
    ) -> Obligation:
        common: dict[str, Any] = {
            "key": decision_type,
            "due": f"Determine the child's best interests (BID) before deciding: {decision_type}",
            "due_at": None,
            "triggered_by": (proposal.id,),
        }
        why_not = bid_not_needed(case, now, zone, decision_type, proposal.at)
        if why_not:
            return self.obligation(
                case,
                status=Status.NOT_APPLICABLE,
                severity=Severity.INFO,
                note=why_not,
                **common,
            )
        taken = next(
            (
                f
                for f in case.facts
                if proposal.at <= f.at <= now
                and (
                    (
                        f.kind == "decision_taken"
                        and f.get("decision_type") == decision_type
                    )
                    or (decision_type == "return" and f.kind == "return_completed")
                )
            ),
            None,
        )
        # A decision taken is judged by the BIDs as they stood then: a BID reopened
        # later does not unmake it.
        if taken is not None:
            bids = determinations(case, taken.at)
        valid = valid_determinations(bids, decision_type, minimum)
        details = {"panel_minimum": minimum}
        first = valid[0].decision if valid else None
        if first is not None and (taken is None or first.at <= taken.at):
            return self.obligation(
                case,
                status=Status.MET,
                severity=Severity.INFO,
                met_by=(first.id,),
                met_at=first.at,
                details={**details, "bid": valid[0].id},
                **common,
            )
        if taken is not None:
            return self.obligation(
                case,
                status=Status.ESCALATED,
                severity=Severity.CRITICAL,
                note=f"Decided (fact {taken.id}) without a best interests determination.",
                details=details,
                **{**common, "triggered_by": (proposal.id, taken.id)},
            )
        return self.obligation(
            case,
            status=Status.OPEN,
            severity=Severity.WARNING,
            details=details,
            **common,
        )


@register
class ReunificationFollowUp(Rule):
    """After a child is reunited with family, the case worker visits to see how the
    child is: by default within 30 calendar days (the profile's
    `reunification_follow_up`, a policy figure). Met by `reunification_visited`.
    Open: info; overdue: warning. Sources: Inter-agency Guiding Principles on
    Unaccompanied and Separated Children (2004); CRC arts. 3(1), 10."""

    id = "children.reunification_follow_up"
    title = "Visit the child after reunification"
    citations = (
        RESOLUTION,
        "Inter-agency Guiding Principles on Unaccompanied and Separated Children (2004)",
        "CRC art. 10",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        facts = known(case, now)
        reunions = [f for f in facts if f.kind == "reunified"]
        for number, reunion in enumerate(reunions, start=1):
            visit = next(
                (
                    f
                    for f in facts
                    if f.kind == "reunification_visited" and f.at >= reunion.at
                ),
                None,
            )
            yield self.timed(
                case,
                profile,
                now,
                key=str(number),
                due="Visit the child after reunification",
                start=reunion.at,
                figure="reunification_follow_up",
                met=visit,
                triggered_by=(reunion.id,),
                severity=(Severity.INFO, Severity.WARNING),
            )


def bid_not_needed(
    case: CaseFile, now: datetime, zone: ZoneInfo, decision_type: str, at: datetime
) -> str:
    """Why a decision of `decision_type` proposed at `at` needs no BID, by the facts
    known at `now`; empty when it needs one."""
    adult = adulthood(case, now, at, zone)
    if adult is not None and adult <= at:
        return "The facts say the person was not a child when it was proposed."
    separated = any(
        p.identified.at <= at and (p.until is None or p.until > at)
        for p in periods(case, now)
    )
    if decision_type in DURABLE_SOLUTIONS and not separated:
        return "The child was not unaccompanied or separated when it was proposed."
    return ""


def valid_determinations(
    bids: Sequence[Determination], decision_type: str, minimum: int
) -> list[Determination]:
    """The decided BIDs (not reopened since) for the purpose `decision_type` needs,
    whose panel had at least `minimum` members, each with an undertaking, and was not
    the report's author alone."""
    purpose = (
        "separation_from_parents"
        if decision_type == "separation_from_parents"
        else "durable_solution"
    )
    return [
        b
        for b in bids
        if b.decided
        and b.report.get("bid_purpose") == purpose
        and b.decision is not None
        and not panel_problems(
            b, list(b.decision.get("panel") or ()), minimum, b.decision.at
        )
    ]
