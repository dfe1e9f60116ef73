"""What every step shares: its run, its entries, validation and report helpers, chunked loading."""

from __future__ import annotations

import json
from collections.abc import Iterable

from catalog.batches import chunks
from syncing.errors import Problems
from syncing.jsonio import Entry
from syncing.records import Record

WRITE_BATCH = 1000  # rows per bulk statement


def load_by(queryset, field: str, values: Iterable) -> dict:
    """Rows whose `field` is in `values`, keyed by that field, in chunked queries."""
    found = {}
    for batch in chunks(sorted(set(values), key=str)):
        for obj in queryset.filter(**{f"{field}__in": batch}):
            found[getattr(obj, field)] = obj
    return found


def load_values(queryset, field: str, values: Iterable, *columns: str) -> dict[object, tuple]:
    """Like `load_by`, but each row is the tuple of `columns`: far cheaper than a model instance."""
    found = {}
    for batch in chunks(sorted(set(values), key=str)):
        for key, *row in queryset.filter(**{f"{field}__in": batch}).values_list(field, *columns):
            found[key] = tuple(row)
    return found


def same_json(a, b) -> bool:
    """JSON values compared ignoring key order; true and 1 differ (SYNC-VID-6)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class BaseStep:
    kind = ""  # the input kind, e.g. "videos"
    table = ""  # the report table, e.g. "videos"

    def __init__(self, run, entries: list[Entry]):
        self.run = run
        self.entries = entries
        self.report = run.report
        self.report.saw(self.table)

    @property
    def problems(self) -> Problems:
        return self.run.problems

    def record(self, entry: Entry, table: str | None = None) -> Record:
        return Record(entry, table or self.table, self.problems)

    def result(self, action: str, key: str, fields=(), note: str = "", table: str | None = None) -> None:
        self.report.record(table or self.table, action, key, fields, note)

    def intend(self, key: str, is_active: bool, table: str | None = None) -> None:
        self.run.intent.setdefault(table or self.table, {})[key] = is_active

    def forward(self) -> None:
        raise NotImplementedError

    def archive(self) -> None:
        """Apply archives after every table's forward pass, in reverse table order."""
