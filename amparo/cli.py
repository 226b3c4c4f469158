"""The `amparo` command: every Django management command, plus Amparo's own
(`serve`, `demo`, `createagency`, `createuser`). It reads the same environment as the
server, except `amparo safeguards check` and `rules`, which read none (`_pure`)."""

import os
import secrets
import sys


def _ensure_local_secret_key() -> None:
    """Write a random key under var/ the first time, when the environment names none,
    so that a newcomer's first `amparo` command just works."""
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        return
    from amparo.environment import var_dir

    path = var_dir() / "secret_key"
    if path.exists():
        os.environ["SECRET_KEY_FILE"] = str(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    print(f"Created a local secret key in {path}.", file=sys.stderr)
    os.environ["SECRET_KEY_FILE"] = str(path)


def _ensure_local_keyring(name: str, filename: str, purpose: str) -> None:
    """Write a first key under var/ when the environment names none."""
    if os.environ.get(name) or os.environ.get(f"{name}_FILE"):
        return
    from amparo.core.crypto import Keyring
    from amparo.environment import var_dir

    path = var_dir() / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Keyring.new_entry("k1") + "\n")
        print(f"Created a local {purpose} key in {path}. Back it up.", file=sys.stderr)
    os.environ[f"{name}_FILE"] = str(path)


# The commands that need neither settings, keys nor a database, so not Django's
# set-up either, which would take most of their time: the offline commands that the
# management command `safeguards` hands over to `amparo.safeguards.cli`, which imports
# nothing from Django. They run here as they would run there.
_PURE = (("safeguards", "check"), ("safeguards", "rules"))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if tuple(argv[1:3]) in _PURE:
        # Before the keys: a first `amparo safeguards check` needs none, so it writes
        # none under var/, and works where var/ cannot be written.
        from amparo.safeguards import cli

        cli.run(argv[2:])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    _ensure_local_secret_key()
    _ensure_local_keyring("AMPARO_ENCRYPTION_KEYS", "encryption_keys", "encryption")
    _ensure_local_keyring("AMPARO_AUDIT_KEYS", "audit_keys", "audit-chain")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv[0] = "amparo"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        sys.exit(f"amparo: configuration error: {error}")


if __name__ == "__main__":
    main()
