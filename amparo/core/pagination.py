"""Keyset (cursor) pagination: each page costs the same however deep it is, and no
COUNT(*) runs over the whole table.

A cursor is an opaque token naming the last row of the previous page by its sort
key; a page is the rows strictly after it, newest first.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


class InvalidCursorError(ValueError):
    pass


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def encode_cursor(moment: datetime, pk: object) -> str:
    raw = json.dumps([moment.isoformat(), str(pk)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The cursor's timestamp (in UTC) and the row's key, still as text: the model's
    key field reads it (UUIDs for records, integers for events)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment_text, pk = json.loads(raw)
        moment = datetime.fromisoformat(moment_text)
        if moment.tzinfo is None:
            raise ValueError("naive timestamp")
        # In UTC, so that no later arithmetic can overflow the year 9999.
        if not isinstance(pk, str):
            raise TypeError("key is not text")
        return moment.astimezone(UTC), pk
    except (
        binascii.Error,
        ValueError,
        TypeError,
        UnicodeDecodeError,
        OverflowError,
    ) as error:
        raise InvalidCursorError(
            _("The cursor is not one this server gave out.")
        ) from error


def keyset_page(
    queryset: QuerySet[M], *, field: str, cursor: str | None, size: int
) -> Page[M]:
    """Rows of `queryset` ordered by (`field`, id) descending, after `cursor`."""
    ordered = queryset.order_by(f"-{field}", "-id")
    if cursor:
        moment, raw_pk = decode_cursor(cursor)
        try:
            pk = queryset.model._meta.pk.to_python(raw_pk)
        except ValidationError as error:
            raise InvalidCursorError(
                _("The cursor is not one this server gave out.")
            ) from error
        # `field <= t AND (field < t OR id < pk)`: the leading `<=` lets the database
        # start the index scan at the cursor instead of reading and discarding rows.
        ordered = ordered.filter(
            Q(**{f"{field}__lte": moment})
            & (Q(**{f"{field}__lt": moment}) | Q(id__lt=pk))
        )
    items = list(ordered[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = encode_cursor(getattr(last, field), last.pk)
    return Page(items=items, next_cursor=next_cursor)
