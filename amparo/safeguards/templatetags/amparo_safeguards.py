"""The safeguards section of a case's own page (cases:detail) and the words for the
engine's codes, so that the case app need not know the engine beyond one line of its
template."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import formats

from amparo.cases.models import Case
from amparo.safeguards import labels, legal_review, queries
from amparo.safeguards.forms import (
    JurisdictionForm,
    LegalDecisionForm,
    jurisdiction_choices,
)
from amparo.safeguards.meeting import meeting_fact
from amparo.safeguards.models import LIVE_STATUSES, Obligation

register = template.Library()

# A case's own page lists its facts, newest first, up to this many.
FACTS_SHOWN = 50


@register.inclusion_tag("safeguards/case_section.html")
def case_safeguards(case: Case) -> dict[str, object]:
    """For a page that has already checked that its user sees `case`."""
    obligations = list(queries.obligations_of(case).order_by("due_at", "id"))
    live = [o for o in obligations if o.status in LIVE_STATUSES]
    done = [o for o in obligations if o.status not in LIVE_STATUSES]
    facts = queries.facts_of(case).select_related("recorded_by").order_by("-at", "-id")
    code = queries.jurisdiction_of(case)
    return {
        "case": case,
        "case_open": case.status != Case.Status.CLOSED,
        "live": live,
        "done": done,
        "facts": list(facts[:FACTS_SHOWN]),
        "jurisdiction_form": JurisdictionForm(
            initial={"jurisdiction": code}, choices=jurisdiction_choices()
        ),
        "jurisdiction": dict(jurisdiction_choices()).get(code, code),
    }


@register.inclusion_tag("safeguards/legal_decisions.html")
def legal_decisions(case: Case) -> dict[str, object]:
    """For the oversight page of a case escalated to a legal officer: the protected
    consular notices waiting for their decision, a form each."""
    notices = legal_review.escalated_notices(case)
    keys = [n.key for n in notices]
    return {
        "case": case,
        "items": [
            (
                notice,
                LegalDecisionForm(
                    initial={"country": notice.key},
                    countries=keys,
                    auto_id=f"decision-{notice.key}-%s",
                ),
            )
            for notice in notices
        ],
    }


@register.filter
def rule_title(rule_id: str) -> str:
    return labels.rule_title(rule_id)


@register.filter
def fact_kind(kind: str) -> str:
    return labels.kind_label(kind)


@register.filter
def fact_fields(data: dict[str, object]) -> list[tuple[str, str]]:
    """A fact's fields as (label, value) in the reader's language."""
    return [
        (str(labels.FIELD_LABELS.get(name, name)), labels.value_label(name, value))
        for name, value in sorted(data.items())
    ]


@register.simple_tag
def meeting_url(obligation: Obligation) -> str:
    """Where to record the fact that meets `obligation`; empty if none does."""
    meeting = meeting_fact(obligation.rule_id, obligation.key, obligation.status)
    if meeting is None:
        return ""
    query = urlencode({"kind": meeting.kind, "obligation": str(obligation.pk)})
    url = reverse("safeguards:fact_new", args=[obligation.case_id])
    return f"{url}?{query}"


@register.filter
def days(duration: timedelta | None) -> str:
    """A duration in days, to one decimal (as the figures are read)."""
    if duration is None:
        return "—"
    return formats.number_format(duration.total_seconds() / 86_400, 1)


@register.filter
def percent(share: float | None) -> str:
    if share is None:
        return "—"
    return formats.number_format(share * 100, 0) + " %"
