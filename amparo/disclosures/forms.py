from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Agency, User
from amparo.cases.models import SharedField
from amparo.disclosures import queries
from amparo.disclosures.actions import MIN_PASSPHRASE
from amparo.disclosures.models import ExportRequest, FirewallOverride, OverrideApproval

BLANK = [("", "—")]
TEXTAREA = forms.Textarea(attrs={"rows": 3, "dir": "auto"})


class AgencyField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class OverrideForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would be disclosed"), choices=FirewallOverride.Kind.choices
    )
    recipient = AgencyField(
        label=_("Recipient agency"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("An immigration- or law-enforcement agency in Amparo."),
    )
    recipient_name = forms.CharField(
        label=_("Or an enforcement body outside Amparo (exports only)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=BLANK + list(FirewallOverride.LegalBasis.choices),
    )
    explanation = forms.CharField(
        label=_("Explain the legal basis"),
        widget=TEXTAREA,
        help_text=_("Which order, law or circumstance, and why it applies here."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=TEXTAREA,
        help_text=_("What the recipient will use the data for."),
    )
    # Not "fields": a form's own attribute of that name lists its fields.
    share = forms.MultipleChoiceField(
        label=_("Fields that would be disclosed (referral or transfer)"),
        choices=SharedField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An export discloses the whole case file."),
    )
    subject_notice = forms.ChoiceField(
        label=_("Notice to the person"),
        choices=BLANK + list(FirewallOverride.Notice.choices),
    )
    notice_explanation = forms.CharField(
        label=_("Why the person cannot be told"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Required when telling the person would put someone at risk."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = queries.enforcement_agencies()  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=BLANK + list(OverrideApproval.Decision.choices)
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required when you reject."),
    )


class ExportForm(forms.Form):
    recipient = AgencyField(
        label=_("Recipient agency in Amparo"),
        queryset=Agency.objects.none(),
        required=False,
    )
    recipient_name = forms.CharField(
        label=_("Or an organisation outside Amparo"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    recipient_kind = forms.ChoiceField(
        label=_("Kind of outside organisation"),
        choices=BLANK + list(ExportRequest.RecipientKind.choices),
        required=False,
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=TEXTAREA,
        help_text=_(
            "Why the file is needed and what the recipient will do with it. The data "
            "protection officer reads this to decide."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = queries.export_recipients(user)  # type: ignore[attr-defined]


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        min_length=MIN_PASSPHRASE,
        max_length=1000,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. The file is encrypted with it (AES-256 ZIP, "
            "opened with 7-Zip or another archive tool). It is not kept anywhere: "
            "give it to the recipient by another channel than the file."
        ),
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase again"),
        strip=False,
        max_length=1000,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
