from django import forms
from django.utils.translation import gettext_lazy as _


class EventSearchForm(forms.Form):
    subject_id = forms.CharField(
        label=_("Record number"),
        required=False,
        max_length=64,
        help_text=_("Of a person, a case or a user."),
    )
    actor = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Or its beginning, e.g. cases.case or access.denied."),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
