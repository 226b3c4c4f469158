"""Loading the demo population. A bulk load, like an import: all-or-nothing in one
transaction, with one audit event that says what was loaded."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone

from amparo.accounts.actions import create_agency, create_team, create_user
from amparo.accounts.models import Agency, User
from amparo.audit.actions import record as audit
from amparo.cases.models import Case, CaseEvent, CaseMember, CaseType, Note
from amparo.core.names import name_keys, search_form
from amparo.demo.children import SEPARATED_CHILDREN, add_children
from amparo.demo.detention import add_detentions
from amparo.demo.population import DemoPerson, Household, PopulationGenerator
from amparo.demo.protection import add_victims
from amparo.demo.services import add_services
from amparo.people.models import Consent, NameKey, Nationality, Person, PersonName
from amparo.referrals.actions import record_agreement

DEMO_PASSWORD = "amparo-demo-login"  # noqa: S105 (printed to the user on purpose)
DEMO_AGENCY = ("Amparo Demo Agency", "demo")
OTHER_AGENCY = ("Other Agency (a second organisation)", "other")
# username, role, first name, last name, agency code
DEMO_USERS = (
    ("caseworker", User.Role.CASEWORKER, "Carmen", "Worker", "demo"),
    ("caseworker2", User.Role.CASEWORKER, "Camila", "Second", "demo"),
    ("supervisor", User.Role.SUPERVISOR, "Samir", "Supervisor", "demo"),
    ("statistician", User.Role.STATISTICIAN, "Stella", "Statistics", "demo"),
    ("dpo", User.Role.DPO, "Dina", "Protection", "demo"),
    ("legal", User.Role.LEGAL_OFFICER, "Lina", "Legal", "demo"),
    ("admin", User.Role.AGENCY_ADMIN, "Ahmed", "Admin", "demo"),
    ("outsider", User.Role.CASEWORKER, "Omar", "Outsider", "other"),
    ("partner", User.Role.SUPERVISOR, "Paula", "Partner", "other"),
)
BATCH = 2000
CASE_ROLES = {User.Role.CASEWORKER, User.Role.SUPERVISOR}


@dataclass
class DemoResult:
    created: bool
    persons: int
    cases: int


@transaction.atomic
def load_demo(*, persons: int, seed: int = 68179) -> DemoResult:
    """Create the demo agencies, one user per demo role and `persons` people with their
    cases, unless the demo agency exists already (then nothing is added)."""
    if Agency.objects.filter(code=DEMO_AGENCY[1]).exists():
        return DemoResult(created=False, persons=0, cases=0)
    # Case workers of the demo see their team's cases, so the demo logins see a lot.
    agencies = {
        code: create_agency(name, code=code, team_sharing=True)
        for name, code in (DEMO_AGENCY, OTHER_AGENCY)
    }
    teams = {
        code: create_team(agency, "Protection team")
        for code, agency in agencies.items()
    }
    users = {
        username: create_user(
            username,
            agency=agencies[code],
            role=role,
            team=teams[code] if role in CASE_ROLES else None,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        for username, role, first, last, code in DEMO_USERS
    }
    # The demo agency may refer cases to the other one: names, sex, birth, languages
    # and case types, under an agreement its DPO recorded.
    record_agreement(
        acting_user=users["dpo"],
        to_agency=agencies["other"],
        purpose="Referral for legal aid and shelter",
        fields=["names", "sex", "birth", "languages", "case_types"],
        safeguards="Demo memorandum: confidentiality, no onward sharing, deletion "
        "when no longer needed.",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=365),
    )
    generator = PopulationGenerator(
        seed=seed, today=timezone.localdate(), now=timezone.now()
    )
    # Nine in ten people belong to the demo agency; the rest to the other one, whose
    # records the demo users must never see.
    own = round(persons * 0.9)
    # A few of the demo agency's are children alone, with cases of their own.
    alone = min(SEPARATED_CHILDREN, own // 20)
    loaded = load_population(
        generator.households(own - alone),
        agency=agencies["demo"],
        workers=[users["caseworker"], users["supervisor"]],
    )
    loaded_other = load_population(
        generator.households(persons - own),
        agency=agencies["other"],
        workers=[users["outsider"]],
    )
    add_detentions(agencies["demo"], timezone.now(), seed=seed)
    children = load_population(
        generator.separated_children(alone),
        agency=agencies["demo"],
        workers=[users["caseworker"], users["supervisor"]],
    )
    loaded = (loaded[0] + children[0], loaded[1] + children[1])
    add_children(
        agencies["demo"],
        timezone.now(),
        seed=seed,
        panel=[users["caseworker"], users["caseworker2"], users["supervisor"]],
    )
    add_victims(
        agencies["demo"],
        timezone.now(),
        screener=users["caseworker"],
        supervisor=users["supervisor"],
    )
    add_services(
        agencies["demo"],
        agencies["other"],
        caseworker=users["caseworker"],
        supervisor=users["supervisor"],
    )
    result = DemoResult(True, loaded[0] + loaded_other[0], loaded[1] + loaded_other[1])
    audit(
        None,
        "demo.population.loaded",
        agencies["demo"],
        {"persons": result.persons, "cases": result.cases},
    )
    return result


def load_population(
    households: Iterable[Household], *, agency: Agency, workers: list[User]
) -> tuple[int, int]:
    """Write households in batches; returns (persons, cases) written."""
    persons = cases = 0
    iterator = iter(households)
    while batch := list(islice(iterator, BATCH // 3)):
        persons += _write_persons(
            [p for h in batch for p in h.persons], agency, workers[0]
        )
        cases += _write_cases(batch, agency, workers)
    return persons, cases


def _write_persons(people: list[DemoPerson], agency: Agency, registrar: User) -> int:
    Person.objects.bulk_create(
        (
            Person(
                id=p.id,
                agency=agency,
                display_name=f"{p.names[0].given_names} {p.names[0].family_names}",
                sex=p.sex,
                birth_date=p.birth_date,
                birth_date_precision=p.birth_date_precision,
                estimated_age=p.estimated_age,
                age_estimated_on=p.age_estimated_on,
                country_of_birth=p.country_of_birth,
                preferred_language=p.preferred_language,
                languages=p.languages,
                vulnerabilities=p.vulnerabilities,
                registered_by=registrar,
                team_id=registrar.team_id,
            )
            for p in people
        ),
        batch_size=BATCH,
    )
    names: list[PersonName] = []
    keys: list[NameKey] = []
    nationalities: list[Nationality] = []
    for p in people:
        person_keys: set[str] = set()
        for n in p.names:
            full = f"{n.given_names} {n.family_names}"
            names.append(
                PersonName(
                    person_id=p.id,
                    kind=n.kind,
                    given_names=n.given_names,
                    family_names=n.family_names,
                    script=n.script,
                    language=n.language,
                    search_form=search_form(full),
                )
            )
            person_keys |= name_keys(full)
        keys.extend(NameKey(person_id=p.id, agency=agency, key=k) for k in person_keys)
        nationalities.extend(
            Nationality(person_id=p.id, country=c, status=s) for c, s in p.nationalities
        )
    PersonName.objects.bulk_create(names, batch_size=BATCH)
    NameKey.objects.bulk_create(keys, batch_size=BATCH)
    Nationality.objects.bulk_create(nationalities, batch_size=BATCH)
    return len(people)


def _write_cases(
    households: list[Household], agency: Agency, workers: list[User]
) -> int:
    agency.refresh_from_db(fields=["case_counter"])
    number = agency.case_counter
    cases: list[Case] = []
    types: list[CaseType] = []
    members: list[CaseMember] = []
    notes: list[Note] = []
    events: list[CaseEvent] = []
    consents: list[Consent] = []
    for index, household in enumerate(households):
        c = household.case
        number += 1
        worker = workers[index % len(workers)]
        # As the open-case form requires: the person's consent to case management.
        consents.append(
            Consent(
                person_id=c.person.id,
                purpose=Consent.Purpose.CASE_MANAGEMENT,
                basis=Consent.Basis.CONSENT,
                method=Consent.Method.ORAL,
                given_by=Consent.GivenBy.PERSON,
                obtained_on=c.opened_at.date(),
                recorded_by=worker,
            )
        )
        cases.append(
            Case(
                id=c.id,
                agency=agency,
                reference=f"{agency.code.upper()}-{c.opened_at.year}-{number:06d}",
                primary_person_id=c.person.id,
                status=c.status,
                risk=c.risk,
                assigned_to=worker,
                opened_at=c.opened_at,
                opened_by=worker,
                opening_reason="Registered at the reception desk.",
                closed_at=c.closed_at,
                closure_reason=c.closure_reason,
            )
        )
        types.extend(CaseType(case_id=c.id, code=t) for t in c.types)
        members.extend(
            CaseMember(case_id=c.id, person_id=p.id, relationship=r)
            for p, r in c.members
        )
        notes.extend(
            Note(case_id=c.id, author=worker, body=body) for _at, body in c.notes
        )
        events.append(
            CaseEvent(
                case_id=c.id,
                occurred_at=c.opened_at,
                actor=worker,
                kind=CaseEvent.Kind.OPENED,
                data={"types": c.types, "risk": c.risk},
            )
        )
        events.extend(
            CaseEvent(
                case_id=c.id,
                occurred_at=at,
                actor=worker,
                kind=CaseEvent.Kind.NOTE_ADDED,
            )
            for at, _body in c.notes
        )
        if c.closed_at:
            events.append(
                CaseEvent(
                    case_id=c.id,
                    occurred_at=c.closed_at,
                    actor=worker,
                    kind=CaseEvent.Kind.CLOSED,
                    data={"reason": c.closure_reason},
                )
            )
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    Case.objects.bulk_create(cases, batch_size=BATCH)
    CaseType.objects.bulk_create(types, batch_size=BATCH)
    CaseMember.objects.bulk_create(members, batch_size=BATCH)
    Note.objects.bulk_create(notes, batch_size=BATCH)
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    Agency.objects.filter(pk=agency.pk).update(case_counter=number)
    return len(cases)
