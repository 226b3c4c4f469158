"""Every write of the service directory and of service referrals: one transaction
each, with its audit event (the fields shared are named, never their values). A
referral's moves are also facts of the case (`service_referred`,
`service_referral_updated`), so that the safeguards rules see them: an urgent referral
nobody accepts becomes overdue, and a referral to a medical, psychosocial or legal
service meets the duty to offer that assistance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Agency, User, is_enforcement
from amparo.audit.actions import record as audit
from amparo.cases import actions as case_actions
from amparo.cases.models import Case
from amparo.core.languages import canonical_language
from amparo.core.text import clean_text
from amparo.people.models import Consent
from amparo.people.queries import require_basis
from amparo.referrals import packet
from amparo.referrals.models import SharedField
from amparo.referrals.queries import agreement_in_force
from amparo.safeguards import actions as safeguards
from amparo.services.models import Provider, ServiceReferral, ServiceType, Urgency
from amparo.services.queries import answers_for_provider, keeps_directory, works_on

MAX_TEXT = 5_000
MAX_LANGUAGES = 30
Status = ServiceReferral.Status
# Where a referral can go from each status, and who moves it there: the provider
# (or, for a provider outside Amparo, the case team on its behalf) accepts, declines
# and delivers; the case team closes.
MOVES: dict[str, frozenset[str]] = {
    Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.DELIVERED}),
    Status.ACCEPTED: frozenset({Status.DELIVERED, Status.DECLINED}),
    Status.DECLINED: frozenset(),
    Status.DELIVERED: frozenset(),
    Status.CLOSED: frozenset(),
}
PROVIDER_MOVES = frozenset({Status.ACCEPTED, Status.DECLINED, Status.DELIVERED})


@dataclass
class ProviderEntry:
    """What the directory form gives for a provider."""

    name: str
    services: list[str]
    area: str
    contact: str
    languages: list[str] = field(default_factory=list)
    eligibility: str = ""
    enforcement: bool = False
    amparo_agency: Agency | None = None
    active: bool = True


@transaction.atomic
def save_provider(
    entry: ProviderEntry, *, acting_user: User, provider: Provider | None = None
) -> Provider:
    """Add a provider to the directory, or change one the user's agency keeps."""
    agency_id = acting_user.agency_id
    if (
        agency_id is None
        or not keeps_directory(acting_user)
        or (provider is not None and provider.agency_id != agency_id)
    ):
        raise PermissionError("Only the agency's supervisors keep its directory.")
    errors: dict[str, list[str]] = {}
    if not entry.services or not set(entry.services) <= set(ServiceType.values):
        errors["services"] = [_("Choose at least one service from the list.")]
    if entry.amparo_agency is not None and entry.amparo_agency.pk == agency_id:
        errors["amparo_agency"] = [
            _("Your own agency's services are not referrals: leave this empty.")
        ]
    languages = [canonical_language(code) for code in entry.languages]
    if None in languages or len(languages) > MAX_LANGUAGES:
        errors["languages"] = [_("Choose languages from the list.")]
    if errors:
        raise ValidationError(errors)
    target = provider or Provider(agency_id=agency_id, recorded_by=acting_user)
    target.name = clean_text(entry.name, field="name", max_length=200, required=True)
    target.services = sorted(set(entry.services))
    target.languages = sorted({code for code in languages if code})
    target.area = clean_text(entry.area, field="area", max_length=500, required=True)
    target.contact = clean_text(
        entry.contact, field="contact", max_length=MAX_TEXT, required=True
    )
    target.eligibility = clean_text(
        entry.eligibility, field="eligibility", max_length=MAX_TEXT
    )
    target.amparo_agency = entry.amparo_agency
    # An agency behind the firewall is an enforcement body whatever the form says.
    target.enforcement = entry.enforcement or is_enforcement(entry.amparo_agency)
    target.active = entry.active
    if (
        Provider.objects.filter(agency_id=agency_id, name=target.name)
        .exclude(pk=target.pk)
        .exists()
    ):
        raise ValidationError(
            {"name": _("Your directory already has a provider of this name.")}
        )
    target.save()
    audit(
        acting_user,
        "services.provider.added" if provider is None else "services.provider.changed",
        target,
        {"services": target.services, "enforcement": target.enforcement},
    )
    return target


@transaction.atomic
def send_referral(
    case: Case,
    *,
    acting_user: User,
    provider: Provider,
    service: str,
    urgency: str,
    fields: list[str],
    message: str,
    person_agreed: bool,
) -> ServiceReferral:
    """Refer the case's person to `provider` for `service`, with a copy of `fields`.
    Refused: to an enforcement body; without a lawful basis for referral (and, where
    it is consent, without the person's agreement to this provider and these fields);
    to another agency of this Amparo without a data-sharing agreement covering them."""
    case_actions.lock_for_change(case, acting_user)
    errors: dict[str, list[str]] = {}
    if service not in ServiceType.values:
        errors["service"] = [_("Choose a service from the list.")]
    elif service not in provider.services:
        errors["service"] = [_("This provider does not offer this service.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose routine or urgent.")]
    if not fields or not set(fields) <= set(SharedField.values):
        errors["fields"] = [_("Choose at least one field to share.")]
    if not provider.active:
        errors["provider"] = [_("This provider is no longer in the directory.")]
    if errors:
        raise ValidationError(errors)
    if provider.enforcement:
        raise ValidationError(
            {
                "provider": _(
                    "This provider is an enforcement body: no protection data is "
                    "referred to it (the firewall)."
                )
            }
        )
    if provider.amparo_agency is not None:
        _require_agreement(case, provider.amparo_agency, fields)
    consent = require_basis(case.primary_person, Consent.Purpose.REFERRAL)
    if (
        ServiceType.LABOUR_INSPECTION in (service, *provider.services)
        and SharedField.MIGRATION_STATUS in fields
        and consent.basis != Consent.Basis.CONSENT
    ):
        # The firewall (CMW General Comment No. 2; ECRI GPR 16): a worker complains
        # without fear of being reported; the status goes only if they agree.
        raise ValidationError(
            {
                "fields": _(
                    "A worker's migration status goes to a labour inspectorate only "
                    "with their consent: leave it out, or record their consent."
                )
            }
        )
    if consent.basis == Consent.Basis.CONSENT and not person_agreed:
        raise ValidationError(
            {
                "person_agreed": _(
                    "Ask the person whether they agree to be referred to this provider "
                    "and to share these fields, and record their answer."
                )
            }
        )
    now = timezone.now()
    referral = ServiceReferral.objects.create(
        case=case,
        provider=provider,
        service=service,
        urgency=urgency,
        consent=consent,
        person_agreed=person_agreed,
        fields=sorted(set(fields)),
        packet=packet.dumps(packet.build_packet(case, fields)),
        message=clean_text(
            message, field="message", max_length=MAX_TEXT, required=True
        ),
        sent_by=acting_user,
        sent_at=now,
    )
    safeguards.record_fact(
        case,
        acting_user=acting_user,
        kind="service_referred",
        at=now,
        data={"referral": str(referral.pk), "service": service, "urgency": urgency},
    )
    audit(
        acting_user,
        "services.referral.sent",
        referral,
        {
            "provider": str(provider.pk),
            "service": service,
            "urgency": urgency,
            "fields": referral.fields,
            "consent": str(consent.pk),
        },
        agency_id=case.agency_id,
    )
    return referral


@transaction.atomic
def answer_referral(
    referral: ServiceReferral, *, acting_user: User, status: str, reason: str = ""
) -> ServiceReferral:
    """The provider's answer (accepted, declined with its reason, service delivered):
    given in Amparo by a supervisor of a provider agency on this Amparo, or recorded
    by the case team for a provider outside it."""
    referral = (
        ServiceReferral.objects.select_for_update()
        .select_related("case", "provider")
        .get(pk=referral.pk)
    )
    if not answers_for_provider(acting_user, referral):
        raise PermissionError("This user does not answer for this provider.")
    if status not in PROVIDER_MOVES or status not in MOVES[referral.status]:
        raise ValidationError(
            {
                "status": _("This referral cannot move from “%(from)s” to “%(to)s”.")
                % {"from": referral.get_status_display(), "to": _status_label(status)}
            }
        )
    if status != Status.DECLINED:
        # The person may have withdrawn their consent since it was sent: the provider
        # then takes nothing further on (a decline stays possible).
        require_basis(referral.case.primary_person, Consent.Purpose.REFERRAL)
    now = timezone.now()
    if status == Status.DECLINED:
        referral.decline_reason = clean_text(
            reason, field="reason", max_length=MAX_TEXT, required=True
        )
        referral.declined_at = now
        # Declined, the provider has no use for the copy.
        referral.packet = packet.dumps({})
    elif status == Status.ACCEPTED:
        referral.accepted_at = now
    else:
        referral.delivered_at = now
        referral.accepted_at = referral.accepted_at or now
    referral.status = status
    referral.save()
    _record_move(referral, acting_user, status, now)
    return referral


@transaction.atomic
def close_referral(
    referral: ServiceReferral, *, acting_user: User, note: str = ""
) -> ServiceReferral:
    """The case team closes a referral: withdrawn, or done with. The copy of the
    shared values is removed; the fields' names stay."""
    referral = (
        ServiceReferral.objects.select_for_update()
        .select_related("case")
        .get(pk=referral.pk)
    )
    if not works_on(acting_user, referral):
        raise PermissionError("Only the case team closes its referral.")
    case_actions.lock_for_change(referral.case, acting_user, open_only=False)
    if referral.status == Status.CLOSED:
        raise ValidationError({"status": _("This referral is already closed.")})
    now = timezone.now()
    referral.closing_note = clean_text(note, field="note", max_length=MAX_TEXT)
    referral.closed_at = now
    referral.status = Status.CLOSED
    referral.packet = packet.dumps({})
    referral.save()
    _record_move(referral, acting_user, Status.CLOSED, now)
    return referral


def _record_move(
    referral: ServiceReferral, user: User, status: str, now: datetime
) -> None:
    data = {"referral": str(referral.pk), "status": status}
    safeguards.record_answer(
        referral.case,
        acting_user=user,
        kind="service_referral_updated",
        at=now,
        data=data,
    )
    audit(
        user,
        f"services.referral.{status}",
        referral,
        data,
        agency_id=referral.case.agency_id,
    )


def _require_agreement(case: Case, agency: Agency, fields: list[str]) -> None:
    agreement = agreement_in_force(case.agency_id, agency)
    if agreement is None:
        raise ValidationError(
            {
                "provider": _(
                    "This provider is an agency on this Amparo: a data-sharing "
                    "agreement with it must be in force (your data-protection officer "
                    "records it)."
                )
            }
        )
    missing = sorted(set(fields) - set(agreement.fields))
    if missing:
        raise ValidationError(
            {
                "fields": _(
                    "The agreement with this agency does not cover: %(fields)s."
                )
                % {"fields": ", ".join(str(SharedField(f).label) for f in missing)}
            }
        )


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status
