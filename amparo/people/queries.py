"""Every read of person records, scoped to what the user may see.

For now a user sees the persons of their own agency, if their role works on cases;
the access policy of the security work refines this."""

import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record_denial, record_raw, record_view
from amparo.core.names import name_keys, similarity
from amparo.people.models import Consent, NameKey, Person, PersonName

SEARCH_CANDIDATES = 200
MIN_SCORE = 50


def persons_visible_to(user: User) -> QuerySet[Person]:
    """The persons on the cases `user` may see (as the primary person or a member),
    and those registered by them (so that they can open their case) or, where they see
    their team's cases, by their team (the team at registration). Roles that do not
    work on cases see only the persons on the cases oversight shows them."""
    if not user.is_authenticated or user.agency_id is None:
        return Person.objects.none()
    persons = Person.objects.filter(agency_id=user.agency_id)
    if user.works_on_cases and user.sees_whole_agency:
        return persons
    # Imported here: cases depend on people, not the other way round.
    from amparo.cases.models import CaseMember
    from amparo.cases.queries import cases_visible_to

    cases = cases_visible_to(user)
    on_cases = Q(pk__in=cases.values("primary_person_id")) | Q(
        pk__in=CaseMember.objects.filter(case__in=cases).values("person_id")
    )
    if not user.works_on_cases:
        return persons.filter(on_cases)
    registered = Q(registered_by=user)
    if user.agency is not None and user.sees_team_cases(user.agency):
        registered |= Q(team_id=user.team_id)
    return persons.filter(registered | on_cases)


def filter_persons(
    user: User, *, sex: str = "", nationality: str = ""
) -> QuerySet[Person]:
    """Persons `user` may see, by sex and nationality. Migration status is never a
    filter (resolution 68/179: protection regardless of status)."""
    persons = persons_visible_to(user)
    if sex:
        persons = persons.filter(sex=sex)
    if nationality:
        persons = persons.filter(nationalities__country=nationality.upper())
    return persons


def access_person(user: User, person_id: uuid.UUID | str) -> Person:
    """The person with this id if `user` may see them; Http404 otherwise, so that an
    outsider cannot tell a record exists. A refusal is audited."""
    try:
        return (
            persons_visible_to(user)
            .prefetch_related("names", "nationalities")
            .get(pk=person_id)
        )
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):
        record_denial(user, "people.person", person_id)
        raise Http404 from None


def view_person(user: User, person_id: uuid.UUID | str) -> Person:
    """`access_person` for showing the record to the user: the view is audited."""
    person = access_person(user, person_id)
    record_view(user, "people.person.viewed", person)
    return person


def search_persons(user: User, query: str, *, limit: int = 20) -> list[Person]:
    """Persons whose names answer `query` across spellings and scripts, best first.

    Candidates come from the indexed name keys (tokens, consonant skeletons, prefixes);
    only those are scored, so the cost follows the number of matching names, not the
    size of the registry.
    """
    keys = name_keys(query)
    if not keys or not user.works_on_cases or user.agency_id is None:
        return []
    matching = NameKey.objects.filter(agency_id=user.agency_id, key__in=keys)
    if not user.sees_whole_agency:
        # Only among the persons the user may see: with a narrow scope, the 200 best
        # of the whole agency could all be someone else's.
        matching = matching.filter(person__in=persons_visible_to(user))
    candidate_ids = list(
        matching.values("person_id")
        .annotate(hits=Count("*"))
        .order_by("-hits", "person_id")
        .values_list("person_id", flat=True)[:SEARCH_CANDIDATES]
    )
    # Score plain tuples rather than prefetched model instances: those hold reference
    # cycles whose garbage collection paused one search in ten for 60-120 ms.
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    shown: dict[uuid.UUID, str] = {}
    rows = (
        PersonName.objects.filter(
            person__in=persons_visible_to(user).filter(pk__in=candidate_ids)
        )
        .order_by()  # scoring orders them; the default ordering would add a sort
        .values_list("person_id", "person__display_name", "given_names", "family_names")
    )
    for person_id, display_name, given, family in rows:
        names[person_id].append(f"{given} {family}".strip())
        shown[person_id] = display_name
    scored = sorted(
        ((similarity(query, found), shown[pid], pid) for pid, found in names.items()),
        key=lambda row: (-row[0], row[1]),
    )
    best = [pid for score, _name, pid in scored[:limit] if score >= MIN_SCORE]
    found = persons_visible_to(user).in_bulk(best)
    # What was searched is not kept: the audit log outlives the records, and a query
    # is a name. How many people were shown is.
    record_raw(
        user,
        "people.person.searched",
        subject_type="people.person",
        subject_id="",
        data={"results": len(best)},
    )
    return [found[pid] for pid in best]


def active_consents(person: Person) -> dict[str, Consent]:
    """The person's active consent or lawful basis per purpose."""
    return {c.purpose: c for c in person.consents.filter(withdrawn_at__isnull=True)}


def consent_history(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("recorded_by", "withdrawn_by").order_by(
        "-created_at"
    )


def lawful_basis(person: Person, purpose: str) -> Consent | None:
    return person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()


def require_basis(person: Person, purpose: str) -> Consent:
    """The active consent or other lawful basis for using the person's data for
    `purpose`; a ValidationError on the field "consent" when none is recorded."""
    basis = lawful_basis(person, purpose)
    if basis is None:
        label = Consent.Purpose(purpose).label
        raise ValidationError(
            {
                "consent": _(
                    "No consent or other lawful basis is recorded for this person "
                    "for “%(purpose)s”. Record it on the person's page first."
                )
                % {"purpose": label}
            },
            code="no_lawful_basis",
        )
    return basis
