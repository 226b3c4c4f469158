from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.accounts.models import Agency, User
from amparo.referrals.models import Referral, SharedField

TEXTAREA = forms.Textarea(attrs={"rows": 4, "dir": "auto"})


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Recipient agency"), queryset=Agency.objects.none()
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("disclosure", "Kind"),
        choices=Referral.Kind.choices,
        widget=forms.RadioSelect,
    )
    # Not "fields": a form's own attribute of that name lists its fields.
    share = forms.MultipleChoiceField(
        label=_("Fields to share"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Share only what the recipient needs. Notes and narratives never travel; "
            "write what they need to know below."
        ),
    )
    message = forms.CharField(label=_("Message to the recipient"), widget=TEXTAREA)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Assign the new case to"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to take it yourself."),
    )
    note = forms.CharField(label=_("Note to the sender"), required=False)

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = workers  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Reason for declining"))


class AgreementForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Recipient agency"), queryset=Agency.objects.none()
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    # Not "fields": a form's own attribute of that name lists its fields.
    share = forms.MultipleChoiceField(
        label=_("Fields that may be shared"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    safeguards = forms.CharField(
        label=_("Safeguards guaranteed in writing"), widget=TEXTAREA
    )
    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("In force until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]
