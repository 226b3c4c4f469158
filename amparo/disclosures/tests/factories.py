"""Overrides and exports made through the actions, as a real request makes them."""

from amparo.accounts.models import Agency, User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.models import Case
from amparo.disclosures.actions import decide_override, request_override
from amparo.disclosures.models import FirewallOverride
from amparo.people.models import Consent, Person
from amparo.people.tests.factories import give_consent


def allow_sharing(person: Person, user: User) -> Consent:
    """The person's consent to the sharing of their data, as an export needs."""
    return give_consent(person, user, Consent.Purpose.DATA_SHARING)


def make_override(
    case: Case,
    supervisor: User,
    recipient: Agency | None,
    *,
    kind: str = FirewallOverride.Kind.EXPORT,
    recipient_name: str = "",
) -> FirewallOverride:
    return request_override(
        case,
        acting_user=supervisor,
        kind=kind,
        recipient=recipient,
        recipient_name=recipient_name,
        legal_basis=FirewallOverride.LegalBasis.COURT_ORDER,
        explanation="Order 2026/117 of the district court.",
        purpose="The court asks for the case history.",
        subject_notice=FirewallOverride.Notice.GIVEN,
        fields=["names", "sex"],
    )


def approved_override(
    case: Case,
    supervisor: User,
    recipient: Agency | None,
    *,
    kind: str = FirewallOverride.Kind.EXPORT,
    recipient_name: str = "",
) -> FirewallOverride:
    """An override approved by a legal officer and the DPO of the case's agency."""
    override = make_override(
        case, supervisor, recipient, kind=kind, recipient_name=recipient_name
    )
    for role in (User.Role.LEGAL_OFFICER, User.Role.DPO):
        approver = UserFactory(
            username=f"approver-{role}-{case.agency.code}",
            agency=case.agency,
            role=role,
        )
        override = decide_override(override, acting_user=approver, decision="approve")
    assert override.status == FirewallOverride.Status.APPROVED
    return override
