"""Every write of referrals, transfers and data-sharing agreements. One transaction
each, with its audit event (which names the fields shared, never their values)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Agency, User, is_enforcement
from amparo.audit.actions import record as audit
from amparo.cases import actions as case_actions
from amparo.cases.models import Case, CaseEvent
from amparo.core.text import clean_text
from amparo.disclosures.actions import use_override
from amparo.disclosures.queries import clearance
from amparo.people.actions import register_person
from amparo.people.models import Consent
from amparo.people.queries import require_basis
from amparo.referrals import packet
from amparo.referrals.models import Referral, SharedField, SharingAgreement
from amparo.referrals.queries import agreement_in_force

MAX_MESSAGE_LENGTH = 5_000


@transaction.atomic
def record_agreement(
    *,
    acting_user: User,
    to_agency: Agency,
    purpose: str,
    fields: list[str],
    safeguards: str,
    valid_from: date,
    valid_until: date,
) -> SharingAgreement:
    """The data-protection officer records an agreement of their agency with another."""
    agency = _require_dpo(acting_user)
    errors: dict[str, list[str]] = {}
    if to_agency.pk == acting_user.agency_id:
        errors["to_agency"] = [_("Choose another agency than your own.")]
    elif is_enforcement(to_agency):
        errors["to_agency"] = [
            _(
                "This agency is behind the firewall: no agreement can open a flow of "
                "data to it. Each disclosure needs its own firewall override."
            )
        ]
    if not fields or not set(fields) <= set(SharedField.values):
        errors["fields"] = [_("Choose at least one field from the list.")]
    if valid_until < valid_from:
        errors["valid_until"] = [_("The end comes before the start.")]
    if errors:
        raise ValidationError(errors)
    agreement = SharingAgreement.objects.create(
        from_agency=agency,
        to_agency=to_agency,
        purpose=clean_text(purpose, field="purpose", max_length=500, required=True),
        fields=sorted(set(fields)),
        safeguards=clean_text(
            safeguards, field="safeguards", max_length=5_000, required=True
        ),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=acting_user,
    )
    audit(
        acting_user,
        "referrals.agreement.recorded",
        agreement,
        {"to_agency": str(to_agency.pk), "fields": agreement.fields},
    )
    return agreement


@transaction.atomic
def end_agreement(agreement: SharingAgreement, *, acting_user: User) -> None:
    _require_dpo(acting_user)
    if agreement.from_agency_id != acting_user.agency_id:
        raise PermissionError("Only the sending agency's DPO ends its agreements.")
    if agreement.ended_at is None:
        agreement.ended_at = timezone.now()
        agreement.save(update_fields=["ended_at", "updated_at"])
        audit(acting_user, "referrals.agreement.ended", agreement)


@transaction.atomic
def send_referral(
    case: Case,
    *,
    acting_user: User,
    to_agency: Agency,
    kind: str,
    fields: list[str],
    message: str,
) -> Referral:
    """Refer or transfer `case` to `to_agency`, sending a copy of `fields`. Refused
    behind the firewall (without an approved override), without a data-sharing
    agreement in force that covers the fields, and without a lawful basis for referral."""
    case_actions.lock_for_change(case, acting_user)
    errors: dict[str, list[str]] = {}
    if kind not in Referral.Kind.values:
        errors["kind"] = [_("Choose referral or transfer.")]
    if not fields or not set(fields) <= set(SharedField.values):
        errors["fields"] = [_("Choose at least one field to share.")]
    if to_agency.pk == case.agency_id:
        errors["to_agency"] = [_("Choose another agency than your own.")]
    if errors:
        raise ValidationError(errors)
    # The firewall first: no agreement or consent opens a flow to enforcement.
    override = clearance(user=acting_user, recipient=to_agency, kind=kind, case=case)
    if override is not None and not set(fields) <= set(override.fields):
        raise ValidationError(
            {"fields": _("The firewall override does not cover all these fields.")}
        )
    agreement = agreement_in_force(case.agency_id, to_agency)
    if agreement is None and override is None:
        raise ValidationError(
            {"to_agency": _("No data-sharing agreement with this agency is in force.")}
        )
    if agreement is not None and not set(fields) <= set(agreement.fields):
        raise ValidationError(
            {
                "fields": _(
                    "The agreement with this agency does not cover: %(fields)s."
                )
                % {
                    "fields": ", ".join(
                        str(SharedField(f).label)
                        for f in sorted(set(fields) - set(agreement.fields))
                    )
                }
            }
        )
    consent = require_basis(case.primary_person, Consent.Purpose.REFERRAL)
    message = clean_text(
        message, field="message", max_length=MAX_MESSAGE_LENGTH, required=True
    )
    if Referral.objects.filter(
        case=case, to_agency=to_agency, status=Referral.Status.PENDING
    ).exists():
        raise ValidationError(
            {"to_agency": _("This case already waits for an answer from this agency.")}
        )
    referral = Referral.objects.create(
        kind=kind,
        case=case,
        from_agency_id=case.agency_id,
        to_agency=to_agency,
        agreement=agreement,
        consent=consent,
        fields=sorted(set(fields)),
        packet=packet.dumps(packet.build_packet(case, fields)),
        message=message,
        sent_by=acting_user,
        sent_at=timezone.now(),
        override=override,
    )
    if override is not None:
        use_override(override, acting_user=acting_user)
    data = {
        "referral": str(referral.pk),
        "kind": kind,
        "to_agency": str(to_agency.pk),
        "fields": referral.fields,
        "consent": str(consent.pk),
    }
    case_actions.log_event(case, acting_user, CaseEvent.Kind.REFERRED, data)
    audit(acting_user, "referrals.referral.sent", referral, data)
    return referral


@transaction.atomic
def withdraw_referral(referral: Referral, *, acting_user: User) -> Referral:
    referral = _lock_pending(referral)
    if (
        not acting_user.works_on_cases
        or acting_user.agency_id != referral.from_agency_id
    ):
        raise PermissionError("Only the sending agency withdraws its referral.")
    referral.status = Referral.Status.WITHDRAWN
    referral.responded_at = timezone.now()
    referral.packet = packet.dumps({})
    referral.save(update_fields=["status", "responded_at", "packet", "updated_at"])
    audit(acting_user, "referrals.referral.withdrawn", referral)
    return referral


@transaction.atomic
def decline_referral(referral: Referral, *, acting_user: User, note: str) -> Referral:
    referral = _lock_pending(referral)
    _require_recipient(acting_user, referral)
    referral.response_note = clean_text(
        note, field="note", max_length=MAX_MESSAGE_LENGTH, required=True
    )
    _answer(referral, acting_user, Referral.Status.DECLINED)
    return referral


@transaction.atomic
def accept_referral(
    referral: Referral,
    *,
    acting_user: User,
    assigned_to: User | None = None,
    note: str = "",
) -> Referral:
    """The recipient accepts: its own person record and case are made from the packet
    (for an agency that works on cases), and a transfer closes the sender's case."""
    referral = _lock_pending(referral)
    _require_recipient(acting_user, referral)
    # The person may have withdrawn consent since it was sent.
    require_basis(referral.case.primary_person, Consent.Purpose.REFERRAL)
    referral.response_note = clean_text(
        note, field="note", max_length=MAX_MESSAGE_LENGTH
    )
    if acting_user.works_on_cases:
        shared = packet.loads(referral.packet)
        person = register_person(packet.person_record(shared), acting_user=acting_user)
        referral.received_case = case_actions.open_case(
            person,
            acting_user=acting_user,
            types=shared.get("case_types") or [*_types_of(referral.case)],
            risk=shared.get("risk") or referral.case.risk,
            reason=referral.message,
            assigned_to=assigned_to,
            lawful_basis=_basis_from(referral),
        )
        case_actions.log_event(
            referral.received_case,
            acting_user,
            CaseEvent.Kind.RECEIVED,
            {"referral": str(referral.pk), "from_agency": str(referral.from_agency_id)},
        )
    _answer(referral, acting_user, Referral.Status.ACCEPTED)
    if referral.kind == Referral.Kind.TRANSFER:
        case_actions.close_transferred(
            referral.case, accepted_by=acting_user, referral_id=referral.pk
        )
    return referral


def _basis_from(referral: Referral) -> dict[str, str]:
    """The recipient's basis for managing the case: the person agreed to be referred
    to it (or the sender recorded another basis). The sender's justification stays
    with the sender; the recipient confirms the basis when it meets the person."""
    consent = referral.consent
    if consent.basis == Consent.Basis.CONSENT:
        return {
            "basis": consent.basis,
            "method": consent.method,
            "given_by": consent.given_by,
            "scope": f"referral {referral.pk}",
        }
    return {
        "basis": consent.basis,
        "justification": _(
            "Referred by %(agency)s on the basis it recorded; to be confirmed with "
            "the person."
        )
        % {"agency": referral.from_agency.name},
        "scope": f"referral {referral.pk}",
    }


def _answer(referral: Referral, user: User, status: str) -> None:
    # Once answered, the copy has served: an accepted one lives on as the recipient's
    # own record, a declined one must not stay in its inbox. The field names remain.
    referral.packet = packet.dumps({})
    referral.status = status
    referral.responded_by = user
    referral.responded_at = timezone.now()
    referral.save()
    data = {"referral": str(referral.pk), "status": status}
    case_actions.log_event(referral.case, user, CaseEvent.Kind.REFERRAL_ANSWERED, data)
    audit(user, f"referrals.referral.{status}", referral)


def _types_of(case: Case) -> list[str]:
    return [t.code for t in case.types.all()]


def _lock_pending(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.PENDING:
        raise ValidationError({"status": _("This referral has already been answered.")})
    return locked


def _require_recipient(user: User, referral: Referral) -> None:
    if user.agency_id != referral.to_agency_id or user.role != User.Role.SUPERVISOR:
        raise PermissionError("Only a supervisor of the recipient agency answers.")


def _require_dpo(user: User) -> Agency:
    """The DPO's agency; PermissionError for anyone else."""
    if user.role != User.Role.DPO or user.agency is None:
        raise PermissionError("Only a data protection officer records agreements.")
    if is_enforcement(user.agency):
        raise PermissionError("An enforcement agency shares no protection data.")
    return user.agency
