"""Victims of trafficking for the demo: a few open victim cases get a screening with the
ILO indicators (one that suggests trafficking for labour exploitation, one that does
not), and one a positive decision on reasonable grounds by the supervisor, which
opens the reflection period and the duties to offer assistance, one of them met.
Recorded through the real action."""

from __future__ import annotations

from datetime import datetime, timedelta

from amparo.accounts.models import Agency, User
from amparo.cases.models import Case
from amparo.safeguards.actions import record_fact

SUGGESTING = [
    "deceived_nature_of_job",
    "deceived_wages_earnings",
    "excessive_working_days_or_hours",
    "low_or_no_salary",
    "confiscation_of_documents_destination",
    "debt_bondage_destination",
]
NOT_SUGGESTING = ["deceived_conditions_of_work", "bad_living_conditions"]


def add_victims(
    agency: Agency, now: datetime, *, screener: User, supervisor: User
) -> int:
    """Screen the first open victim cases of `agency` (`screener`, a case worker of the
    team; the supervisor, who did not screen, decides); returns how many."""
    cases = list(
        Case.objects.filter(agency=agency, types__code="victim")
        .exclude(status=Case.Status.CLOSED)
        .exclude(assigned_to=None)
        .select_related("assigned_to")
        .order_by("reference")[:3]
    )
    screened = (now - timedelta(days=4)).replace(second=0, microsecond=0)
    for number, case in enumerate(cases):
        record_fact(
            case,
            acting_user=screener,
            kind="trafficking_screened",
            at=screened,
            data={
                "indicator_set": "adult_labour",
                "indicators": NOT_SUGGESTING if number == 2 else SUGGESTING,
                "information_source": "interview",
                "acts": ["recruitment", "transportation"],
                "purposes": ["forced_labour"],
            },
        )
        if number == 0:
            decided = screened + timedelta(days=2)
            record_fact(
                case,
                acting_user=supervisor,
                kind="trafficking_identified",
                at=decided,
                data={
                    "stage": "reasonable_grounds",
                    "finding": "positive",
                    "decided_by": "Agency supervisor (demo)",
                    "reasons": "Deception at recruitment, excessive hours and "
                    "confiscated documents, consistent account.",
                },
            )
            record_fact(
                case,
                acting_user=screener,
                kind="assistance_offered",
                at=decided + timedelta(hours=5),
                data={"assistance": "medical", "accepted": True},
            )
    return len(cases)
