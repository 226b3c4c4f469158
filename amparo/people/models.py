"""Persons registered for protection, regardless of migration status.

Names are kept exactly as written, in any script. Dates of birth carry their
precision. Migration status is optional and sensitive: it is never required, never a
list filter, and never gates a service or a rule (resolution 68/179, paras 1 and 4).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel


class Person(TimestampedModel):
    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Another sex (X)")
        UNKNOWN = "U", _("Unknown")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Exact date")
        MONTH = "month", _("Month and year")
        YEAR = "year", _("Year only")

    class MigrationStatus(models.TextChoices):
        REGULAR = "regular", _("Regular")
        IRREGULAR = "irregular", _("Irregular")
        ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
        REFUGEE = "refugee", _("Refugee")
        OTHER_PROTECTION = "other_protection", _("Other international protection")
        PENDING = "pending", _("Application pending")
        UNKNOWN = "unknown", _("Unknown")

    # UNHCR specific-needs categories (proGres), the list protection staff know.
    class Vulnerability(models.TextChoices):
        CHILD_AT_RISK = "CR", _("Child at risk")
        UNACCOMPANIED = "UAM", _("Unaccompanied child")
        SEPARATED = "SC", _("Separated child")
        DISABILITY = "DS", _("Disability")
        MEDICAL = "SM", _("Serious medical condition")
        SINGLE_PARENT = "SP", _("Single parent or caregiver")
        WOMAN_AT_RISK = "WR", _("Woman at risk")
        OLDER_PERSON = "ER", _("Older person at risk")
        LEGAL_PHYSICAL = "LP", _("Specific legal and physical protection needs")
        TORTURE = "TR", _("Survivor of torture")
        SGBV = "SV", _("Survivor of sexual or gender-based violence")
        FAMILY_UNITY = "FU", _("Family unity")
        PREGNANT = "PG", _("Pregnant or lactating")

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="persons"
    )
    # The primary name as one line, kept by the actions so that lists need no join.
    display_name = models.CharField(_("name"), max_length=401)
    sex = models.CharField(
        _("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True
    )
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    country_of_birth = models.CharField(_("country of birth"), max_length=3, blank=True)
    place_of_origin = models.CharField(_("place of origin"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=3, blank=True
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    contact = EncryptedTextField(_("contact"), blank=True)
    vulnerabilities = models.JSONField(_("specific needs"), default=list, blank=True)
    # Encrypted: it can decide whether someone is detained or deported if it leaks.
    migration_status = EncryptedTextField(
        _("migration status"), choices=MigrationStatus.choices, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set once the person's identifying data has been removed (retention period over,
    # or an approved erasure request); the row stays so that statistics keep counting.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The registrar's team at registration: it stays when the registrar moves on.
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "-created_at", "-id"], name="people_person_recent_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_age__isnull=True)
                | models.Q(estimated_age__lte=120),
                name="people_person_estimated_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_age__isnull=True)
                | models.Q(age_estimated_on__isnull=False),
                name="people_person_estimated_age_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=["F", "M", "X", "U"]),
                name="people_person_sex_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_date_precision__in=["day", "month", "year"]),
                name="people_person_birth_date_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def age_on(self, day: date) -> int | None:
        """Completed years on `day`, from the date of birth or the dated estimate."""
        if self.birth_date is not None:
            born = self.birth_date
            years = day.year - born.year
            if self.birth_date_precision == self.DatePrecision.DAY:
                years -= (day.month, day.day) < (born.month, born.day)
            elif self.birth_date_precision == self.DatePrecision.MONTH:
                # Born some day of that month: the birthday counts once the month begins.
                years -= day.month < born.month
            return years
        if self.estimated_age is not None and self.age_estimated_on is not None:
            return self.estimated_age + (day - self.age_estimated_on).days // 365
        return None


class PersonName(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary name")
        ALIAS = "alias", _("Alias or other name")
        TRANSLITERATION = "transliteration", _("Other spelling or script")
        FORMER = "former", _("Former name")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_names = models.CharField(_("family names"), max_length=200, blank=True)
    script = models.CharField(_("script"), max_length=4, blank=True)
    language = models.CharField(_("language"), max_length=3, blank=True)
    # Transliteration can lengthen a name several times (CJK, Ethiopic).
    search_form = models.TextField(editable=False)

    class Meta:
        ordering = ["person", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(kind="primary"),
                name="people_personname_one_primary",
            ),
            models.CheckConstraint(
                condition=~models.Q(given_names="", family_names=""),
                name="people_personname_not_empty",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["primary", "alias", "transliteration", "former"]
                ),
                name="people_personname_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_names) if part)


class Nationality(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CLAIMED = "claimed", _("Claimed")
        SUSPECTED = "suspected", _("Suspected")
        UNKNOWN = "unknown", _("Unknown")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="nationalities"
    )
    # ISO 3166-1 alpha-3, or XXA (ICAO 9303) for statelessness.
    country = models.CharField(_("country"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        ordering = ["person", "id"]
        verbose_name_plural = _("nationalities")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "country"], name="people_nationality_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["confirmed", "claimed", "suspected", "unknown"]
                ),
                name="people_nationality_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} ({self.status})"


class NameKey(models.Model):
    """One search key of one of a person's names (see amparo.core.names)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64)

    class Meta:
        # With the person in the index, the search's candidate query reads the index
        # alone (an index-only scan on PostgreSQL), never the table.
        indexes = [
            models.Index(
                fields=["agency", "key", "person"], name="people_namekey_lookup_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "key"], name="people_namekey_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Consent(TimestampedModel):
    """The lawful basis on which a person's data is used for one purpose: their consent
    (or a guardian's), or, where consent cannot be freely given, another basis with its
    justification (ICRC Handbook on Data Protection in Humanitarian Action, ch. 3).
    Actions that use data for a purpose refuse without an active record for it."""

    class Purpose(models.TextChoices):
        CASE_MANAGEMENT = "case_management", _("Case management")
        REFERRAL = "referral", _("Referral or transfer to another agency")
        TRACING = "tracing", _("Family tracing")
        DATA_SHARING = "data_sharing", _("Sharing or export of the record")
        STATISTICS = "statistics", _("Statistics")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        VITAL_INTEREST = "vital_interest", _("Vital interest")
        PUBLIC_INTEREST = "public_interest", _("Important grounds of public interest")
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")

    class Method(models.TextChoices):
        ORAL = "oral", _("Oral")
        WRITTEN = "written", _("Written (signed form)")
        DIGITAL = "digital", _("Digital (recorded on a device)")

    class GivenBy(models.TextChoices):
        PERSON = "person", _("The person")
        GUARDIAN = "guardian", _("Parent or guardian")
        REPRESENTATIVE = "representative", _("Legal representative")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    basis = models.CharField(_("lawful basis"), max_length=20, choices=Basis.choices)
    method = models.CharField(
        _("how consent was obtained"), max_length=10, choices=Method.choices, blank=True
    )
    given_by = models.CharField(
        _("given by"), max_length=15, choices=GivenBy.choices, blank=True
    )
    # For a child, the guardian consents and the child's own assent or views are kept.
    child_views = EncryptedTextField(_("the child's assent or views"), blank=True)
    language = models.CharField(
        _("language of the information"), max_length=3, blank=True
    )
    interpreter = models.BooleanField(_("through an interpreter"), default=False)
    scope = EncryptedTextField(_("scope (fields or recipients)"), blank=True)
    justification = EncryptedTextField(
        _("why this basis, where consent is not used"), blank=True
    )
    obtained_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Free text that may tell the person's story: encrypted like the justification.
    withdrawal_reason = EncryptedTextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("consent or lawful basis")
        verbose_name_plural = _("consents and lawful bases")
        ordering = ["person", "purpose", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="people_consent_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    purpose__in=[
                        "case_management",
                        "referral",
                        "tracing",
                        "data_sharing",
                        "statistics",
                    ]
                ),
                name="people_consent_purpose_valid",
            ),
            # Consent says how and by whom; any other basis says why.
            models.CheckConstraint(
                condition=(
                    models.Q(basis="consent")
                    & ~models.Q(method="")
                    & ~models.Q(given_by="")
                )
                | (
                    models.Q(
                        basis__in=[
                            "vital_interest",
                            "public_interest",
                            "legitimate_interest",
                            "legal_obligation",
                        ]
                    )
                    & ~models.Q(justification="")
                ),
                name="people_consent_basis_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_basis_display()}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
