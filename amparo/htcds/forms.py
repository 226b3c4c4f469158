from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import Case
from amparo.people.models import Consent

_OTHER_BASES = [(b.value, b.label) for b in Consent.Basis if b != Consent.Basis.CONSENT]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("HTCDS file"),
        help_text=_(
            "The HTCDS 2.0 Excel template filled in (.xlsx), one XForm submission "
            "(.xml) or a .zip of submissions. Large files: `amparo htcds import`."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file; import nothing"), required=False
    )
    consent_method = forms.ChoiceField(
        label=_("How the consent of the rows with Consent TRUE was obtained"),
        choices=Consent.Method.choices,
        initial=Consent.Method.ORAL,
    )
    basis = forms.ChoiceField(
        label=_("Lawful basis of the rows without consent"),
        choices=[("", _("None: refuse those rows")), *_OTHER_BASES],
        required=False,
    )
    justification = forms.CharField(
        label=_("Why that basis"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk = forms.ChoiceField(
        label=_("Risk level of the imported cases"),
        choices=Case.Risk.choices,
        initial=Case.Risk.HIGH,
    )
