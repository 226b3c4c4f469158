"""Re-encrypting every encrypted value under the active key, after a new key was put
first in the keyring. Batch by batch, each in its own transaction, skipping values
already under the active key: it can be stopped and run again, and the application
keeps working meanwhile (the old key still decrypts until it is removed)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from amparo.audit.actions import record_raw
from amparo.core.crypto import Plaintext
from amparo.core.fields import EncryptedTextField, keyring

BATCH = 1000


@dataclass
class Rotated:
    model: str
    checked: int
    rewritten: int


def encrypted_models() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, EncryptedTextField)
        ]
        if names:
            yield model, names


def rotate_all(progress: Callable[[str], None] = lambda _line: None) -> list[Rotated]:
    active = keyring().active_id
    results = []
    for model, names in encrypted_models():
        result = Rotated(model._meta.label_lower, 0, 0)
        last_pk = None
        while True:
            rows = model._default_manager.order_by("pk").only("pk", *names)
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            # Read and rewrite under a row lock, in one transaction: a user's save
            # between the two would otherwise be overwritten with the old value.
            with transaction.atomic():
                batch = list(rows.select_for_update()[:BATCH])
                if not batch:
                    break
                last_pk = batch[-1].pk
                stale = [obj for obj in batch if _needs_rotation(obj, names, active)]
                model._default_manager.bulk_update(stale, names)
            result.checked += len(batch)
            result.rewritten += len(stale)
            progress(
                f"{result.model}: {result.checked} checked, {result.rewritten} re-encrypted"
            )
        record_raw(
            None,
            "keys.rotated",
            subject_type=result.model,
            subject_id="",
            data={
                "key": active,
                "checked": result.checked,
                "rewritten": result.rewritten,
            },
        )
        results.append(result)
    return results


def _needs_rotation(obj: models.Model, names: list[str], active: str) -> bool:
    values = (getattr(obj, name) for name in names)
    return any(isinstance(v, Plaintext) and v.key_id != active for v in values)
