"""A child's situation as the facts tell it at a time: when the child was identified
as unaccompanied or separated (and until when), the guardians, the best interests
assessments and determinations. Pure: imports nothing from Django. The children's
rules read it, and so does the child's part of the case page.

A **period** of separation runs from a `child_status` of unaccompanied or separated
to the next status that is neither (the child is with their family again, or
accompanied), or to the 18th birthday: each period is one need for a guardian and one
for a best interests assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.profiles import Profile

SEPARATED = frozenset({"unaccompanied", "separated"})
CHILD_KINDS = frozenset(
    {
        "child_status",
        "guardian_appointed",
        "guardian_suitability_checked",
        "guardian_ended",
        "age_assessment_appealed",
        "bia_completed",
        "bid_report_submitted",
        "bid_undertaking_signed",
        "bid_decided",
        "bid_reopened",
        "decision_proposed",
        "decision_taken",
        "education_status",
        "reunification_assessed",
        "reunified",
        "reunification_visited",
    }
)
# Guardians vetted by an institution of their own need no check by the case worker.
CHECKED_TYPES = frozenset({"relative", "non_relative"})
# UNHCR BIP Guidelines (2021): the panel is "multidisciplinary"; the size is policy.
DEFAULT_PANEL_MINIMUM = 3


def known(case: CaseFile, now: datetime) -> list[Fact]:
    """The children's facts as they stood at `now`, in time order."""
    return case.derived(
        ("children.known", now),
        lambda: [f for f in case.facts if f.kind in CHILD_KINDS and f.at <= now],
    )


@dataclass(frozen=True)
class Period:
    """One stretch of separation: from `identified` until `until` (None: still)."""

    number: int
    identified: Fact
    until: datetime | None
    ended_by: Fact | None  # the status that ended it, if one did


def periods(case: CaseFile, now: datetime) -> list[Period]:
    """The child's periods of separation known at `now`, the 18th birthday aside
    (`age.is_child` says when a period stops counting)."""
    found: list[Period] = []
    opened: Fact | None = None
    for fact in known(case, now):
        if fact.kind != "child_status":
            continue
        separated = fact.get("status") in SEPARATED
        if separated and opened is None:
            opened = fact
        elif not separated and opened is not None:
            found.append(Period(len(found) + 1, opened, fact.at, fact))
            opened = None
    if opened is not None:
        found.append(Period(len(found) + 1, opened, None, None))
    return found


@dataclass(frozen=True)
class Guardian:
    id: str
    appointed: Fact
    ended: Fact | None  # `guardian_ended`, or a check that found them unsuitable
    checks: tuple[Fact, ...]

    @property
    def guardian_type(self) -> str:
        return str(self.appointed.get("guardian_type", ""))

    def active_at(self, moment: datetime) -> bool:
        return self.appointed.at <= moment and (
            self.ended is None or self.ended.at > moment
        )


def guardians(case: CaseFile, now: datetime) -> list[Guardian]:
    """The guardians appointed by `now`, first appointed first. A check that found a
    guardian unsuitable ends the guardianship there: the child needs another."""
    facts = known(case, now)
    found: list[Guardian] = []
    for appointed in (f for f in facts if f.kind == "guardian_appointed"):
        gid = appointed.get("guardian")
        if any(g.id == gid for g in found):
            continue  # the same guardian recorded twice: the first counts
        own = [
            f
            for f in facts
            if f.get("guardian") == gid and f.at >= appointed.at and f is not appointed
        ]
        checks = tuple(f for f in own if f.kind == "guardian_suitability_checked")
        endings = [
            f
            for f in own
            if f.kind == "guardian_ended"
            or (f.kind == "guardian_suitability_checked" and f.get("suitable") is False)
        ]
        found.append(
            Guardian(str(gid), appointed, endings[0] if endings else None, checks)
        )
    return found


@dataclass(frozen=True)
class Determination:
    """A best interests determination: its report, the undertakings signed, the
    decision and any reopening, as known at a time."""

    id: str
    report: Fact
    undertakings: tuple[Fact, ...]
    decision: Fact | None
    reopened: Fact | None

    @property
    def author(self) -> str:
        return self.report.recorded_by

    @property
    def signers(self) -> tuple[str, ...]:
        return self.signed_by()

    def signed_by(self, moment: datetime | None = None) -> tuple[str, ...]:
        """Who had signed an undertaking for it by `moment` (by now: None)."""
        return tuple(
            dict.fromkeys(
                f.recorded_by
                for f in self.undertakings
                if f.recorded_by and (moment is None or f.at <= moment)
            )
        )

    @property
    def decided(self) -> bool:
        return self.decision is not None and self.reopened is None


def determinations(case: CaseFile, now: datetime) -> list[Determination]:
    facts = known(case, now)
    found: list[Determination] = []
    for report in (f for f in facts if f.kind == "bid_report_submitted"):
        bid = report.get("bid")
        if any(d.id == bid for d in found):
            continue
        own = [f for f in facts if f.get("bid") == bid and f.at >= report.at]
        decisions = [f for f in own if f.kind == "bid_decided"]
        reopenings = [
            f
            for f in own
            if f.kind == "bid_reopened" and decisions and f.at >= decisions[-1].at
        ]
        found.append(
            Determination(
                id=str(bid),
                report=report,
                undertakings=tuple(
                    f for f in own if f.kind == "bid_undertaking_signed"
                ),
                decision=decisions[-1] if decisions else None,
                reopened=reopenings[-1] if reopenings else None,
            )
        )
    return found


def panel_problems(
    bid: Determination,
    panel: list[str],
    minimum: int,
    at: datetime | None = None,
) -> list[str]:
    """Why `panel` cannot decide `bid` at `at` (now: None; empty: it can): fewer than
    `minimum` members, a member who had signed no undertaking for it by then, or the
    report's author alone."""
    problems = []
    signed = bid.signed_by(at)
    members = list(dict.fromkeys(panel))
    if len(members) < minimum:
        problems.append(
            f"a BID panel needs at least {minimum} members; this one has {len(members)}"
        )
    unsigned = [m for m in members if m not in signed]
    if unsigned:
        problems.append(
            "every panel member signs the undertaking of confidentiality first; "
            f"not signed: {', '.join(unsigned)}"
        )
    if bid.author and members and set(members) <= {bid.author}:
        problems.append("the report's author cannot decide alone")
    return problems


def panel_minimum(profile: Profile) -> int:
    value = profile.setting("bid_panel_minimum", DEFAULT_PANEL_MINIMUM)
    return max(int(value), 1)
