"""The trafficking screening: the indicators of one set, grouped by dimension, their
source, and the Palermo elements seen. What it records is the case-file fact
`trafficking_screened`; the suggestion is computed from it, never entered."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.protection import indicator_texts, screening
from amparo.safeguards import casefile, labels

STRENGTHS = {"strong": _("strong"), "medium": _("medium"), "weak": _("weak")}
# The six elements of the Palermo definition, as the ILO/EC indicators group them.
DIMENSIONS = {
    "deceptive_recruitment": _(
        "Deceptive recruitment (including transfer and transport)"
    ),
    "coercive_recruitment": _("Coercive recruitment"),
    "recruitment_abuse_of_vulnerability": _("Recruitment by abuse of vulnerability"),
    "exploitation": _("Exploitation"),
    "coercion_at_destination": _("Coercion at destination"),
    "abuse_of_vulnerability_at_destination": _("Abuse of vulnerability at destination"),
}


def _choices(field: str) -> list[tuple[str, str]]:
    node = casefile.schema()["$defs"]["data_trafficking_screened"]["properties"][field]
    values = node["items"]["enum"] if "items" in node else node["enum"]
    return [(v, labels.value_label(field, v)) for v in values]


class ScreeningForm(forms.Form):
    information_source = forms.ChoiceField(label=_("Source of the information"))
    acts = forms.MultipleChoiceField(
        label=_("Acts (Palermo Protocol)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means = forms.MultipleChoiceField(
        label=_("Means (not required for a child)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes of exploitation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, set_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_code = set_code
        for name in ("information_source", "acts", "means", "purposes"):
            self.fields[name].choices = _choices(name)  # type: ignore[attr-defined]
        titles, sets = screening.load()
        chosen = sets[set_code]
        # One group of checkboxes per dimension, in the brochure's order. Every field
        # first: rendering a bound field's boxes cleans the form, which must be whole.
        grouped = []
        for code, title in titles.items():
            items = [i for i in chosen.indicators.values() if i.dimension == code]
            if not items:
                continue
            name = f"dimension_{code}"
            label = str(DIMENSIONS.get(code, title))
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(i.code, i.text) for i in items],
            )
            grouped.append((name, label, items))
        # The indicators' wording and strength in the reader's language.
        self.groups: list[tuple[str, list[tuple[Any, str, str]], Any]] = [
            (
                label,
                [
                    (box, indicator_texts.text(i.text), str(STRENGTHS[i.strength]))
                    for box, i in zip(self[name], items, strict=True)
                ],
                self[name],
            )
            for name, label, items in grouped
        ]

    def fact_data(self) -> dict[str, Any]:
        observed = [
            code
            for name, value in self.cleaned_data.items()
            if name.startswith("dimension_")
            for code in value
        ]
        data: dict[str, Any] = {
            "indicator_set": self.set_code,
            "indicators": observed,
            "information_source": self.cleaned_data["information_source"],
        }
        for name in ("acts", "means", "purposes"):
            if self.cleaned_data.get(name):
                data[name] = list(self.cleaned_data[name])
        return data
