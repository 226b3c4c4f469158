"""The keys that seal the audit chain: from AMPARO_AUDIT_KEYS or its key file, never
from the database (whoever can write the database must not be able to re-seal it).
Same format as the encryption keyring; the first key seals new events."""

from functools import cache

from django.conf import settings

from amparo.core.crypto import Keyring


@cache
def _keyring(text: str) -> Keyring:
    return Keyring.parse(text)


def audit_keys() -> dict[str, bytes]:
    return dict(_keyring(settings.AMPARO_AUDIT_KEYS).keys)


def active_audit_key() -> tuple[str, bytes]:
    return _keyring(settings.AMPARO_AUDIT_KEYS).keys[0]
