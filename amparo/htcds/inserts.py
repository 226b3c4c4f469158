"""INSERT many new rows of one model at once, each value prepared as its field
prepares it: what `bulk_create` writes, without the statement it builds for each
batch of rows (half an import's time) or a model instance for each row where a dict
of columns will do."""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

Prepare = Callable[[Any], Any]

# Fields whose value every backend stores as Python gives it, when it is already a
# str, an int or a bool: their preparation would only check that.
_PLAIN = frozenset(
    {
        models.CharField,
        models.TextField,
        models.SlugField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.BooleanField,
    }
)


def insert(model: type[models.Model], objects: list[Any]) -> None:
    """INSERT `objects` (new, their keys set): model instances, or dicts of columns
    (attribute names) that name every column but an automatic key. One prepared
    statement, run for all; encrypted fields encrypt, automatic times are set."""
    if not objects:
        return
    meta = model._meta
    fields = [
        f
        for f in meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    # The connection itself, not the proxy `connection`, which looks it up again for
    # every value.
    real = connections[DEFAULT_DB_ALIAS]
    quote = real.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model; every value is a bound parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    columns_given = isinstance(objects[0], dict)
    # One time for the automatic times of the statement's rows, as one save sets
    # `created_at` and `updated_at` alike.
    stamp = timezone.now()
    prepare = [_preparer(f, real, columns_given, stamp) for f in fields]
    params = [[p(obj) for p in prepare] for obj in objects]
    with real.cursor() as cursor:
        cursor.executemany(sql, params)


def _preparer(
    field: models.Field[Any, Any], real: Any, columns_given: bool, stamp: datetime
) -> Prepare:
    """How one field's value goes to the database: the field's own preparation, or for
    the commonest types the step of it that does the work (what `get_db_prep_save`
    returns for a value of that type, on any backend)."""
    name = field.attname
    value_of = operator.itemgetter(name) if columns_given else operator.attrgetter(name)
    target = getattr(field, "target_field", field) if field.is_relation else field
    kind = type(target)
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if kind in _PLAIN and not field.is_relation:
        return _plain(field, real, value_of)
    if kind is models.UUIDField:
        return _uuid(field, real, value_of)
    if kind is models.DateTimeField and not field.is_relation:
        if auto:
            stamped = field.get_db_prep_save(stamp, real)
            return lambda obj: stamped
        return _moment(field, real, value_of)
    if columns_given:
        return lambda row: field.get_db_prep_save(value_of(row), real)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), real)


def _plain(field: models.Field[Any, Any], real: Any, value_of: Prepare) -> Prepare:
    def plain(obj: Any) -> Any:
        value = value_of(obj)
        if type(value) in (str, int, bool):
            return value
        return field.get_db_prep_save(value, real)

    return plain


def _uuid(field: models.Field[Any, Any], real: Any, value_of: Prepare) -> Prepare:
    native = real.features.has_native_uuid_field

    def uuid_value(obj: Any) -> Any:
        value = value_of(obj)
        if type(value) is uuid.UUID:
            return value if native else value.hex
        return field.get_db_prep_save(value, real)

    return uuid_value


def _moment(field: models.Field[Any, Any], real: Any, value_of: Prepare) -> Prepare:
    adapt = real.ops.adapt_datetimefield_value
    # A chunk's rows share a few times (the import's, its facts', their deadlines):
    # each is adapted once.
    adapted: dict[datetime, Any] = {}

    def moment(obj: Any) -> Any:
        value = value_of(obj)
        if type(value) is datetime and value.tzinfo is not None:
            found = adapted.get(value)
            if found is None:
                found = adapted[value] = adapt(value)
            return found
        return field.get_db_prep_save(value, real)

    return moment
