"""The rules for victims of trafficking and crime (resolution 68/179 paras 5(a), 5(b),
7, 8): a screening that suggests trafficking asks for an identification decision; a
positive decision on reasonable grounds opens a recovery and reflection period, during
which no one is removed (returns.concern blocks a return by it), and the offer of
medical, psychosocial and legal assistance, never conditional on cooperation with
investigators. Pure: imports nothing from Django. Deadlines in the profile's zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from amparo.protection import screening
from amparo.safeguards.deadlines import Duration, Unit
from amparo.safeguards.engine import Rule, deadline, figure_duration, register
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status
from amparo.safeguards.profiles import Profile

RESOLUTION = "A/RES/68/179 para 5(a)"
ASSISTANCE = ("medical", "psychosocial", "legal")
# CETS 197 art. 13(1): "at least 30 days".
MINIMUM_REFLECTION = Duration(30, Unit.CALENDAR_DAYS)
PROTECTION_KINDS = frozenset(
    {
        "trafficking_screened",
        "forced_labour_screened",
        "trafficking_identified",
        "crime_suffered",
        "offence_linked",
        "assistance_offered",
    }
)


def known(case: CaseFile, now: datetime) -> list[Fact]:
    return case.derived(
        ("protection.known", now),
        lambda: [f for f in case.facts if f.kind in PROTECTION_KINDS and f.at <= now],
    )


def decisions(case: CaseFile, now: datetime, stage: str) -> list[Fact]:
    return [
        f
        for f in known(case, now)
        if f.kind == "trafficking_identified" and f.get("stage") == stage
    ]


def reasonable_grounds(case: CaseFile, now: datetime) -> Fact | None:
    """The first positive decision on reasonable grounds known at `now`."""
    return next(
        (
            f
            for f in decisions(case, now, "reasonable_grounds")
            if f.get("finding") == "positive"
        ),
        None,
    )


def reflection_period(
    case: CaseFile, profile: Profile, now: datetime
) -> tuple[Fact, datetime | None] | None:
    """The recovery and reflection period known at `now`: the positive reasonable
    grounds decision that opened it and when it ends (None: the profile has no figure;
    the period then has no end the engine knows). None if there is none."""
    opened = reasonable_grounds(case, now)
    if opened is None:
        return None
    zone = profile.time_zone
    duration, _source = figure_duration(
        profile, "reflection_period", opened.at.astimezone(zone).date()
    )
    if duration is None:
        return opened, None
    # At least the Convention's 30 days, whatever a profile says.
    return opened, max(
        deadline(profile, opened.at, duration),
        deadline(profile, opened.at, MINIMUM_REFLECTION),
    )


@register
class Identification(Rule):
    """When a screening with the ILO/European Commission indicators suggests possible
    trafficking, an authorised person must decide whether there are reasonable grounds
    to believe the person is a victim: by default within 7 days of the screening (the
    profile's `reasonable_grounds_decision`, a policy figure). Met by a
    `trafficking_identified` on reasonable grounds, positive or negative. The
    suggestion never decides. Open: warning; overdue: critical. Sources: Council of
    Europe Anti-Trafficking Convention art. 10; Palermo Protocol art. 6."""

    id = "protection.identification"
    title = "Decide on reasonable grounds after a screening"
    citations = (RESOLUTION, "CoE Anti-Trafficking Convention art. 10")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        facts = known(case, now)
        if not facts:
            return
        suggesting = next(
            (
                f
                for f in facts
                if f.kind == "trafficking_screened"
                and f.get("indicator_set") in screening.set_codes()
                and screening.suggest(
                    str(f.get("indicator_set")), list(f.get("indicators") or ())
                ).possible
            ),
            None,
        )
        if suggesting is None:
            return
        zone = profile.time_zone
        duration, _source = figure_duration(
            profile,
            "reasonable_grounds_decision",
            suggesting.at.astimezone(zone).date(),
        )
        if duration is None:
            return  # no figure: nothing the engine can time
        decided = decisions(case, now, "reasonable_grounds")
        yield self.timed(
            case,
            profile,
            now,
            key="reasonable_grounds",
            due="Decide whether there are reasonable grounds",
            start=suggesting.at,
            figure="reasonable_grounds_decision",
            met=decided[0] if decided else None,
            triggered_by=(suggesting.id,),
        )


@register
class ReflectionPeriod(Rule):
    """A person found, on reasonable grounds, to be a victim of trafficking has a
    recovery and reflection period of at least 30 days (the profile's
    `reflection_period`), in which no removal order may be enforced: any planned return
    is blocked meanwhile (returns.concern). Open (info) until the period ends; met
    then, if the person was not removed; a return carried out inside it is escalated
    (critical). Sources: Council of Europe Anti-Trafficking Convention art. 13; EU
    Directive 2004/81/EC art. 6."""

    id = "protection.reflection_period"
    title = "Recovery and reflection period"
    citations = (RESOLUTION, "CoE Anti-Trafficking Convention art. 13")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        if not known(case, now):
            return
        period = reflection_period(case, profile, now)
        if period is None:
            return
        opened, until = period
        removed = next(
            (
                f
                for f in case.facts
                if f.kind == "return_completed"
                and opened.at <= f.at <= now
                and (until is None or f.at < until)
            ),
            None,
        )
        common: dict[str, Any] = {
            "key": "reflection",
            "due": "No removal during the recovery and reflection period",
            "due_at": until,
            "triggered_by": (opened.id,),
        }
        if removed is not None:
            yield self.obligation(
                case,
                status=Status.ESCALATED,
                severity=Severity.CRITICAL,
                note=f"The person was returned (fact {removed.id}) inside the period.",
                **common,
            )
        elif until is not None and now > until:
            yield self.obligation(
                case, status=Status.MET, severity=Severity.INFO, met_at=until, **common
            )
        else:
            yield self.obligation(
                case, status=Status.OPEN, severity=Severity.INFO, **common
            )


@register
class AssistanceOffer(Rule):
    """A person found, on reasonable grounds, to be a victim of trafficking must be
    offered medical, psychosocial and legal assistance, each by default within 72
    hours of the decision (the profile's `assistance_offer`, a policy figure), and
    whether or not they cooperate with investigators. Met by `assistance_offered` of
    that kind, or by a referral to a provider of that service (`service_referred`).
    Open: warning; overdue: critical. Sources: A/RES/68/179 para 7; Palermo
    Protocol art. 6(3); EU Directive 2011/36/EU art. 11(3); Council of Europe
    Anti-Trafficking Convention art. 12."""

    id = "protection.assistance"
    title = "Offer assistance"
    citations = (
        "A/RES/68/179 para 7",
        "Palermo Protocol art. 6(3)",
        "CoE Anti-Trafficking Convention art. 12",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        facts = known(case, now)
        if not facts:
            return
        opened = reasonable_grounds(case, now)
        if opened is None:
            return
        zone = profile.time_zone
        duration, _source = figure_duration(
            profile, "assistance_offer", opened.at.astimezone(zone).date()
        )
        if duration is None:
            return
        for kind in ASSISTANCE:
            offer = next(
                (
                    f
                    for f in case.facts
                    if f.kind in ("assistance_offered", "service_referred")
                    and (f.get("assistance") or f.get("service")) == kind
                    and opened.at <= f.at <= now
                ),
                None,
            )
            yield self.timed(
                case,
                profile,
                now,
                key=kind,
                due=f"Offer {kind} assistance",
                start=opened.at,
                figure="assistance_offer",
                met=offer,
                triggered_by=(opened.id,),
            )
