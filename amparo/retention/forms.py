from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.retention.actions import MAX_REASON_LENGTH


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this person's data should be erased"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the person asked for it, when and how. Only the "
            "data-protection officer reads it, and it is erased with the data."
        ),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve: erase now, or as soon as nothing blocks it")),
            ("reject", _("Reject")),
        ],
    )
    decision_note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to reject. Kept after the erasure: write the grounds, not the "
            "person's name or story."
        ),
    )
