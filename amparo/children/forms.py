"""The BID panel's decision: what the panel decided, and who sat on it (among those
who signed the undertaking of confidentiality)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class BidDecisionForm(forms.Form):
    bid_decision = forms.CharField(
        label=_("The panel's decision"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    panel = forms.MultipleChoiceField(
        label=_("Panel members who decided"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only those who signed the undertaking of confidentiality."),
    )

    def __init__(
        self, *args: Any, signers: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].choices = list(signers)  # type: ignore[attr-defined]
