"""Shape checks for one input record (SYNC-GEN-3/4/5): exact keys, strict types, natural keys.

Pure: no ORM. Each check records a problem and returns MISSING when the value is unusable, so a
step can keep validating the rest of the record and report every problem together.
"""

from __future__ import annotations

from typing import Any

from catalog.validation import is_number, natural_key_problem
from catalog.wording import json_type
from syncing.errors import Problems, quote
from syncing.jsonio import Entry


class _Missing:
    def __repr__(self):
        return "MISSING"

    def __bool__(self):
        return False


MISSING: Any = _Missing()


class Record:
    """One entry under validation. `key` is its natural key once known (SYNC-ERR-2)."""

    __slots__ = ("entry", "table", "problems", "data", "key", "ok")  # one per input record

    def __init__(self, entry: Entry, table: str, problems: Problems):
        self.entry = entry
        self.table = table
        self.problems = problems
        self.data: dict = entry.data if isinstance(entry.data, dict) else {}
        self.key: str | None = None
        self.ok = isinstance(entry.data, dict)
        if not self.ok:
            self.error("", f"expected an object, got {json_type(entry.data)}")
        elif entry.unstorable is not None:
            self.error(entry.unstorable, "holds a NUL character or a lone surrogate, which no text may contain")

    def error(self, field: str, message: str) -> None:
        self.ok = False
        self.problems.add(self.table, self.entry.source, self.entry.index, self.key, field, message)

    def keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        if not isinstance(self.entry.data, dict):
            return False
        good = True
        for name in required:
            if name not in self.data:
                self.error(f".{name}", "is required")
                good = False
        for name in self.data:
            if name not in required and name not in optional:
                self.error("", f"unexpected key {quote(name)}")
                good = False
        return good

    def _present(self, name: str, default):
        return name in self.data, self.data.get(name, default)

    def string(self, name: str, *, nullable=False, natural_key=False, max_length=None, default=MISSING, field=None):
        if name not in self.data:
            return default
        value = self.data[name]
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            problem = f"must be a string{' or null' if nullable else ''}, got {json_type(value)}"
        elif natural_key:
            problem = natural_key_problem(value, max_length)
        elif max_length is not None and len(value) > max_length:
            problem = f"is {len(value)} characters long; at most {max_length} allowed"
        else:
            return value
        if problem is None:
            return value
        self.error(field or f".{name}", problem)  # the path is built only when needed: this runs per field
        return MISSING

    def boolean(self, name: str, *, default=MISSING):
        if name not in self.data:
            return default
        value = self.data[name]
        if not isinstance(value, bool):
            self.error(f".{name}", f"must be true or false, got {json_type(value)}")
            return MISSING
        return value

    def number(self, name: str, *, nullable=False, minimum=None, default=MISSING):
        if name not in self.data:
            return default
        value = self.data[name]
        if value is None and nullable:
            return None
        if not is_number(value):
            self.error(f".{name}", f"must be a finite number{' or null' if nullable else ''}, got {json_type(value)}")
            return MISSING
        if minimum is not None and value < minimum:
            self.error(f".{name}", f"{value} is below the minimum {minimum}")
            return MISSING
        return float(value)

    def list(self, name: str, *, default=MISSING, nonempty=False):
        if name not in self.data:
            return default
        value = self.data[name]
        if not isinstance(value, list):
            self.error(f".{name}", f"must be a list, got {json_type(value)}")
            return MISSING
        if nonempty and not value:
            self.error(f".{name}", "must not be empty")
            return MISSING
        return value

    def object(self, name: str, *, nullable=False, default=MISSING):
        if name not in self.data:
            return default
        value = self.data[name]
        if value is None and nullable:
            return None
        if not isinstance(value, dict):
            self.error(f".{name}", f"must be an object{' or null' if nullable else ''}, got {json_type(value)}")
            return MISSING
        return value


def stored_value(rec: Record, where: str, kind, question, value):
    """An answer value (or default) given in the workspace, in its stored form through the type's `to_stored`;
    MISSING after recording the problem at `where`, or at `where[i]` for the first bad entry of a list."""
    try:
        return kind.to_stored(question, value)
    except ValueError as exc:
        reason = str(exc)
    if isinstance(value, list) and not kind.value_is_text:
        # The first entry that makes the list unstorable (not an option, listed twice): rare, so the
        # prefixes are simply tried again.
        for i in range(len(value)):
            try:
                kind.to_stored(question, value[: i + 1])
            except ValueError as exc:
                rec.error(f"{where}[{i}]", str(exc))
                return MISSING
    rec.error(where, f"{reason}, got {json_type(value)}" if reason.startswith("must be") else reason)
    return MISSING


class Duplicates:
    """SYNC-GEN-5: a duplicate key in one batch is an error on each later occurrence, citing the first."""

    def __init__(self, what: str):
        self.what = what
        self.first: dict = {}

    def check(self, rec: Record, value, field: str, shown: str | None = None) -> bool:
        if value in self.first:
            source, index = self.first[value]
            where = f"index {index}" if source == rec.entry.source else f"{source}[{index}]"
            rec.error(field, f"duplicate {self.what} {shown or quote(value)}; first at {where}")
            return False
        self.first[value] = (rec.entry.source, rec.entry.index)
        return True
