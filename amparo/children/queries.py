"""Reads for the children's pages: a child's situation on the case page, and the BIDs
waiting for a panel's decision. Every read starts from a case the user may see
(`cases.queries`), and the situation is the pure one the rules read
(`children.situation`), so the page and the deadlines never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.children import situation
from amparo.returns.rules import Return, returns
from amparo.safeguards import profiles
from amparo.safeguards.facts import Fact
from amparo.safeguards.models import CaseFact
from amparo.safeguards.queries import case_file, jurisdiction_of


@dataclass(frozen=True)
class ChildView:
    """What the case page shows of a child, and of the case's returns."""

    status: Fact | None
    guardians: list[situation.Guardian]
    age_assessment: Fact | None
    assessments: list[Fact]
    determinations: list[situation.Determination]
    panel_minimum: int
    education: Fact | None
    reunification: list[Fact]
    returns: list[Return]
    names: dict[str, str]

    @property
    def empty(self) -> bool:
        return not (
            self.status
            or self.guardians
            or self.age_assessment
            or self.assessments
            or self.determinations
            or self.education
            or self.reunification
            or self.returns
        )


def child_view(case: Case, now: datetime) -> ChildView:
    file = case_file(case)
    known = situation.known(file, now)
    profile = profiles.load(file.jurisdiction)
    bids = situation.determinations(file, now)
    ids = {f.recorded_by for b in bids for f in (b.report, *b.undertakings)}
    return ChildView(
        status=_last(known, "child_status"),
        guardians=situation.guardians(file, now),
        age_assessment=_last([f for f in file.facts if f.at <= now], "age_assessed"),
        assessments=[f for f in known if f.kind == "bia_completed"],
        determinations=bids,
        panel_minimum=situation.panel_minimum(profile),
        education=_last(known, "education_status"),
        reunification=[
            f
            for f in known
            if f.kind
            in ("reunification_assessed", "reunified", "reunification_visited")
        ],
        returns=returns(file, now),
        names=user_names(case, ids),
    )


def _last(facts: Sequence[Fact], kind: str) -> Fact | None:
    found = [f for f in facts if f.kind == kind]
    return found[-1] if found else None


def user_names(case: Case, ids: set[str]) -> dict[str, str]:
    """The names of the agency's users among `ids` (who wrote a report, who signed)."""
    wanted = [i for i in ids if i]
    users = User.objects.filter(agency_id=case.agency_id, pk__in=wanted)
    return {str(u.pk): u.get_full_name() or u.get_username() for u in users}


@dataclass(frozen=True)
class Waiting:
    case: Case
    bid: situation.Determination
    minimum: int


def bids_waiting(user: User, now: datetime) -> list[Waiting]:
    """The BIDs submitted and not decided (or reopened) on the cases `user` sees."""
    with_reports: QuerySet[Case] = (
        cases_visible_to(user)
        .filter(
            pk__in=CaseFact.objects.filter(kind="bid_report_submitted").values(
                "case_id"
            )
        )
        .order_by("reference")
    )
    found: list[Waiting] = []
    for case in with_reports:
        file = case_file(case)
        minimum = situation.panel_minimum(profiles.load(jurisdiction_of(case)))
        found.extend(
            Waiting(case, bid, minimum)
            for bid in situation.determinations(file, now)
            if not bid.decided
        )
    return found


def determination(case: Case, bid_id: str, now: datetime) -> situation.Determination:
    """The case's BID `bid_id`; LookupError if there is none."""
    for bid in situation.determinations(case_file(case), now):
        if bid.id == bid_id:
            return bid
    raise LookupError(bid_id)
