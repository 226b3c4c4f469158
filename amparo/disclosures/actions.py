"""Every write of firewall overrides and export requests: one transaction each, with
its audit event. Audit data holds ids, kinds and statuses only: never the purpose,
the legal explanation, a recipient's name or anything of the case file."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from amparo.accounts.models import Agency, User, is_enforcement
from amparo.audit.actions import record as audit
from amparo.cases.models import Case, CaseMember, SharedField
from amparo.cases.queries import cases_visible_to
from amparo.core.text import clean_text
from amparo.disclosures import archive, queries
from amparo.disclosures.models import ExportRequest, FirewallOverride, OverrideApproval
from amparo.people.models import Consent
from amparo.people.queries import require_basis
from amparo.witnesses.models import Protection

MAX_TEXT = 5_000
MAX_NAME = 200
MIN_PASSPHRASE = 12
MAX_PASSPHRASE = 1_000


def override_days() -> int:
    return settings.AMPARO_OVERRIDE_VALID_DAYS


def export_days() -> int:
    return settings.AMPARO_EXPORT_VALID_DAYS


# Firewall overrides


def _clean_recipient(
    recipient: Agency | None, recipient_name: str, kind: str, field: str
) -> str:
    if kind not in FirewallOverride.Kind.values:
        raise ValidationError({"kind": _("Choose referral, transfer or export.")})
    name = clean_text(
        recipient_name, field="recipient_name", max_length=MAX_NAME, multiline=False
    )
    if (recipient is None) == (not name):
        raise ValidationError(
            {field: _("Choose an agency or name an outside organisation, not both.")}
        )
    if recipient is not None and not is_enforcement(recipient):
        raise ValidationError(
            {field: _("This agency is not behind the firewall: it needs no override.")}
        )
    if name and kind != FirewallOverride.Kind.EXPORT:
        raise ValidationError(
            {
                "recipient_name": _(
                    "Only an export goes to an organisation outside Amparo; "
                    "choose the agency for a referral or a transfer."
                )
            }
        )
    return name


@transaction.atomic
def request_override(
    case: Case,
    *,
    acting_user: User,
    kind: str,
    recipient: Agency | None,
    recipient_name: str = "",
    legal_basis: str,
    explanation: str,
    purpose: str,
    subject_notice: str,
    notice_explanation: str = "",
    fields: list[str] | None = None,
) -> FirewallOverride:
    """A supervisor who sees the case asks for one disclosure to an enforcement body."""
    if (
        acting_user.role != User.Role.SUPERVISOR
        or not acting_user.works_on_cases
        or not cases_visible_to(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionError("Only a supervisor who sees the case requests this.")
    name = _clean_recipient(recipient, recipient_name, kind, "recipient")
    if legal_basis not in FirewallOverride.LegalBasis.values:
        raise ValidationError({"legal_basis": _("Choose a legal basis from the list.")})
    fields = sorted(set(fields or []))
    if kind == FirewallOverride.Kind.EXPORT:
        fields = []
    elif not fields or not set(fields) <= set(SharedField.values):
        raise ValidationError(
            {"fields": _("Choose the fields that would be disclosed.")}
        )
    if subject_notice not in FirewallOverride.Notice.values:
        raise ValidationError(
            {"subject_notice": _("Say whether the person is told of the disclosure.")}
        )
    notice_explanation = clean_text(
        notice_explanation,
        field="notice_explanation",
        max_length=MAX_TEXT,
        required=subject_notice == FirewallOverride.Notice.UNSAFE,
    )
    override = FirewallOverride.objects.create(
        agency_id=case.agency_id,
        case=case,
        recipient=recipient,
        recipient_name=name,
        kind=kind,
        legal_basis=legal_basis,
        legal_basis_explanation=clean_text(
            explanation,
            field="legal_basis_explanation",
            max_length=MAX_TEXT,
            required=True,
        ),
        purpose=clean_text(
            purpose, field="purpose", max_length=MAX_TEXT, required=True
        ),
        subject_notice=subject_notice,
        notice_explanation=notice_explanation,
        fields=fields,
        requested_by=acting_user,
        expires_at=timezone.now() + timedelta(days=override_days()),
    )
    audit(
        acting_user,
        "disclosures.override.requested",
        override,
        {
            "case": str(case.pk),
            "kind": kind,
            "recipient": str(recipient.pk) if recipient else None,
            "outside_recipient": bool(name),
            "legal_basis": legal_basis,
            "subject_notice": subject_notice,
            "fields": fields,
        },
    )
    return override


def _lock_override(override: FirewallOverride) -> FirewallOverride:
    return FirewallOverride.objects.select_for_update().get(pk=override.pk)


@transaction.atomic
def expire_override_if_due(override: FirewallOverride, *, acting_user: User) -> bool:
    """Write down that a pending or approved override has run out; True if it has."""
    locked = _lock_override(override)
    due = (
        locked.status
        in {FirewallOverride.Status.PENDING, FirewallOverride.Status.APPROVED}
        and locked.is_expired()
    )
    if due:
        locked.status = FirewallOverride.Status.EXPIRED
        locked.save(update_fields=["status", "updated_at"])
        audit(acting_user, "disclosures.override.expired", locked)
        override.status = locked.status
    return due


def _approved_by_two(override: FirewallOverride) -> bool:
    """Two distinct approvers, at least one a legal officer or the DPO. The requester
    never approves (checked before an approval is written)."""
    approvals = list(
        override.approvals.filter(decision=OverrideApproval.Decision.APPROVE)
    )
    approvers = {a.approver_id for a in approvals} - {override.requested_by_id}
    reviewer = any(a.approver_role in queries.OVERRIDE_REVIEWERS for a in approvals)
    return len(approvers) >= 2 and reviewer


@transaction.atomic
def _decide_override(
    override: FirewallOverride, *, acting_user: User, decision: str, note: str
) -> FirewallOverride:
    locked = _lock_override(override)
    if locked.approvals.filter(approver=acting_user).exists():
        raise ValidationError(
            {"decision": _("You have already decided on this override.")}
        )
    if not queries.may_decide_override(acting_user, locked):
        raise PermissionError("This user may not decide on this override.")
    if locked.status != FirewallOverride.Status.PENDING:
        raise ValidationError({"decision": _("This override is already decided.")})
    if decision not in OverrideApproval.Decision.values:
        raise ValidationError({"decision": _("Approve or reject.")})
    note = clean_text(
        note,
        field="note",
        max_length=MAX_TEXT,
        required=decision == OverrideApproval.Decision.REJECT,
    )
    now = timezone.now()
    OverrideApproval.objects.create(
        override=locked,
        approver=acting_user,
        approver_role=acting_user.role,
        decision=decision,
        note=note,
        decided_at=now,
    )
    audit(
        acting_user,
        "disclosures.override.decided",
        locked,
        {"decision": decision, "role": acting_user.role},
    )
    if decision == OverrideApproval.Decision.REJECT:
        locked.status = FirewallOverride.Status.REJECTED
    elif _approved_by_two(locked):
        locked.status = FirewallOverride.Status.APPROVED
    if locked.status != FirewallOverride.Status.PENDING:
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        audit(acting_user, f"disclosures.override.{locked.status}", locked)
    return locked


def decide_override(
    override: FirewallOverride, *, acting_user: User, decision: str, note: str = ""
) -> FirewallOverride:
    """One approver's decision. Two approvals (one by a legal officer or the DPO)
    approve the override; one rejection rejects it. An expired override is marked
    expired (that commits) and the decision refused."""
    if queries.may_decide_override(acting_user, override) and expire_override_if_due(
        override, acting_user=acting_user
    ):
        raise ValidationError({"decision": _("This override has expired.")})
    return _decide_override(
        override, acting_user=acting_user, decision=decision, note=note
    )


@transaction.atomic
def use_override(override: FirewallOverride, *, acting_user: User) -> None:
    """Mark the override used by the disclosure whose transaction this runs in."""
    locked = _lock_override(override)
    if acting_user.agency_id != locked.agency_id:
        raise PermissionError("The override belongs to another agency.")
    if locked.status != FirewallOverride.Status.APPROVED or locked.is_expired():
        raise ValidationError(
            {
                "recipient": _(
                    "The firewall override is no longer valid (not approved, "
                    "already used or expired). Request a new one."
                )
            }
        )
    locked.status = FirewallOverride.Status.USED
    locked.used_at = timezone.now()
    locked.used_by = acting_user
    locked.save(update_fields=["status", "used_at", "used_by", "updated_at"])
    audit(
        acting_user,
        "disclosures.override.used",
        locked,
        {"case": str(locked.case_id), "kind": locked.kind},
    )
    override.status, override.used_at = locked.status, locked.used_at
    override.used_by = acting_user


# Exports


def _export_clearance(
    export: ExportRequest, user: User, case: Case
) -> FirewallOverride | None:
    if export.recipient_agency is not None:
        return queries.clearance(
            user=user,
            recipient=export.recipient_agency,
            kind=FirewallOverride.Kind.EXPORT,
            case=case,
        )
    if export.recipient_kind == ExportRequest.RecipientKind.ENFORCEMENT:
        return queries.outside_clearance(
            user=user, recipient_name=export.recipient_name, case=case
        )
    return None


def _require_data_sharing(case: Case) -> None:
    if case.anonymised_at is not None or case.primary_person.anonymised_at is not None:
        raise ValidationError(
            {"case": _("This record has been anonymised: there is nothing to export.")}
        )
    if Protection.objects.filter(
        Q(person_id=case.primary_person_id) | Q(person__in=_members(case)),
        ended_at__isnull=True,
    ).exists():
        raise ValidationError(
            {
                "case": _(
                    "A person on this case is protected as a witness: protected "
                    "persons are never exported."
                )
            }
        )
    require_basis(case.primary_person, Consent.Purpose.DATA_SHARING)


def _members(case: Case) -> QuerySet[CaseMember, uuid.UUID]:
    return CaseMember.objects.filter(case=case).values_list("person_id", flat=True)


def _recipient(
    user: User, agency: Agency | None, name: str, kind: str
) -> tuple[Agency | None, str, str]:
    name = clean_text(
        name, field="recipient_name", max_length=MAX_NAME, multiline=False
    )
    if (agency is None) == (not name):
        raise ValidationError(
            {
                "recipient": _(
                    "Choose an agency or name an outside organisation, not both."
                )
            }
        )
    if agency is not None:
        if agency.pk == user.agency_id:
            raise ValidationError(
                {"recipient": _("Your own agency already has the case.")}
            )
        kind = (
            ExportRequest.RecipientKind.ENFORCEMENT
            if is_enforcement(agency)
            else ExportRequest.RecipientKind.PROTECTION
        )
    elif kind not in ExportRequest.RecipientKind.values:
        raise ValidationError(
            {"recipient_kind": _("Say what kind of organisation this is.")}
        )
    return agency, name, kind


@transaction.atomic
def request_export(
    case: Case,
    *,
    acting_user: User,
    purpose: str,
    recipient_agency: Agency | None = None,
    recipient_name: str = "",
    recipient_kind: str = "",
) -> ExportRequest:
    """A case worker or supervisor who sees the case asks to export its file."""
    if (
        not acting_user.works_on_cases
        or not cases_visible_to(acting_user).filter(pk=case.pk).exists()
    ):
        raise PermissionError("This user may not export this case.")
    purpose = clean_text(purpose, field="purpose", max_length=MAX_TEXT, required=True)
    agency, name, kind = _recipient(
        acting_user, recipient_agency, recipient_name, recipient_kind
    )
    export = ExportRequest(
        agency_id=case.agency_id,
        case=case,
        requested_by=acting_user,
        purpose=purpose,
        recipient_agency=agency,
        recipient_name=name,
        recipient_kind=kind,
    )
    export.override = _export_clearance(export, acting_user, case)
    _require_data_sharing(case)
    export.save()
    audit(
        acting_user,
        "disclosures.export.requested",
        export,
        {
            "case": str(case.pk),
            "recipient_kind": kind,
            "recipient_agency": str(agency.pk) if agency else None,
            "override": str(export.override_id) if export.override_id else None,
        },
    )
    return export


def _lock_export(export: ExportRequest) -> ExportRequest:
    return ExportRequest.objects.select_for_update().get(pk=export.pk)


@transaction.atomic
def decide_export(
    export: ExportRequest, *, acting_user: User, approve: bool, note: str = ""
) -> ExportRequest:
    """The DPO of the agency, never the requester, approves or rejects."""
    if (
        acting_user.role != User.Role.DPO
        or acting_user.agency_id != export.agency_id
        or acting_user.pk == export.requested_by_id
        or is_enforcement(acting_user.agency)
    ):
        raise PermissionError("Only the agency's data protection officer decides.")
    locked = _lock_export(export)
    if locked.status != ExportRequest.Status.REQUESTED:
        raise ValidationError({"decision": _("This request is already decided.")})
    note = clean_text(note, field="note", max_length=MAX_TEXT, required=not approve)
    now = timezone.now()
    if approve:
        # The firewall is checked again: the override may have run out meanwhile.
        _export_clearance(locked, locked.requested_by, locked.case)
        locked.status = ExportRequest.Status.APPROVED
        locked.expires_at = now + timedelta(days=export_days())
    else:
        locked.status = ExportRequest.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = acting_user, now, note
    locked.save(
        update_fields=[
            "status",
            "expires_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    audit(
        acting_user,
        f"disclosures.export.{locked.status}",
        locked,
        {"case": str(locked.case_id)},
    )
    return locked


@transaction.atomic
def expire_export_if_due(export: ExportRequest, *, acting_user: User) -> bool:
    locked = _lock_export(export)
    due = locked.current_status == ExportRequest.Status.EXPIRED and (
        locked.status == ExportRequest.Status.APPROVED
    )
    if due:
        locked.status = ExportRequest.Status.EXPIRED
        locked.save(update_fields=["status", "updated_at"])
        audit(acting_user, "disclosures.export.expired", locked)
        export.status = locked.status
    return due


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes


def _check_requester(export: ExportRequest, user: User) -> None:
    """The requester, while they still see the case (not after a reassignment)."""
    if (
        user.pk != export.requested_by_id
        or not cases_visible_to(user).filter(pk=export.case_id).exists()
    ):
        raise PermissionError("Only the person who requested the export downloads it.")


def check_passphrase(passphrase: str, again: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            {
                "passphrase": _("Use at least %(count)s characters.")
                % {"count": MIN_PASSPHRASE}
            }
        )
    if len(passphrase) > MAX_PASSPHRASE:
        raise ValidationError({"passphrase": _("This passphrase is too long.")})
    if passphrase != again:
        raise ValidationError(
            {"passphrase_again": _("The two passphrases are not the same.")}
        )


@sensitive_variables("passphrase", "again")
@transaction.atomic
def _download(
    export: ExportRequest, *, acting_user: User, passphrase: str, again: str
) -> ExportFile:
    locked = _lock_export(export)
    if locked.status == ExportRequest.Status.DOWNLOADED:
        raise ValidationError({"status": _("This export was already downloaded.")})
    if locked.status != ExportRequest.Status.APPROVED:
        raise ValidationError(
            {"status": _("Only an approved export can be downloaded.")}
        )
    check_passphrase(passphrase, again)
    case = Case.objects.select_related("primary_person", "assigned_to").get(
        pk=locked.case_id
    )
    _require_data_sharing(case)
    # Disclosing is what uses the override, so it is taken now, whichever is valid.
    override = _export_clearance(locked, acting_user, case)
    if override is not None:
        use_override(override, acting_user=acting_user)
        locked.override = override
    now = timezone.now()
    files = archive.archive_files(case, exported_at=now, exported_by=str(acting_user))
    content = archive.encrypt(files, passphrase)
    locked.status = ExportRequest.Status.DOWNLOADED
    locked.downloaded_at = now
    locked.download_count = 1
    locked.save(
        update_fields=[
            "status",
            "downloaded_at",
            "download_count",
            "override",
            "updated_at",
        ]
    )
    audit(
        acting_user,
        "disclosures.export.downloaded",
        locked,
        {
            "case": str(case.pk),
            "override": str(override.pk) if override else None,
            "files": sorted(files),
            "bytes": len(content),
        },
    )
    return ExportFile(f"amparo-{case.reference}.zip", content)


@sensitive_variables("passphrase", "again")
def download_export(
    export: ExportRequest, *, acting_user: User, passphrase: str, again: str
) -> ExportFile:
    """The requester takes the approved case file, once, encrypted with the
    passphrase they type now (never stored, never logged). An approval past its
    validity is marked expired (that commits) and the download refused."""
    _check_requester(export, acting_user)
    if expire_export_if_due(export, acting_user=acting_user):
        raise ValidationError({"status": _("The approval has expired.")})
    return _download(
        export, acting_user=acting_user, passphrase=passphrase, again=again
    )
