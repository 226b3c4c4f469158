"""What anonymisation keeps and what it erases, record by record and field by field.

This is the list the data-protection officer reads (the retention pages show it) and
the list `actions` applies: a field changes only as a rule here says, and a test fails
when a person's or a case's records gain a field or a related table that no rule
names. Pure: no database access.

Kept: what statistics count (sex, year of birth or estimated age, citizenship, country
of birth, specific needs, agency; case types, status, risk, closure reason, and dates
reduced to the month) and the links between records. Erased: everything that names,
locates or tells the story of a person. `updated_at` and `anonymised_at` become the time
of anonymisation.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Stored data rather than interface text, so the same in every language.
PLACEHOLDER = "Anonymised"

Row = Mapping[str, Any]


class Fate(StrEnum):
    KEPT = "kept"
    REDUCED = "reduced"
    ERASED = "erased"


@dataclass(frozen=True)
class FieldRule:
    name: str
    fate: Fate
    why: Promise
    # The value after anonymisation, from the row's values before (keyed by column
    # attribute name: `agency_id`, not `agency`). None for a kept field.
    becomes: Callable[[Row], Any] | None = None


@dataclass(frozen=True)
class RowRule:
    """What happens to the rows of one table ("app_label.model") whose foreign key
    `via` points at the record being anonymised ("pk": the record itself). KEPT rows
    stay as they are, ERASED rows are deleted, REDUCED rows stay with the listed
    fields changed."""

    model: str
    via: str
    fate: Fate
    why: Promise
    fields: tuple[FieldRule, ...] = ()


def month_start(value: datetime | None) -> datetime | None:
    """The first moment of the value's month, in the deployment's time zone, so that
    counts by month come out the same before and after."""
    if value is None:
        return None
    return timezone.localtime(value).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )


def year_start(value: date | None) -> date | None:
    return None if value is None else value.replace(month=1, day=1)


def reduced_event_data(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """What a timeline line keeps: the codes statistics use (case types, statuses,
    risk levels, closure reason); never who was assigned, added or written about."""
    kept = EVENT_DATA_KEPT.get(kind, frozenset())
    return {key: value for key, value in data.items() if key in kept}


EVENT_DATA_KEPT: dict[str, frozenset[str]] = {
    "opened": frozenset({"types", "risk"}),
    "status_changed": frozenset({"from", "to"}),
    "risk_changed": frozenset({"from", "to"}),
    "closed": frozenset({"reason"}),
}


def _blank(_row: Row) -> str:
    return ""


def _month(name: str) -> Callable[[Row], datetime | None]:
    return lambda row: month_start(row[name])


def _reduced_date(name: str) -> FieldRule:
    return FieldRule(
        name,
        Fate.REDUCED,
        _MONTH,
        lambda row: row[name].replace(day=1) if row[name] else None,
    )


def _placeholder(name: str, why: Promise) -> FieldRule:
    """Required text: replaced rather than emptied."""
    return FieldRule(name, Fate.ERASED, why, lambda _row: PLACEHOLDER)


def _kept(name: str, why: Promise) -> FieldRule:
    return FieldRule(name, Fate.KEPT, why)


def _erased(name: str, why: Promise) -> FieldRule:
    return FieldRule(name, Fate.ERASED, why, _blank)


_LINK = _("A link between records, no personal data.")
_STAFF = _("A staff member, not the person.")
_MONTH = _("Reduced to the month, so counts by month stay the same.")
_PROOF = _("Proof of what was done, when, and on what basis.")
_STORY = _("Free text, which may name the person or tell their story.")
_COUNTED = _("A code or amount that statistics count.")

PERSON = RowRule(
    "people.person",
    "pk",
    Fate.REDUCED,
    _("The record stays, so that statistics keep counting the person."),
    (
        _kept("id", _LINK),
        FieldRule("created_at", Fate.REDUCED, _MONTH, _month("created_at")),
        _kept("agency_id", _("Statistics by agency.")),
        FieldRule(
            "display_name",
            Fate.ERASED,
            _("Replaced by “Anonymised”."),
            lambda _row: PLACEHOLDER,
        ),
        _kept("sex", _("Statistics by sex.")),
        FieldRule(
            "birth_date",
            Fate.REDUCED,
            _("Year of birth only, for age groups."),
            lambda row: year_start(row["birth_date"]),
        ),
        FieldRule(
            "birth_date_precision",
            Fate.REDUCED,
            _("Becomes “year only”."),
            lambda _row: "year",
        ),
        _kept("estimated_age", _("Age groups, where the date of birth is unknown.")),
        _kept(
            "age_estimated_on", _("Needed to age the estimate; not about the person.")
        ),
        _kept("country_of_birth", _("Statistics by country of origin.")),
        _erased("place_of_origin", _("A town or village can single a person out.")),
        _erased("preferred_language", _("Not needed for statistics.")),
        FieldRule(
            "languages",
            Fate.ERASED,
            _("Not needed for statistics; a rare language can single a person out."),
            lambda _row: [],
        ),
        _erased("contact", _("Says where the person can be found.")),
        _kept("vulnerabilities", _("Statistics by specific need.")),
        _erased(
            "migration_status",
            _("Sensitive, and never a statistic below the disclosure threshold."),
        ),
        _kept("registered_by_id", _STAFF),
        _kept("team_id", _STAFF),
    ),
)

PERSON_ROWS: tuple[RowRule, ...] = (
    PERSON,
    RowRule(
        "people.personname",
        "person",
        Fate.ERASED,
        _(
            "Every name (primary name, aliases, other spellings) is deleted; one "
            "name, “Anonymised”, takes their place."
        ),
    ),
    RowRule(
        "people.namekey",
        "person",
        Fate.ERASED,
        _("Search keys are deleted: nobody can find the person by name any more."),
    ),
    RowRule("people.nationality", "person", Fate.KEPT, _("Statistics by citizenship.")),
    RowRule(
        "witnesses.protection",
        "person",
        Fate.ERASED,
        _(
            "A witness's protection, with the encrypted identity and the requests to "
            "see it, is deleted; the audit trail keeps that it existed."
        ),
    ),
    RowRule(
        "people.consent",
        "person",
        Fate.REDUCED,
        _("Kept as proof of the lawful basis of past processing; free text erased."),
        (
            _kept("id", _LINK),
            _kept("created_at", _("Proof of when the basis was recorded.")),
            _kept("person_id", _LINK),
            _kept("purpose", _("Proof of the lawful basis.")),
            _kept("basis", _("Proof of the lawful basis.")),
            _kept("method", _("Proof of the lawful basis.")),
            _kept("given_by", _("Proof of the lawful basis.")),
            _erased("child_views", _("The child's own words.")),
            _erased("language", _("Not needed as proof.")),
            _kept("interpreter", _("Proof of how the person was informed.")),
            _erased("scope", _("May name recipients or relatives.")),
            FieldRule(
                "justification",
                Fate.ERASED,
                _("May tell the person's story; replaced by “Anonymised”."),
                # The database requires a justification for every basis but consent.
                lambda row: PLACEHOLDER if row["justification"] else "",
            ),
            _kept("obtained_on", _("Proof of when the basis was obtained.")),
            _kept("recorded_by_id", _STAFF),
            _kept("withdrawn_at", _("Proof of the withdrawal.")),
            _kept("withdrawn_by_id", _STAFF),
            _erased("withdrawal_reason", _("May tell the person's story.")),
        ),
    ),
    RowRule(
        "cases.case",
        "primary_person",
        Fate.KEPT,
        _(
            "The person's own cases are anonymised with them on an erasure request, "
            "and otherwise on their own retention period."
        ),
    ),
    RowRule(
        "cases.casemember",
        "person",
        Fate.KEPT,
        _(
            "Kept as a link to the family or group case, which is anonymised on its "
            "own retention period."
        ),
    ),
    RowRule(
        "safeguards.obligation",
        "person",
        Fate.KEPT,
        _(
            "Follows the retention of its case, which holds the person's duties "
            "(compliance figures count them)."
        ),
    ),
    RowRule(
        "retention.erasurerequest",
        "person",
        Fate.REDUCED,
        _("Kept as proof of the request and of its decision; the reason is erased."),
        (
            _kept("id", _LINK),
            _kept("created_at", _("Proof of when the request was made.")),
            _kept("agency_id", _LINK),
            _kept("person_id", _LINK),
            _kept("requested_by_id", _STAFF),
            _erased("reason", _("May name the person or tell their story.")),
            _kept("status", _("Proof of the decision.")),
            _kept("decided_by_id", _STAFF),
            _kept("decided_at", _("Proof of the decision.")),
            _kept("decision_note", _("The decision's reasons, written without names.")),
        ),
    ),
)

CASE = RowRule(
    "cases.case",
    "pk",
    Fate.REDUCED,
    _("The case stays, so that statistics keep counting it."),
    (
        _kept("id", _LINK),
        FieldRule("created_at", Fate.REDUCED, _MONTH, _month("created_at")),
        _kept("agency_id", _("Statistics by agency.")),
        FieldRule(
            "reference",
            Fate.ERASED,
            _(
                "Replaced by ANON- and the record number: papers and messages that cite the old reference lead nowhere."
            ),
            lambda row: f"ANON-{uuid.UUID(str(row['id'])).hex}",
        ),
        _kept("primary_person_id", _LINK),
        _kept("status", _("Statistics by status.")),
        _kept("risk", _("Statistics by risk level.")),
        _kept("assigned_to_id", _STAFF),
        FieldRule("opened_at", Fate.REDUCED, _MONTH, _month("opened_at")),
        _kept("opened_by_id", _STAFF),
        _erased("opening_reason", _("The person's story.")),
        FieldRule("closed_at", Fate.REDUCED, _MONTH, _month("closed_at")),
        _kept("closure_reason", _("Statistics by outcome.")),
        _erased("closure_note", _("The person's story.")),
    ),
)

_CASE_OWN_ROWS: tuple[RowRule, ...] = (
    CASE,
    RowRule("cases.casetype", "case", Fate.KEPT, _("Statistics by case type.")),
    RowRule(
        "cases.casemember",
        "case",
        Fate.KEPT,
        _(
            "Kept as links: who was on the case. Each person is anonymised on their "
            "own retention period or erasure request."
        ),
    ),
    RowRule(
        "cases.note", "case", Fate.ERASED, _("Notes are the person's story: deleted.")
    ),
    RowRule(
        "safeguards.casefact",
        "case",
        Fate.ERASED,
        _(
            "The facts of detention and consular access (nationality, asylum status, "
            "dates) describe the person: deleted."
        ),
    ),
    RowRule(
        "safeguards.casesafeguards",
        "case",
        Fate.REDUCED,
        _("The jurisdiction whose law applied: statistics by jurisdiction."),
        (
            _kept("case_id", _LINK),
            _kept("jurisdiction", _("For statistics by jurisdiction.")),
            _kept("evaluated_at", _("When the duties were last computed.")),
            # The engine never looks at an anonymised case again.
            FieldRule(
                "recheck_at",
                Fate.ERASED,
                _("When time alone would change a duty: nothing to look at now."),
                lambda _row: None,
            ),
        ),
    ),
    RowRule(
        "safeguards.obligation",
        "case",
        Fate.REDUCED,
        _(
            "Kept for compliance figures (which duty, met or not, on time or late, by "
            "month); what it said about the person is erased."
        ),
        (
            _kept("id", _LINK),
            FieldRule("created_at", Fate.REDUCED, _MONTH, _month("created_at")),
            _kept("case_id", _LINK),
            _kept("agency_id", _LINK),
            _kept("person_id", _LINK),
            _kept("rule_id", _("Which duty, for compliance figures.")),
            _kept(
                "key", _("A country code or episode number, for compliance figures.")
            ),
            _kept("due", _("What the duty was, in the rule's words.")),
            FieldRule("due_at", Fate.REDUCED, _MONTH, _month("due_at")),
            _kept("time_zone", _LINK),
            _kept("status", _("Met or not, for compliance figures.")),
            _kept("severity", _("For compliance figures.")),
            _kept("citations", _("The sources of the duty.")),
            FieldRule("triggered_by", Fate.ERASED, _STORY, lambda _row: []),
            FieldRule("met_by", Fate.ERASED, _STORY, lambda _row: []),
            FieldRule("met_at", Fate.REDUCED, _MONTH, _month("met_at")),
            _erased("note", _STORY),
            _erased("details_json", _STORY),
            FieldRule("recheck_at", Fate.ERASED, _STORY, lambda _row: None),
            _erased(
                "fingerprint",
                _("A hash of what the duty said; blank, so nothing can be compared."),
            ),
        ),
    ),
    RowRule(
        "cases.caseevent",
        "case",
        Fate.REDUCED,
        _("The timeline keeps what happened and when (by month), not the details."),
        (
            _kept("id", _LINK),
            _kept("case_id", _LINK),
            FieldRule("occurred_at", Fate.REDUCED, _MONTH, _month("occurred_at")),
            _kept("actor_id", _STAFF),
            _kept("kind", _("What happened (opened, status changed, closed…).")),
            FieldRule(
                "data",
                Fate.REDUCED,
                _(
                    "Only case types, statuses, risk levels and the closure reason; "
                    "no assignee, note or person."
                ),
                lambda row: reduced_event_data(row["kind"], row["data"]),
            ),
        ),
    ),
)

# Records of disclosure and oversight about a case: who shared or saw what, with whom,
# when and on what basis stays, as proof; their free text, which may tell the person's
# story, goes (required text becomes “Anonymised”).
_DISCLOSURE_ROWS: tuple[RowRule, ...] = (
    RowRule(
        "referrals.referral",
        "case",
        Fate.REDUCED,
        _(
            "Kept as proof of what was shared with whom and when; the copy of the "
            "shared values and the messages are erased."
        ),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("kind", _PROOF),
            _kept("case_id", _LINK),
            _kept("from_agency_id", _PROOF),
            _kept("to_agency_id", _PROOF),
            _kept("agreement_id", _PROOF),
            _kept("override_id", _PROOF),
            _kept("consent_id", _PROOF),
            _kept("fields", _("Which fields were shared (their names, not values).")),
            FieldRule(
                "packet",
                Fate.ERASED,
                _("The copy of the person's data that was sent."),
                lambda _row: "{}",
            ),
            _placeholder("message", _STORY),
            _kept("sent_by_id", _STAFF),
            _kept("sent_at", _PROOF),
            _kept("status", _PROOF),
            _kept("responded_by_id", _STAFF),
            _kept("responded_at", _PROOF),
            _erased("response_note", _STORY),
            _kept("received_case_id", _LINK),
        ),
    ),
    RowRule(
        "referrals.referral",
        "received_case",
        Fate.KEPT,
        _(
            "A referral this case came from belongs to the sending agency's case, "
            "and follows that case's retention."
        ),
    ),
    RowRule(
        "services.servicereferral",
        "case",
        Fate.REDUCED,
        _(
            "Kept as proof of which service was sought from whom and when; the copy "
            "of the shared values and the messages are erased."
        ),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("case_id", _LINK),
            _kept("provider_id", _PROOF),
            _kept("service", _PROOF),
            _kept("urgency", _PROOF),
            _kept("consent_id", _PROOF),
            _kept("person_agreed", _PROOF),
            _kept("fields", _("Which fields were shared (their names, not values).")),
            FieldRule(
                "packet",
                Fate.ERASED,
                _("The copy of the person's data that was sent."),
                lambda _row: "{}",
            ),
            _placeholder("message", _STORY),
            _kept("sent_by_id", _STAFF),
            _kept("sent_at", _PROOF),
            _kept("status", _PROOF),
            _kept("accepted_at", _PROOF),
            _kept("declined_at", _PROOF),
            _erased("decline_reason", _STORY),
            _kept("delivered_at", _PROOF),
            _kept("closed_at", _PROOF),
            _erased("closing_note", _STORY),
        ),
    ),
    RowRule(
        "labour.complaint",
        "case",
        Fate.REDUCED,
        _(
            "Kept for statistics of complaints and wages (type, employer, amounts, "
            "status, dates reduced to the month); what happened and how it ended "
            "is erased. Its recruitment costs stay with it."
        ),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("case_id", _LINK),
            _kept("agency_id", _LINK),
            _kept("type", _COUNTED),
            _kept("employer_id", _("The employer or recruiter, not the person.")),
            _kept("recruiter_id", _("The employer or recruiter, not the person.")),
            _kept("country_of_employment", _COUNTED),
            _reduced_date("received_on"),
            _erased("description", _STORY),
            _kept("amount_owed", _COUNTED),
            _kept("currency", _COUNTED),
            _reduced_date("period_start"),
            _reduced_date("period_end"),
            _kept("amount_recovered", _COUNTED),
            _reduced_date("recovered_on"),
            _erased("recovery_note", _STORY),
            _kept("monthly_income", _COUNTED),
            _kept("income_currency", _COUNTED),
            _kept("documents_held_by", _COUNTED),
            _kept("receipt_given", _COUNTED),
            _kept("injury_fatal", _COUNTED),
            _kept("status", _COUNTED),
            _kept("referred_to", _COUNTED),
            _reduced_date("referred_on"),
            _reduced_date("mediation_on"),
            _reduced_date("resolved_on"),
            _erased("outcome", _STORY),
            _reduced_date("closed_on"),
            _kept("recorded_by_id", _STAFF),
        ),
    ),
    RowRule(
        "labour.checklist",
        "case",
        Fate.KEPT,
        _(
            "A domestic worker's ILO C189 checklist holds yes-or-no answers and a "
            "date, no name and no story: kept for statistics."
        ),
    ),
    RowRule(
        "htcds.importedcase",
        "case",
        Fate.KEPT,
        _(
            "Which HTCDS import and row a case came from: a batch and a row number, "
            "no personal data."
        ),
    ),
    RowRule(
        "disclosures.firewalloverride",
        "case",
        Fate.REDUCED,
        _("Kept as proof of the disclosure; its free text is erased."),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("agency_id", _PROOF),
            _kept("case_id", _LINK),
            _kept("recipient_id", _PROOF),
            _kept("recipient_name", _("The recipient, not the person.")),
            _kept("kind", _PROOF),
            _kept("legal_basis", _PROOF),
            _placeholder("legal_basis_explanation", _STORY),
            _placeholder("purpose", _STORY),
            _kept(
                "fields", _("Which fields were disclosed (their names, not values).")
            ),
            _kept("subject_notice", _("Proof of whether the person was told.")),
            FieldRule(
                "notice_explanation",
                Fate.ERASED,
                _STORY,
                # Kept non-empty where it was given, as the form requires it then.
                lambda row: PLACEHOLDER if row["notice_explanation"] else "",
            ),
            _kept("requested_by_id", _STAFF),
            _kept("status", _PROOF),
            _kept("expires_at", _PROOF),
            _kept("decided_at", _PROOF),
            _kept("used_at", _PROOF),
            _kept("used_by_id", _STAFF),
        ),
    ),
    RowRule(
        "disclosures.overrideapproval",
        "override__case",
        Fate.REDUCED,
        _("Kept as proof of who approved the disclosure; the note is erased."),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("override_id", _LINK),
            _kept("approver_id", _STAFF),
            _kept("approver_role", _PROOF),
            _kept("decision", _PROOF),
            _kept("decided_at", _PROOF),
            _erased("note", _STORY),
        ),
    ),
    RowRule(
        "disclosures.exportrequest",
        "case",
        Fate.REDUCED,
        _("Kept as proof of the export; its free text is erased."),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("agency_id", _PROOF),
            _kept("case_id", _LINK),
            _kept("requested_by_id", _STAFF),
            _placeholder("purpose", _STORY),
            _kept("recipient_agency_id", _PROOF),
            _kept("recipient_name", _("The recipient, not the person.")),
            _kept("recipient_kind", _PROOF),
            _kept("override_id", _PROOF),
            _kept("status", _PROOF),
            _kept("decided_by_id", _STAFF),
            _kept("decided_at", _PROOF),
            _erased("decision_note", _STORY),
            _kept("expires_at", _PROOF),
            _kept("downloaded_at", _PROOF),
            _kept("download_count", _PROOF),
        ),
    ),
    RowRule(
        "oversight.contentaccessgrant",
        "case",
        Fate.REDUCED,
        _("Kept as proof of who read the case, and when; the reason is erased."),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("dpo_id", _STAFF),
            _kept("case_id", _LINK),
            _placeholder("reason", _STORY),
            _kept("granted_at", _PROOF),
            _kept("expires_at", _PROOF),
            _kept("revoked_at", _PROOF),
        ),
    ),
    RowRule(
        "oversight.escalation",
        "case",
        Fate.REDUCED,
        _(
            "Kept as proof that a legal question was asked and answered; its text is erased."
        ),
        (
            _kept("id", _LINK),
            _kept("created_at", _PROOF),
            _kept("agency_id", _PROOF),
            _kept("case_id", _LINK),
            _kept("raised_by_id", _STAFF),
            _kept("legal_officer_id", _STAFF),
            _placeholder("question", _STORY),
            _erased("answer", _STORY),
            _kept("answered_by_id", _STAFF),
            _kept("answered_at", _PROOF),
        ),
    ),
)

CASE_ROWS = _CASE_OWN_ROWS + _DISCLOSURE_ROWS

# Kept by law or by necessity whatever the rules above say.
ALWAYS_KEPT: tuple[Promise, ...] = (
    _(
        "The audit trail: who did what to which record, and when. It holds record "
        "numbers and field names, never names or narratives, and cannot be changed."
    ),
    _("The erasure request and its decision, as proof that the erasure was done."),
    _(
        "Paper files, e-mails and exports made before: Amparo cannot reach them; "
        "whoever keeps them must destroy them."
    ),
)


def anonymised(rule: RowRule, row: Row) -> dict[str, Any]:
    """The new values of the fields `rule` changes, for a row with values `row`."""
    return {f.name: f.becomes(row) for f in rule.fields if f.becomes is not None}


def changed_fields(rule: RowRule) -> list[str]:
    return [f.name for f in rule.fields if f.becomes is not None]
