"""The safeguards pages: the worklists, the detention register, recording a fact (from
the case page or from the obligation it meets), the case's jurisdiction, and each
rule's explanation. Reads through `queries`, writes through `actions`."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from amparo.accounts.decorators import (
    AuthenticatedRequest,
    case_role_required,
    denied,
)
from amparo.accounts.models import User
from amparo.cases.models import Case
from amparo.cases.queries import access_case, cases_visible_to
from amparo.core.pagination import InvalidCursorError
from amparo.oversight.queries import case_under_review
from amparo.safeguards import (
    actions,
    casefile,
    compliance,
    engine,
    explanations,
    labels,
    legal_review,
    profiles,
    queries,
)
from amparo.safeguards.forms import (
    FactForm,
    JurisdictionForm,
    LegalDecisionForm,
    PeriodForm,
    jurisdiction_choices,
)
from amparo.safeguards.meeting import meeting_fact

PAGE_SIZE = 50
WORKLISTS = (
    (queries.Worklist.MINE, gettext_lazy("Mine")),
    (queries.Worklist.DUE_SOON, gettext_lazy("Due within 24 hours")),
    (queries.Worklist.OVERDUE, gettext_lazy("Overdue")),
    (queries.Worklist.CRITICAL, gettext_lazy("Critical")),
    (queries.Worklist.ALL, gettext_lazy("All I can see")),
)


@case_role_required
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    try:
        which = queries.Worklist(request.GET.get("filter", "mine"))
    except ValueError:
        which = queries.Worklist.MINE
    try:
        page = queries.worklist_page(
            queries.worklist(request.user, which, timezone.now()),
            cursor=request.GET.get("after"),
            size=PAGE_SIZE,
        )
    except InvalidCursorError:
        return redirect("safeguards:worklist")
    return render(
        request,
        "safeguards/worklist.html",
        {
            "which": which.value,
            "worklists": [(w.value, label) for w, label in WORKLISTS],
            "page": page,
        },
    )


@case_role_required
def register(request: AuthenticatedRequest) -> HttpResponse:
    try:
        page = queries.worklist_page(
            queries.worklist(request.user, queries.Worklist.REGISTER, timezone.now()),
            cursor=request.GET.get("after"),
            size=PAGE_SIZE,
        )
    except InvalidCursorError:
        return redirect("safeguards:register")
    return render(request, "safeguards/register.html", {"page": page})


@case_role_required
def compliance_figures(request: AuthenticatedRequest) -> HttpResponse:
    """How often the duties were kept on the cases the supervisor sees: the figures
    the statistics pages will publish, with numerators and denominators."""
    if request.user.role != User.Role.SUPERVISOR:
        raise denied(request)
    form = PeriodForm(request.GET or None)
    now = timezone.now()
    start, end = form.period(now) if form.is_valid() else PeriodForm.default(now)
    result = compliance.figures(
        cases_visible_to(request.user), period_start=start, period_end=end, now=now
    )
    return render(
        request,
        "safeguards/compliance.html",
        {"form": form, "figures": result, "last_day": end - timedelta(days=1)},
    )


@case_role_required
@require_http_methods(["GET", "POST"])
def fact_new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    if kind not in casefile.kinds():
        return render(
            request,
            "safeguards/fact_kinds.html",
            {"case": case, "groups": _kind_groups()},
        )
    obligation = None
    initial: dict[str, object] = {"zone": _default_zone(case)}
    if source.get("obligation"):
        obligation = queries.access_obligation(case, request.user, source["obligation"])
        meeting = meeting_fact(obligation.rule_id, obligation.key, obligation.status)
        if meeting is not None and meeting.kind == kind:
            initial |= {f"data_{k}": v for k, v in meeting.initial.items()}
        if obligation.time_zone:
            initial["zone"] = obligation.time_zone
    episodes = queries.episodes_of(case)
    form = FactForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        episodes=episodes,
        new_episode=queries.next_episode_id(episodes),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_fact(
                case,
                acting_user=request.user,
                kind=kind,
                at=form.moment(),
                data=form.fact_data(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(kind)s. The case's obligations are up to date.")
                % {"kind": labels.kind_label(kind)},
            )
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "safeguards/fact_form.html",
        {
            "case": case,
            "form": form,
            "kind": kind,
            "kind_label": labels.kind_label(kind),
            "obligation": obligation,
        },
    )


@case_role_required
@require_POST
def jurisdiction(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = JurisdictionForm(request.POST, choices=jurisdiction_choices())
    if form.is_valid():
        try:
            actions.set_jurisdiction(
                case, acting_user=request.user, code=form.cleaned_data["jurisdiction"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The case is judged by the law chosen."))
    else:
        messages.error(request, _("Choose a jurisdiction from the list."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def legal_decision(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    """A legal officer decides on a protected consular notice of a case escalated to
    them; anyone else gets 404 (audited)."""
    case = case_under_review(request.user, case_id).case
    notices = legal_review.escalated_notices(case)
    form = LegalDecisionForm(request.POST, countries=[n.key for n in notices])
    if not form.is_valid():
        messages.error(request, _("Choose notify or withhold for a notice waiting."))
        return redirect("oversight:case", case_id=case.pk)
    try:
        actions.record_legal_decision(
            case,
            acting_user=request.user,
            country=form.cleaned_data["country"],
            decision=form.cleaned_data["decision"],
            about="detention",
        )
    except PermissionError:
        raise denied(request) from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your decision is recorded; answer the escalation to close it."),
        )
    return redirect("oversight:case", case_id=case.pk)


@login_required
def rule(request: HttpRequest, rule_id: str) -> HttpResponse:
    """A rule in plain words with its sources: the law, not anyone's data."""
    try:
        found = engine.rule(rule_id)
    except engine.UnknownRuleError:
        raise Http404 from None
    return render(
        request,
        "safeguards/rule.html",
        {
            "rule": found,
            "title": labels.rule_title(found.id),
            "explanation": explanations.explanation(found.id, found.explanation()),
        },
    )


def _kind_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(title), [(kind, labels.kind_label(kind)) for kind in kinds])
        for title, kinds in labels.KIND_GROUPS
    ]


def _default_zone(case: Case) -> str:
    # Where the case's law applies; a place of detention in another zone is chosen
    # on the form (or comes from the obligation).
    return profiles.load(queries.jurisdiction_of(case)).time_zone.key


def _add_errors(form: FactForm, error: ValidationError) -> None:
    """The action names fields as the case file does (`data.country`, `at`)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        field = name.replace("data.", "data_", 1)
        form.add_error(field if field in form.fields else None, problems)
