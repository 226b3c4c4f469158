from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Agency
from amparo.core.languages import language_choices
from amparo.referrals.models import SharedField
from amparo.services.actions import ProviderEntry
from amparo.services.models import Provider, ServiceType, Urgency

TEXTAREA = forms.Textarea(attrs={"rows": 3, "dir": "auto"})


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=(), required=False
    )
    area = forms.CharField(label=_("Area served"), max_length=500)
    eligibility = forms.CharField(
        label=_("Who is eligible"), widget=TEXTAREA, required=False
    )
    contact = forms.CharField(label=_("Contact"), widget=TEXTAREA)
    enforcement = forms.BooleanField(
        label=_("Enforcement body (police, immigration…)"),
        required=False,
        help_text=_("No referral can be sent to an enforcement body."),
    )
    amparo_agency = forms.ModelChoiceField(
        label=_("Agency on this Amparo"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_(
            "If the provider uses this Amparo, it answers referrals here and sees only "
            "the fields chosen."
        ),
    )
    active = forms.BooleanField(label=_("In the directory"), required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["amparo_agency"].queryset = agencies  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(provider: Provider) -> dict[str, object]:
        return {
            "name": provider.name,
            "services": provider.services,
            "languages": provider.languages,
            "area": provider.area,
            "eligibility": provider.eligibility,
            "contact": provider.contact,
            "enforcement": provider.enforcement,
            "amparo_agency": provider.amparo_agency,
            "active": provider.active,
        }

    def entry(self) -> ProviderEntry:
        return ProviderEntry(**self.cleaned_data)


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none()
    )
    service = forms.ChoiceField(label=_("Service"), choices=ServiceType.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.ROUTINE,
    )
    # Not "fields": a form's own attribute of that name lists its fields.
    share = forms.MultipleChoiceField(
        label=_("Fields to share"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Share only what the provider needs for this service. Notes and "
            "narratives never travel; write what they need to know below."
        ),
    )
    message = forms.CharField(label=_("Message to the provider"), widget=TEXTAREA)
    person_agreed = forms.BooleanField(
        label=_(
            "The person agreed to be referred to this provider and to share these "
            "fields"
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, providers: QuerySet[Provider], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["provider"].label_from_instance = _provider_label  # type: ignore[attr-defined]


def _provider_label(provider: Provider) -> str:
    offered = ", ".join(str(ServiceType(s).label) for s in provider.services)
    return f"{provider.name} ({offered})"


class AnswerForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required to decline)"), widget=TEXTAREA, required=False
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), widget=TEXTAREA, required=False)
