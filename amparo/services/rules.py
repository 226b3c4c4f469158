"""The rule of service referrals: an urgent referral must be accepted in time, or the
person waits for help nobody has taken on. Pure: imports nothing from Django. The facts
are written by `services.actions` as the referral moves (`service_referred`,
`service_referral_updated`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from amparo.safeguards.engine import Rule, register
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation
from amparo.safeguards.profiles import Profile

# What answers an urgent referral: the provider took it on, or already gave the service.
TAKEN_ON = ("accepted", "delivered")
# What ends the wait without the provider taking it on: the case worker then refers
# the person elsewhere, which is a new referral with its own duty.
ENDED = ("declined", "closed")


@register
class UrgentReferral(Rule):
    """An urgent referral to a service provider must be accepted by the provider
    within the profile's `urgent_referral_response` (by default 24 hours, a policy
    figure). Met when the provider accepts it or the service is delivered; not
    applicable once it is declined or closed (the case worker refers elsewhere). Open:
    warning; overdue: critical. Source: A/RES/68/179 para 7 (assistance to victims of
    crime)."""

    id = "services.urgent_referral"
    title = "Urgent referral accepted"
    citations = ("A/RES/68/179 para 7",)

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        sent = [
            f
            for f in case.facts
            if f.kind == "service_referred"
            and f.get("urgency") == "urgent"
            and f.at <= now
        ]
        for referral in sent:
            updates = _updates(case, referral, now)
            taken = next((f for f in updates if f.get("status") in TAKEN_ON), None)
            ended = next((f for f in updates if f.get("status") in ENDED), None)
            yield self.timed(
                case,
                profile,
                now,
                key=str(referral.get("referral")),
                due=f"Urgent {referral.get('service')} referral accepted by the provider",
                start=referral.at,
                figure="urgent_referral_response",
                met=taken,
                triggered_by=(referral.id,),
                lapse=ended.at if ended is not None and taken is None else None,
                lapse_note=f"The referral was {ended.get('status')} before it was "
                "accepted."
                if ended is not None
                else "",
            )


def _updates(case: CaseFile, referral: Fact, now: datetime) -> list[Fact]:
    return [
        f
        for f in case.facts
        if f.kind == "service_referral_updated"
        and f.get("referral") == referral.get("referral")
        and f.at <= now
    ]
