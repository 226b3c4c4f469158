"""The code lists of labour complaints: complaint types (domain-standards §5.4, which
maps each to the ILO's 11 indicators of forced labour), the ISIC Rev.4 sections, and
the ILO's categories of recruitment fees and related costs (2018 definition). Pure."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintType(models.TextChoices):
    UNPAID_WAGES = "unpaid_wages", _("Unpaid or underpaid wages")
    UNLAWFUL_DEDUCTIONS = "unlawful_deductions", _("Unlawful deductions from pay")
    RECRUITMENT_FEES = (
        "recruitment_fees",
        _("Recruitment fees or related costs charged to the worker"),
    )
    DOCUMENT_RETENTION = (
        "document_retention",
        _("Identity documents confiscated or retained"),
    )
    CONTRACT_SUBSTITUTION = "contract_substitution", _("Contract substitution")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive hours or no weekly rest")
    UNSAFE_WORK = "unsafe_work", _("Unsafe work or occupational injury")
    FREEDOM_OF_ASSOCIATION = (
        "freedom_of_association",
        _("Denial of freedom of association"),
    )
    SEXUAL_HARASSMENT = "sexual_harassment", _("Sexual harassment at work")
    THREAT_OF_DENUNCIATION = (
        "threat_of_denunciation",
        _("Threats of denunciation to the authorities"),
    )
    RETALIATORY_DISMISSAL = "retaliatory_dismissal", _("Dismissal for complaining")
    EMERGENCY_CARE_DENIED = "emergency_care_denied", _("Emergency health care denied")
    RESTRICTED_MOVEMENT = (
        "restricted_movement",
        _("Restriction of movement or confinement"),
    )
    ABUSIVE_HOUSING = "abusive_housing", _("Abusive housing")
    OTHER = "other", _("Other")


# Which of the ILO's 11 indicators of forced labour (amparo/protection/indicators/
# ilo_forced_labour_2012.toml) each type shows (domain-standards §5.4). A complaint of a
# mapped type asks for a screening for trafficking (`labour.trafficking_screening`).
FORCED_LABOUR_INDICATORS: dict[str, tuple[str, ...]] = {
    ComplaintType.UNPAID_WAGES: ("withholding_of_wages",),
    ComplaintType.UNLAWFUL_DEDUCTIONS: ("withholding_of_wages",),
    ComplaintType.RECRUITMENT_FEES: ("debt_bondage",),
    ComplaintType.DOCUMENT_RETENTION: ("retention_of_identity_documents",),
    ComplaintType.CONTRACT_SUBSTITUTION: ("deception",),
    ComplaintType.EXCESSIVE_HOURS: ("excessive_overtime",),
    ComplaintType.UNSAFE_WORK: ("abusive_working_and_living_conditions",),
    ComplaintType.SEXUAL_HARASSMENT: ("physical_and_sexual_violence",),
    ComplaintType.THREAT_OF_DENUNCIATION: ("intimidation_and_threats",),
    ComplaintType.RESTRICTED_MOVEMENT: ("restriction_of_movement", "isolation"),
    ComplaintType.ABUSIVE_HOUSING: ("abusive_working_and_living_conditions",),
}

# The types whose claim is money owed: amount owed, currency, period, recovered.
MONEY_TYPES = frozenset({ComplaintType.UNPAID_WAGES, ComplaintType.UNLAWFUL_DEDUCTIONS})


class Sector(models.TextChoices):
    """ISIC Rev.4 sections (UN Statistics Division)."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply; sewerage, waste management and remediation")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service activities")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support service activities")
    O = "O", _("Public administration and defence; compulsory social security")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work activities")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Households as employers (domestic work)")
    U = "U", _("Extraterritorial organizations and bodies")


class CostCategory(models.TextChoices):
    """ILO, Definition of recruitment fees and related costs (2018)."""

    RECRUITMENT_FEE = "recruitment_fee", _("Recruitment fee")
    MEDICAL = "medical", _("Medical costs")
    INSURANCE = "insurance", _("Insurance")
    SKILLS_TESTS = "skills_tests", _("Skills and qualification tests")
    TRAINING = "training", _("Training or orientation")
    EQUIPMENT = "equipment", _("Equipment")
    TRAVEL_LODGING = "travel_lodging", _("Travel and lodging")
    ADMINISTRATIVE = (
        "administrative",
        _("Administrative costs (documents, passport, visa, permits, checks)"),
    )
    OTHER = "other", _("Other")
