"""Protected persons: witnesses and victim-witnesses (resolution 68/179 paras 9(c),
9(d)). While a person is protected, their record holds a pseudonym where their names
were, and their identifying fields (names, exact date of birth, place of origin,
contact) live only here, encrypted. So every list, search, referral and export shows
the pseudonym without having to remember to; only the protection team, and a user
whose re-identification two people approved (one a legal officer), for a limited
time, see who the person is.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel


class Protection(TimestampedModel):
    class Kind(models.TextChoices):
        WITNESS = "witness", _("Witness")
        VICTIM_WITNESS = "victim_witness", _("Victim-witness")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="protections",
        verbose_name=_("person"),
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("protected as"), max_length=15, choices=Kind)
    pseudonym = models.CharField(_("pseudonym"), max_length=20, unique=True)
    # The person's record as it was, JSON (people.records.PersonRecord): restored when
    # the protection ends.
    identity = EncryptedTextField(_("identity"))
    reason = EncryptedTextField(_("reason"))
    # Who sees the identity: the people working with the person, named one by one.
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("protection team")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("protected by"),
    )
    started_at = models.DateTimeField(_("protected since"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = EncryptedTextField(_("reason for ending"), blank=True)

    class Meta:
        verbose_name = _("protection of a witness")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_at__isnull=True),
                name="witnesses_one_protection_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["witness", "victim_witness"]),
                name="witnesses_protection_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Reidentification(TimestampedModel):
    """A request to see who a protected person is: with a reason, for a limited time,
    granted by two approvals, one of them a legal officer's."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    protection = models.ForeignKey(
        Protection,
        on_delete=models.CASCADE,
        related_name="reidentifications",
        verbose_name=_("protection of a witness"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = EncryptedTextField(_("reason"))
    hours = models.PositiveSmallIntegerField(_("for how many hours"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("approved by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    expires_at = models.DateTimeField(_("until"), null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refused by"),
    )
    refusal_reason = EncryptedTextField(_("reason for refusing"), blank=True)

    class Meta:
        verbose_name = _("re-identification request")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "refused"]),
                name="witnesses_reidentification_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(expires_at__isnull=False),
                name="witnesses_reidentification_approved_has_limit",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=1) & models.Q(hours__lte=72),
                name="witnesses_reidentification_hours_valid",
            ),
        ]
