"""Turning validation errors into what a command line prints or a form shows."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def describe(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


def add_to_form(
    form: forms.Form,
    error: ValidationError,
    *,
    rename: Mapping[str, str] | None = None,
) -> None:
    """Put an action's errors on the form fields they name (`rename` maps an action's
    name to the form's where they differ); others on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        field = (rename or {}).get(name, name)
        form.add_error(field if field in form.fields else None, messages)
