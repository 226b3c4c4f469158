"""The HTCDS 2.0 field table: each field of the Excel template and of the XLSForm, where
it sits in each file, what it holds, and where it goes in Amparo or why it does not.

The Excel template is keyed on its visible header row (row 2), never on the hidden
row 1, which names the wrong fields over columns N, O, Q and R, misspells T and leaves
AJ empty (docs/htcds.md §2, §4: D4, D27, D28). `row1` keeps what the official file
writes there, so that a reader can recognise it; exports write `name`, the standard's
own name, instead. docs/htcds.md "Mapping to Amparo" explains every line.

Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from amparo.htcds import codes
from amparo.htcds.codes import Codes


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # line breaks allowed
    DATE = "date"
    PICK = "picklist"  # one code
    PICK_OR_TEXT = "picklist_or_text"  # a code where one matches, else the text
    MULTI = "multiselect"  # several codes
    CHECKBOX = "checkbox"
    COUNTRIES = "countries"  # ISO 3166-1 codes, several in Excel, one in the XForm
    USER = "user"  # an Amparo username of the importing agency


@dataclass(frozen=True)
class Field:
    name: str  # the field standard's name, prefix included
    label: str  # the Excel template's visible header (row 2), = the XLSForm label
    column: str | None  # the Excel template's column; None: not in the template
    xform: str | None  # the XForm instance element; None: not in the XLSForm
    kind: Kind
    codes: Codes = ()
    max_length: int = 255  # Salesforce's limit for a Text field [K]
    held: str = ""  # where Amparo keeps it ...
    not_held: str = ""  # ... or why it does not
    row1: str = ""  # the official template's hidden row 1 over this column

    @property
    def imported(self) -> bool:
        return bool(self.held)


_CONTACT = "people.Person.contact (encrypted), a line `{label}: value`"
_OPENING = "cases.Case.opening_reason (encrypted), a line `{label}: value`"
_OUTGOING = "a cases.Note on the case (encrypted), a line `{label}: value`"
_AWAITS_FACT = (
    "No protection fact carries it yet: it awaits a fact kind describing the "
    "exploitation (see the final report of the HTCDS work)."
)


def _f(
    name: str,
    label: str,
    column: str | None,
    xform: str | None,
    kind: Kind,
    **kw: object,
) -> Field:
    held = str(kw.pop("held", ""))
    return Field(
        name,
        label,
        column,
        xform,
        kind,
        held=held.format(label=label),
        row1=str(kw.pop("row1", name)),
        **kw,  # type: ignore[arg-type]
    )


K = Kind
# In the Excel template's column order.
TEMPLATE_FIELDS: tuple[Field, ...] = (
    _f("cas_CaseOwner", "Case Owner", "B", None, K.USER, max_length=150,
       held="cases.Case.assigned_to (the username of an active case worker or "
       "supervisor of the importing agency; empty: unassigned)"),
    _f("prs_Salutation", "Salutation", "C", "prs_Salutation", K.TEXT,
       not_held="Amparo keeps names as written and no form of address."),
    _f("prs_FirstName", "First Name", "D", "prs_First_Name", K.TEXT, max_length=200,
       held="people.PersonName (primary).given_names"),
    _f("prs_SecondName", "Second Name", "E", "prs_Second_Name", K.TEXT,
       max_length=200, held="people.PersonName (primary).family_names"),
    _f("con_Consent", "Consent", "F", "con_Consent", K.CHECKBOX, codes=codes.CONSENT,
       held="people.Consent for case management: TRUE = consent of the person; "
       "FALSE or empty = the lawful basis the importer states for the batch"),
    _f("prs_Birthdate", "Birthdate", "G", "prs_Birthdate", K.DATE,
       held="people.Person.birth_date (precision: day)"),
    _f("prs_Gender", "Gender", "H", "prs_Gender", K.PICK, codes=codes.GENDER,
       held="people.Person.sex (F, M, X, U; see the mapping's table)"),
    _f("prs_Citizenship", "Citizenship", "I", "prs_Citizenship", K.COUNTRIES,
       held="people.Nationality (alpha-3, status claimed), one per code"),
    _f("prs_Title", "Title", "J", "prs_Title", K.TEXT,
       not_held="A position within an organisation: no use in a protection record."),
    _f("prs_Email", "Email", "K", "prs_Email", K.TEXT, max_length=254, held=_CONTACT),
    _f("prs_HomePhone", "Home Phone", "L", "prs_HomePhone", K.TEXT, max_length=40,
       held=_CONTACT),
    _f("prs_MobilePhone", "Mobile Phone", "M", "prs_MobilePhone", K.TEXT,
       max_length=40, held=_CONTACT),
    _f("prs_MailingStreet", "Mailing Street", "N", "prs_MailingStreet", K.TEXT,
       held=_CONTACT, row1="prs_MailingCity"),
    _f("prs_MailingCity", "Mailing City", "O", "prs_MailingCity", K.TEXT,
       held=_CONTACT, row1="prs_MailingCountry"),
    _f("prs_MailingState", "Mailing State/Province", "P", "prs_MailingState", K.TEXT,
       held=_CONTACT),
    _f("prs_MailingPostalCode", "Mailing Zip/Postal Code", "Q",
       "prs_MailingPostalCode", K.TEXT, max_length=40, held=_CONTACT,
       row1="prs_MailingStreet"),
    _f("prs_MailingCountry", "Mailing Country", "R", "prs_MailingCountry", K.TEXT,
       held=_CONTACT, row1="prs_MailingPostalCode"),
    _f("vic_TraffickingStatus", "Trafficking Status", "S", "vic_TraffickingStatus",
       K.PICK, codes=codes.TRAFFICKING_STATUS,
       held="safeguards fact trafficking_identified (stage and finding)"),
    _f("vic_TraffickingStatusDecisionMakingOrg",
       "Trafficking Status Decision Making Organization", "T",
       "vic_TraffickingStatusDecisionMakingOrg", K.PICK,
       codes=codes.DECISION_MAKING_ORG,
       held="trafficking_identified.decided_by (the value's label)",
       row1="vic_TraffickinStatusDecisionMakingOrg"),
    _f("vic_MethodOfRecruitment", "Method of Recruitment", "U",
       "vic_MethodOfRecruitment", K.MULTI, codes=codes.METHOD_OF_RECRUITMENT,
       not_held=_AWAITS_FACT),
    _f("vic_LocationOfRecruitment", "Location of Recruitment", "V",
       "vic_LocationOfRecruitment", K.TEXT, not_held=_AWAITS_FACT),
    _f("vic_MethodsOfControl", "Methods of Control", "W", "vic_Methods_of_Control",
       K.MULTI, codes=codes.METHODS_OF_CONTROL, not_held=_AWAITS_FACT),
    _f("vic_TypeOfExploitation", "Type of Exploitation", "X", "vic_TypeOfExploitation",
       K.MULTI, codes=codes.TYPE_OF_EXPLOITATION, not_held=_AWAITS_FACT),
    _f("vic_ForcedLabourIndustry", "Forced Labour Industry", "Y",
       "vic_ForcedLabourIndustry", K.MULTI, codes=codes.FORCED_LABOUR_INDUSTRY,
       not_held=_AWAITS_FACT),
    _f("vic_TypeOfSexExploitation", "Type of Sex Exploitation", "Z",
       "vic_TypeOfSexExploitation", K.MULTI, codes=codes.TYPE_OF_SEX_EXPLOITATION,
       not_held=_AWAITS_FACT),
    _f("vic_LocationOfExploitation", "Location of Exploitation", "AA",
       "vic_LocationOfExploitation", K.TEXT, not_held=_AWAITS_FACT),
    _f("cas_Status", "Status", "AB", "cas_Status", K.PICK, codes=codes.CASE_STATUS,
       held="cases.Case.status and closure_reason"),
    _f("cas_ReferringOrganisation", "Referring Organisation", "AC",
       "cas_ReferringOrganisation", K.TEXT, held=_OPENING),
    _f("cas_IncomingReferralDate", "Incoming Referral Date", "AD",
       "cas_IncomingReferralDate", K.DATE, held=_OPENING),
    _f("cas_ReferringPrimaryCaseWorker", "Referring Primary Case Worker", "AE",
       "cas_ReferringPrimaryCaseWorker", K.TEXT, held=_OPENING),
    _f("cas_ReasonForIncomingReferral", "Reason for Incoming Referral", "AF",
       "cas_ReasonForIncomingReferral", K.PICK_OR_TEXT, codes=codes.REFERRAL_REASON,
       held=_OPENING),
    _f("cas_IncomingReferralDetails", "Incoming Referral Details", "AG",
       "cas_IncomingReferralDetails", K.LONG_TEXT, max_length=3000, held=_OPENING),
    _f("cas_ReferredOrganisation", "Referred Organisation", "AH", None, K.TEXT,
       held=_OUTGOING),
    _f("cas_ReferredPrimaryCaseWorker", "Referred Primary Case Worker", "AI", None,
       K.TEXT, held=_OUTGOING),
    _f("cas_ReasonForOutgoingReferral", "Reason for Outgoing Referral", "AJ", None,
       K.PICK, codes=codes.REFERRAL_REASON, held=_OUTGOING, row1=""),
    _f("cas_OutgoingReferralDate", "Outgoing Referral Date", "AK", None, K.DATE,
       held=_OUTGOING),
    _f("cas_OutgoingReferralDetails", "Outgoing Referral Details", "AL", None,
       K.LONG_TEXT, max_length=10_000, held=_OUTGOING),
    _f("cas_ReasonForCaseClosure", "Reason for Case Closure", "AM", None,
       K.LONG_TEXT, max_length=5000,
       held="cases.Case.closure_note (encrypted; the case must be closed)"),
)  # fmt: skip

_SESSION = "The form session's times: when the interview was held, not the person's."
# In the XForm instance only (D13-D15), in its order.
XFORM_ONLY_FIELDS: tuple[Field, ...] = (
    _f("start", "start", None, "start", K.TEXT, not_held=_SESSION),
    _f("end", "end", None, "end", K.TEXT, not_held=_SESSION),
    _f("__version__", "__version__", None, "__version__", K.TEXT,
       not_held="The form's version: recorded in the batch's audit event."),
    _f("instanceID", "meta/instanceID", None, "meta/instanceID", K.TEXT,
       not_held="Identifies the submission, not the person; a batch refuses the "
       "same submission twice."),
)  # fmt: skip

BY_NAME: dict[str, Field] = {f.name: f for f in TEMPLATE_FIELDS}
BY_LABEL: dict[str, Field] = {f.label: f for f in TEMPLATE_FIELDS}
XFORM_FIELDS: tuple[Field, ...] = tuple(f for f in TEMPLATE_FIELDS if f.xform)
BY_XFORM: dict[str, Field] = {
    str(f.xform): f for f in (*XFORM_FIELDS, *XFORM_ONLY_FIELDS)
}
# The XForm instance's element order (htcds_xlsform.xml): not the template's (D24).
XFORM_ORDER: tuple[str, ...] = (
    "start", "end", "con_Consent", "prs_Salutation", "prs_First_Name",
    "prs_Second_Name", "prs_Birthdate", "prs_Gender", "prs_Citizenship", "prs_Title",
    "prs_Email", "prs_HomePhone", "prs_MobilePhone", "prs_MailingCity",
    "prs_MailingCountry", "prs_MailingState", "prs_MailingStreet",
    "prs_MailingPostalCode", "vic_MethodOfRecruitment", "vic_LocationOfRecruitment",
    "vic_TraffickingStatus", "vic_TraffickingStatusDecisionMakingOrg",
    "vic_Methods_of_Control", "vic_TypeOfExploitation", "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation", "vic_LocationOfExploitation", "cas_Status",
    "cas_ReferringOrganisation", "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker", "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails", "__version__",
)  # fmt: skip
XFORM_ID = "htcds_xlsform"
XFORM_VERSION = "vSmt4GQA3C9uBMLPEVfgND"

CONTACT_FIELDS = tuple(
    f for f in TEMPLATE_FIELDS if f.held == _CONTACT.format(label=f.label)
)
INCOMING_FIELDS = tuple(
    f for f in TEMPLATE_FIELDS if f.held == _OPENING.format(label=f.label)
)
OUTGOING_FIELDS = tuple(
    f for f in TEMPLATE_FIELDS if f.held == _OUTGOING.format(label=f.label)
)
NOT_HELD = tuple(f for f in (*TEMPLATE_FIELDS, *XFORM_ONLY_FIELDS) if not f.imported)
