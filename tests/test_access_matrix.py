"""Every URL of the application × every persona → the expected answer.

The routes are read from the URL configuration: a new page or endpoint without an
entry in POLICY fails `test_every_route_has_a_policy`, so none ships unexamined.

Personas (conftest.py): the case worker and the supervisor of agency A; the roles of
agency A that see no case content (statistician, legal officer, agency administrator,
data-protection officer, system administrator); an outsider (case worker of agency B);
an enforcement agency's supervisor (behind the firewall); and anonymous.
Every record used belongs to agency A. Expected answers: a status code, or "login"
(a redirect to the login page).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.accounts.actions import issue_api_token
from amparo.cases.actions import close_case
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import give_consent, make_person
from amparo.referrals.actions import record_agreement, send_referral

# Roles that see no case content answer like the statistician.
NO_CASE_CONTENT = ("statistician", "legal_officer", "agency_admin", "dpo", "sysadmin")
PERSONAS = (
    "caseworker",
    "supervisor",
    *NO_CASE_CONTENT,
    "outsider",
    "enforcer",
    "anonymous",
)


@dataclass
class Context:
    """What a rule's `setup` gets: agency A's case (assigned to the case worker), a
    second person, and a way to get any persona or fixture by name."""

    case: Any
    other: Any
    fixture: Callable[[str], Any]


@dataclass
class Rule:
    method: str
    expect: dict[str, int | str]
    data: dict[str, Any] = field(default_factory=dict)
    closed_case: bool = False  # the case must be closed first (reopening)
    # Creates what the route needs beyond the case and its person (a referral, an
    # export request...) and returns values for the route's other parameters.
    setup: Callable[[Context], dict[str, str]] | None = None


def _web(
    ok: int, *, others: int | str = 404, outsider: int | str | None = None
) -> dict[str, int | str]:
    return {
        "caseworker": ok,
        "supervisor": ok,
        **dict.fromkeys(NO_CASE_CONTENT, others),
        "outsider": others if outsider is None else outsider,
        # Behind the firewall: an enforcement agency's supervisor sees nothing.
        "enforcer": others,
        "anonymous": "login",
    }


def _api(
    ok: int, *, statistician: int = 404, outsider: int = 404
) -> dict[str, int | str]:
    return {
        "caseworker": ok,
        "supervisor": ok,
        **dict.fromkeys(NO_CASE_CONTENT, statistician),
        "outsider": outsider,
        "enforcer": statistician,
        "anonymous": 401,
    }


PUBLIC_GET = dict.fromkeys(PERSONAS, 200)
CASE_BODY = {
    "person_id": "{person}",
    "types": ["general"],
    "risk": "low",
    "reason": "x",
    "lawful_basis": {"basis": "consent", "method": "oral", "given_by": "person"},
}


def _consent(ctx: Context) -> dict[str, str]:
    caseworker = ctx.fixture("caseworker")
    consent = give_consent(ctx.case.primary_person, caseworker, "tracing")
    return {"consent_id": str(consent.pk)}


def _managed_user(ctx: Context) -> dict[str, str]:
    """A user of agency A for its administrator to manage: the case worker."""
    return {"user_id": str(ctx.fixture("caseworker").pk)}


AGENCY_ADMIN_ONLY = {**dict.fromkeys(PERSONAS, 404), "anonymous": "login"}


def _oversight(ctx: Context) -> dict[str, str]:
    """The DPO's current access to the case, and an open escalation of it to any legal
    officer of agency A: both see the case, read-only."""
    from amparo.oversight.actions import escalate_case, grant_content_access

    grant = grant_content_access(
        ctx.case, dpo=ctx.fixture("dpo"), reason="Review of a complaint.", hours=8
    )
    escalation = escalate_case(
        ctx.case, acting_user=ctx.fixture("caseworker"), question="Lawful?"
    )
    return {"grant_id": str(grant.pk), "escalation_id": str(escalation.pk)}


OVERSIGHT_ONLY = {**dict.fromkeys(PERSONAS, 404), "anonymous": "login"}


DPO_ONLY_GET = {**dict.fromkeys(PERSONAS, 404), "dpo": 200, "anonymous": "login"}


def _referral(ctx: Context) -> dict[str, str]:
    """A referral of the case to agency B, under an agreement and with consent."""
    caseworker, dpo = ctx.fixture("caseworker"), ctx.fixture("dpo")
    agreement = record_agreement(
        acting_user=dpo,
        to_agency=ctx.fixture("other_agency"),
        purpose="Legal aid",
        fields=["names"],
        safeguards="MoU",
        valid_from=date(2020, 1, 1),
        valid_until=date(2099, 1, 1),
    )
    give_consent(ctx.case.primary_person, caseworker, "referral")
    referral = send_referral(
        ctx.case,
        acting_user=caseworker,
        to_agency=agreement.to_agency,
        kind="referral",
        fields=["names"],
        message="x",
    )
    return {
        "referral_id": str(referral.pk),
        "answer": "withdraw",
        "agreement_id": str(agreement.pk),
    }


def _override(ctx: Context) -> dict[str, str]:
    """A firewall override of the case towards the enforcement agency, requested by
    agency A's supervisor and awaiting approval."""
    from amparo.disclosures.tests.factories import make_override

    override = make_override(
        ctx.case, ctx.fixture("supervisor"), ctx.fixture("enforcement_agency")
    )
    return {"override_id": str(override.pk)}


def _export(ctx: Context, *, approve: bool = False) -> dict[str, str]:
    """The case worker's request to export the case file to agency B."""
    from amparo.disclosures.actions import decide_export, request_export

    caseworker = ctx.fixture("caseworker")
    give_consent(ctx.case.primary_person, caseworker, "data_sharing")
    export = request_export(
        ctx.case,
        acting_user=caseworker,
        purpose="x",
        recipient_agency=ctx.fixture("other_agency"),
    )
    if approve:
        decide_export(export, acting_user=ctx.fixture("dpo"), approve=True)
    return {"export_id": str(export.pk)}


def _approved_export(ctx: Context) -> dict[str, str]:
    return _export(ctx, approve=True)


NOBODY = {**dict.fromkeys(PERSONAS, 404), "anonymous": "login"}


def _erasure(ctx: Context) -> dict[str, str]:
    """The case worker's request to erase the case's person, waiting for the DPO."""
    from amparo.retention.actions import request_erasure

    erasure = request_erasure(
        ctx.case.primary_person, acting_user=ctx.fixture("caseworker"), reason="x"
    )
    return {"erasure_id": str(erasure.pk)}


def _bid(ctx: Context) -> dict[str, str]:
    """A best interests determination's report B1 on the case, by the case worker,
    waiting for its panel."""
    from django.utils import timezone

    from amparo.safeguards.actions import record_fact

    record_fact(
        ctx.case,
        acting_user=ctx.fixture("caseworker"),
        kind="bid_report_submitted",
        at=timezone.now(),
        data={"bid": "B1", "bid_purpose": "durable_solution"},
    )
    return {"bid": "B1"}


def _provider(ctx: Context) -> dict[str, str]:
    """A provider in agency A's directory, entered by its supervisor."""
    from amparo.services.tests.factories import make_provider

    return {"provider_id": str(make_provider(ctx.fixture("supervisor")).pk)}


def _service_referral(ctx: Context) -> dict[str, str]:
    """A referral of the case to a clinic outside Amparo, with the person's consent:
    the case team records the clinic's answers."""
    from amparo.services.tests.factories import make_provider, make_referral

    caseworker = ctx.fixture("caseworker")
    give_consent(ctx.case.primary_person, caseworker, "referral")
    clinic = make_provider(ctx.fixture("supervisor"))
    referral = make_referral(ctx.case, caseworker, clinic)
    return {"referral_id": str(referral.pk), "move": "accepted"}


def _protected(ctx: Context) -> dict[str, str]:
    """The case's person protected as a witness by the supervisor, with the case
    worker on the team."""
    from amparo.witnesses.actions import protect

    protect(
        ctx.case.primary_person,
        acting_user=ctx.fixture("supervisor"),
        kind="witness",
        reason="Testifies",
        team=[ctx.fixture("caseworker")],
    )
    return {"change": "request"}


def _reidentification(ctx: Context) -> dict[str, str]:
    """A request to see the protected person, by a supervisor of the whole agency who
    is not on the team."""
    from amparo.accounts.actions import create_user
    from amparo.witnesses.actions import request_reidentification
    from amparo.witnesses.models import Protection

    _protected(ctx)
    asker = create_user(
        "whole-agency",
        agency=ctx.case.agency,
        role="supervisor",
        password="a long demo passphrase 68179",
    )
    request = request_reidentification(
        Protection.objects.get(person=ctx.case.primary_person),
        acting_user=asker,
        reason="A court asks",
        hours=4,
    )
    return {"request_id": str(request.pk), "decision": "approve"}


# Who protects a person and decides on re-identification.
SUPERVISOR_ONLY = {
    **dict.fromkeys(PERSONAS, 404),
    "supervisor": 200,
    "anonymous": "login",
}
DECIDERS = SUPERVISOR_ONLY | {"legal_officer": 200}


# The directory's keepers: agency A's supervisors and administrator.
KEEPERS_ONLY = {
    **dict.fromkeys(PERSONAS, 404),
    "supervisor": 200,
    "agency_admin": 200,
    "anonymous": "login",
}


def _employer(ctx: Context) -> dict[str, str]:
    """An employer in agency A's list, recorded by the case worker."""
    from amparo.labour.actions import record_employer

    employer = record_employer(
        acting_user=ctx.fixture("caseworker"),
        kind="employer",
        name="Finca El Sol",
        country="MEX",
    )
    return {"employer_id": str(employer.pk)}


def _labour_complaint(ctx: Context) -> dict[str, str]:
    """A complaint of unpaid wages on the case against that employer, received
    yesterday; `today` for the day of a move."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from amparo.labour.actions import record_complaint
    from amparo.labour.entries import ComplaintEntry
    from amparo.labour.models import Employer

    names = _employer(ctx)
    today = timezone.localdate()
    complaint = record_complaint(
        ctx.case,
        ComplaintEntry(
            type="unpaid_wages",
            received_on=today - timedelta(days=1),
            employer=Employer.objects.get(pk=names["employer_id"]),
            amount_owed=Decimal("1200"),
            currency="MXN",
        ),
        acting_user=ctx.fixture("caseworker"),
    )
    return names | {"complaint_id": str(complaint.pk), "today": today.isoformat()}


LABOUR_CHECKLIST = {
    "recorded_on": "2026-01-01",
    "written_contract": True,
    "keeps_documents": False,
    "weekly_rest": True,
    "paid_monthly": True,
    "no_fees_deducted": True,
}


POLICY: dict[tuple[str, str], Rule] = {
    ("i18n/setlang/", "set_language"): Rule(
        "post", dict.fromkeys(PERSONAS, 302), {"language": "fr"}
    ),
    ("accounts/login/", "login"): Rule(
        "get", dict.fromkeys(PERSONAS, 302) | {"anonymous": 200}
    ),
    ("accounts/logout/", "logout"): Rule("post", dict.fromkeys(PERSONAS, 302)),
    # Every account sets up its own second factor (no device yet: verify sends to setup).
    ("accounts/two-factor/setup/", "two_factor_setup"): Rule(
        "get", dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"}
    ),
    ("accounts/two-factor/", "two_factor_verify"): Rule(
        "get", dict.fromkeys(PERSONAS, 302) | {"anonymous": "login"}
    ),
    ("", "dashboard"): Rule(
        "get", dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"}
    ),
    # Lists and registration: an outsider uses them for their own agency.
    ("people/", "list"): Rule("get", _web(200, outsider=200)),
    ("people/register/", "register"): Rule("get", _web(200, outsider=200)),
    ("cases/", "list"): Rule("get", _web(200, outsider=200)),
    ("people/<uuid:person_id>/", "detail"): Rule("get", _web(200)),
    ("people/<uuid:person_id>/edit/", "edit"): Rule("get", _web(200)),
    ("cases/open/<uuid:person_id>/", "open"): Rule("get", _web(200)),
    ("cases/<uuid:case_id>/", "detail"): Rule("get", _web(200)),
    ("cases/<uuid:case_id>/<str:change>/", "change"): Rule(
        "post", _web(302), {"body": "x"}
    ),
    # The audit trail: the data-protection officer only.
    ("audit/", "search"): Rule(
        "get", {**dict.fromkeys(PERSONAS, 404), "dpo": 200, "anonymous": "login"}
    ),
    ("people/<uuid:person_id>/consent/", "consent"): Rule("get", _web(200)),
    (
        "people/<uuid:person_id>/consent/<uuid:consent_id>/withdraw/",
        "consent_withdraw",
    ): Rule("post", _web(302), {"reason": "x"}, setup=_consent),
    # New recovery codes need a verified second factor: with none, off to set one up.
    ("accounts/recovery-codes/", "recovery_codes"): Rule(
        "get", dict.fromkeys(PERSONAS, 302) | {"anonymous": "login"}
    ),
    # User management: the agency's administrator only, for their own agency's users.
    ("accounts/users/", "user_list"): Rule(
        "get", AGENCY_ADMIN_ONLY | {"agency_admin": 200}
    ),
    ("accounts/users/new/", "user_create"): Rule(
        "get", AGENCY_ADMIN_ONLY | {"agency_admin": 200}
    ),
    ("accounts/users/<int:user_id>/", "user_edit"): Rule(
        "get", AGENCY_ADMIN_ONLY | {"agency_admin": 200}, setup=_managed_user
    ),
    ("accounts/users/<int:user_id>/deactivate/", "user_deactivate"): Rule(
        "post", AGENCY_ADMIN_ONLY | {"agency_admin": 302}, setup=_managed_user
    ),
    ("accounts/users/<int:user_id>/reactivate/", "user_reactivate"): Rule(
        "post", AGENCY_ADMIN_ONLY | {"agency_admin": 302}, setup=_managed_user
    ),
    ("accounts/users/<int:user_id>/reset-two-factor/", "user_reset_two_factor"): Rule(
        "post", AGENCY_ADMIN_ONLY | {"agency_admin": 302}, setup=_managed_user
    ),
    # Oversight: the DPO's time-limited access, escalations to legal officers.
    ("oversight/access/", "grants"): Rule("get", OVERSIGHT_ONLY | {"dpo": 200}),
    ("oversight/access/<uuid:grant_id>/end/", "grant_end"): Rule(
        "post", OVERSIGHT_ONLY | {"dpo": 302}, setup=_oversight
    ),
    ("oversight/cases/<uuid:case_id>/", "case"): Rule(
        "get", OVERSIGHT_ONLY | {"dpo": 200, "legal_officer": 200}, setup=_oversight
    ),
    ("oversight/persons/<uuid:person_id>/", "person"): Rule(
        "get", OVERSIGHT_ONLY | {"dpo": 200, "legal_officer": 200}, setup=_oversight
    ),
    # Those who see the case but do not work on it may not escalate it.
    ("oversight/cases/<uuid:case_id>/escalate/", "escalate"): Rule(
        "post",
        _web(302) | {"dpo": 403, "legal_officer": 403},
        {"question": "x"},
        setup=_oversight,
    ),
    ("oversight/escalations/", "escalations"): Rule(
        "get", OVERSIGHT_ONLY | {"legal_officer": 200}
    ),
    ("oversight/escalations/<uuid:escalation_id>/answer/", "answer"): Rule(
        "post",
        _web(403) | {"legal_officer": 302, "dpo": 403},
        {"answer": "x"},
        setup=_oversight,
    ),
    # Referrals: the sender's staff who see the case; the recipient's supervisors
    # (an enforcement agency's too: it receives what an override lets through).
    ("referrals/", "list"): Rule("get", _web(200, outsider=200) | {"enforcer": 200}),
    ("referrals/new/<uuid:case_id>/", "new"): Rule("get", _web(200)),
    ("referrals/<uuid:referral_id>/", "detail"): Rule(
        "get", _web(200), setup=_referral
    ),
    ("referrals/<uuid:referral_id>/<str:answer>/", "answer"): Rule(
        "post", _web(302), setup=_referral
    ),
    ("referrals/agreements/", "agreements"): Rule("get", DPO_ONLY_GET),
    ("referrals/agreements/<uuid:agreement_id>/end/", "agreement_end"): Rule(
        "post", DPO_ONLY_GET | {"dpo": 302}, setup=_referral
    ),
    # Disclosures. Overrides: the agency's supervisors (those who see the case),
    # legal officers and DPO; the requester may not approve. Exports: the requester
    # downloads, the DPO decides; nobody else sees them.
    ("disclosures/overrides/", "override_list"): Rule(
        "get", NOBODY | dict.fromkeys(("supervisor", "legal_officer", "dpo"), 200)
    ),
    ("disclosures/overrides/new/<uuid:case_id>/", "override_new"): Rule(
        "get", NOBODY | {"supervisor": 200, "caseworker": 403}
    ),
    ("disclosures/overrides/<uuid:override_id>/", "override_detail"): Rule(
        "get",
        NOBODY | dict.fromkeys(("supervisor", "legal_officer", "dpo"), 200),
        setup=_override,
    ),
    ("disclosures/overrides/<uuid:override_id>/decide/", "override_decide"): Rule(
        "post",
        NOBODY | {"supervisor": 403, "legal_officer": 302, "dpo": 302},
        {"decision": "approve"},
        setup=_override,
    ),
    ("disclosures/exports/", "export_list"): Rule(
        "get", _web(200, outsider=200) | {"dpo": 200}
    ),
    ("disclosures/exports/new/<uuid:case_id>/", "export_new"): Rule("get", _web(200)),
    ("disclosures/exports/<uuid:export_id>/", "export_detail"): Rule(
        "get", NOBODY | {"caseworker": 200, "dpo": 200}, setup=_export
    ),
    ("disclosures/exports/<uuid:export_id>/decide/", "export_decide"): Rule(
        "post",
        NOBODY | {"caseworker": 403, "dpo": 302},
        {"decision": "approve"},
        setup=_export,
    ),
    ("disclosures/exports/<uuid:export_id>/download/", "export_download"): Rule(
        "post",
        NOBODY | {"caseworker": 200, "dpo": 403},
        {"passphrase": "matrix-passphrase", "passphrase_again": "matrix-passphrase"},
        setup=_approved_export,
    ),
    # Retention and erasure: case workers ask, the agency's DPO sees and decides.
    ("retention/", "overview"): Rule("get", DPO_ONLY_GET),
    ("retention/erasure/request/<uuid:person_id>/", "erasure_request"): Rule(
        "get", _web(200)
    ),
    ("retention/erasure/<uuid:erasure_id>/", "erasure"): Rule(
        "get", DPO_ONLY_GET, setup=_erasure
    ),
    ("retention/erasure/<uuid:erasure_id>/decide/", "erasure_decide"): Rule(
        "post",
        DPO_ONLY_GET | {"dpo": 302},
        {"decision": "reject", "decision_note": "x"},
        setup=_erasure,
    ),
    # The safeguards engine: the worklist (empty for those who see no case), the case
    # file's facts and the case's jurisdiction (404 for those who cannot see the case).
    ("api/v1/obligations/", "list_obligations"): Rule(
        "get", _api(200, statistician=200, outsider=200)
    ),
    ("api/v1/cases/<case_id>/facts", "list_facts"): Rule("get", _api(200)),
    ("api/v1/cases/<case_id>/facts", "record_fact"): Rule(
        "post", _api(201), {"kind": "death", "at": "2026-01-01T00:00:00Z"}
    ),
    ("api/v1/cases/<case_id>/jurisdiction", "set_jurisdiction"): Rule(
        "post", _api(200), {"jurisdiction": "mexico"}
    ),
    # Its pages: the worklists and the register list only the cases one sees (empty
    # for the outsider); a rule's explanation is the law, for anyone signed in.
    ("obligations/", "worklist"): Rule("get", _web(200, outsider=200)),
    ("obligations/register/", "register"): Rule("get", _web(200, outsider=200)),
    # Compliance figures: a supervisor's page (over the cases they see).
    ("obligations/compliance/", "compliance"): Rule(
        "get", _web(200) | {"caseworker": 404}
    ),
    ("obligations/rules/<str:rule_id>/", "rule"): Rule(
        "get",
        {**dict.fromkeys(PERSONAS, 200), "anonymous": "login"},
        setup=lambda ctx: {"rule_id": "detention.child"},
    ),
    ("obligations/cases/<uuid:case_id>/facts/new/", "fact_new"): Rule(
        "post",
        _web(302),
        {"kind": "death", "at": "2026-01-01T10:00", "zone": "Europe/Madrid"},
    ),
    # A legal officer's decision on a protected consular notice: only through an open
    # escalation of the case (test_legal_review); the matrix's case has none.
    ("obligations/cases/<uuid:case_id>/legal-decision/", "legal_decision"): Rule(
        "post", NOBODY, {"country": "JAM", "decision": "notify"}
    ),
    ("obligations/cases/<uuid:case_id>/jurisdiction/", "jurisdiction"): Rule(
        "post", _web(302), {"jurisdiction": "mexico"}
    ),
    # The BID panel: supervisors list the BIDs waiting and record a panel's decision
    # (the case worker, who may not, gets 404 like a stranger); anyone working on the
    # case signs the undertaking of confidentiality.
    ("children/bids/", "bids"): Rule("get", _web(200) | {"caseworker": 404}),
    # The children's and returns' figures: a supervisor's page, as compliance.
    ("children/figures/", "figures"): Rule("get", _web(200) | {"caseworker": 404}),
    # The trafficking screening of a case: anyone working on it.
    ("protection/cases/<uuid:case_id>/screening/", "screen"): Rule("get", _web(200)),
    ("children/cases/<uuid:case_id>/bids/<str:bid>/", "bid_decide"): Rule(
        "get", _web(200) | {"caseworker": 404}, setup=_bid
    ),
    ("children/cases/<uuid:case_id>/bids/<str:bid>/sign/", "bid_sign"): Rule(
        "post", _web(302), setup=_bid
    ),
    # Services. The directory: every user of a protection agency (a provider's offer
    # is no one's personal data), not behind the firewall; kept by supervisors and
    # administrators, each of their own agency's entries. Referrals: the case team;
    # the list is each agency's own (a supervisor also sees what its agency received
    # as a provider); an enforcement agency is never a provider: 404.
    ("services/", "directory"): Rule("get", _web(200, others=200) | {"enforcer": 404}),
    ("services/providers/new/", "provider_new"): Rule("get", KEEPERS_ONLY),
    ("services/providers/<uuid:provider_id>/", "provider_edit"): Rule(
        "get", KEEPERS_ONLY, setup=_provider
    ),
    ("services/cases/<uuid:case_id>/refer/", "refer"): Rule("get", _web(200)),
    ("services/referrals/", "referrals"): Rule("get", _web(200, outsider=200)),
    ("services/referrals/<uuid:referral_id>/", "referral"): Rule(
        "get", _web(200), setup=_service_referral
    ),
    ("services/referrals/<uuid:referral_id>/<str:move>/", "referral_move"): Rule(
        "post", _web(302), setup=_service_referral
    ),
    # Witnesses. A supervisor who sees the person protects them; the team (here the
    # case worker and that supervisor) sees the identity; anyone who sees the person
    # may ask to; supervisors and legal officers decide on the requests.
    ("witnesses/people/<uuid:person_id>/", "person"): Rule("get", SUPERVISOR_ONLY),
    ("witnesses/people/<uuid:person_id>/identity/", "identity"): Rule(
        "get", _web(200), setup=_protected
    ),
    ("witnesses/people/<uuid:person_id>/<str:change>/", "change"): Rule(
        "post", _web(302), {"reason": "A court asks", "hours": 4}, setup=_protected
    ),
    ("witnesses/requests/", "requests"): Rule("get", DECIDERS),
    ("witnesses/requests/<uuid:request_id>/<str:decision>/", "decide"): Rule(
        "post",
        {k: 302 if v == 200 else v for k, v in DECIDERS.items()},
        setup=_reidentification,
    ),
    # Labour rights: the case team. The employers' list is the agency's own (an
    # outsider uses theirs); a complaint, like its case, only for those who see it.
    # Every other role, and an enforcement agency, gets 404.
    ("labour/employers/", "employers"): Rule("get", _web(200, outsider=200)),
    ("labour/employers/<uuid:employer_id>/", "employer"): Rule(
        "get", _web(200), setup=_employer
    ),
    ("labour/complaints/", "complaints"): Rule("get", _web(200, outsider=200)),
    ("labour/complaints/<uuid:complaint_id>/", "complaint"): Rule(
        "get", _web(200), setup=_labour_complaint
    ),
    ("labour/cases/<uuid:case_id>/complaints/new/", "complaint_new"): Rule(
        "get", _web(200)
    ),
    ("labour/cases/<uuid:case_id>/checklist/", "checklist"): Rule("get", _web(200)),
    ("api/v1/labour/employers", "list_employers"): Rule("get", _api(200, outsider=200)),
    ("api/v1/labour/employers", "create_employer"): Rule(
        "post",
        _api(201, outsider=201),
        {"kind": "employer", "name": "Finca El Sol", "country": "MEX"},
    ),
    ("api/v1/labour/complaints", "list_complaints"): Rule(
        "get", _api(200, outsider=200)
    ),
    ("api/v1/labour/cases/<case_id>/complaints", "create_complaint"): Rule(
        "post", _api(201), {"type": "excessive_hours", "received_on": "2026-01-01"}
    ),
    ("api/v1/labour/complaints/<complaint_id>", "get_complaint"): Rule(
        "get", _api(200), setup=_labour_complaint
    ),
    ("api/v1/labour/complaints/<complaint_id>/status", "set_complaint_status"): Rule(
        "post",
        _api(200),
        {"status": "referred", "on": "{today}", "referred_to": "inspectorate"},
        setup=_labour_complaint,
    ),
    ("api/v1/labour/cases/<case_id>/checklists", "create_checklist"): Rule(
        "post", _api(201), LABOUR_CHECKLIST
    ),
    ("api/schema/", "openapi-json"): Rule("get", PUBLIC_GET),
    ("api/docs/", "openapi-view"): Rule("get", PUBLIC_GET),
    ("api/", "api-root"): Rule("get", dict.fromkeys(PERSONAS, 404)),
    ("api/v1/persons/", "list_persons"): Rule(
        "get", _api(200, statistician=200, outsider=200)
    ),
    ("api/v1/persons/", "create_person"): Rule(
        "post",
        _api(201, statistician=403, outsider=201),
        {"names": [{"given_names": "N"}]},
    ),
    ("api/v1/persons/<person_id>", "get_person"): Rule("get", _api(200)),
    ("api/v1/persons/<person_id>", "replace_person"): Rule(
        "put", _api(200), {"names": [{"given_names": "N"}]}
    ),
    ("api/v1/persons/<person_id>/consents", "list_consents"): Rule("get", _api(200)),
    ("api/v1/persons/<person_id>/consents", "create_consent"): Rule(
        "post",
        _api(201),
        {
            "purpose": "tracing",
            "basis": "consent",
            "method": "oral",
            "given_by": "person",
            "obtained_on": "2026-01-01",
        },
    ),
    (
        "api/v1/persons/<person_id>/consents/<consent_id>/withdraw",
        "withdraw_consent",
    ): Rule("post", _api(200), {"reason": "x"}, setup=_consent),
    ("api/v1/cases/", "list_cases"): Rule(
        "get", _api(200, statistician=200, outsider=200)
    ),
    ("api/v1/cases/", "create_case"): Rule("post", _api(201), CASE_BODY),
    ("api/v1/cases/<case_id>", "get_case"): Rule("get", _api(200)),
    ("api/v1/cases/<case_id>/notes", "list_notes"): Rule("get", _api(200)),
    ("api/v1/cases/<case_id>/notes", "create_note"): Rule(
        "post", _api(201), {"body": "x"}
    ),
    ("api/v1/cases/<case_id>/status", "set_status"): Rule(
        "post", _api(200), {"status": "assessed"}
    ),
    ("api/v1/cases/<case_id>/assign", "assign"): Rule(
        "post", _api(200), {"assigned_to": None}
    ),
    ("api/v1/cases/<case_id>/close", "close"): Rule(
        "post", _api(200), {"reason": "goals_met"}
    ),
    ("api/v1/cases/<case_id>/members", "add_member"): Rule(
        "post",
        _api(201),
        {
            "person_id": "{other}",
            "relationship": "child",
            "lawful_basis": {
                "basis": "consent",
                "method": "oral",
                "given_by": "person",
            },
        },
    ),
    ("api/v1/cases/<case_id>/risk", "set_risk"): Rule(
        "post", _api(200), {"risk": "high"}
    ),
    ("api/v1/cases/<case_id>/reopen", "reopen"): Rule(
        "post", _api(200), {"reason": "x"}, closed_case=True
    ),
    ("api/v1/cases/<case_id>/timeline", "case_timeline"): Rule("get", _api(200)),
}


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def test_every_route_has_a_policy():
    missing = sorted(set(_routes()) - set(POLICY))
    assert not missing, f"routes without an access policy: {missing}"
    stale = sorted(set(POLICY) - set(_routes()))
    assert not stale, f"policies for routes that no longer exist: {stale}"


def _fill(value, names):
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "name"), sorted(POLICY))
def test_each_persona_gets_the_expected_answer(
    client,
    request,
    caseworker,
    supervisor,
    statistician,
    outsider,
    persona,
    route,
    name,
):
    rule = POLICY[(route, name)]
    case = make_case(caseworker)
    if rule.closed_case:
        close_case(case, acting_user=caseworker, reason="goals_met")
    other = make_person(caseworker, "Saba", "Tekle")
    names = {
        "person": str(case.primary_person_id),
        "person_id": str(case.primary_person_id),
        "other": str(other.pk),
        "case_id": str(case.pk),
        "change": "note",
    }
    if rule.setup is not None:
        names |= rule.setup(Context(case, other, request.getfixturevalue))
    # "<uuid:case_id>" and "<case_id>" both take names["case_id"].
    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: names[m.group(1)], route)
    headers = {}
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        if route.startswith("api/v1/"):
            raw = issue_api_token(
                user, name="matrix", acting_user=user, scope="read_write"
            )[1]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        else:
            client.force_login(user)
    data = _fill(rule.data, names)
    if route.startswith("api/") and rule.method != "get":
        response = getattr(client, rule.method)(
            url, data, content_type="application/json", **headers
        )
    else:
        response = getattr(client, rule.method)(url, data, **headers)
    expected = rule.expect[persona]
    if expected == "login":
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        ), (url, response.status_code)
    else:
        assert response.status_code == expected, (
            url,
            persona,
            response.status_code,
            response.content[:200],
        )
