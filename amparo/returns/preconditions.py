"""What recording a return's fact checks beyond the case file's consistency
(`amparo.returns.checks`), because it depends on who records it or on the case's
obligations:

- a screening is approved by a supervisor, and only the latest screening of a return;
- a return is marked ready only once its latest screening is approved and nothing
  blocks it: no concern unresolved (`returns.concern`), and the best interests
  determination an unaccompanied or separated child needs
  (`children.best_interests_determination`).

Each refusal says what is missing; nothing is saved."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.returns.rules import returns
from amparo.safeguards import engine, labels, profiles
from amparo.safeguards.actions import register_precondition
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.models import LIVE_STATUSES

BLOCKING_RULES = (
    "returns.screening",
    "returns.concern",
    "children.best_interests_determination",
)


@register_precondition("return_screening_approved")
def screening_approval(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    if actor.role != User.Role.SUPERVISOR:
        raise ValidationError(
            {"kind": _("A supervisor approves the screening before a return.")}
        )
    rid = str(new.get("return"))
    found = {r.id: r for r in returns(file, now)}
    ret = found.get(rid)
    if ret is None:
        return  # the consistency check has refused it: no such return
    if ret.screening is None:
        raise ValidationError(
            {"data.return": _("Return %(id)s has not been screened.") % {"id": rid}}
        )
    if ret.approval is not None:
        raise ValidationError(
            {
                "data.return": _("The latest screening of return %(id)s is approved.")
                % {"id": rid}
            }
        )


@register_precondition("return_ready")
def nothing_blocks(
    case: Case, actor: User, file: CaseFile, new: Fact, now: datetime
) -> None:
    rid = str(new.get("return"))
    code = file.jurisdiction
    blocking = [
        o
        for o in engine.evaluate(file, profiles.load(code), now, only=BLOCKING_RULES)
        if o.status in LIVE_STATUSES
        and (
            o.key == rid
            or o.key.startswith(f"{rid}/")
            or (o.rule_id.startswith("children.") and o.key == "return")
        )
    ]
    if blocking:
        raise ValidationError(
            {
                "data.return": _(
                    "Return %(id)s cannot be marked ready while this is due: "
                    "%(blocking)s."
                )
                % {
                    "id": rid,
                    "blocking": "; ".join(
                        f"{labels.rule_title(o.rule_id)} ({o.key})" for o in blocking
                    ),
                }
            }
        )
