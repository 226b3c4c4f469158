"""Erasure requests: a person's data erased before its retention period ends, on a
case worker's request and a data-protection officer's decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel


class ErasureRequest(TimestampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        # Approved while an open case blocked it: `amparo retention run` erases the
        # data as soon as nothing blocks it any more.
        APPROVED = "approved", _("Approved, waiting until nothing blocks it")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Erased")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # May name the person; erased with the person's data.
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Kept after the erasure, as the record of why it was (or was not) done.
    decision_note = EncryptedTextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "status", "-created_at"],
                name="retention_erasure_queue_idx",
            )
        ]
        constraints = [
            # One request at a time per person: a second would be decided twice.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["requested", "approved"]),
                name="retention_erasure_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["requested", "approved", "rejected", "completed"]
                ),
                name="retention_erasure_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status="requested", decided_by__isnull=True, decided_at__isnull=True
                )
                | (
                    ~models.Q(status="requested")
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="retention_erasure_decided_iff_not_requested",
            ),
            # Four eyes: whoever asked for an erasure does not decide it.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="retention_erasure_decider_not_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"
