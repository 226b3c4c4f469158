"""The rules on returns (resolution 68/179 paras 5(i) and 4(g)): no one is returned
(voluntarily, with assistance or by force; to their own country or a third one) before
a screening for what makes a return unsafe or unlawful, approved by a supervisor; each
concern the screening finds blocks the return until resolved; after the return, the
person is followed up. Pure: imports nothing from Django.

A return is the run of facts that share a `return` id, from its `return_planned`. The
screening areas and their sources are `AREAS`; a pending asylum claim or refugee
status blocks a return by itself, screened or not (non-refoulement). The best interests
determination an unaccompanied or separated child needs before a return is
children.best_interests_determination's duty (a planned return is a return proposed).
A recovery and reflection period (protection.reflection_period) blocks a return by
itself while it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Any

from amparo.protection.rules import reflection_period
from amparo.safeguards.engine import Rule, register
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status, timed_status
from amparo.safeguards.profiles import Profile

RESOLUTION = "A/RES/68/179 para 5(i)"
RETURN_KINDS = frozenset(
    {
        "return_planned",
        "return_screened",
        "return_screening_approved",
        "return_ready",
        "return_cancelled",
        "return_completed",
        "return_followed_up",
    }
)
# Each area of the screening: what a concern means, and the law it comes from.
AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "child": (
        "a child whose best interests the return may not serve",
        ("CRC art. 3(1)", "CRC GC No. 6 (2005) paras 84-88"),
    ),
    "trafficking": (
        "a victim or possible victim of trafficking (no removal inside a reflection period)",
        ("Palermo Protocol art. 8(2)", "CoE Anti-Trafficking Convention art. 13"),
    ),
    "asylum": (
        "an asylum claim pending, or refugee status",
        ("1951 Refugee Convention art. 33(1)",),
    ),
    "non_refoulement": (
        "a real risk of torture, ill-treatment or persecution on return",
        ("CAT art. 3", "ICCPR art. 7"),
    ),
    "health": (
        "a disability or serious illness",
        ("A/RES/68/179 para 5(i)", "CRPD art. 11"),
    ),
    "pregnancy": ("a pregnancy", ("CEDAW art. 12(2)",)),
    "family_unity": (
        "a return that would separate a family",
        ("CRC arts. 9-10", "ICCPR art. 23(1)"),
    ),
    "reception": (
        "no arrangement to receive the person duly in the country of return",
        ("A/RES/68/179 para 4(g)",),
    ),
}
PROTECTED_ASYLUM = frozenset({"asylum_seeker", "refugee"})


@dataclass(frozen=True)
class Return:
    """One planned return and what was recorded of it by a time."""

    id: str
    planned: Fact
    facts: tuple[Fact, ...]

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]

    def first(self, kind: str) -> Fact | None:
        return next((f for f in self.facts if f.kind == kind), None)

    @property
    def screening(self) -> Fact | None:
        """The latest screening: it replaces the earlier ones."""
        found = self.of("return_screened")
        return found[-1] if found else None

    @property
    def approval(self) -> Fact | None:
        """The approval of the latest screening (an earlier one approved an earlier
        screening, not this one)."""
        latest = self.screening
        if latest is None:
            return None
        return next(
            (f for f in self.of("return_screening_approved") if f.at >= latest.at), None
        )

    @property
    def ended(self) -> Fact | None:
        """What ended the return's planning: called off, or carried out."""
        return self.first("return_cancelled") or self.first("return_completed")


def returns(case: CaseFile, now: datetime) -> list[Return]:
    """The case's returns known at `now`, first planned first."""

    def compute() -> list[Return]:
        facts = [f for f in case.facts if f.kind in RETURN_KINDS and f.at <= now]
        found: list[Return] = []
        for planned in (f for f in facts if f.kind == "return_planned"):
            rid = str(planned.get("return"))
            if any(r.id == rid for r in found):
                continue
            own = tuple(
                f
                for f in facts
                if f.get("return") == rid and f.at >= planned.at and f is not planned
            )
            found.append(Return(rid, planned, own))
        return found

    return case.derived(("returns", now), compute)


def concerns(
    ret: Return, case: CaseFile, profile: Profile, now: datetime
) -> dict[str, Fact]:
    """The areas that block the return now (or blocked it when it was carried out),
    each with the fact that raised it: a concern in the latest screening (for asylum,
    unless a later status shows no claim), a pending asylum claim or refugee status,
    and a recovery and reflection period running (protection.reflection_period)."""
    until = _until(ret, now)
    found: dict[str, Fact] = {}
    screening = ret.screening
    status = asylum_status(case, until)
    if screening is not None:
        found |= {a: screening for a in AREAS if screening.get(a) == "concern"}
        if (
            "asylum" in found
            and status is not None
            and status.at > screening.at
            and status.get("status") not in PROTECTED_ASYLUM
        ):
            del found["asylum"]
    if status is not None and status.get("status") in PROTECTED_ASYLUM:
        found.setdefault("asylum", status)
    period = reflection_period(case, profile, until)
    if period is not None and (period[1] is None or until < period[1]):
        found.setdefault("trafficking", period[0])
    return found


def _until(ret: Return, now: datetime) -> datetime:
    """Up to when the person's situation counts for the return: its carrying out,
    else now (a claim lodged after the return did not block it)."""
    completed = ret.first("return_completed")
    return completed.at if completed is not None else now


def asylum_status(case: CaseFile, at: datetime) -> Fact | None:
    """The latest asylum status recorded by `at`."""
    found = [f for f in case.facts if f.kind == "asylum_status" and f.at <= at]
    return found[-1] if found else None


@register
class ScreenBeforeReturn(Rule):
    """Before any return (voluntary, assisted or forced; to the country of nationality
    or a third country), the person must be screened for what makes it unsafe or
    unlawful: a child's best interests, trafficking, a pending asylum claim or a risk
    of refoulement, a disability or serious illness, pregnancy, family unity, and
    whether the country of return will receive the person duly. A supervisor approves
    the screening. Due by the planned date when one is given (else no deadline, but
    before the return). Met by `return_screening_approved` of the latest
    `return_screened`. Lapses if the return is called off. A return carried out or
    marked ready without an approved screening is escalated. Open: warning; overdue:
    critical. Sources: A/RES/68/179 paras 5(i), 4(g)."""

    id = "returns.screening"
    title = "Screen before return"
    citations = (RESOLUTION, "A/RES/68/179 para 4(g)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for ret in returns(case, now):
            yield self.one(case, profile, now, ret)

    def one(
        self, case: CaseFile, profile: Profile, now: datetime, ret: Return
    ) -> Obligation:
        due_at = planned_day(ret, profile)
        common: dict[str, Any] = {
            "key": ret.id,
            "due": f"Screen the person before return {ret.id}, and have it approved",
            "due_at": due_at,
            "triggered_by": (ret.planned.id,),
            "details": {"return_type": ret.planned.get("return_type")},
        }
        approvals = ret.of("return_screening_approved")
        cancelled = ret.first("return_cancelled")
        completed = ret.first("return_completed")
        # Marked ready or carried out with no screening approved before it.
        unscreened = [
            f
            for f in (ret.first("return_ready"), completed)
            if f is not None and not any(a.at <= f.at for a in approvals)
        ]
        if unscreened:
            return self.obligation(
                case,
                status=Status.ESCALATED,
                severity=Severity.CRITICAL,
                note=f"Fact {unscreened[0].id} came before an approved screening.",
                **common,
            )
        # Carried out: met by the approval it went on; else by the latest screening's.
        went_on = [
            a for a in approvals if completed is not None and a.at <= completed.at
        ]
        approval = went_on[-1] if went_on else ret.approval
        if approval is not None:
            return self.obligation(
                case,
                status=Status.MET,
                severity=Severity.INFO,
                met_by=(approval.id,),
                met_at=approval.at,
                **common,
            )
        if cancelled is not None:
            return self.obligation(
                case,
                status=Status.NOT_APPLICABLE,
                severity=Severity.INFO,
                note="The return was called off.",
                **common,
            )
        if due_at is None:
            return self.obligation(
                case, status=Status.OPEN, severity=Severity.WARNING, **common
            )
        status = timed_status(due_at, None, now)
        severity = Severity.CRITICAL if status is Status.OVERDUE else Severity.WARNING
        return self.obligation(case, status=status, severity=severity, **common)


def planned_day(ret: Return, profile: Profile) -> datetime | None:
    """The start of the planned day of the return, in the profile's zone."""
    text = ret.planned.get("planned_for")
    if not isinstance(text, str):
        return None
    try:
        day = datetime.fromisoformat(text).date()
    except ValueError:
        return None
    return datetime.combine(day, time(), tzinfo=profile.time_zone)


@register
class ResolveConcern(Rule):
    """Each concern found before a return blocks it until resolved: a later screening
    that finds the area clear, or, for an asylum claim or refugee status, a change of
    that status. A pending asylum claim or refugee status blocks a return by itself,
    screened or not, and so does a recovery and reflection period while it runs
    (protection.reflection_period). Escalated and critical while it blocks; met once resolved; lapses
    if the return is called off; a return carried out despite it stays escalated.
    Sources: A/RES/68/179 para 5(i), and each area's own (the 1951 Refugee Convention
    art. 33(1) for asylum, CAT art. 3 and ICCPR art. 7 for refoulement, the Palermo
    Protocol art. 8(2) and the Council of Europe Anti-Trafficking Convention art. 13
    for trafficking, CRC arts. 3(1), 9 and 10 for children and families, CRPD art. 11
    for disability, CEDAW art. 12(2) for pregnancy, para 4(g) for reception)."""

    id = "returns.concern"
    title = "Resolve a concern before return"
    citations = (RESOLUTION,)

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for ret in returns(case, now):
            raised = _raised(ret, case, profile, now)
            current = concerns(ret, case, profile, now)
            period = reflection_period(case, profile, now)
            for area, first in raised.items():
                made = self.one(case, now, ret, area, first, current.get(area))
                if area == "trafficking" and period is not None and period[1]:
                    # Time alone ends the period: the duty is looked at again then.
                    made = replace(
                        made,
                        details={
                            **made.details,
                            "period_ends_at": period[1].isoformat(),
                        },
                    )
                yield made

    def one(
        self,
        case: CaseFile,
        now: datetime,
        ret: Return,
        area: str,
        first: Fact,
        still: Fact | None,
    ) -> Obligation:
        what, sources = AREAS[area]
        common: dict[str, Any] = {
            "key": f"{ret.id}/{area}",
            "due": f"Resolve before return {ret.id}: {what}",
            "due_at": None,
            "triggered_by": (first.id,),
            "details": {"area": area},
        }
        citations = (*self.citations, *sources)
        completed = ret.first("return_completed")
        if still is None:
            resolved = _resolution(ret, case, now, area, first)
            return self._build(
                case,
                citations,
                status=Status.MET,
                severity=Severity.INFO,
                met_by=(resolved.id,) if resolved else (),
                met_at=resolved.at if resolved else None,
                **common,
            )
        if completed is not None:
            return self._build(
                case,
                citations,
                status=Status.ESCALATED,
                severity=Severity.CRITICAL,
                note=f"The person was returned (fact {completed.id}) despite it.",
                **common,
            )
        if ret.first("return_cancelled") is not None:
            return self._build(
                case,
                citations,
                status=Status.NOT_APPLICABLE,
                severity=Severity.INFO,
                note="The return was called off.",
                **common,
            )
        return self._build(
            case,
            citations,
            status=Status.ESCALATED,
            severity=Severity.CRITICAL,
            **common,
        )

    def _build(
        self, case: CaseFile, citations: tuple[str, ...], **values: Any
    ) -> Obligation:
        return replace(self.obligation(case, **values), citations=citations)


def _raised(
    ret: Return, case: CaseFile, profile: Profile, now: datetime
) -> dict[str, Fact]:
    """Every area a concern was ever raised in for the return, with the first fact
    that raised it (a resolved concern stays on the record, met): the screenings'
    concerns, an asylum claim or refugee status current at any time from the plan to
    the return (or now), and a reflection period that overlapped that time."""
    found: dict[str, Fact] = {}
    for screening in ret.of("return_screened"):
        for area in AREAS:
            if screening.get(area) == "concern":
                found.setdefault(area, screening)
    at_plan = asylum_status(case, ret.planned.at)
    statuses = [
        f
        for f in case.facts
        if f.kind == "asylum_status" and ret.planned.at < f.at <= _until(ret, now)
    ]
    protected = [
        f
        for f in ([at_plan] if at_plan else []) + statuses
        if f.get("status") in PROTECTED_ASYLUM
    ]
    if protected and "asylum" not in found:
        found["asylum"] = protected[0]
    period = reflection_period(case, profile, _until(ret, now))
    if period is not None and (period[1] is None or period[1] > ret.planned.at):
        found.setdefault("trafficking", period[0])
    return dict(sorted(found.items()))


def _resolution(
    ret: Return, case: CaseFile, now: datetime, area: str, first: Fact
) -> Fact | None:
    """What resolved a concern: the latest screening since it was raised, or for
    asylum, the latest change of status if later."""
    candidates = [ret.screening]
    if area == "asylum":
        candidates.append(asylum_status(case, _until(ret, now)))
    after = [
        f for f in candidates if f is not None and f is not first and f.at >= first.at
    ]
    return max(after, key=lambda f: f.at, default=None)


@register
class FollowUpAfterReturn(Rule):
    """After a return, the person is followed up: reached, duly received in the
    country of return, and given the reintegration support agreed. By default within
    30 calendar days of the return (the profile's `return_follow_up`, a policy figure).
    Met by `return_followed_up`. Open: info; overdue: warning. Sources: A/RES/68/179
    paras 4(g), 5(i)."""

    id = "returns.follow_up"
    title = "Follow up after return"
    citations = (RESOLUTION, "A/RES/68/179 para 4(g)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for ret in returns(case, now):
            completed = ret.first("return_completed")
            if completed is None:
                continue
            yield self.one(case, profile, now, ret, completed)

    def one(
        self,
        case: CaseFile,
        profile: Profile,
        now: datetime,
        ret: Return,
        completed: Fact,
    ) -> Obligation:
        follow_ups = [f for f in ret.of("return_followed_up") if f.at >= completed.at]
        return self.timed(
            case,
            profile,
            now,
            key=ret.id,
            due=f"Follow up after return {ret.id}",
            start=completed.at,
            figure="return_follow_up",
            met=follow_ups[0] if follow_ups else None,
            triggered_by=(completed.id,),
            severity=(Severity.INFO, Severity.WARNING),
        )
