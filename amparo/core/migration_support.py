"""Encrypting (and decrypting) the values already in a column when a migration turns
it into an EncryptedTextField. Works on the raw column, in batches, and skips values
that are already encrypted, so it is safe to run twice."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from amparo.core.crypto import PREFIX, Keyring

BATCH = 2000


def _rows(schema_editor: Any, table: str, column: str) -> list[tuple[Any, str]]:
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608 (names from the migration)
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        return list(cursor.fetchall())


def _write(
    schema_editor: Any, table: str, column: str, updates: Sequence[tuple[str, Any]]
) -> None:
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, len(updates), BATCH):
            cursor.executemany(
                f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                updates[start : start + BATCH],
            )


def encrypt_columns(table: str, context: str, columns: list[str]) -> Any:
    def forward(apps: Any, schema_editor: Any) -> None:
        keyring = Keyring.parse(settings.AMPARO_ENCRYPTION_KEYS)
        for column in columns:
            updates = [
                (keyring.encrypt(value, context=f"{context}.{column}"), pk)
                for pk, value in _rows(schema_editor, table, column)
                if not value.startswith(f"{PREFIX}:")
            ]
            _write(schema_editor, table, column, updates)

    return forward


def decrypt_columns(table: str, context: str, columns: list[str]) -> Any:
    def backward(apps: Any, schema_editor: Any) -> None:
        keyring = Keyring.parse(settings.AMPARO_ENCRYPTION_KEYS)
        for column in columns:
            updates = [
                (str(keyring.decrypt(value, context=f"{context}.{column}")), pk)
                for pk, value in _rows(schema_editor, table, column)
                if value.startswith(f"{PREFIX}:")
            ]
            _write(schema_editor, table, column, updates)

    return backward
