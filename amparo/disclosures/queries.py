"""Reads of firewall overrides and export requests, scoped by who may see them, and
the firewall check every disclosure asks before it sends anything."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Agency, User, is_enforcement
from amparo.audit.actions import record_denial, record_view
from amparo.cases.models import Case
from amparo.cases.queries import cases_visible_to
from amparo.disclosures.models import ExportRequest, FirewallOverride

# Who reviews every override of the agency, and who may be the second approver.
OVERRIDE_REVIEWERS = frozenset({User.Role.LEGAL_OFFICER, User.Role.DPO})
OVERRIDE_APPROVERS = OVERRIDE_REVIEWERS | {User.Role.SUPERVISOR}


def _protection_agency_id(user: User) -> uuid.UUID | None:
    """The user's agency, if it is one that holds people's records (not behind the
    firewall)."""
    if not user.is_authenticated or not user.is_active or is_enforcement(user.agency):
        return None
    return user.agency_id


def _in_protection_agency(user: User) -> bool:
    return _protection_agency_id(user) is not None


def _usable(overrides: QuerySet[FirewallOverride]) -> QuerySet[FirewallOverride]:
    return overrides.filter(
        status=FirewallOverride.Status.APPROVED,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("expires_at", "id")


def _firewall_error(field: str) -> ValidationError:
    return ValidationError(
        {
            field: _(
                "This recipient is behind the firewall (immigration or law "
                "enforcement). Nothing is sent to it without a firewall override "
                "for this case, approved by two people of your agency, one of them "
                "a legal officer or the data protection officer."
            )
        },
        code="firewall",
    )


def clearance(
    *, user: User, recipient: Agency, kind: str, case: Case
) -> FirewallOverride | None:
    """None when `recipient` is not an enforcement agency. Otherwise the approved,
    unused, unexpired override for (user's agency, recipient, kind, case); without
    one, a ValidationError on "recipient"."""
    if not is_enforcement(recipient):
        return None
    if user.agency_id != case.agency_id:
        raise _firewall_error("recipient")
    override = _usable(
        FirewallOverride.objects.filter(
            agency_id=case.agency_id,
            recipient=recipient,
            kind=kind,
            case=case,
        )
    ).first()
    if override is None:
        raise _firewall_error("recipient")
    return override


def outside_clearance(
    *, user: User, recipient_name: str, case: Case, field: str = "recipient_name"
) -> FirewallOverride:
    """`clearance` for an export to an enforcement body outside Amparo, named by the
    requester: the override must name the same organisation."""
    if user.agency_id != case.agency_id:
        raise _firewall_error(field)
    wanted = normalise_name(recipient_name)
    candidates = _usable(
        FirewallOverride.objects.filter(
            agency_id=case.agency_id,
            recipient__isnull=True,
            kind=FirewallOverride.Kind.EXPORT,
            case=case,
        )
    )
    # The names are encrypted, so they are compared here; a case has few overrides.
    for override in candidates:
        if normalise_name(override.recipient_name) == wanted:
            return override
    raise _firewall_error(field)


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


# Overrides


def overrides_visible_to(user: User) -> QuerySet[FirewallOverride]:
    """Legal officers and the DPO see every override of their agency; a supervisor
    those they requested and those on the cases they see (to be a second approver).
    Nobody else, and never the recipient's users."""
    agency_id = _protection_agency_id(user)
    if agency_id is None:
        return FirewallOverride.objects.none()
    overrides = FirewallOverride.objects.filter(agency_id=agency_id)
    if user.role in OVERRIDE_REVIEWERS:
        return overrides
    if user.role == User.Role.SUPERVISOR:
        return overrides.filter(
            Q(requested_by=user) | Q(case__in=cases_visible_to(user))
        )
    return FirewallOverride.objects.none()


def may_list_overrides(user: User) -> bool:
    return _in_protection_agency(user) and user.role in OVERRIDE_APPROVERS


def access_override(user: User, override_id: uuid.UUID | str) -> FirewallOverride:
    try:
        return (
            overrides_visible_to(user)
            .select_related("case", "recipient", "requested_by", "used_by")
            .get(pk=override_id)
        )
    except (FirewallOverride.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "disclosures.firewalloverride", override_id)
        raise Http404 from None


def view_override(user: User, override_id: uuid.UUID | str) -> FirewallOverride:
    override = access_override(user, override_id)
    record_view(user, "disclosures.override.viewed", override)
    return override


def may_decide_override(user: User, override: FirewallOverride) -> bool:
    """Whether `user` may approve or reject: a supervisor who sees the case, a legal
    officer or the DPO of the sending agency; never the requester, never twice."""
    if not _in_protection_agency(user) or user.agency_id != override.agency_id:
        return False
    if user.pk == override.requested_by_id or user.role not in OVERRIDE_APPROVERS:
        return False
    if (
        user.role == User.Role.SUPERVISOR
        and not cases_visible_to(user).filter(pk=override.case_id).exists()
    ):
        return False
    return not override.approvals.filter(approver=user).exists()


def override_list(user: User) -> QuerySet[FirewallOverride]:
    return overrides_visible_to(user).select_related(
        "case", "recipient", "requested_by"
    )


def enforcement_agencies() -> QuerySet[Agency]:
    return Agency.objects.exclude(kind=Agency.Kind.PROTECTION).order_by("name")


# Exports


def exports_visible_to(user: User) -> QuerySet[ExportRequest]:
    """The DPO sees every export request of the agency (the purpose and recipient,
    not the content); a case worker or supervisor their own requests."""
    agency_id = _protection_agency_id(user)
    if agency_id is None:
        return ExportRequest.objects.none()
    exports = ExportRequest.objects.filter(agency_id=agency_id)
    if user.role == User.Role.DPO:
        return exports
    if user.works_on_cases:
        return exports.filter(requested_by=user)
    return ExportRequest.objects.none()


def may_list_exports(user: User) -> bool:
    return _in_protection_agency(user) and (
        user.role == User.Role.DPO or user.works_on_cases
    )


def access_export(user: User, export_id: uuid.UUID | str) -> ExportRequest:
    try:
        return (
            exports_visible_to(user)
            .select_related(
                "case", "recipient_agency", "requested_by", "decided_by", "override"
            )
            .get(pk=export_id)
        )
    except (ExportRequest.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "disclosures.exportrequest", export_id)
        raise Http404 from None


def view_export(user: User, export_id: uuid.UUID | str) -> ExportRequest:
    export = access_export(user, export_id)
    record_view(user, "disclosures.export.viewed", export)
    return export


def export_list(user: User) -> QuerySet[ExportRequest]:
    return exports_visible_to(user).select_related(
        "case", "recipient_agency", "requested_by"
    )


def export_recipients(user: User) -> QuerySet[Agency]:
    agencies = Agency.objects.order_by("name")
    return agencies if user.agency_id is None else agencies.exclude(pk=user.agency_id)
