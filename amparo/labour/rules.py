"""The bridge from labour rights to protection: a complaint or a domestic worker's
finding that shows one of the ILO's indicators of forced labour asks for a screening
for trafficking or forced labour. Pure: imports nothing from Django."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from amparo.safeguards.engine import Rule, register
from amparo.safeguards.facts import CaseFile
from amparo.safeguards.obligations import Obligation
from amparo.safeguards.profiles import Profile

SCREENINGS = ("trafficking_screened", "forced_labour_screened")


@register
class TraffickingScreening(Rule):
    """A labour complaint, or a "no" on a domestic worker's ILO C189 checklist, that
    shows one of the ILO's 11 indicators of forced labour (withheld wages, retained
    documents, debt bondage…) asks for a screening for trafficking or forced labour,
    by default within 7 days (the profile's `labour_screening`, a policy figure). Met
    by `trafficking_screened` or `forced_labour_screened` recorded after it. Open:
    warning; overdue: critical. Sources: A/RES/68/179 paras 4(j) and 5(a); ILO
    Indicators of Forced Labour (2012); Palermo Protocol art. 3."""

    id = "labour.trafficking_screening"
    title = "Screen for trafficking after a labour complaint"
    citations = (
        "A/RES/68/179 para 4(j)",
        "A/RES/68/179 para 5(a)",
        "ILO Indicators of Forced Labour (2012)",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        findings = [
            f
            for f in case.facts
            if f.kind == "labour_finding"
            and f.get("forced_labour_indicators")
            and f.at <= now
        ]
        if not findings:
            return
        screenings = [f for f in case.facts if f.kind in SCREENINGS and f.at <= now]
        for finding in findings:
            screened = next((s for s in screenings if s.at >= finding.at), None)
            shown = ", ".join(
                str(i) for i in finding.get("forced_labour_indicators") or ()
            )
            yield self.timed(
                case,
                profile,
                now,
                key=str(finding.get("ref")),
                due=f"Screen for trafficking or forced labour ({shown})",
                start=finding.at,
                figure="labour_screening",
                met=screened,
                triggered_by=(finding.id,),
            )
