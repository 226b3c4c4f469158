"""Strict parsers for settings read from the environment.

A mistyped value must stop the server at start-up rather than quietly fall back to a
default: an `AMPARO_DEBUG=flase` that silently meant "debug on" would expose tracebacks
full of personal data.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def var_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where local state lives (SQLite file, secret key, collected static files):
    AMPARO_VAR_DIR, else `var/` beside the source tree."""
    default = Path(__file__).resolve().parent.parent / "var"
    return Path(environ.get("AMPARO_VAR_DIR") or default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int = 0,
    environ: Mapping[str, str] = os.environ,
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(
    name: str, default: list[str], environ: Mapping[str, str] = os.environ
) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if not all(items):
        raise ImproperlyConfigured(
            f"{name}={raw!r} has an empty item; separate with commas."
        )
    return items


def secret_key(default_file: Path, environ: Mapping[str, str] = os.environ) -> str:
    """SECRET_KEY from the environment, else from SECRET_KEY_FILE, else the local file.

    The local file (under `var/`) is what `amparo` writes on first use, so a newcomer
    needs no configuration; a deployment sets one of the two variables.
    """
    if key := environ.get("SECRET_KEY"):
        return _checked_key(key, "SECRET_KEY")
    path = Path(environ.get("SECRET_KEY_FILE") or default_file)
    try:
        key = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"No SECRET_KEY: set SECRET_KEY or SECRET_KEY_FILE, or run any `amparo` "
            f"command once to create {path} ({error.strerror})."
        ) from None
    return _checked_key(key, f"the file {path}")


def _checked_key(key: str, where: str) -> str:
    if len(key) < 32:
        raise ImproperlyConfigured(
            f"The secret key in {where} is shorter than 32 characters."
        )
    return key


def keyring_setting(
    name: str, default_file: Path, environ: Mapping[str, str] = os.environ
) -> str:
    """A keyring (`id:base64key` entries) from the variable `name`, else from the file
    named by `name`_FILE, else the local file `amparo` writes on first use. Checked
    here, so a bad keyring stops the server at start-up."""
    from amparo.core.crypto import Keyring, KeyringError

    text = environ.get(name)
    where = name
    if not text:
        path = Path(environ.get(f"{name}_FILE") or default_file)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ImproperlyConfigured(
                f"No keys: set {name} or {name}_FILE, or run any `amparo` command once "
                f"to create {path} ({error.strerror})."
            ) from None
    try:
        Keyring.parse(text)
    except KeyringError as error:
        raise ImproperlyConfigured(f"The keys in {where}: {error}") from None
    return text
