from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from amparo.accounts.models import Agency, Team, User
from amparo.accounts.tests.factories import AgencyFactory, UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.tests.factories import make_case
from amparo.disclosures.actions import decide_override, request_override, use_override
from amparo.disclosures.models import FirewallOverride, OverrideApproval
from amparo.disclosures.queries import clearance
from amparo.disclosures.tests.factories import approved_override, make_override

pytestmark = pytest.mark.django_db

EXPORT = FirewallOverride.Kind.EXPORT
REFERRAL = FirewallOverride.Kind.REFERRAL


@pytest.fixture
def case(caseworker):
    return make_case(caseworker)


@pytest.fixture
def police():
    return AgencyFactory(
        name="City Police", code="pol", kind=Agency.Kind.LAW_ENFORCEMENT
    )


@pytest.fixture
def supervisor2(agency, team):
    return UserFactory(
        username="sofia", agency=agency, role=User.Role.SUPERVISOR, team=team
    )


@pytest.fixture
def supervisor3(agency, team):
    return UserFactory(
        username="sven", agency=agency, role=User.Role.SUPERVISOR, team=team
    )


def _decide(override, user, decision="approve", note=""):
    return decide_override(override, acting_user=user, decision=decision, note=note)


def _actions(subject):
    return list(
        AuditEvent.objects.filter(subject_id=str(subject.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


# Requesting


def test_a_supervisor_who_sees_the_case_requests_an_override(
    case, supervisor, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    assert override.status == FirewallOverride.Status.PENDING
    assert override.agency_id == case.agency_id
    assert override.expires_at > timezone.now() + timedelta(days=13)
    assert _actions(override) == ["disclosures.override.requested"]
    data = AuditEvent.objects.get(action="disclosures.override.requested").data
    # Neither the purpose nor the explanation: codes and ids only.
    assert "district" not in str(data) and "history" not in str(data)
    assert data["legal_basis"] == "court_order"


def test_only_a_supervisor_who_sees_the_case_may_request(
    case, caseworker, agency, enforcement_agency
):
    other_team = Team.objects.create(agency=agency, name="Team Z")
    stranger = UserFactory(
        username="zed", agency=agency, role=User.Role.SUPERVISOR, team=other_team
    )
    for user in (caseworker, stranger):
        with pytest.raises(PermissionError):
            make_override(case, user, enforcement_agency)
    assert not FirewallOverride.objects.exists()


def test_an_override_is_only_for_a_recipient_behind_the_firewall(
    case, supervisor, outsider
):
    with pytest.raises(ValidationError) as error:
        make_override(case, supervisor, outsider.agency)
    assert "recipient" in error.value.message_dict


def test_the_legal_basis_needs_an_explanation(case, supervisor, enforcement_agency):
    with pytest.raises(ValidationError) as error:
        request_override(
            case,
            acting_user=supervisor,
            kind=EXPORT,
            recipient=enforcement_agency,
            legal_basis="other",
            explanation="  ",
            purpose="Court hearing.",
            subject_notice="given",
        )
    assert "legal_basis_explanation" in error.value.message_dict


@pytest.mark.parametrize(
    ("notice", "explanation", "field"),
    [("", "", "subject_notice"), ("unsafe", " ", "notice_explanation")],
)
def test_the_notice_to_the_person_is_recorded_or_its_absence_explained(
    case, supervisor, enforcement_agency, notice, explanation, field
):
    with pytest.raises(ValidationError) as error:
        request_override(
            case,
            acting_user=supervisor,
            kind=EXPORT,
            recipient=enforcement_agency,
            legal_basis="court_order",
            explanation="Order 12/2026",
            purpose="Court hearing.",
            subject_notice=notice,
            notice_explanation=explanation,
        )
    assert field in error.value.message_dict
    assert not FirewallOverride.objects.exists()


def test_an_outside_recipient_is_for_exports_only(case, supervisor):
    with pytest.raises(ValidationError) as error:
        make_override(case, supervisor, None, kind=REFERRAL, recipient_name="Police")
    assert "recipient_name" in error.value.message_dict


# Approving: two distinct people, one a legal officer or the DPO, not the requester


def test_a_legal_officer_and_a_supervisor_approve(
    case, supervisor, supervisor2, legal_officer, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    override = _decide(override, legal_officer)
    assert override.status == FirewallOverride.Status.PENDING
    override = _decide(override, supervisor2)
    assert override.status == FirewallOverride.Status.APPROVED
    assert override.decided_at is not None
    assert _actions(override) == [
        "disclosures.override.requested",
        "disclosures.override.decided",
        "disclosures.override.decided",
        "disclosures.override.approved",
    ]


def test_the_same_person_twice_does_not_approve(
    case, supervisor, legal_officer, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    _decide(override, legal_officer)
    with pytest.raises(ValidationError):
        _decide(override, legal_officer)
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.PENDING
    assert override.approvals.count() == 1
    # And the database refuses a second row for the same approver.
    with pytest.raises(IntegrityError), transaction.atomic():
        OverrideApproval.objects.create(
            override=override,
            approver=legal_officer,
            approver_role="legal_officer",
            decision="approve",
            decided_at=timezone.now(),
        )


def test_the_requester_does_not_approve(case, supervisor, dpo, enforcement_agency):
    override = make_override(case, supervisor, enforcement_agency)
    _decide(override, dpo)
    with pytest.raises(PermissionError):
        _decide(override, supervisor)
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.PENDING


def test_two_supervisors_without_a_legal_officer_or_dpo_do_not_approve(
    case, supervisor, supervisor2, supervisor3, dpo, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    _decide(override, supervisor2)
    override = _decide(override, supervisor3)
    assert override.status == FirewallOverride.Status.PENDING
    override = _decide(override, dpo)
    assert override.status == FirewallOverride.Status.APPROVED


def test_roles_without_a_say_and_other_agencies_cannot_decide(
    case, supervisor, caseworker, statistician, outsider, enforcer, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    for user in (caseworker, statistician, outsider, enforcer):
        with pytest.raises(PermissionError):
            _decide(override, user)
    assert not override.approvals.exists()


def test_one_rejection_rejects(
    case, supervisor, supervisor2, legal_officer, dpo, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    _decide(override, legal_officer)
    with pytest.raises(ValidationError) as error:
        _decide(override, dpo, "reject")  # a rejection says why
    assert "note" in error.value.message_dict
    override = _decide(override, dpo, "reject", "No court order attached.")
    assert override.status == FirewallOverride.Status.REJECTED
    with pytest.raises(ValidationError):
        _decide(override, supervisor2)
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.REJECTED
    with pytest.raises(ValidationError):
        clearance(user=supervisor, recipient=enforcement_agency, kind=EXPORT, case=case)


# Expiry and single use


def test_a_pending_override_expires(
    case, supervisor, legal_officer, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    later = timezone.now() + timedelta(days=14, minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError):
        _decide(override, legal_officer)
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.EXPIRED
    assert not override.approvals.exists()
    assert _actions(override)[-1] == "disclosures.override.expired"


@override_settings(AMPARO_OVERRIDE_VALID_DAYS=2)
def test_an_approved_override_expires_after_the_set_days(
    case, supervisor, enforcement_agency
):
    override = approved_override(case, supervisor, enforcement_agency)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert (
            clearance(
                user=supervisor, recipient=enforcement_agency, kind=EXPORT, case=case
            )
            == override
        )
    with time_machine.travel(timezone.now() + timedelta(days=2, seconds=1)):
        with pytest.raises(ValidationError):
            clearance(
                user=supervisor, recipient=enforcement_agency, kind=EXPORT, case=case
            )
        with pytest.raises(ValidationError):
            use_override(override, acting_user=supervisor)
        assert override.current_status == FirewallOverride.Status.EXPIRED
    override.refresh_from_db()
    assert override.used_at is None


def test_an_override_is_used_once(case, supervisor, caseworker, enforcement_agency):
    override = approved_override(case, supervisor, enforcement_agency)
    use_override(override, acting_user=caseworker)
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.USED
    assert override.used_at is not None
    assert override.used_by == caseworker
    assert _actions(override)[-1] == "disclosures.override.used"
    with pytest.raises(ValidationError):
        use_override(override, acting_user=caseworker)
    with pytest.raises(ValidationError):
        clearance(user=caseworker, recipient=enforcement_agency, kind=EXPORT, case=case)


def test_a_pending_override_cannot_be_used(case, supervisor, enforcement_agency):
    override = make_override(case, supervisor, enforcement_agency)
    with pytest.raises(ValidationError):
        use_override(override, acting_user=supervisor)
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.PENDING


def test_another_agency_cannot_use_an_override(
    case, supervisor, outsider, enforcement_agency
):
    override = approved_override(case, supervisor, enforcement_agency)
    with pytest.raises(PermissionError):
        use_override(override, acting_user=outsider)


# clearance


def test_clearance_lets_protection_recipients_through(case, supervisor, outsider):
    for kind in FirewallOverride.Kind.values:
        assert (
            clearance(user=supervisor, recipient=outsider.agency, kind=kind, case=case)
            is None
        )


def test_clearance_blocks_enforcement_without_an_override(
    case, caseworker, supervisor, enforcement_agency, police
):
    for recipient in (enforcement_agency, police):
        with pytest.raises(ValidationError) as error:
            clearance(user=caseworker, recipient=recipient, kind=REFERRAL, case=case)
        message = error.value.message_dict["recipient"][0]
        assert "firewall" in message
        assert "two people" in message
    # A pending override is not enough.
    make_override(case, supervisor, enforcement_agency, kind=REFERRAL)
    with pytest.raises(ValidationError):
        clearance(
            user=caseworker, recipient=enforcement_agency, kind=REFERRAL, case=case
        )


def test_clearance_finds_the_override_for_exactly_this_disclosure(
    case, caseworker, supervisor, outsider, enforcement_agency, police
):
    override = approved_override(case, supervisor, enforcement_agency, kind=REFERRAL)
    found = clearance(
        user=caseworker, recipient=enforcement_agency, kind=REFERRAL, case=case
    )
    assert found == override
    other_case = make_case(caseworker)
    for recipient, kind, on_case, user in (
        (enforcement_agency, EXPORT, case, caseworker),  # another kind
        (enforcement_agency, FirewallOverride.Kind.TRANSFER, case, caseworker),
        (police, REFERRAL, case, caseworker),  # another recipient
        (enforcement_agency, REFERRAL, other_case, caseworker),  # another case
        (enforcement_agency, REFERRAL, case, outsider),  # another agency's user
    ):
        with pytest.raises(ValidationError):
            clearance(user=user, recipient=recipient, kind=kind, case=on_case)


def test_the_database_keeps_used_and_used_at_together(
    case, supervisor, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        FirewallOverride.objects.filter(pk=override.pk).update(status="used")
