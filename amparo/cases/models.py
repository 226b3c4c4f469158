"""Protection cases: who they are for, what kind, where they stand, what happened."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel


class Case(TimestampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSESSED = "assessed", _("Assessed")
        PLAN = "plan", _("Case plan agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class ClosureReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Protection goals met")
        REFERRED = "referred", _("Transferred or referred elsewhere")
        LOST_CONTACT = "lost_contact", _("Person moved or contact lost")
        DECLINED = "declined", _("Person declined further assistance")
        DECEASED = "deceased", _("Person deceased")
        DUPLICATE = "duplicate", _("Duplicate case")
        OTHER = "other", _("Other")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(
        _("reference"), max_length=40, unique=True, editable=False
    )
    primary_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="primary_cases",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    risk = models.CharField(_("risk level"), max_length=8, choices=Risk.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned worker"),
        # The indexes below lead with it.
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opening_reason = EncryptedTextField(_("reason for opening"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"),
        max_length=20,
        choices=ClosureReason.choices,
        blank=True,
    )
    closure_note = EncryptedTextField(_("closing note"), blank=True)
    # Set once the case's narratives, notes and timeline details have been removed
    # (retention period over, or an approved erasure request).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "-updated_at", "-id"], name="cases_case_recent_idx"
            ),
            models.Index(
                fields=["agency", "status", "-updated_at", "-id"],
                name="cases_case_status_idx",
            ),
            models.Index(
                fields=["assigned_to", "status", "-updated_at"],
                name="cases_case_assigned_idx",
            ),
            # A team's cases, read from the index alone: the access policy's list of
            # a team's members, against which a worklist checks each case.
            models.Index(
                fields=["assigned_to", "agency", "id"], name="cases_case_assignee_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="cases_case_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["open", "assessed", "plan", "in_progress", "closed"]
                ),
                name="cases_case_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(risk__in=["low", "medium", "high", "critical"]),
                name="cases_case_risk_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseType(models.Model):
    """One of a case's types; a case may have several."""

    class Code(models.TextChoices):
        GENERAL = "general", _("General protection")
        CHILD = "child", _("Child protection")
        DETENTION = "detention", _("Detention")
        VICTIM = "victim", _("Victim of trafficking or crime")
        LABOUR = "labour", _("Labour rights")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="types")
    code = models.CharField(_("type"), max_length=12, choices=Code.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "code"], name="cases_casetype_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    code__in=[
                        "general",
                        "child",
                        "detention",
                        "victim",
                        "labour",
                        "other",
                    ]
                ),
                name="cases_casetype_code_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["code", "case"], name="cases_casetype_code_idx")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class CaseMember(models.Model):
    """Another person on the case: family or a travelling group."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse or partner")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER_RELATIVE = "relative", _("Other relative")
        CAREGIVER = "caregiver", _("Caregiver")
        OTHER = "other", _("Other, not related")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(
        _("relationship to the person"), max_length=10, choices=Relationship.choices
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], name="cases_casemember_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class Note(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d}"


class CaseEvent(models.Model):
    """One line of a case's timeline: what happened, when, and who did it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        ASSIGNED = "assigned", _("Case assigned")
        STATUS_CHANGED = "status_changed", _("Status changed")
        RISK_CHANGED = "risk_changed", _("Risk level changed")
        NOTE_ADDED = "note_added", _("Note added")
        MEMBER_ADDED = "member_added", _("Person added to the case")
        CLOSED = "closed", _("Case closed")
        REOPENED = "reopened", _("Case reopened")
        # Written by amparo.oversight: who outside the case's team looked, or was asked.
        DPO_ACCESS = "dpo_access", _("Data protection officer given access")
        ESCALATED = "escalated", _("Escalated to a legal officer")
        ESCALATION_ANSWERED = "escalation_answered", _("Legal officer answered")
        # Written by amparo.referrals.
        REFERRED = "referred", _("Referred or transferred to another agency")
        REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
        RECEIVED = "received", _("Opened from a referral")
        FACT_RECORDED = "fact_recorded", _("Safeguards fact recorded")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["case", "-occurred_at"], name="cases_event_timeline_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class SharedField(models.TextChoices):
    """What a referral can carry. The case's narratives and notes never travel: the
    sender writes what the recipient needs to know in the referral's message."""

    NAMES = "names", _("Names")
    SEX = "sex", _("Sex")
    BIRTH = "birth", _("Date of birth or age")
    NATIONALITIES = "nationalities", _("Nationalities")
    ORIGIN = "origin", _("Country of birth and place of origin")
    LANGUAGES = "languages", _("Languages")
    CONTACT = "contact", _("Contact")
    SPECIFIC_NEEDS = "specific_needs", _("Specific needs")
    MIGRATION_STATUS = "migration_status", _("Migration status")
    CASE_TYPES = "case_types", _("Case types and risk level")
