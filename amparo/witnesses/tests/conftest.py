"""A protected witness for the witness-protection tests, with names, a contact and a
place of origin distinctive enough to be searched for in any page, packet or raw
database row.

- `witness`: registered by Carmen (the case worker), with an alias.
- `witness_case`: her case, assigned to Carmen.
- `protection`: Samir (the supervisor of Carmen's team) protects her; the team is
  Carmen and Samir.
- `boss`: a supervisor of agency A without a team (sees the whole agency), not on
  the protection team.
- `colleague`: another case worker of Carmen's team, not on the protection team.
- `foreign_supervisor`, `foreign_legal_officer`: deciders of agency B.
"""

from datetime import date

import pytest

from amparo.accounts.models import Agency, Team, User
from amparo.accounts.tests.factories import UserFactory
from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case
from amparo.people.models import Person
from amparo.people.tests.factories import make_person
from amparo.witnesses import actions
from amparo.witnesses.models import Protection

GIVEN = "Zephyrine"
FAMILY = "Quartermain"
ALIAS = "Zeffikova"
CONTACT = "+221 77 555 0199, via her aunt Ouleymatou"
PLACE = "Ziguinchor-Boucotte"
BIRTH = date(1991, 7, 14)
# What must never show outside the team, nor rest in the database in plain text.
SECRETS = (GIVEN, FAMILY, ALIAS, "555 0199", "Ouleymatou", PLACE)
REASON = "She testifies against the smuggling ring in the May trial."


def secrets_in(text: str) -> list[str]:
    """Which of the real identity's strings `text` holds (case-insensitive)."""
    lowered = text.lower()
    return [s for s in SECRETS if s.lower() in lowered]


@pytest.fixture
def witness(caseworker: User) -> Person:
    return make_person(
        caseworker,
        GIVEN,
        FAMILY,
        aliases=((ALIAS, FAMILY),),
        birth_date=BIRTH,
        sex="F",
        nationalities=("SEN",),
        country_of_birth="SEN",
        place_of_origin=PLACE,
        contact=CONTACT,
        preferred_language="fra",
        languages=["fra", "wol"],
    )


@pytest.fixture
def witness_case(caseworker: User, witness: Person) -> Case:
    return make_case(caseworker, witness)


@pytest.fixture
def protect_witness(supervisor: User, caseworker: User):
    def protect(person: Person, *, team: tuple[User, ...] | None = None) -> Protection:
        return actions.protect(
            person,
            acting_user=supervisor,
            kind=Protection.Kind.WITNESS,
            reason=REASON,
            team=[caseworker] if team is None else list(team),
        )

    return protect


@pytest.fixture
def protection(witness_case: Case, witness: Person, protect_witness) -> Protection:
    protection = protect_witness(witness)
    witness.refresh_from_db()
    return protection


@pytest.fixture
def boss(agency: Agency) -> User:
    """Supervises the whole agency (no team): sees every person, not on the team."""
    return UserFactory(username="bernarda", agency=agency, role=User.Role.SUPERVISOR)


@pytest.fixture
def colleague(agency: Agency, team: Team) -> User:
    """A case worker of Carmen's team, in an agency that shares cases within teams."""
    agency.team_sharing = True
    agency.save(update_fields=["team_sharing"])
    return UserFactory(
        username="cosima", agency=agency, role=User.Role.CASEWORKER, team=team
    )


@pytest.fixture
def second_legal_officer(agency: Agency) -> User:
    return UserFactory(username="leandro", agency=agency, role=User.Role.LEGAL_OFFICER)


@pytest.fixture
def foreign_supervisor(other_agency: Agency) -> User:
    return UserFactory(username="bruno", agency=other_agency, role=User.Role.SUPERVISOR)


@pytest.fixture
def foreign_legal_officer(other_agency: Agency) -> User:
    return UserFactory(
        username="beline", agency=other_agency, role=User.Role.LEGAL_OFFICER
    )
