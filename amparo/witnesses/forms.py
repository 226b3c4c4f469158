from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.witnesses.actions import MAX_HOURS
from amparo.witnesses.models import Protection

TEXTAREA = forms.Textarea(attrs={"rows": 3, "dir": "auto"})


class TeamField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class ProtectForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Protect as"), choices=Protection.Kind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)
    team = TeamField(
        label=_("Protection team"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Only they see who the person is. You are on it. Everyone else sees the "
            "pseudonym."
        ),
    )

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = workers  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    team = TeamField(
        label=_("Protection team"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = workers  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class RequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need to know who this is"), widget=TEXTAREA
    )
    hours = forms.IntegerField(
        label=_("For how many hours"), min_value=1, max_value=MAX_HOURS, initial=8
    )
