"""Parsing the person forms into a PersonRecord; the action validates the record."""

from dataclasses import asdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.core.countries import country_choices
from amparo.core.languages import language_choices, language_name
from amparo.core.names import SCRIPT_CHOICES
from amparo.people.models import Consent, Nationality, Person, PersonName
from amparo.people.records import (
    NameRecord,
    NationalityRecord,
    PersonRecord,
    record_of,
)

BLANK = [("", "—")]
# Names and notes are typed in any script: let the browser set each box's direction.
TEXT = forms.TextInput(attrs={"dir": "auto"})


class PersonForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial="U")
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "For a month or year only, pick any day in it and set the precision."
        ),
    )
    birth_date_precision = forms.ChoiceField(
        label=_("Precision of the date of birth"),
        choices=Person.DatePrecision.choices,
        initial="day",
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age (years)"),
        required=False,
        help_text=_("When the date of birth is not known."),
    )
    country_of_birth = forms.ChoiceField(label=_("Country of birth"), required=False)
    place_of_origin = forms.CharField(
        label=_("Place of origin"), max_length=200, required=False, widget=TEXT
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contact = forms.CharField(
        label=_("Contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Phone, address or how to reach the person safely."),
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Specific needs"),
        required=False,
        choices=Person.Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    migration_status = forms.ChoiceField(
        label=_("Migration status (optional, sensitive)"),
        required=False,
        choices=BLANK + list(Person.MigrationStatus.choices),
        help_text=_("Never required. Record it only when the case needs it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = [
            self.initial.get("preferred_language", ""),
            *self.initial.get("languages", []),
        ]
        languages = _with_current(language_choices(), current)
        self.fields["country_of_birth"].choices = BLANK + country_choices()  # type: ignore[attr-defined]
        self.fields["preferred_language"].choices = BLANK + languages  # type: ignore[attr-defined]
        self.fields["languages"].choices = languages  # type: ignore[attr-defined]


class NameForm(forms.Form):
    given_names = forms.CharField(
        label=_("Given names"), max_length=200, required=False, widget=TEXT
    )
    family_names = forms.CharField(
        label=_("Family names"), max_length=200, required=False, widget=TEXT
    )
    # The formset makes the first row primary; the spare rows are other names.
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PersonName.Kind.choices, initial=PersonName.Kind.ALIAS
    )
    language = forms.ChoiceField(label=_("Language of the name"), required=False)
    script = forms.ChoiceField(
        label=_("Script"),
        required=False,
        choices=[("", _("Detect from the name"))] + [(s, s) for s in SCRIPT_CHOICES],
        help_text=_("ISO 15924 code, e.g. Arab, Cyrl, Latn."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = _with_current(
            language_choices(), [self.initial.get("language", "")]
        )
        self.fields["language"].choices = BLANK + languages  # type: ignore[attr-defined]


class NationalityForm(forms.Form):
    country = forms.ChoiceField(label=_("Nationality"), required=False)
    status = forms.ChoiceField(
        label=_("Status of the nationality"),
        choices=Nationality.Status.choices,
        initial="claimed",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices(stateless=True)  # type: ignore[attr-defined]


def _with_current(
    choices: list[tuple[str, str]], codes: list[str]
) -> list[tuple[str, str]]:
    """The select's choices plus any code the record already holds (entered through the
    API or an import from the full ISO 639 list), so that saving the form keeps it."""
    known = {code for code, _label in choices}
    extra = [
        (c, language_name(c)) for c in dict.fromkeys(codes) if c and c not in known
    ]
    return choices + extra


NameFormSet = forms.formset_factory(NameForm, extra=2, max_num=20, validate_max=True)
NationalityFormSet = forms.formset_factory(
    NationalityForm, extra=2, max_num=10, validate_max=True
)


class PersonForms:
    """The person form and its two formsets, parsed and validated together."""

    def __init__(
        self,
        data: Any = None,
        person: Person | None = None,
        *,
        record: PersonRecord | None = None,
    ) -> None:
        """Filled in from `record`, else from `person`'s stored record."""
        if record is None and person is not None:
            record = record_of(person)
        initial = _initial(record) if record else None
        self.person = PersonForm(data, initial=initial and initial["person"])
        self.names = NameFormSet(
            data,
            prefix="names",
            initial=initial["names"]
            if initial
            else [{"kind": PersonName.Kind.PRIMARY}],
        )
        self.nationalities = NationalityFormSet(
            data,
            prefix="nationalities",
            initial=initial["nationalities"] if initial else None,
        )
        self._all = (self.person, self.names, self.nationalities)
        # Errors about a whole list ("at least one name"), shown above that list.
        self.list_errors: dict[str, list[str]] = {"names": [], "nationalities": []}

    def is_valid(self) -> bool:
        return all(part.is_valid() for part in self._all)

    def record(self) -> PersonRecord:
        data = self.person.cleaned_data
        return PersonRecord(
            names=[
                NameRecord(
                    given_names=f.get("given_names", ""),
                    family_names=f.get("family_names", ""),
                    kind=f.get("kind", PersonName.Kind.ALIAS),
                    language=f.get("language", ""),
                    script=f.get("script", ""),
                )
                for f in self.names.cleaned_data
                if f.get("given_names") or f.get("family_names")
            ],
            nationalities=[
                NationalityRecord(country=f["country"], status=f["status"])
                for f in self.nationalities.cleaned_data
                if f.get("country")
            ],
            **data,
        )

    def add_errors(self, error: ValidationError) -> None:
        """Put the action's errors on the fields they name; nested names like
        "names.1.given_names" go to that row of the formset."""
        for key, messages in error.message_dict.items():
            head, _dot, rest = key.partition(".")
            if head in {"names", "nationalities"}:
                formset = self.names if head == "names" else self.nationalities
                index, _dot, field = rest.partition(".")
                if index.isdigit() and int(index) < len(formset.forms):
                    formset.forms[int(index)].add_error(field or None, messages)
                else:
                    self.list_errors[head].extend(messages)
            elif key in self.person.fields:
                self.person.add_error(key, messages)
            else:
                self.person.add_error(None, messages)


def _initial(record: PersonRecord) -> dict[str, Any]:
    values = asdict(record)
    return {
        "person": {
            f: values[f]
            for f in (
                "sex",
                "birth_date",
                "birth_date_precision",
                "estimated_age",
                "country_of_birth",
                "place_of_origin",
                "preferred_language",
                "languages",
                "contact",
                "vulnerabilities",
                "migration_status",
            )
        },
        "names": values["names"],
        "nationalities": values["nationalities"],
    }


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=Consent.Basis.choices,
        help_text=_(
            "Where consent cannot be freely given (need, dependence, fear), use another "
            "basis and say why; the person is still informed and can object."
        ),
    )
    method = forms.ChoiceField(
        label=_("How consent was obtained"),
        choices=BLANK + list(Consent.Method.choices),
        required=False,
    )
    given_by = forms.ChoiceField(
        label=_("Given by"),
        choices=BLANK + list(Consent.GivenBy.choices),
        required=False,
    )
    child_views = forms.CharField(
        label=_("For a child: the child's assent or views"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    justification = forms.CharField(
        label=_("Why this basis, where consent is not used"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    scope = forms.CharField(
        label=_("Scope (fields or recipients)"),
        max_length=500,
        required=False,
        widget=TEXT,
    )
    language = forms.ChoiceField(
        label=_("Language the person was informed in"), required=False
    )
    interpreter = forms.BooleanField(label=_("Through an interpreter"), required=False)
    obtained_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = BLANK + language_choices()  # type: ignore[attr-defined]


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=TEXT)
