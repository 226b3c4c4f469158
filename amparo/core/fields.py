"""A text field stored encrypted (see `core.crypto`). The application reads and writes
plain text; the database only ever sees `v1:<key id>:…`."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import Exact, IsNull

from amparo.core.crypto import Ciphertext, Keyring


@cache
def _keyring(text: str) -> Keyring:
    return Keyring.parse(text)


def keyring() -> Keyring:
    return _keyring(settings.AMPARO_ENCRYPTION_KEYS)


class EmptyOnlyExact(Exact):  # type: ignore[type-arg]
    """`field=""` works; `field="text"` would compare with a fresh random encryption
    and silently match nothing, so it is refused."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError("An encrypted field can only be compared with ''.")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Encrypted text. It cannot be filtered on (each encryption differs), except for
    emptiness; sorting on it is meaningless."""

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> str | None:
        if not value:
            return value
        return keyring().decrypt(value, context=self.context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or isinstance(value, Ciphertext):
            return value
        return keyring().encrypt(str(value), context=self.context())

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        return {"isnull": IsNull, "exact": EmptyOnlyExact}.get(lookup_name)
