"""The form that records one fact of a case file. Its fields come from the case-file
schema (`casefile.schema.json`, the kind's `data`), so that the page, the API and
`amparo safeguards check` accept the same facts; the labels come from `labels`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.countries import country_choices, country_name
from amparo.core.languages import language_choices
from amparo.safeguards import casefile, labels, profiles

BLANK = [("", "—")]
MAX_TEXT = 500


def time_zone_choices() -> list[tuple[str, str]]:
    # The IANA names are what the schema stores and what people who schedule
    # detention reviews recognise ("America/Mexico_City").
    return [(name, name.replace("_", " ")) for name in sorted(_zones())]


def _zones() -> set[str]:
    return {z for z in available_timezones() if "/" in z and not z.startswith("Etc/")}


# The schema's value types that are picked from a list.
_REF_CHOICES: dict[str, Callable[[], list[tuple[str, str]]]] = {
    "country": lambda: country_choices(stateless=True),
    "language": language_choices,
    "time_zone": time_zone_choices,
}


# The fields that hold a list of free codes, typed separated by commas.
_LISTS = frozenset({"needs", "panel", "indicators"})


class FactForm(forms.Form):
    """`at` (a local time in `zone`) and the kind's own fields. `episodes` are the
    case's detention episodes, (id, label), for the kinds about one; a new episode
    (`detention_started`) gets `new_episode` as its id."""

    at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("The local time where it happened."),
    )
    zone = forms.ChoiceField(label=_("Time zone of that time"))

    def __init__(
        self,
        *args: Any,
        kind: str,
        episodes: Sequence[tuple[str, str]] = (),
        new_episode: str = "E1",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["zone"].choices = time_zone_choices()  # type: ignore[attr-defined]
        definition = casefile.schema()["$defs"][f"data_{kind}"]
        required = set(definition.get("required", ()))
        for name, node in definition.get("properties", {}).items():
            field = self._field(name, node, name in required, episodes, new_episode)
            self.fields[f"data_{name}"] = field
        self.data_fields = [
            self[name] for name in self.fields if name.startswith("data_")
        ]

    def _field(
        self,
        name: str,
        node: Mapping[str, Any],
        required: bool,
        episodes: Sequence[tuple[str, str]],
        new_episode: str,
    ) -> forms.Field:
        label = str(labels.FIELD_LABELS.get(name, name))
        ref = str(node.get("$ref", "")).rsplit("/", 1)[-1]
        if name == "episode" and self.kind != "detention_started":
            return forms.ChoiceField(
                label=label, choices=BLANK + list(episodes), required=required
            )
        if name == "episode":
            return forms.CharField(
                label=label,
                initial=new_episode,
                max_length=40,
                help_text=_("A short id of your choice for this detention."),
            )
        if ref in _REF_CHOICES:
            return forms.ChoiceField(
                label=label, choices=BLANK + _REF_CHOICES[ref](), required=required
            )
        if ref == "date":
            return forms.DateField(
                label=label,
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        if "enum" in node:
            values = labels.VALUE_LABELS.get(name, {})
            return forms.ChoiceField(
                label=label,
                choices=BLANK + [(v, values.get(v, v)) for v in node["enum"]],
                required=required,
            )
        if node.get("type") == "boolean":
            return forms.BooleanField(label=label, required=False)
        if node.get("type") == "integer" and name == "step":
            values = labels.VALUE_LABELS["step"]
            return forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=BLANK + [(str(n), values[str(n)]) for n in range(1, 6)],
                required=required,
            )
        if node.get("type") == "integer":
            return forms.IntegerField(
                label=label,
                required=required,
                min_value=node.get("minimum"),
                max_value=node.get("maximum"),
            )
        if node.get("type") == "array" and "enum" in node.get("items", {}):
            values = labels.VALUE_LABELS.get(name, {})
            return forms.MultipleChoiceField(
                label=label,
                required=required,
                choices=[(v, values.get(v, v)) for v in node["items"]["enum"]],
                widget=forms.CheckboxSelectMultiple,
            )
        if node.get("type") == "array":
            return forms.CharField(
                label=label,
                required=required,
                max_length=MAX_TEXT,
                help_text=_("Codes, separated by commas."),
            )
        widget = forms.Textarea(attrs={"rows": 2}) if name == "evidence" else None
        return forms.CharField(
            label=label, required=required, max_length=MAX_TEXT, widget=widget
        )

    def moment(self) -> datetime:
        """`at` in the chosen zone, aware (the offset is kept with the fact)."""
        local: datetime = self.cleaned_data["at"]
        naive = timezone.make_naive(local) if timezone.is_aware(local) else local
        return naive.replace(tzinfo=ZoneInfo(self.cleaned_data["zone"]))

    def fact_data(self) -> dict[str, Any]:
        """The kind's fields as the case file holds them, blanks left out."""
        result: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if not key.startswith("data_"):
                continue
            name = key.removeprefix("data_")
            if isinstance(value, bool):
                result[name] = value
            elif value in ("", None, []):
                continue
            elif isinstance(value, list):
                result[name] = value
            elif hasattr(value, "isoformat"):
                result[name] = value.isoformat()
            elif isinstance(self.fields[key], forms.CharField) and name in _LISTS:
                result[name] = [c.strip() for c in str(value).split(",") if c.strip()]
            else:
                result[name] = value
        return result


class PeriodForm(forms.Form):
    """A period of whole days, `start` to `end` inclusive, in the server's zone."""

    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    # Without a choice: the last 90 days, today included.
    DEFAULT_DAYS = 90

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        return _day_start(self.cleaned_data["start"]), _day_start(
            self.cleaned_data["end"] + timedelta(days=1)
        )

    @classmethod
    def default(cls, now: datetime) -> tuple[datetime, datetime]:
        tomorrow = timezone.localdate(now) + timedelta(days=1)
        return _day_start(tomorrow - timedelta(days=cls.DEFAULT_DAYS)), _day_start(
            tomorrow
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


class LegalDecisionForm(forms.Form):
    """A legal officer's decision on one protected consular notice (its country)."""

    country = forms.ChoiceField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("notify", _("Notify the consulate (the notice says nothing of asylum)")),
            ("withhold", _("Withhold the notice")),
        ],
    )

    def __init__(self, *args: Any, countries: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c, c) for c in countries]  # type: ignore[attr-defined]


class JurisdictionForm(forms.Form):
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction whose law applies"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = choices  # type: ignore[attr-defined]


def jurisdiction_choices() -> list[tuple[str, str]]:
    choices = []
    for code in profiles.available():
        profile = profiles.load(code)
        if code == profiles.BASELINE:
            name = str(_("International baseline"))
        elif code == "eu_return_directive":
            name = str(_("European Union (Return Directive)"))
        else:
            name = country_name(profile.country)
        choices.append((code, name))
    return sorted(choices, key=lambda choice: choice[0] != profiles.BASELINE)
