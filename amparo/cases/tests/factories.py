from amparo.accounts.models import User
from amparo.cases.actions import open_case
from amparo.cases.models import Case
from amparo.people.models import Person
from amparo.people.tests.factories import make_person


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
    )
