"""Labour rights of migrant workers (resolution 68/179 paras 4(i), 4(j), 5(d), 5(e)):
employers and recruiters as records of their own, so that complaints against one show
as a pattern across workers; complaints and claims on a worker's case; the ILO C189
checklist of a domestic worker. An employer or recruiter is never a user and sees
nothing: these rows are the agency's notes about them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel
from amparo.labour.codes import ComplaintType, CostCategory, Sector

__all__ = ["Checklist", "Complaint", "Employer", "RecruitmentCost"]


class Employer(TimestampedModel):
    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        AGENCY = "agency", _("Recruitment agency")
        BROKER = "broker", _("Broker")
        SUB_AGENT = "sub_agent", _("Sub-agent")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=3)
    sector = models.CharField(_("sector"), max_length=1, choices=Sector, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("employer or recruiter")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "name", "country"],
                name="labour_employer_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["employer", "agency", "broker", "sub_agent"]
                ),
                name="labour_employer_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Complaint(TimestampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REFERRED = "referred", _("Referred")
        MEDIATION = "mediation", _("In mediation")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class ReferredTo(models.TextChoices):
        INSPECTORATE = "inspectorate", _("Labour inspectorate")
        COURT = "court", _("Court or tribunal")
        UNION = "union", _("Trade union")
        EMBASSY = "embassy", _("Embassy or consulate")
        OTHER = "other", _("Other")

    class Holder(models.TextChoices):
        EMPLOYER = "employer", _("The employer")
        RECRUITER = "recruiter", _("The recruiter")
        OTHER = "other", _("Someone else")
        UNKNOWN = "unknown", _("Unknown")

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="labour_complaints",
        verbose_name=_("case"),
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(_("type"), max_length=25, choices=ComplaintType)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("employer"),
    )
    recruiter = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruited_complaints",
        verbose_name=_("recruiter"),
    )
    country_of_employment = models.CharField(
        _("country of employment"), max_length=3, blank=True
    )
    received_on = models.DateField(_("received"))
    description = EncryptedTextField(_("what happened"), blank=True)
    # Money owed (unpaid wages, unlawful deductions).
    amount_owed = models.DecimalField(
        _("amount owed"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    amount_recovered = models.DecimalField(
        _("amount recovered"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True)
    recovery_note = EncryptedTextField(
        _("why more was recovered than owed"), blank=True
    )
    # The worker's monthly income in the country of destination (SDG 10.7.1).
    monthly_income = models.DecimalField(
        _("monthly income at destination"),
        null=True,
        blank=True,
        max_digits=14,
        decimal_places=2,
    )
    income_currency = models.CharField(
        _("currency of income"), max_length=3, blank=True
    )
    # Documents retained (ICRMW art. 21).
    documents_held_by = models.CharField(
        _("who holds the documents"), max_length=10, choices=Holder, blank=True
    )
    receipt_given = models.BooleanField(_("receipt given"), null=True, blank=True)
    # Unsafe work (SDG 8.8.1).
    injury_fatal = models.BooleanField(_("fatal injury"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.RECEIVED
    )
    referred_to = models.CharField(
        _("referred to"), max_length=12, choices=ReferredTo, blank=True
    )
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    mediation_on = models.DateField(_("mediation from"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("labour complaint")
        ordering = ["-received_on", "-id"]
        indexes = [
            # The pattern across workers: one agency's complaints against one
            # employer or recruiter, newest first (the agency first, so the planner
            # never walks the whole agency's index to find one employer's).
            models.Index(
                fields=["agency", "employer", "-received_on", "-id"],
                name="labour_complaint_employer_idx",
            ),
            models.Index(
                fields=["agency", "recruiter", "-received_on", "-id"],
                name="labour_complaint_recruiter_idx",
            ),
            models.Index(
                fields=["agency", "-received_on", "-id"],
                name="labour_complaint_agency_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_owed__gte=0)
                & models.Q(amount_recovered__gte=0)
                & models.Q(monthly_income__gte=0),
                name="labour_complaint_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "received",
                        "referred",
                        "mediation",
                        "resolved",
                        "closed",
                    ]
                ),
                name="labour_complaint_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_type_display())


class RecruitmentCost(models.Model):
    """A cost the worker paid to be recruited: the employer-pays principle (ILO C181
    art. 7; Fair Recruitment principle 7) says the worker should have paid none."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="costs"
    )
    category = models.CharField(_("category"), max_length=20, choices=CostCategory)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_to = models.CharField(_("paid to"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("recruitment cost")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="labour_cost_amount_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount} {self.currency}"


class Checklist(TimestampedModel):
    """ILO C189's checks of a domestic worker's conditions, as recorded on a day; each
    "no" is a finding on the case (`labour.checklist.findings`)."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="domestic_checklists",
        verbose_name=_("case"),
    )
    recorded_on = models.DateField(_("recorded on"))
    written_contract = models.BooleanField(
        _("written contract or job offer before travel")
    )
    keeps_documents = models.BooleanField(_("keeps own travel and identity documents"))
    weekly_rest = models.BooleanField(_("weekly rest of at least 24 consecutive hours"))
    paid_monthly = models.BooleanField(_("paid at least monthly"))
    no_fees_deducted = models.BooleanField(_("no agency fees deducted from pay"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("domestic worker checklist (ILO C189)")
        ordering = ["-recorded_on", "-id"]
