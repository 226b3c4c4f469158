"""Free text as people type it: kept exactly, but bounded and free of control
characters (PostgreSQL refuses NUL outright; the others only hide things)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Line breaks and tabs belong in notes and addresses.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    allowed = _ALLOWED_CONTROLS if multiline else set()
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def clean_text(
    value: str,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = True,
) -> str:
    """`value` without surrounding white space; ValidationError keyed by `field` if it
    is empty when required, too long, or holds control characters."""
    text = value.strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(limit)s characters.") % {"limit": f"{max_length:,}"}}
        )
    if has_control_characters(text, multiline=multiline):
        raise ValidationError({field: _("Remove the invisible control characters.")})
    return text
