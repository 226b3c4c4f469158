"""Least privilege inside an agency: who sees which case and which person."""

import pytest

from amparo.accounts.models import Team, User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.actions import add_case_member, assign_case
from amparo.cases.queries import cases_visible_to
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.people.queries import persons_visible_to, search_persons
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(agency, team):
    """Another case worker of Carmen's team."""
    return UserFactory(
        username="celia", agency=agency, role=User.Role.CASEWORKER, team=team
    )


@pytest.fixture
def other_team_supervisor(agency):
    team = Team.objects.create(agency=agency, name="Team B")
    return UserFactory(
        username="sofia", agency=agency, role=User.Role.SUPERVISOR, team=team
    )


def test_a_case_worker_sees_only_the_cases_assigned_to_her(caseworker, colleague):
    mine = make_case(caseworker)
    theirs = make_case(colleague)
    assert list(cases_visible_to(caseworker)) == [mine]
    assert theirs.primary_person not in persons_visible_to(caseworker)


def test_with_team_sharing_she_sees_her_team_s_cases(caseworker, colleague, agency):
    theirs = make_case(colleague)
    agency.team_sharing = True
    agency.save()
    caseworker.refresh_from_db()
    assert theirs in cases_visible_to(caseworker)
    assert theirs.primary_person in persons_visible_to(caseworker)


def test_with_team_sharing_a_worker_without_a_team_sees_only_her_own(agency):
    # "No team" is not a team: two workers without one do not share their cases.
    agency.team_sharing = True
    agency.save()
    alone, other = (
        UserFactory(username=name, agency=agency, role=User.Role.CASEWORKER)
        for name in ("alba", "olga")
    )
    mine, theirs = make_case(alone), make_case(other)
    assert list(cases_visible_to(alone)) == [mine]
    assert theirs not in cases_visible_to(alone)


def test_a_worker_who_changes_team_sees_the_new_team_s_cases(
    caseworker, colleague, agency, other_team_supervisor
):
    agency.team_sharing = True
    agency.save()
    theirs = make_case(colleague)
    mover = UserFactory(username="maya", agency=agency, role=User.Role.CASEWORKER)
    mover.team = other_team_supervisor.team
    mover.save()
    assert theirs not in cases_visible_to(mover)
    mover.team = colleague.team
    mover.save()
    assert theirs in cases_visible_to(mover)


def test_a_supervisor_sees_their_team_and_the_unassigned_not_other_teams(
    caseworker, supervisor, other_team_supervisor
):
    team_case = make_case(caseworker)
    unassigned = make_case(caseworker)
    assign_case(unassigned, acting_user=caseworker, assignee=None)
    other_case = make_case(other_team_supervisor)
    visible = set(cases_visible_to(supervisor))
    assert {team_case, unassigned} <= visible
    assert other_case not in visible
    assert team_case not in set(cases_visible_to(other_team_supervisor))


def test_a_supervisor_without_a_team_sees_the_whole_agency(
    agency, caseworker, other_team_supervisor
):
    lead = UserFactory(username="lea", agency=agency, role=User.Role.SUPERVISOR)
    cases = {make_case(caseworker), make_case(other_team_supervisor)}
    assert cases <= set(cases_visible_to(lead))


def test_a_member_on_a_visible_case_is_visible(caseworker, colleague):
    case = make_case(caseworker)
    child = make_person(colleague, "Saba", "Tekle")
    assert child not in persons_visible_to(caseworker)
    add_case_member(
        case,
        child,
        acting_user=caseworker,
        relationship="child",
        lawful_basis=ORAL_CONSENT,
    )
    assert child in persons_visible_to(caseworker)


@pytest.mark.parametrize(
    "role", ["statistician", "legal_officer", "agency_admin", "dpo", "sysadmin"]
)
def test_roles_without_case_content_see_no_case_and_no_person(
    role, caseworker, request
):
    make_case(caseworker)
    user = request.getfixturevalue(role)
    assert not cases_visible_to(user).exists()
    assert not persons_visible_to(user).exists()
    assert search_persons(user, "Amina Diallo") == []


def test_search_finds_only_the_persons_she_may_see(caseworker, colleague):
    mine = make_person(caseworker, "Mohamed", "Al Hassan")
    make_person(colleague, "Mohammed", "Al Hassan")
    assert search_persons(caseworker, "Muhammad Alhassan") == [mine]


def test_a_registration_stays_with_the_team_it_was_made_in(
    caseworker, supervisor, other_team_supervisor
):
    person = make_person(caseworker, "Yonas", "Haile")
    caseworker.team = other_team_supervisor.team
    caseworker.save()
    assert person in persons_visible_to(supervisor)
    assert person not in persons_visible_to(other_team_supervisor)
