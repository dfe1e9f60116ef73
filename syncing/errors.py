"""Sync errors: every problem of a run, each naming its source, entry, key and field (SYNC-ERR)."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.wording import UNPRINTABLE, escaped, names, quote

__all__ = ["UNPRINTABLE", "escaped", "names", "quote"]  # the message wording sync shares with the admin

TABLE_ORDER = (
    "videos",
    "users",
    "questions",
    "question groups",
    "schemas",
    "projects",
    "custom displays",
    "project groups",
    "assignments",
    "annotations",
    "ground truths",
)


@dataclass(frozen=True)
class Problem:
    table: str
    source: str
    index: int | None
    key: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.index is None else f"{self.source}[{self.index}]"
        parts = [where]
        if self.key is not None:
            parts.append(quote(self.key))
        if self.field:
            parts.append(self.field)
        return escaped(f"{' '.join(parts)}: {self.message}")

    def sort_key(self):
        table = TABLE_ORDER.index(self.table) if self.table in TABLE_ORDER else -1
        return (table, self.source, -1 if self.index is None else self.index)

    def to_dict(self) -> dict:
        return {
            "table": self.table,
            "source": self.source,
            "index": self.index,
            "key": None if self.key is None else escaped(self.key),  # printable, like the text
            "field": self.field,
            "message": self.message,
        }


class SyncError(ValueError):
    """A failed sync: nothing was written. `.errors` lists every problem (SYNC-ERR-4)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        self.errors = [p.to_dict() for p in self.problems]
        super().__init__(self.text())

    def text(self) -> str:
        n = len(self.problems)
        lines = [f"Sync failed: {n} error{'s' if n != 1 else ''}, nothing written."]
        lines += [str(p) for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


class InputError(ValueError):
    """Wrong arguments to a helper (SYNC-GEN-1), raised before the database is touched."""


class Problems:
    """Collects problems for one table; `entry` records carry their own source and index."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, table: str, source: str, index: int | None, key: str | None, field: str, message: str) -> None:
        self.items.append(Problem(table, source, index, key, field, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)
