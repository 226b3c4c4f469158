"""Turning validation errors into the one-line messages a command line prints."""

from django.core.exceptions import ValidationError


def describe(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )
