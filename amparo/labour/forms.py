"""Parsing the labour pages' forms into what the actions take; the actions validate
(a negative amount, a date in the future, more recovered than owed...)."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.core.countries import country_choices, country_name, translated
from amparo.labour import findings
from amparo.labour.codes import ComplaintType, CostCategory, Sector
from amparo.labour.entries import ComplaintEntry, CostEntry
from amparo.labour.models import Checklist, Complaint, Employer

BLANK = [("", "—")]
# Names and stories are typed in any script: let the browser set each box's direction.
TEXT = forms.TextInput(attrs={"dir": "auto"})
TEXTAREA = forms.Textarea(attrs={"rows": 3, "dir": "auto"})
DATE = forms.DateInput(attrs={"type": "date"})
YES_NO_UNKNOWN = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code — name") for every ISO 4217 currency, in the active language."""
    return _currency_choices(get_language() or "en")


@cache
def _currency_choices(language: str) -> list[tuple[str, str]]:
    return [
        (c.alpha_3, f"{c.alpha_3} — {translated('iso4217', c.name)}")
        for c in sorted(pycountry.currencies, key=lambda c: c.alpha_3)
    ]


def _yes_no(value: str) -> bool:
    return value == "yes"


def yes_no_field(label: Any, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_UNKNOWN if not required else YES_NO_UNKNOWN[1:],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"})
        if required
        else forms.Select,
    )


def currency_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False)


def amount_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False)


def _party_label(party: Employer) -> str:
    return f"{party.name} ({party.get_kind_display()}, {country_name(party.country)})"


class EmployerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Employer.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, widget=TEXT)
    country = forms.ChoiceField(label=_("Country"))
    sector = forms.ChoiceField(
        label=_("Sector (ISIC Rev.4 section)"),
        choices=BLANK + list(Sector.choices),
        required=False,
    )
    licence = forms.CharField(
        label=_("Licence number"),
        max_length=100,
        required=False,
        widget=TEXT,
        help_text=_("Of a recruitment agency, where known."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = BLANK + country_choices()  # type: ignore[attr-defined]


class ComplaintForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"), choices=BLANK + list(ComplaintType.choices)
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        required=False,
        empty_label="—",
    )
    recruiter = forms.ModelChoiceField(
        label=_("Recruiter"),
        queryset=Employer.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Recruitment agency, broker or sub-agent."),
    )
    country_of_employment = forms.ChoiceField(
        label=_("Country of employment"), required=False
    )
    description = forms.CharField(
        label=_("What happened"), required=False, widget=TEXTAREA
    )
    amount_owed = amount_field(_("Amount owed"))
    currency = currency_field(_("Currency"))
    period_start = forms.DateField(label=_("Owed from"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Owed to"), required=False, widget=DATE)
    amount_recovered = amount_field(_("Amount recovered"))
    recovered_on = forms.DateField(label=_("Recovered on"), required=False, widget=DATE)
    recovery_note = forms.CharField(
        label=_("Why more was recovered than owed"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Interest, damages… Needed only when more was recovered."),
    )
    monthly_income = amount_field(_("Monthly income at destination"))
    income_currency = currency_field(_("Currency of the income"))
    documents_held_by = forms.ChoiceField(
        label=_("Who holds the documents"),
        choices=BLANK + list(Complaint.Holder.choices),
        required=False,
    )
    receipt_given = yes_no_field(_("Receipt given for the documents"), required=False)
    injury_fatal = yes_no_field(_("Fatal injury"), required=False)

    # The page's fieldsets: a legend and the fields under it.
    GROUPS = (
        (
            _("The complaint"),
            (
                "type",
                "received_on",
                "employer",
                "recruiter",
                "country_of_employment",
                "description",
            ),
        ),
        (
            _("Money owed (wages, deductions)"),
            (
                "amount_owed",
                "currency",
                "period_start",
                "period_end",
                "amount_recovered",
                "recovered_on",
                "recovery_note",
            ),
        ),
        (
            _("Income at destination (for SDG 10.7.1)"),
            ("monthly_income", "income_currency"),
        ),
        (
            _("Identity documents and injury"),
            ("documents_held_by", "receipt_given", "injury_fatal"),
        ),
    )

    def __init__(
        self, *args: Any, employers: QuerySet[Employer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["employer"].queryset = employers.filter(kind=Employer.Kind.EMPLOYER)
        fields["recruiter"].queryset = employers.exclude(kind=Employer.Kind.EMPLOYER)
        fields["employer"].label_from_instance = _party_label
        fields["recruiter"].label_from_instance = _party_label
        fields["country_of_employment"].choices = BLANK + country_choices()
        for name in ("currency", "income_currency"):
            fields[name].choices = BLANK + currency_choices()

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names]) for legend, names in self.GROUPS
        ]


class CostForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=BLANK + list(CostCategory.choices)
    )
    amount = forms.DecimalField(label=_("Amount"))
    currency = forms.ChoiceField(label=_("Currency"))
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DATE)
    paid_to = forms.CharField(
        label=_("Paid to"), max_length=200, required=False, widget=TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = BLANK + currency_choices()  # type: ignore[attr-defined]


CostFormSet = forms.formset_factory(CostForm, extra=3, max_num=30, validate_max=True)


class ComplaintForms:
    """The complaint form and its formset of recruitment costs, parsed and validated
    together; the action's errors go back to the fields, and a cost's
    (`costs.1.currency`) to its row."""

    def __init__(self, data: Any = None, *, employers: QuerySet[Employer]) -> None:
        self.complaint = ComplaintForm(data, employers=employers)
        self.costs = CostFormSet(data, prefix="costs")
        # Errors about the whole list ("at least one cost"), shown above it.
        self.cost_errors: list[str] = []
        # The formset row of each cost given to the action, in order: empty rows
        # are left out, so the action's `costs.1` need not be the form's row 1.
        self._rows: list[int] = []

    def is_valid(self) -> bool:
        return all([self.complaint.is_valid(), self.costs.is_valid()])

    def entry(self) -> ComplaintEntry:
        data = self.complaint.cleaned_data
        costs = []
        self._rows = []
        for row, form in enumerate(self.costs.forms):
            cost = form.cleaned_data
            if not cost:
                continue
            self._rows.append(row)
            costs.append(
                CostEntry(
                    category=cost["category"],
                    amount=cost["amount"],
                    currency=cost["currency"],
                    paid_on=cost["paid_on"],
                    paid_to=cost["paid_to"],
                )
            )
        return ComplaintEntry(
            type=data["type"],
            received_on=data["received_on"],
            employer=data["employer"],
            recruiter=data["recruiter"],
            country_of_employment=data["country_of_employment"],
            description=data["description"],
            amount_owed=data["amount_owed"],
            currency=data["currency"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            amount_recovered=data["amount_recovered"],
            recovered_on=data["recovered_on"],
            recovery_note=data["recovery_note"],
            monthly_income=data["monthly_income"],
            income_currency=data["income_currency"],
            documents_held_by=data["documents_held_by"],
            receipt_given=data["receipt_given"],
            injury_fatal=data["injury_fatal"],
            costs=costs,
        )

    def add_errors(self, error: ValidationError) -> None:
        """Put the action's errors on the fields they name."""
        if not hasattr(error, "error_dict"):
            self.complaint.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            head, _dot, rest = key.partition(".")
            if head == "costs":
                index, _dot, field = rest.partition(".")
                if index.isdigit() and int(index) < len(self._rows):
                    form = self.costs.forms[self._rows[int(index)]]
                    form.add_error(field if field in form.fields else None, messages)
                else:
                    self.cost_errors.extend(messages)
            elif key in self.complaint.fields:
                self.complaint.add_error(key, messages)
            else:
                self.complaint.add_error(None, messages)


class StatusForm(forms.Form):
    """Moving a complaint on; `status` lists only where it can go from its status."""

    status = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(label=_("Date"), widget=DATE)
    referred_to = forms.ChoiceField(
        label=_("Referred to"),
        choices=BLANK + list(Complaint.ReferredTo.choices),
        required=False,
        help_text=_("When referring it."),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=TEXTAREA,
        help_text=_("When resolving it."),
    )
    amount_recovered = amount_field(_("Amount recovered"))
    recovery_note = forms.CharField(
        label=_("Why more was recovered than owed"), required=False, widget=TEXTAREA
    )

    def __init__(self, *args: Any, moves: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s, Complaint.Status(s).label)
            for s in Complaint.Status.values
            if s in moves
        ]


class ChecklistForm(forms.Form):
    """ILO C189's five checks of a domestic worker's conditions, each yes or no."""

    recorded_on = forms.DateField(label=_("Recorded on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for check in findings.CHECKS:
            model_field = cast(
                "models.Field[Any, Any]", Checklist._meta.get_field(check.field)
            )
            label = capfirst(model_field.verbose_name)
            self.fields[check.field] = yes_no_field(label, required=True)

    def checks(self) -> list[forms.BoundField]:
        return [self[c.field] for c in findings.CHECKS]

    def answers(self) -> dict[str, bool]:
        """The checks answered; the action names each one left unanswered."""
        answers = {c.field: self.cleaned_data.get(c.field) for c in findings.CHECKS}
        return {name: value for name, value in answers.items() if value is not None}
