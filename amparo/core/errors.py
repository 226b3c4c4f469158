"""Turning validation errors into what a command line prints or a form shows."""

from django import forms
from django.core.exceptions import ValidationError


def describe(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


def add_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put an action's errors on the form fields they name; others on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
