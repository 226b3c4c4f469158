"""The HTCDS 2.0 code lists: each value's name (what files carry) and its label.

Copied from the field standard, `HTCDS_Field_Standards_2.0.ods` (columns "Value Names
(if picklist)" and "Value Labels (if picklist)"), which the XLSForm's `choices` sheet
repeats byte for byte (docs/htcds.md §5). Two of the standard's own blemishes are
smoothed here, as its compiled XForm does: `DebtBondage` carries a trailing space in
the ODS and the XLSForm sheet (D25), and the gender labels end in a no-break space
(D26). Citizenship is the ISO 3166-1 alpha-2 list, checked against pycountry rather
than copied (`values.country`). HTCDS is by IOM, CC BY 4.0; IOM endorses nothing here.

Pure Python: no Django import.
"""

from __future__ import annotations

Codes = tuple[tuple[str, str], ...]

GENDER: Codes = (
    ("Feminine", "Feminine"),
    ("Masculine", "Masculine"),
    ("TransgenderFeminine", "Transgender Feminine"),
    ("TransgenderMasculine", "Transgender Masculine"),
    ("NonConforming", "Non-Conforming"),
    ("NonSpecifiedUnknown", "Not Specified/Unknown"),
)

CONSENT: Codes = (("TRUE", "Yes"), ("FALSE", "No"))

TRAFFICKING_STATUS: Codes = (
    ("PossibleVictimOfTrafficking", "Possible victim of trafficking"),
    ("ActualVictimOfTrafficking", "Actual victim of trafficking"),
    ("NotAVictimOfTrafficking", "Not a victim of trafficking"),
)

DECISION_MAKING_ORG: Codes = (
    ("Police", "Police"),
    ("NGO", "NGO"),
    ("CourtOrProsecution", "Court or prosecution"),
    ("NonPoliceGovernmentalOrganization", "Non-police governmental organization"),
    ("Other", "Other"),
)

METHOD_OF_RECRUITMENT: Codes = (
    ("AtAPlaceOfBusiness", "At a place of business"),
    ("AtAnEducationalInstitution", "At an educational institution"),
    ("AtWork", "At work"),
    ("ThroughOnlineSocialNetworks", "Through online social networks"),
    ("ThroughAnOnlineAdvertisement", "Through an online advertisement"),
    ("ThroughATelevisionAdvert", "Through a television advert"),
    ("ThroughANewspaperAdvert", "Through a newspaper advert"),
    ("ThroughFamilyOrFamilyEvents", "Through family or family events"),
    ("ThroughFriendsOrSocialEvents", "Through friends or social events"),
    ("Other", "Other"),
)

METHODS_OF_CONTROL: Codes = (
    ("PhysicalThreats", "Physical threats"),
    ("ThreatsLawEnforcement", "Threats of law enforcement"),
    ("ThreatensChildrenFamily", "Threatens children/family"),
    ("DebtBondage", "Debt bondage"),
    ("FalsePromises", "False promises"),
    ("PhysicalAbuse", "Physical abuse"),
    ("SexualAbuse", "Sexual abuse"),
    ("TakesEarnings", "Takes earnings"),
    ("RestrictsFinancialAccess", "Restricts financial access"),
    ("RestrictsMedicalCare", "Restricts medical care"),
    ("WithholdsNecessities", "Withholds necessities"),
    ("PsychologicalAbuse", "Psychological abuse"),
    ("PsychoactiveSubstance", "Psychoactive substance"),
    ("ExcessiveWorkingHours", "Excessive working hours"),
    ("WithholdsDocuments", "Withholds documents"),
    ("Other", "Other"),
)

TYPE_OF_EXPLOITATION: Codes = (
    ("ForcedLabour", "Forced labour"),
    ("SexualExploitation", "Sexual exploitation"),
    ("ChildLabour", "Child labour"),
    ("ForcedMarriage", "Forced marriage"),
    ("Servitude", "Servitude"),
    ("ForcedMilitaryByNonStateActors", "Forced military (by non-state actors)"),
    ("OrganRemoval", "Organ removal"),
    ("ForcedBegging", "Forced begging"),
    ("ForcedAdoption", "Forced adoption"),
    ("Surrogacy", "Surrogacy"),
    ("Other", "Other"),
)

# ISIC Rev.4 sections A-U; several names shorten the section title their label
# carries (docs/htcds.md §5.2).
FORCED_LABOUR_INDUSTRY: Codes = (
    ("A_AgricultureForestryAndFishing", "Agriculture, forestry and fishing"),
    ("B_MiningAndQuarrying", "Mining and quarrying"),
    ("C_Manufacturing", "Manufacturing"),
    (
        "D_ElectricityGasSteamAndAirConditioningSupply",
        "Electricity, gas, steam and air conditioning supply",
    ),
    (
        "E_WaterSupplySewerageWasteManagement",
        "Water supply; sewerage, waste management and remediation",
    ),
    ("F_Construction", "Construction"),
    (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    ("H_TransportationAndStorage", "Transportation and storage"),
    (
        "I_AccommodationAndFoodServiceActivities",
        "Accommodation and food service activities",
    ),
    ("J_InformationAndCommunication", "Information and communication"),
    ("K_FinancialAndInsuranceActivities", "Financial and insurance activities"),
    ("L_RealEstateActivities", "Real estate activities"),
    (
        "M_ProfessionalScientificAndTechnicalActivities",
        "Professional, scientific and technical activities",
    ),
    (
        "N_AdministrativeAndSupportServiceActivities",
        "Administrative and support service activities",
    ),
    (
        "O_PublicAdministrationAndDefence",
        "Public administration and defence; compulsory social security",
    ),
    ("P_Education", "Education"),
    ("Q_HumanHealthAndSocialWorkActivities", "Human health and social work activities"),
    ("R_ArtsEntertainmentAndRecreation", "Arts, entertainment and recreation"),
    ("S_OtherServiceActivities", "Other service activities"),
    (
        "T_ActivitiesOfHouseholdsAsEmployers",
        "Activities of households as employers; undifferentiated goods- and "
        "services- producing activities of households for own use",
    ),
    (
        "U_ActivitiesOfExtraterritorialOrganizations",
        "Activities of extraterritorial organizations and bodies",
    ),
)

TYPE_OF_SEX_EXPLOITATION: Codes = (
    ("Prostitution", "Prostitution"),
    ("Pornography", "Pornography"),
    ("RemoteInteractiveServices", "Remote Interactive Services"),
    ("PrivateSexualServices", "Private Sexual Services"),
)

CASE_STATUS: Codes = (
    ("Active", "Active"),
    ("FollowUp", "Follow Up"),
    ("Closed", "Closed"),
    ("ClosedReferred", "Closed Referred"),
)

# The same list for incoming and outgoing referrals; in the ODS only (the XLSForm
# makes the incoming reason free text, D19).
REFERRAL_REASON: Codes = (
    ("AdditionalServicesRequired", "Additional Services Required"),
    ("MigrationOrChangeOfLocation", "Migration or Change of Location"),
    ("Other", "Other"),
)
