"""What an HTCDS import leaves behind besides the records it made: the batch (who
imported which file, by its SHA-256, when) and which case each row became, so that a
data-protection officer can trace a case to its source and the same file is never
imported twice into one agency."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.models import TimestampedModel


class ImportBatch(TimestampedModel):
    class Format(models.TextChoices):
        XLSX = "xlsx", _("HTCDS Excel template")
        XFORM = "xform", _("HTCDS XLSForm submissions")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    rows = models.PositiveIntegerField(_("rows imported"))

    class Meta:
        verbose_name = _("HTCDS import")
        verbose_name_plural = _("HTCDS imports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "sha256"], name="htcds_batch_once_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.rows})"


class ImportedCase(models.Model):
    """The case a row became: `row` is the Excel row number, or the instance's place
    in the archive (1 for a lone instance)."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="cases"
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="+"
    )
    row = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.batch_id} row {self.row}"
