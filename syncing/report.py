"""What a sync did or would do: counts per table and one change line per record (SYNC-OUT)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from syncing.errors import TABLE_ORDER, Problem, SyncError

CATEGORIES = ("created", "updated", "archived", "unarchived", "removed", "unchanged")
# Tables without archive or removal show "-" in those columns (SYNC-OUT-2).
NOT_APPLICABLE = {
    "custom displays": {"archived", "unarchived"},
    "annotations": {"archived", "unarchived", "removed"},
    "ground truths": {"archived", "unarchived", "removed"},
}
for _table in TABLE_ORDER:
    if _table != "custom displays":
        NOT_APPLICABLE.setdefault(_table, set()).add("removed")
LINES_PER_CATEGORY = 20


@dataclass
class Change:
    table: str
    action: str
    key: str
    fields: list[str] = field(default_factory=list)
    note: str = ""

    def __iter__(self):  # (table, action, key, fields), as SYNC-OUT-6 describes
        return iter((self.table, self.action, self.key, self.fields))


class SyncReport:
    def __init__(self, label: str, *, dry_run: bool):
        self.label = label
        self.dry_run = dry_run
        self.ok = True
        self.elapsed_s = 0.0
        self.counts: dict[str, dict[str, int]] = {t: dict.fromkeys(CATEGORIES, 0) for t in TABLE_ORDER}
        self.changes: list[Change] = []
        self.unchanged: dict[str, list[str]] = defaultdict(list)
        self.warnings: list[str] = []
        self.errors: list[Problem] = []
        self.tables_with_input: set[str] = set()
        self.verbose = False
        self.notes: list[str] = []
        # Folder sync: tables whose file or subfolder is missing (SYNC-FOLDER-2).
        self.no_input_tables: list[str] = []

    # -- recording
    def record(self, table: str, action: str, key: str, fields=(), note: str = "") -> None:
        self.tables_with_input.add(table)
        self.counts[table][action] += 1
        if action == "unchanged":
            self.unchanged[table].append(key)
        else:
            self.changes.append(Change(table, action, key, list(fields), note))

    def saw(self, table: str) -> None:
        self.tables_with_input.add(table)

    @property
    def change_count(self) -> int:
        return len(self.changes)

    def fail(self, error: SyncError) -> None:
        self.ok = False
        self.errors = error.problems

    # -- output
    def to_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "elapsed_s": round(self.elapsed_s, 3),
            "tables": {t: dict(c) for t, c in self.counts.items()},
            "changes": [{"table": c.table, "action": c.action, "key": c.key, "fields": c.fields} for c in self.changes],
            "warnings": list(self.warnings),
            "errors": [p.to_dict() | {"text": str(p)} for p in self.errors],
        }

    def header(self) -> str:
        suffix = "   (DRY RUN: nothing will be written)" if self.dry_run else ""
        return f"Label Pizza sync: {self.label}{suffix}"

    def table_lines(self) -> list[str]:
        lines = [f"{'table':<16}" + " ".join(f"{c:>{max(len(c), 7)}}" for c in CATEGORIES)]
        for table in TABLE_ORDER:
            if table not in self.tables_with_input:
                continue
            cells = []
            for c in CATEGORIES:
                width = max(len(c), 7)
                shown = "-" if c in NOT_APPLICABLE.get(table, set()) else str(self.counts[table][c])
                cells.append(f"{shown:>{width}}")
            lines.append(f"{table:<16}" + " ".join(cells))
        lines += [f"{t:<16}(no input)" for t in self.no_input_tables]
        return lines

    def change_lines(self) -> list[str]:
        lines = []
        for table in TABLE_ORDER:
            changes = [c for c in self.changes if c.table == table]
            unchanged = self.unchanged.get(table, []) if self.verbose else []
            if not changes and not unchanged:
                continue
            lines.append(f"{table}:")
            for action in CATEGORIES[:-1]:
                of_action = [c for c in changes if c.action == action]
                shown = of_action if self.verbose else of_action[:LINES_PER_CATEGORY]
                for c in shown:
                    detail = f" ({', '.join(c.fields)})" if c.fields else ""
                    note = f" {c.note}" if c.note else ""
                    lines.append(f"  {action:<10} {c.key}{detail}{note}")
                if len(of_action) > len(shown):
                    lines.append(f"  … and {len(of_action) - len(shown)} more")
            lines += [f"  {'unchanged':<10} {key}" for key in unchanged]
        return lines

    def footer(self) -> str:
        if not self.ok:
            return SyncError(self.errors).text()
        n = self.change_count
        if self.dry_run:
            return f"Dry run: {n} change{'s' if n != 1 else ''} planned, nothing written."
        if n == 0:
            return f"Sync complete: everything unchanged, nothing written ({self.elapsed_s:.1f} s)."
        return f"Sync complete: {n} change{'s' if n != 1 else ''} written in one transaction ({self.elapsed_s:.1f} s)."

    def body_lines(self) -> list[str]:
        """The plan: identical for a dry run and a real run on the same state (SYNC-OUT-1)."""
        return self.table_lines() + self.change_lines() + [f"warning: {w}" for w in self.warnings]

    def __str__(self) -> str:
        return "\n".join([self.header(), *self.body_lines(), *self.notes, self.footer()])
