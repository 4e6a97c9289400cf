"""Shared helpers for the importers: locating and reading data files, upserting, results."""

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

BATCH_SIZE = 2000


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
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
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
    model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
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
