"""Bring a running original Label Pizza deployment's database over (issue 12): `manage.py import_labelpizza`.

`source` reads the original's PostgreSQL tables read-only; `convert` maps its rows onto ours by natural key
and checks them against our rules; `write` creates what is new and updates what changed, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from syncing.labelpizza_import.convert import Invalid, Plan, convert
from syncing.labelpizza_import.source import TABLES, SourceError, read_source
from syncing.labelpizza_import.write import SOURCE_TABLE, Counts, Writer


class ImportRefused(Exception):
    """Rows break this project's rules and --skip-invalid was not given: nothing was written."""


@dataclass
class ImportResult:
    plan: Plan
    counts: dict[str, Counts] = field(default_factory=dict)
    dry_run: bool = False
    written: bool = False
    report_file: Path | None = None

    def invalid_by_table(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for problem in self.plan.invalid:
            out[problem.table] = out.get(problem.table, 0) + 1
        return out

    def table(self) -> str:
        """Per source table: rows read; created, updated and unchanged here; rows not kept (invalid, or tags)."""
        invalid = self.invalid_by_table()
        by_source = {source: ours for ours, source in SOURCE_TABLE.items()}
        head = ("table", "source", "created", "updated", "unchanged", "not kept")
        lines = [f"{head[0]:<32}" + "".join(f"{h:>10}" for h in head[1:])]
        for table in TABLES:
            counts = self.counts.get(by_source.get(table, ""), Counts())
            not_kept = len(self.plan.tags) if table == "video_tags" else invalid.get(table, 0)
            cells = (self.plan.source_counts.get(table, 0), counts.created, counts.updated, counts.unchanged, not_kept)
            lines.append(f"{table:<32}" + "".join(f"{c:>10,}" for c in cells))
        return "\n".join(lines)

    def summary(self) -> str:
        lines = [self.table()]
        if self.plan.tags:
            lines.append(f"video_tags: {len(self.plan.tags)} tag(s) are not kept (this project has no video tags):")
            lines += [f"  {line}" for line in self.plan.tags]
        lines += [f"note: {note}" for note in self.plan.notes]
        if self.plan.invalid:
            lines.append(f"{len(self.plan.invalid)} row(s) cannot be imported:")
            lines += [f"  {p.line()}" for p in self.plan.invalid]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        elif self.written:
            lines.append("Import complete: everything above was written in one transaction.")
        if self.report_file:
            lines.append(f"Rows not imported are listed in {self.report_file}")
        return "\n".join(lines)


def write_report(path: Path, invalid: list[Invalid], tags: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Rows of the original database that were not imported, with the reason", *(p.line() for p in invalid)]
    lines += tags
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_database(
    url: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    report_file: Path | None = None,
    progress: Callable[[str, int, int], None] = lambda table, done, total: None,
) -> ImportResult:
    """Read the original database at `url`, then write it here in one transaction (rolled back on a dry run).

    Raises SourceError when the source cannot be read, ImportRefused (with the result) when rows break our
    rules and `skip_invalid` is false; then nothing is written.
    """
    from catalog.verification import get_registry

    plan = convert(read_source(url), set(get_registry().functions))
    result = ImportResult(plan, dry_run=dry_run)
    with transaction.atomic():
        result.counts = Writer(plan, progress).run()
        refused = bool(plan.invalid) and not skip_invalid
        if dry_run or refused:
            transaction.set_rollback(True)
    if refused and not dry_run:
        raise ImportRefused(result)
    if plan.invalid and skip_invalid and not dry_run:
        result.report_file = report_file or Path("import_labelpizza_report.txt")
        write_report(result.report_file, plan.invalid, plan.tags)
    result.written = not dry_run
    return result


__all__ = ["ImportRefused", "ImportResult", "SourceError", "import_database"]
