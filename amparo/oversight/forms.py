from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.oversight.actions import (
    MAX_REASON_LENGTH,
    MIN_REASON_LENGTH,
    default_access_hours,
    max_access_hours,
)
from amparo.oversight.queries import legal_officers


class AccessRequestForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=40,
        help_text=_("As shown on the case, e.g. ACME-2025-000123."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        min_length=MIN_REASON_LENGTH,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            "Why the review needs the case's content. Recorded, and shown to you "
            "while the access lasts."
        ),
    )
    hours = forms.IntegerField(label=_("Duration in hours"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read per form, not at import: the setting is the deployment's to change.
        hours = self.fields["hours"]
        hours.initial = default_access_hours()
        hours.widget.attrs["max"] = str(max_access_hours())
        hours.help_text = _("At most %(hours)s hours.") % {"hours": max_access_hours()}


class LegalOfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class EscalationForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the legal officer"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    legal_officer = LegalOfficerField(
        label=_("Legal officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Any legal officer of the agency"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_officer"].queryset = legal_officers(user.agency_id)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    # Not required here: the action says so, after checking who answers.
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
