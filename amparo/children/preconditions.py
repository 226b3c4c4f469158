"""What recording a child's fact checks beyond the case file's consistency
(`amparo.children.checks`), because it depends on the case's law or on who records it:

- a BID's decision is recorded by a supervisor, for a BID submitted and not decided
  (or reopened since), by a panel of at least the profile's `bid_panel_minimum`
  members who each signed the undertaking of confidentiality, not the report's
  author alone;
- a durable solution for an unaccompanied or separated child, or a separation from
  the parents, is decided only after such a BID for its purpose;
- a child is reunited only after the relationship was verified, the child's views
  recorded and the family found willing.

Each refusal says what is missing; nothing is saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.children.rules import bid_not_needed, valid_determinations
from amparo.children.situation import determinations, panel_minimum, panel_problems
from amparo.safeguards import profiles
from amparo.safeguards.actions import register_precondition
from amparo.safeguards.facts import CaseFile, Fact


@register_precondition("bid_decided")
def bid_decision(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    if actor.role != User.Role.SUPERVISOR:
        raise ValidationError(
            {"kind": _("A supervisor records a BID panel's decision.")}
        )
    profile = profiles.load(file.jurisdiction)
    bid_id = str(new.get("bid"))
    found = {b.id: b for b in determinations(file, now)}
    bid = found.get(bid_id)
    if bid is None:
        return  # the consistency check has refused it: no report
    if bid.decided:
        raise ValidationError(
            {
                "data.bid": _("BID %(bid)s is decided; reopen it first.")
                % {"bid": bid_id}
            }
        )
    minimum = panel_minimum(profile)
    panel = [str(m) for m in new.get("panel") or ()]
    if panel_problems(bid, panel, minimum):
        raise ValidationError(
            {
                "data.panel": _(
                    "A BID panel needs at least %(minimum)s members who have each "
                    "signed the undertaking of confidentiality, and not the report's "
                    "author alone; %(signed)s have signed."
                )
                % {"minimum": minimum, "signed": len(bid.signers)}
            }
        )


@register_precondition("decision_taken")
def decision_after_determination(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    profile = profiles.load(file.jurisdiction)
    file = replace(file, facts=(*file.facts, new))
    decision_type = str(new.get("decision_type"))
    if bid_not_needed(file, now, profile.time_zone, decision_type, new.at):
        return
    minimum = panel_minimum(profile)
    if not valid_determinations(determinations(file, now), decision_type, minimum):
        raise ValidationError(
            {
                "data.decision_type": _(
                    "This decision needs a best interests determination first: a "
                    "BID decided by a panel of at least %(minimum)s members."
                )
                % {"minimum": minimum}
            }
        )


@register_precondition("reunified")
def reunification_checked(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    checks = [f for f in file.facts if f.kind == "reunification_assessed"]
    latest = checks[-1] if checks else None
    if latest is None or not all(
        latest.get(name) is True
        for name in ("relationship_verified", "child_views_recorded", "family_willing")
    ):
        raise ValidationError(
            {
                "kind": _(
                    "Before a reunification, record that the relationship is "
                    "verified, the child's views are recorded and the family is "
                    "willing (Reunification checked)."
                )
            }
        )


@register_precondition("bid_undertaking_signed")
def signed_once(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    bid = new.get("bid")
    if any(
        f.kind == "bid_undertaking_signed"
        and f.get("bid") == bid
        and f.recorded_by == new.recorded_by
        for f in file.facts
    ):
        raise ValidationError(
            {"data.bid": _("You have signed the undertaking for this BID already.")}
        )
