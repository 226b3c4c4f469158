from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from amparo.accounts.actions import GRANTABLE_ROLES
from amparo.accounts.models import Team, User
from amparo.accounts.queries import teams_managed_by


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=24,
        help_text=_(
            "The six-digit code from your authenticator app, or one of your "
            "recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}
        ),
    )


class TeamField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _grantable_roles() -> list[tuple[str, Any]]:
    return [
        (value, label) for value, label in User.Role.choices if value in GRANTABLE_ROLES
    ]


class UserForm(forms.Form):
    """What an agency's administrator sets on a user: the choices offered are those
    they may grant (no system administrator, only their agency's teams)."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=_grantable_roles)
    team = TeamField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_managed_by(admin)  # type: ignore[attr-defined]


class NewUserForm(UserForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. It cannot be changed later."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to generate one, shown once on the next page. Give it to "
            "the person in private."
        ),
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "team"]


class EditUserForm(UserForm):
    def __init__(self, *args: Any, admin: User, user: User, **kwargs: Any) -> None:
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "team": user.team_id,
        }
        super().__init__(*args, admin=admin, initial=initial, **kwargs)
        if user.pk == admin.pk:
            # Your own role is changed by another administrator: no lockout by mistake.
            self.fields["role"].disabled = True
            self.fields["role"].help_text = _("Another administrator can change it.")
