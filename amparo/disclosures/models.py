"""Data leaving the agency: firewall overrides and exports of a case file.

The firewall (DESIGN §3): nothing flows to an immigration- or law-enforcement body
unless two people of the sending agency, one of them a legal officer or the data
protection officer, approved an override with a recorded legal basis and purpose.
An export of personal data always needs the data protection officer's approval.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel


class FirewallOverride(TimestampedModel):
    """Permission for one disclosure of one case to one enforcement recipient."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        TRANSFER = "transfer", _("Transfer")
        EXPORT = "export", _("Export")

    class LegalBasis(models.TextChoices):
        COURT_ORDER = "court_order", _("Court order")
        STATUTORY = "statutory_obligation", _("Statutory obligation")
        VITAL_INTERESTS = "vital_interests", _("Vital interests of the person")
        PERSON_REQUEST = "person_request", _("Request of the person")
        OTHER = "other", _("Other")

    class Notice(models.TextChoices):
        GIVEN = "given", _("The person has been told")
        WILL_BE_GIVEN = "will_be_given", _("The person will be told before it is sent")
        UNSAFE = "unsafe", _("Telling the person would put someone at risk")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        USED = "used", _("Used")
        EXPIRED = "expired", _("Expired")

    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sending agency"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    # An Amparo agency, or (for exports only) an organisation outside Amparo by name.
    recipient = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recipient"),
    )
    recipient_name = EncryptedTextField(_("outside recipient"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices
    )
    legal_basis_explanation = EncryptedTextField(_("explanation of the legal basis"))
    purpose = EncryptedTextField(_("purpose"))
    # For a referral or a transfer, the fields the approvers agree may travel (the
    # codes of cases.models.SharedField); an export is the whole case file.
    fields = models.JSONField(_("fields to disclose"), default=list, blank=True)
    # The person is told of a disclosure behind the firewall, unless that is unsafe
    # (domain standards §7.4): the approvers see which, and why not.
    subject_notice = models.CharField(
        _("notice to the person"), max_length=15, choices=Notice.choices
    )
    notice_explanation = EncryptedTextField(
        _("why the person cannot be told"), blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The whole life of the override, from the request: an approval that comes late
    # does not extend it.
    expires_at = models.DateTimeField(_("expires"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("firewall override")
        verbose_name_plural = _("firewall overrides")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "case", "kind", "status"],
                name="disclosures_override_find_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["referral", "transfer", "export"]),
                name="disclosures_override_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    legal_basis__in=[
                        "court_order",
                        "statutory_obligation",
                        "vital_interests",
                        "person_request",
                        "other",
                    ]
                ),
                name="disclosures_override_basis_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "approved", "rejected", "used", "expired"]
                ),
                name="disclosures_override_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(recipient__isnull=False) & models.Q(recipient_name="")
                )
                | (
                    models.Q(recipient__isnull=True)
                    & ~models.Q(recipient_name="")
                    & models.Q(kind="export")
                ),
                name="disclosures_override_one_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(recipient=models.F("agency")),
                name="disclosures_override_not_to_self",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="used") & models.Q(used_at__isnull=False))
                | (~models.Q(status="used") & models.Q(used_at__isnull=True)),
                name="disclosures_override_used_iff_used_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient_label} ({self.kind})"

    @property
    def recipient_label(self) -> str:
        return (
            str(self.recipient) if self.recipient is not None else self.recipient_name
        )

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def current_status(self) -> str:
        """The status as it stands now: a pending or approved override past its
        expiry is expired, whether or not an action has written that yet."""
        if self.status in {self.Status.PENDING, self.Status.APPROVED} and (
            self.is_expired()
        ):
            return self.Status.EXPIRED
        return self.status

    def get_current_status_display(self) -> str:
        return str(self.Status(self.current_status).label)


class OverrideApproval(TimestampedModel):
    """One person's decision on an override."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    override = models.ForeignKey(
        FirewallOverride,
        on_delete=models.CASCADE,
        related_name="approvals",
        verbose_name=_("firewall override"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approver"),
    )
    # The approver's role when deciding: a later change of role does not rewrite
    # whether a legal officer or the DPO took part.
    approver_role = models.CharField(_("approver's role"), max_length=20)
    decision = models.CharField(_("decision"), max_length=7, choices=Decision.choices)
    note = EncryptedTextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["override", "approver"],
                name="disclosures_approval_one_per_approver",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=["approve", "reject"]),
                name="disclosures_approval_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.override_id} {self.decision} by {self.approver_id}"


class ExportRequest(TimestampedModel):
    """A request to take one case file out of Amparo, for a purpose, to a recipient."""

    class RecipientKind(models.TextChoices):
        PROTECTION = "protection", _("Protection or service provider")
        COURT = "court", _("Court or tribunal")
        CONSULATE = "consulate", _("Embassy or consulate")
        ENFORCEMENT = "enforcement", _("Law or immigration enforcement")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the DPO's decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose = EncryptedTextField(_("purpose"))
    recipient_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recipient agency"),
    )
    # A name can say much (an embassy names a country): kept encrypted.
    recipient_name = EncryptedTextField(_("outside recipient"), blank=True)
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=12, choices=RecipientKind.choices
    )
    # The override that cleared an enforcement recipient: at the request, and the one
    # used at the download.
    override = models.ForeignKey(
        FirewallOverride,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = EncryptedTextField(_("note on the decision"), blank=True)
    expires_at = models.DateTimeField(_("approval valid until"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)
    download_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("export request")
        verbose_name_plural = _("export requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "status", "-created_at"],
                name="disclosures_export_queue_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "requested",
                        "approved",
                        "rejected",
                        "downloaded",
                        "expired",
                    ]
                ),
                name="disclosures_export_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    recipient_kind__in=[
                        "protection",
                        "court",
                        "consulate",
                        "enforcement",
                        "other",
                    ]
                ),
                name="disclosures_export_recipient_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(recipient_agency__isnull=False)
                    & models.Q(recipient_name="")
                )
                | (
                    models.Q(recipient_agency__isnull=True)
                    & ~models.Q(recipient_name="")
                ),
                name="disclosures_export_one_recipient",
            ),
            # Downloaded once, ever.
            models.CheckConstraint(
                condition=models.Q(download_count__lte=1),
                name="disclosures_export_download_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="downloaded")
                    & models.Q(downloaded_at__isnull=False)
                    & models.Q(download_count=1)
                )
                | (
                    ~models.Q(status="downloaded")
                    & models.Q(downloaded_at__isnull=True)
                    & models.Q(download_count=0)
                ),
                name="disclosures_export_downloaded_iff_at",
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested")
                | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="disclosures_export_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_agency is not None:
            return str(self.recipient_agency)
        return str(self.recipient_name)

    @property
    def current_status(self) -> str:
        if (
            self.status == self.Status.APPROVED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        ):
            return self.Status.EXPIRED
        return self.status

    def get_current_status_display(self) -> str:
        return str(self.Status(self.current_status).label)
