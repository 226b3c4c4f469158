"""The access policy's oversight paths hold to the grant's or escalation's holder in
their current role and agency."""

import pytest

from amparo.accounts.models import User
from amparo.cases.queries import cases_visible_to
from amparo.oversight.actions import escalate_case, grant_content_access
from amparo.oversight.tests.conftest import REASON
from amparo.people.queries import persons_visible_to

pytestmark = pytest.mark.django_db


def test_a_grant_lapses_when_its_dpo_changes_role_or_agency(dpo, case, other_agency):
    grant_content_access(case, dpo=dpo, reason=REASON, hours=8)
    assert list(cases_visible_to(dpo)) == [case]
    dpo.role = User.Role.STATISTICIAN
    assert not cases_visible_to(dpo).exists()
    assert not persons_visible_to(dpo).exists()
    dpo.role = User.Role.DPO
    dpo.agency = other_agency
    assert not cases_visible_to(dpo).exists()
    assert not persons_visible_to(dpo).exists()


def test_an_escalation_shows_nothing_to_other_roles(
    caseworker, dpo, statistician, legal_officer, case
):
    escalate_case(case, acting_user=caseworker, question="Lawful?")
    assert list(cases_visible_to(legal_officer)) == [case]
    for user in (dpo, statistician):
        assert not cases_visible_to(user).exists()
        assert not persons_visible_to(user).exists()


def test_case_roles_keep_their_own_policy(caseworker, supervisor, dpo, case):
    """A grant adds nothing to, and takes nothing from, the case's own team."""
    grant_content_access(case, dpo=dpo, reason=REASON, hours=8)
    assert list(cases_visible_to(caseworker)) == [case]
    assert case.primary_person in persons_visible_to(supervisor)
