"""The shape of a person's record as intake gives it, and its validation.

Forms, the API and importers all parse their input into a `PersonRecord`; the actions
validate it here, once, so the rules are the same on every path.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from amparo.core.countries import STATELESS, is_country
from amparo.core.languages import canonical_language
from amparo.core.names import SCRIPT_CHOICES, detect_script
from amparo.core.text import clean_text
from amparo.people.models import Nationality, Person, PersonName

MAX_AGE = 120
MAX_NAMES = 20
MAX_NATIONALITIES = 10
MAX_LANGUAGES = 20


@dataclass
class NameRecord:
    given_names: str = ""
    family_names: str = ""
    kind: str = PersonName.Kind.PRIMARY
    script: str = ""
    language: str = ""

    @property
    def full_text(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()


@dataclass
class NationalityRecord:
    country: str
    status: str = Nationality.Status.CLAIMED


@dataclass
class PersonRecord:
    names: list[NameRecord]
    sex: str = Person.Sex.UNKNOWN
    birth_date: date | None = None
    birth_date_precision: str = Person.DatePrecision.DAY
    estimated_age: int | None = None
    age_estimated_on: date | None = None
    nationalities: list[NationalityRecord] = field(default_factory=list)
    country_of_birth: str = ""
    place_of_origin: str = ""
    preferred_language: str = ""
    languages: list[str] = field(default_factory=list)
    contact: str = ""
    vulnerabilities: list[str] = field(default_factory=list)
    migration_status: str = ""


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def clean_person_record(record: PersonRecord, *, today: date) -> PersonRecord:
    """Validate `record` and put its codes in stored form; raise ValidationError whose
    keys name the field ("birth_date", "names.0.given_names", "nationalities.1.country")."""
    errors = _Errors()
    _clean_names(record, errors)
    _clean_free_text(record, errors)
    _clean_dates(record, errors, today)
    _clean_codes(record, errors)
    errors.raise_if_any()
    return record


def _clean_names(record: PersonRecord, errors: _Errors) -> None:
    record.names = [
        n for n in record.names if n.given_names.strip() or n.family_names.strip()
    ]
    if not record.names:
        errors.add(
            "names", _("Enter at least one name: a given name or a family name.")
        )
        return
    if len(record.names) > MAX_NAMES:
        errors.add("names", _("At most %(limit)s names.") % {"limit": MAX_NAMES})
        return
    primaries = [n for n in record.names if n.kind == PersonName.Kind.PRIMARY]
    if len(primaries) != 1:
        errors.add("names", _("Exactly one name must be the primary name."))
    for index, name in enumerate(record.names):
        for part in ("given_names", "family_names"):
            field = f"names.{index}.{part}"
            try:
                setattr(
                    name,
                    part,
                    clean_text(
                        getattr(name, part),
                        field=field,
                        max_length=200,
                        multiline=False,
                    ),
                )
            except ValidationError as error:
                errors.add(field, error.message_dict[field][0])
        if name.kind not in PersonName.Kind.values:
            errors.add(f"names.{index}.kind", _("Unknown kind of name."))
        name.script = name.script or detect_script(name.full_text)
        if name.script not in SCRIPT_CHOICES:
            errors.add(f"names.{index}.script", _("Unknown ISO 15924 script code."))
        if name.language:
            if code := canonical_language(name.language):
                name.language = code
            else:
                errors.add(
                    f"names.{index}.language", _("Unknown ISO 639 language code.")
                )


def _clean_free_text(record: PersonRecord, errors: _Errors) -> None:
    for name, limit, multiline in (
        ("place_of_origin", 200, False),
        ("contact", 2000, True),
    ):
        try:
            setattr(
                record,
                name,
                clean_text(
                    getattr(record, name),
                    field=name,
                    max_length=limit,
                    multiline=multiline,
                ),
            )
        except ValidationError as error:
            errors.add(name, error.message_dict[name][0])


def _clean_dates(record: PersonRecord, errors: _Errors, today: date) -> None:
    if record.birth_date_precision not in Person.DatePrecision.values:
        errors.add("birth_date_precision", _("Choose day, month or year."))
    elif record.birth_date is not None:
        if record.birth_date > today:
            errors.add("birth_date", _("The date of birth cannot be in the future."))
        elif today.year - record.birth_date.year > MAX_AGE:
            errors.add("birth_date", _("The date of birth is more than 120 years ago."))
        elif record.birth_date_precision == Person.DatePrecision.YEAR:
            record.birth_date = record.birth_date.replace(month=1, day=1)
        elif record.birth_date_precision == Person.DatePrecision.MONTH:
            record.birth_date = record.birth_date.replace(day=1)
    if record.estimated_age is None:
        record.age_estimated_on = None
        return
    if not 0 <= record.estimated_age <= MAX_AGE:
        errors.add("estimated_age", _("An estimated age must be between 0 and 120."))
    record.age_estimated_on = record.age_estimated_on or today
    if record.age_estimated_on > today:
        errors.add("age_estimated_on", _("The estimate cannot be dated in the future."))
    elif today.year - record.age_estimated_on.year > MAX_AGE:
        errors.add(
            "age_estimated_on", _("The estimate is dated more than 120 years ago.")
        )


def _clean_codes(record: PersonRecord, errors: _Errors) -> None:
    if record.sex not in Person.Sex.values:
        errors.add("sex", _("Choose F, M, X or U (unknown)."))
    if record.migration_status and record.migration_status not in (
        Person.MigrationStatus.values
    ):
        errors.add("migration_status", _("Unknown migration status."))
    record.country_of_birth = record.country_of_birth.strip().upper()
    if record.country_of_birth and not is_country(record.country_of_birth):
        errors.add("country_of_birth", _("Unknown ISO 3166 alpha-3 country code."))
    _clean_nationalities(record, errors)
    _clean_languages(record, errors)
    unknown = set(record.vulnerabilities) - set(Person.Vulnerability.values)
    if unknown:
        errors.add(
            "vulnerabilities",
            _("Unknown specific-needs codes: %s") % ", ".join(sorted(unknown))[:100],
        )
    record.vulnerabilities = list(dict.fromkeys(record.vulnerabilities))


def _clean_nationalities(record: PersonRecord, errors: _Errors) -> None:
    if len(record.nationalities) > MAX_NATIONALITIES:
        errors.add(
            "nationalities",
            _("At most %(limit)s nationalities.") % {"limit": MAX_NATIONALITIES},
        )
        return
    seen: set[str] = set()
    for index, nationality in enumerate(record.nationalities):
        nationality.country = nationality.country.strip().upper()
        if nationality.country != STATELESS and not is_country(nationality.country):
            errors.add(
                f"nationalities.{index}.country",
                _("Unknown ISO 3166 alpha-3 country code (XXA for stateless)."),
            )
        if nationality.country in seen:
            errors.add(
                f"nationalities.{index}.country", _("This country is listed twice.")
            )
        seen.add(nationality.country)
        if nationality.status not in Nationality.Status.values:
            errors.add(
                f"nationalities.{index}.status", _("Unknown nationality status.")
            )


def _clean_languages(record: PersonRecord, errors: _Errors) -> None:
    if record.preferred_language:
        code = canonical_language(record.preferred_language)
        if code is None:
            errors.add("preferred_language", _("Unknown ISO 639 language code."))
        record.preferred_language = code or record.preferred_language
    if len(record.languages) > MAX_LANGUAGES:
        errors.add(
            "languages", _("At most %(limit)s languages.") % {"limit": MAX_LANGUAGES}
        )
        return
    languages = []
    for language in record.languages:
        if code := canonical_language(language):
            languages.append(code)
        else:
            errors.add(
                "languages", _("Unknown ISO 639 language code: %s") % language[:20]
            )
    record.languages = list(dict.fromkeys(languages))


def record_of(person: Person) -> PersonRecord:
    """The stored record as a PersonRecord (the form's initial values, a witness's
    encrypted identity)."""
    return PersonRecord(
        names=[
            NameRecord(
                given_names=n.given_names,
                family_names=n.family_names,
                kind=n.kind,
                script=n.script,
                language=n.language,
            )
            for n in person.names.all()
        ],
        sex=person.sex,
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        estimated_age=person.estimated_age,
        age_estimated_on=person.age_estimated_on,
        nationalities=[
            NationalityRecord(country=n.country, status=n.status)
            for n in person.nationalities.all()
        ],
        country_of_birth=person.country_of_birth,
        place_of_origin=person.place_of_origin,
        preferred_language=person.preferred_language,
        languages=list(person.languages),
        contact=person.contact,
        vulnerabilities=list(person.vulnerabilities),
        migration_status=person.migration_status,
    )
