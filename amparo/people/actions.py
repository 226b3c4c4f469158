"""Every write to a person's record. Each runs in one transaction with its audit event."""

import uuid
from dataclasses import fields
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record as audit
from amparo.core.languages import canonical_language
from amparo.core.names import name_keys, search_form
from amparo.core.text import clean_text
from amparo.people.models import Consent, NameKey, Nationality, Person, PersonName
from amparo.people.records import PersonRecord, clean_person_record

_SCALAR_FIELDS = [
    f.name for f in fields(PersonRecord) if f.name not in {"names", "nationalities"}
]


@transaction.atomic
def register_person(record: PersonRecord, *, acting_user: User) -> Person:
    """Register a person in the acting user's agency. Raises ValidationError (keys name
    the fields) and writes nothing if the record is not valid."""
    agency_id = _require_case_role(acting_user)
    clean_person_record(record, today=timezone.localdate())
    person = Person(
        agency_id=agency_id, registered_by=acting_user, team_id=acting_user.team_id
    )
    _apply(person, record)
    audit(acting_user, "people.person.registered", person)
    return person


@transaction.atomic
def update_person(person: Person, record: PersonRecord, *, acting_user: User) -> Person:
    """Replace a person's record with `record`; the audit event lists the fields that
    changed, never their values."""
    _require_case_role(acting_user)
    refuse_anonymised(person)
    # The witness protection's reverse relation (amparo.witnesses): while it holds,
    # the record shows a pseudonym and the identity is kept encrypted there.
    if Person.objects.filter(
        pk=person.pk,
        protections__isnull=False,
        protections__ended_at__isnull=True,
    ).exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "This person is protected as a witness: their identity is changed "
                    "by their protection team, on the person's protection page."
                )
            }
        )
    if record.estimated_age == person.estimated_age and record.age_estimated_on is None:
        # An unchanged estimate keeps the day it was made; a new one is dated today.
        record.age_estimated_on = person.age_estimated_on
    clean_person_record(record, today=timezone.localdate())
    before = _snapshot(person)
    _apply(person, record)
    after = _snapshot(person)
    changed = sorted(k for k in after if before.get(k) != after[k])
    audit(acting_user, "people.person.updated", person, {"changed": changed})
    return person


def _require_case_role(user: User) -> uuid.UUID:
    """The user's agency, if the user may change person records."""
    if not user.works_on_cases or user.agency_id is None:
        raise PermissionError(
            "Only case workers and supervisors change person records."
        )
    return user.agency_id


def write_record(person: Person, record: PersonRecord) -> None:
    """Replace the person's stored record with `record`, names and search keys with it,
    for an action that has checked the actor and writes its own audit event (a witness's
    protection swaps the identity for a pseudonym and back)."""
    clean_person_record(record, today=timezone.localdate())
    _apply(person, record)


def _apply(person: Person, record: PersonRecord) -> None:
    for name in _SCALAR_FIELDS:
        setattr(person, name, getattr(record, name))
    primary = next(n for n in record.names if n.kind == PersonName.Kind.PRIMARY)
    person.display_name = primary.full_text
    person.save()
    person.names.all().delete()
    PersonName.objects.bulk_create(
        PersonName(
            person=person,
            kind=n.kind,
            given_names=n.given_names,
            family_names=n.family_names,
            script=n.script,
            language=n.language,
            search_form=search_form(n.full_text),
        )
        for n in record.names
    )
    person.nationalities.all().delete()
    Nationality.objects.bulk_create(
        Nationality(person=person, country=n.country, status=n.status)
        for n in record.nationalities
    )
    NameKey.objects.filter(person=person).delete()
    keys = set().union(*(name_keys(n.full_text) for n in record.names))
    NameKey.objects.bulk_create(
        NameKey(person=person, agency_id=person.agency_id, key=key)
        for key in sorted(keys)
    )


def _snapshot(person: Person) -> dict[str, object]:
    values = {name: getattr(person, name) for name in _SCALAR_FIELDS}
    values["names"] = sorted(
        (n.kind, n.given_names, n.family_names, n.script, n.language)
        for n in person.names.all()
    )
    values["nationalities"] = sorted(
        (n.country, n.status) for n in person.nationalities.all()
    )
    return values


@transaction.atomic
def record_consent(
    person: Person,
    *,
    acting_user: User,
    purpose: str,
    basis: str,
    obtained_on: date,
    method: str = "",
    given_by: str = "",
    child_views: str = "",
    language: str = "",
    interpreter: bool = False,
    scope: str = "",
    justification: str = "",
) -> Consent:
    """Record the person's consent, or another lawful basis with its justification,
    for one purpose. One active record per purpose: withdraw the old one first."""
    _require_own_agency(acting_user, person)
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    refuse_anonymised(person)
    consent = Consent(
        person=person,
        purpose=purpose,
        basis=basis,
        obtained_on=obtained_on,
        method=method if basis == Consent.Basis.CONSENT else "",
        given_by=given_by if basis == Consent.Basis.CONSENT else "",
        child_views=clean_text(child_views, field="child_views", max_length=5_000),
        language=language,
        interpreter=interpreter,
        scope=clean_text(scope, field="scope", max_length=500, multiline=False),
        justification=clean_text(
            justification, field="justification", max_length=5_000
        ),
        recorded_by=acting_user,
    )
    errors = consent_errors(consent, today=timezone.localdate())
    if person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
        errors.setdefault("purpose", []).append(
            _("A basis for this purpose is already recorded; withdraw it first.")
        )
    if errors:
        raise ValidationError(errors)
    consent.save()
    audit(
        acting_user,
        "people.consent.recorded",
        person,
        {"consent": str(consent.pk), "purpose": purpose, "basis": basis},
    )
    return consent


def consent_errors(consent: Consent, *, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    choices = {
        "purpose": Consent.Purpose,
        "basis": Consent.Basis,
        "method": Consent.Method,
        "given_by": Consent.GivenBy,
    }
    for name, allowed in choices.items():
        value = getattr(consent, name)
        if (value or name in {"purpose", "basis"}) and value not in allowed.values:
            errors.setdefault(name, []).append(_("Choose one of the listed values."))
    if consent.basis == Consent.Basis.CONSENT:
        if not consent.method:
            errors.setdefault("method", []).append(_("Say how consent was obtained."))
        if not consent.given_by:
            errors.setdefault("given_by", []).append(_("Say who gave consent."))
    elif consent.basis and len(consent.justification) < 10:
        errors.setdefault("justification", []).append(
            _("Explain why consent is not the basis (at least 10 characters).")
        )
    if consent.obtained_on > today:
        errors.setdefault("obtained_on", []).append(_("This date is in the future."))
    if consent.language and canonical_language(consent.language) is None:
        errors.setdefault("language", []).append(_("Choose a language from the list."))
    return errors


@transaction.atomic
def withdraw_consent(consent: Consent, *, acting_user: User, reason: str) -> Consent:
    """The person withdraws consent (or the other basis ends). What was already shared
    stays with its recipient; what needs the purpose from now on is refused."""
    _require_own_agency(acting_user, consent.person)
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        return locked
    reason = clean_text(reason, field="reason", max_length=500, required=True)
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = acting_user
    locked.withdrawal_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit(
        acting_user,
        "people.consent.withdrawn",
        locked.person,
        {"consent": str(locked.pk), "purpose": locked.purpose},
    )
    return locked


def refuse_anonymised(person: Person) -> None:
    """An anonymised person's record takes no new data: it would escape retention."""
    if Person.objects.filter(pk=person.pk, anonymised_at__isnull=False).exists():
        raise ValidationError(
            {
                "person": _(
                    "This person's record has been anonymised; it takes no new data."
                )
            }
        )


def _require_own_agency(user: User, person: Person) -> None:
    if _require_case_role(user) != person.agency_id:
        raise PermissionError("This user may not change this agency's records.")
