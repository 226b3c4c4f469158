from amparo.accounts.models import User
from amparo.cases.actions import open_case
from amparo.cases.models import Case
from amparo.people.models import Person
from amparo.people.tests.factories import make_person

# The person's oral consent to case management, recorded with the case if none is.
ORAL_CONSENT = {"basis": "consent", "method": "oral", "given_by": "person"}


def make_case(
    user: User,
    person: Person | None = None,
    *,
    types: tuple[str, ...] = ("general",),
    risk: str = "medium",
) -> Case:
    return open_case(
        person or make_person(user),
        acting_user=user,
        types=types,
        risk=risk,
        reason="Needs legal counselling.",
        lawful_basis=ORAL_CONSENT,
    )
