"""Shared helpers for the importers: locating and reading data files, upserting, results."""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection, models, transaction

BATCH_SIZE = 2000
# Rows sent to PostgreSQL per COPY statement: enough to amortise the round trip, small enough
# that the text buffer of one batch stays a few tens of megabytes.
COPY_BATCH = 100_000


class ImporterError(Exception):
    """Input that an importer cannot use: a missing file, a bad column, a missing prerequisite."""


@dataclass
class UpsertCounts:
    """What one upsert did (or would do) to one kind of row."""

    entity: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.entity}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.stale:
            verb = "deleted" if self.deleted else "kept"
            text += f"; {len(self.stale)} in the database but not in the files ({verb})"
        elif self.deleted:
            text += f", {self.deleted} deleted"
        return text


@dataclass
class ImportResult:
    """The outcome of one importer run: counts per entity and notes worth reading."""

    step: str
    committed: bool
    counts: list[UpsertCounts] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated + c.deleted for c in self.counts)

    def lines(self) -> list[str]:
        prefix = "" if self.committed else "[dry run] "
        return [prefix + str(counts) for counts in self.counts] + [prefix + note for note in self.notes]


def data_dir(override: str | Path | None = None) -> Path:
    """The data directory: ``--data-dir`` if given, else ``settings.PACT_DATA_DIR``; it must exist."""
    path = Path(override) if override else Path(settings.PACT_DATA_DIR)
    if not path.is_dir():
        raise ImporterError(f"Data directory {path} does not exist: set the PACT_DATA_DIR setting or pass --data-dir.")
    return path


def data_file(directory: Path, name: str) -> Path:
    """One named file in the data directory, with an error naming it when it is missing."""
    path = directory / name
    if not path.is_file():
        raise ImporterError(
            f"Data file {name} is missing from {directory}: set the PACT_DATA_DIR setting or pass --data-dir."
        )
    return path


def read_csv(path: Path, columns: Iterable[str]) -> Iterator[dict[str, str]]:
    """Rows of a CSV file as dicts, after checking that the header has every needed column."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ImporterError(f"{path.name} lacks the column(s) {', '.join(sorted(missing))}.")
        yield from reader


def read_features(path: Path, properties: Iterable[str]) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection, each checked for the needed properties."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (ValueError, KeyError) as error:
        raise ImporterError(f"{path.name} is not a GeoJSON FeatureCollection ({error}).") from error
    for feature in features:
        missing = set(properties) - set(feature.get("properties") or {})
        if missing or not feature.get("geometry"):
            raise ImporterError(f"{path.name} has a feature without geometry or {', '.join(sorted(missing))}.")
    return features


def upsert(
    model: type[models.Model], key: str, rows: Mapping[Any, dict[str, Any]], *, entity: str, queryset=None
) -> UpsertCounts:
    """Create the rows whose key is new and update those whose fields differ, in batches.

    ``rows`` maps each key value to the wanted field values, named by attname (``ward_id``).
    Rows in ``queryset`` (default: all) whose key is not in ``rows`` are reported as stale
    and left alone.
    """
    attnames = sorted({name for values in rows.values() for name in values})
    queryset = model._default_manager.all() if queryset is None else queryset
    existing = {getattr(obj, key): obj for obj in queryset.only(key, *attnames).iterator(chunk_size=BATCH_SIZE)}
    counts = UpsertCounts(entity, stale=sorted(set(existing) - set(rows)))
    to_create, to_update = [], []
    for value, wanted in rows.items():
        obj = existing.get(value)
        if obj is None:
            to_create.append(model(**{key: value}, **wanted))
        elif any(getattr(obj, name) != wanted[name] for name in wanted):
            for name, field_value in wanted.items():
                setattr(obj, name, field_value)
            to_update.append(obj)
    insert_objects(model, to_create)
    update_rows(model, to_update, attnames)
    counts.created, counts.updated = len(to_create), len(to_update)
    counts.unchanged = len(rows) - counts.created - counts.updated
    return counts


def sync_links(
    model: type[models.Model], keys: tuple[str, ...], rows: dict[tuple, dict[str, Any]], *, entity: str, queryset=None
) -> UpsertCounts:
    """Make the rows of a link table (in ``queryset``, default all) exactly ``rows``.

    ``rows`` maps each key tuple (values of the ``keys`` attnames, e.g. ``("place_id",
    "ward_id")``) to the wanted other fields. Links are derived from the data files and keep
    no history of their own, so links no longer wanted are deleted, not merely reported.
    """
    attnames = sorted({name for values in rows.values() for name in values})
    queryset = model._default_manager.all() if queryset is None else queryset
    existing = {
        tuple(getattr(obj, key) for key in keys): obj
        for obj in queryset.only(*keys, *attnames).iterator(chunk_size=BATCH_SIZE)
    }
    stale = [existing[key].pk for key in existing.keys() - rows.keys()]
    counts = UpsertCounts(entity)
    to_create, to_update = [], []
    for key, wanted in rows.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**dict(zip(keys, key, strict=True)), **wanted))
        elif any(getattr(obj, name) != wanted[name] for name in wanted):
            for name, value in wanted.items():
                setattr(obj, name, value)
            to_update.append(obj)
    for start in range(0, len(stale), BATCH_SIZE // 2):
        counts.deleted += model._default_manager.filter(pk__in=stale[start : start + BATCH_SIZE // 2]).delete()[0]
    insert_objects(model, to_create)
    update_rows(model, to_update, attnames)
    counts.created, counts.updated = len(to_create), len(to_update)
    counts.unchanged = len(rows) - counts.created - counts.updated
    return counts


@contextmanager
def import_transaction(commit: bool) -> Iterator[None]:
    """One transaction for the whole import, rolled back at the end of a dry run.

    A dry run does the real work so that its counts are exactly what a commit would do.
    """
    with transaction.atomic():
        yield
        if not commit:
            transaction.set_rollback(True)


def update_rows(model: type[models.Model], objs: list[models.Model], attnames: list[str]) -> None:
    """Write the named fields of each object with one parameterised UPDATE per row.

    ``bulk_update`` builds a CASE expression per field per row in Python, which takes about
    a minute for a full postcode file; ``executemany`` of one prepared statement takes seconds.
    Only identifiers from the model's own metadata enter the SQL; every value is a parameter.
    """
    if not objs:
        return
    fields = [field for field in model._meta.concrete_fields if field.attname in attnames]
    quote = connection.ops.quote_name
    pk_column = model._meta.pk.column if model._meta.pk else "id"
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BATCH_SIZE])


def insert_objects(model: type[models.Model], objs: list[models.Model]) -> int:
    """Insert unsaved objects: by ``COPY`` on PostgreSQL, else ``bulk_create`` in batches.

    Like ``bulk_create`` it sends no signals and calls no ``save()``; unlike it, the objects'
    primary keys are not set afterwards on PostgreSQL (the importers read ids back by key).
    """
    fields = _insert_fields(model)
    attnames = [field.attname for field in fields]
    # pre_save fills auto_now_add and the like, as bulk_create does.
    return copy_rows(model, attnames, ([field.pre_save(obj, add=True) for field in fields] for obj in objs))


def copy_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows of values (in the order of ``attnames``) into the model's table; how many.

    On PostgreSQL the rows go by ``COPY … FROM STDIN`` in batches of ``COPY_BATCH`` (bulk
    loading: one statement, no per-row parsing or planning); on any other database (SQLite in
    development) by ``bulk_create``, so the callers have one portable path. Fields left out take
    their database default on PostgreSQL, so name every field without one.
    """
    if connection.vendor != "postgresql":
        return _bulk_create_rows(model, attnames, rows)
    fields = [_concrete_field(model, name) for name in attnames]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append("\t".join(map(_copy_value, row)))
            if len(batch) == COPY_BATCH:
                count += _copy_batch(cursor, sql, batch)
                batch = []
        if batch:
            count += _copy_batch(cursor, sql, batch)
    return count


def _copy_batch(cursor, sql: str, lines: list[str]) -> int:
    buffer = io.StringIO("\n".join(lines) + "\n")
    cursor.copy_expert(sql, buffer)
    return len(lines)


def _insert_fields(model: type[models.Model]) -> list[models.Field]:
    """The concrete fields an insert names: all but an automatic primary key."""
    auto = (models.AutoField, models.BigAutoField, models.SmallAutoField)
    return [field for field in model._meta.concrete_fields if not (field.primary_key and isinstance(field, auto))]


def _concrete_field(model: type[models.Model], attname: str) -> models.Field:
    for concrete in model._meta.concrete_fields:
        if concrete.attname == attname:
            return concrete
    raise ValueError(f"{model.__name__} has no field {attname}")


def _bulk_create_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) == BATCH_SIZE:
            count += len(model._default_manager.bulk_create(batch))
            batch = []
    if batch:
        count += len(model._default_manager.bulk_create(batch))
    return count


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    return str(value).translate(_COPY_ESCAPES)


# COPY's text format by the value's exact type: looked up once per value, no chain of isinstance.
_COPY_FORMATS: dict[type, Callable[[Any], str]] = {
    str: lambda value: value.translate(_COPY_ESCAPES),
    int: repr,
    float: repr,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    dict: lambda value: _copy_text(json.dumps(value)),
    list: lambda value: _copy_text(json.dumps(value)),
    date: date.isoformat,
    UUID: str,
}


def _copy_value(value: Any) -> str:
    """One value in COPY's text format: ``\\N`` for NULL, backslash escapes in text."""
    format_value = _COPY_FORMATS.get(type(value))
    if format_value is not None:
        return format_value(value)
    if isinstance(value, date):  # datetime
        return _copy_text(value.isoformat())
    return _copy_text(value)  # Decimal, numpy numbers, str subclasses


@contextmanager
def bulk_load(*models_loaded: type[models.Model]) -> Iterator[None]:
    """Load many rows into the models' tables faster: on PostgreSQL, their secondary indexes,
    unique and foreign-key constraints are dropped for the load and made again after it.

    Building an index once over all rows is much cheaper than updating it row by row, and
    adding a foreign key checks every row with one join, where a deferred constraint queues
    a trigger event per row. The constraints are made again with their own definitions and
    names, and every row is checked, so bad rows fail the load as before. Use inside a
    transaction (the tables are locked throughout); a no-op on other databases.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models_loaded]
    with connection.cursor() as cursor:
        # A table with deferred checks pending cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, con.conname, pg_get_constraintdef(con.oid), con.contype
              FROM pg_constraint con
             WHERE con.conrelid = ANY(%s::regclass[]) AND con.contype IN ('f', 'u')
             ORDER BY con.contype DESC, con.conname
            """,
            [tables],
        )
        constraints = cursor.fetchall()  # unique ones first: a foreign key may need one
        cursor.execute(
            """
            SELECT idx.indexrelid::regclass::text, pg_get_indexdef(idx.indexrelid)
              FROM pg_index idx
             WHERE idx.indrelid = ANY(%s::regclass[]) AND NOT idx.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = idx.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _, _ in reversed(constraints):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Room to sort each index in memory rather than on disk (this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
