from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.accounts.queries import assignable_workers
from amparo.cases.models import Case, CaseMember, CaseType
from amparo.people.models import Consent

ANY = [("", _("Any"))]


class AssigneeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class OpenCaseForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=_("Case types"),
        choices=CaseType.Code.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices)
    reason = forms.CharField(
        label=_("Reason for opening"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    assigned_to = AssigneeField(
        label=_("Assigned worker"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, user: User, needs_basis: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignable_workers(user)  # type: ignore[attr-defined]
        self.fields["assigned_to"].initial = user.pk
        self.needs_basis = needs_basis
        if needs_basis:
            # No lawful basis for case management yet: it is recorded with the case.
            self.fields.update(LawfulBasisForm().fields)

    def lawful_basis(self) -> dict[str, str] | None:
        if not self.needs_basis:
            return None
        return {name: self.cleaned_data[name] for name in LawfulBasisForm.base_fields}


class LawfulBasisForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Lawful basis for case management"),
        choices=Consent.Basis.choices,
        help_text=_(
            "Where consent cannot be freely given (need, dependence, fear), use another "
            "basis and say why; the person is still informed and can object."
        ),
    )
    method = forms.ChoiceField(
        label=_("How consent was obtained"),
        choices=[("", "—"), *Consent.Method.choices],
        required=False,
    )
    given_by = forms.ChoiceField(
        label=_("Given by"),
        choices=[("", "—"), *Consent.GivenBy.choices],
        required=False,
    )
    justification = forms.CharField(
        label=_("Why this basis, where consent is not used"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("New note"), widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=Case.Status.choices)


class RiskForm(forms.Form):
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices)


class AssignForm(forms.Form):
    assigned_to = AssigneeField(
        label=_("Assigned worker"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignable_workers(user)  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=Case.ClosureReason.choices
    )
    closure_note = forms.CharField(
        label=_("Closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class MemberForm(forms.Form):
    person = forms.UUIDField(label=_("Person's record number"))
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=CaseMember.Relationship.choices
    )


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + list(Case.Status.choices), required=False
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=ANY + list(CaseType.Code.choices), required=False
    )
    risk = forms.ChoiceField(
        label=_("Risk"), choices=ANY + list(Case.Risk.choices), required=False
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
