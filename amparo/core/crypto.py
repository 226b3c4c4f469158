"""Authenticated encryption of sensitive values at rest (AES-256-GCM).

A value is stored as `v1:<key id>:<base64 of nonce and ciphertext>`; the plaintext is
padded to a multiple of 32 bytes first, so that a stored length says little about the
value. The key id names
the key that encrypted it, so keys can be rotated: the first key of the keyring
encrypts, every key decrypts. The associated data binds a value to its column (`app.
model.field`): a value copied into another column does not decrypt. Keys come from
the environment or a key file, never from the database (see `environment.py`).

Pure Python on `cryptography`; no Django.
"""

import base64
import binascii
import os
import re
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1"
# Plaintexts are padded to a multiple of this many bytes before sealing: AES-GCM keeps
# the length, and "irregular" is longer than "regular".
PAD_BLOCK = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NONCE_BYTES = 12


class KeyringError(Exception):
    """A keyring that cannot be used: bad format, short key, unknown key id."""


class DecryptionError(Exception):
    """A stored value that does not decrypt: altered, moved, or its key is gone."""


class Ciphertext(str):
    """A value as stored: marks text that is already encrypted."""

    __slots__ = ()


class Plaintext(str):
    """A decrypted value, with the id of the key that had encrypted it."""

    __slots__ = ("key_id",)
    key_id: str


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, text: str) -> "Keyring":
        """`id:base64key` entries separated by commas or new lines; the first encrypts."""
        keys = []
        for entry in re.split(r"[,\n]", text):
            entry = entry.strip()
            if not entry or entry.startswith("#"):
                continue
            key_id, _sep, encoded = entry.partition(":")
            if not _KEY_ID.match(key_id):
                raise KeyringError(
                    f"Key id {key_id!r}: use 1-32 letters, digits, - or _."
                )
            try:
                key = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise KeyringError(f"Key {key_id!r} is not valid base64.") from None
            if len(key) != 32:
                raise KeyringError(f"Key {key_id!r} must be 32 bytes (256 bits).")
            keys.append((key_id, key))
        if not keys:
            raise KeyringError("The keyring holds no key.")
        if len({key_id for key_id, _key in keys}) != len(keys):
            raise KeyringError("Two keys share an id.")
        return cls(tuple(keys))

    @staticmethod
    def new_entry(key_id: str) -> str:
        return (
            f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"
        )

    @property
    def active_id(self) -> str:
        return self.keys[0][0]

    @cached_property
    def _ciphers(self) -> dict[str, AESGCM]:
        # Made once a key: a cipher's set-up was a quarter of a decryption's time.
        return {key_id: AESGCM(key) for key_id, key in self.keys}

    def encrypt(self, plaintext: str, *, context: str) -> Ciphertext:
        key_id = self.keys[0][0]
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[key_id].encrypt(
            nonce, _pad(plaintext.encode()), context.encode()
        )
        return Ciphertext(
            f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"
        )

    def decrypt(self, stored: str, *, context: str) -> Plaintext:
        try:
            prefix, key_id, encoded = stored.split(":", 2)
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            raise DecryptionError("Not an encrypted value.") from None
        cipher = self._ciphers.get(key_id)
        if prefix != PREFIX or cipher is None:
            raise DecryptionError(f"No key {key_id!r} in the keyring.")
        try:
            data = cipher.decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
            )
        except (InvalidTag, ValueError):
            raise DecryptionError(
                "The value was altered or belongs elsewhere."
            ) from None
        value = Plaintext(_unpad(data).decode())
        value.key_id = key_id
        return value


def _pad(data: bytes) -> bytes:
    """ISO/IEC 7816-4 padding: 0x80, then zeros to a multiple of PAD_BLOCK."""
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise DecryptionError("The padding is broken.")
    return end[:-1]
