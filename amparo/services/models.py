"""The service directory and referrals of a person to a service (resolution para 7:
medical, psychosocial and legal assistance for victims of trafficking and crime).

A provider is an organisation that gives a service: outside Amparo (a clinic, a legal
aid office), or another agency on this Amparo, which then answers the referral itself.
A referral sends a copy of the fields the case worker chose, with the person's consent,
and follows the service to its delivery. Enforcement bodies are in the directory only
so that a referral to one is refused with the reason (DESIGN §3, the firewall).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel

__all__ = ["Provider", "ServiceReferral", "ServiceType", "Urgency"]


class ServiceType(models.TextChoices):
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal", _("Legal assistance")
    SHELTER = "shelter", _("Shelter")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood")
    INTERPRETATION = "interpretation", _("Interpretation")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    CONSULAR = "consular", _("Consular assistance")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class Provider(TimestampedModel):
    """One entry of the directory, kept by the agency that recorded it and seen by
    every agency of this Amparo: a provider's name and offer are not personal data."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    services = models.JSONField(_("services"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    area = models.CharField(_("area served"), max_length=500)
    eligibility = models.TextField(_("who is eligible"), blank=True)
    contact = models.TextField(_("contact"))
    enforcement = models.BooleanField(
        _("enforcement body"),
        default=False,
        help_text=_(
            "Police, immigration or another body that enforces the law: no referral "
            "can be sent to it."
        ),
    )
    # Set when the provider is an agency of this Amparo: it answers the referral in
    # Amparo and sees exactly the fields chosen, through the access policy.
    amparo_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider_entries",
        verbose_name=_("agency on this Amparo"),
    )
    active = models.BooleanField(_("in the directory"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("service provider")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="services_provider_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceReferral(TimestampedModel):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DELIVERED = "delivered", _("Service delivered")
        CLOSED = "closed", _("Closed")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="service_referrals",
        verbose_name=_("case"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("provider"),
    )
    service = models.CharField(_("service"), max_length=20, choices=ServiceType)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency)
    # The lawful basis for referral on record when it was sent; with consent as the
    # basis, the person also agreed to this provider and these fields.
    consent = models.ForeignKey(
        "people.Consent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consent or lawful basis"),
    )
    person_agreed = models.BooleanField(
        _("the person agreed to this provider and these fields"), default=False
    )
    fields = models.JSONField(_("fields shared"))
    # The shared values, taken when sent (see referrals.packet); emptied when closed.
    packet = EncryptedTextField()
    message = EncryptedTextField(_("message to the provider"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SENT
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    delivered_at = models.DateTimeField(_("service delivered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = EncryptedTextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("service referral")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                fields=["case", "-sent_at"], name="services_referral_case_idx"
            ),
            models.Index(
                fields=["provider", "status", "-sent_at"],
                name="services_referral_inbox_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["sent", "accepted", "declined", "delivered", "closed"]
                ),
                name="services_referral_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(urgency__in=["routine", "urgent"]),
                name="services_referral_urgency_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined")
                | models.Q(declined_at__isnull=False),
                name="services_referral_declined_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="delivered")
                | models.Q(delivered_at__isnull=False),
                name="services_referral_delivered_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | models.Q(closed_at__isnull=False),
                name="services_referral_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} → {self.provider}"
