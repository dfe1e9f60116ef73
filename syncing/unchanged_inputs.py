"""Skip an input kind whose files sync already checked against the same database state (issue 13).

A kind (videos.json, the annotations/ folder, ...) is skipped when three things hold at the moment its
step would run, inside the sync's transaction:

1. its digest, sha256 of its files' names and bytes and of the rules in force (sync's code and settings,
   and the verification functions), equals the digest recorded by the last sync that checked it;
2. no transaction has written to a table sync reads since that sync (syncing/change_log.py), this
   run's earlier steps included;
3. the run is not verbose (a verbose report lists every unchanged record by key).

A skipped kind reports what its check reported last time, every record unchanged, and the same
warnings; a note says it was not checked again. The check it skips would find every record unchanged:
sync is idempotent, and the recorded check ran against the very state the database is still in.

After a successful real run, every kind of the run is recorded with its digest. When anything changed
the database during the run or before it, records of kinds the run did not check are dropped, as the
state they were checked against is gone; then the change log is cleared.
"""

from __future__ import annotations

from syncing import change_log
from syncing.inputs import KINDS
from syncing.models import CheckedInput
from syncing.report import CATEGORIES


class CheckedInputs:
    """One run's use of the records: which steps it skips, and what it records at the end."""

    def __init__(self, digests: dict[str, str], *, verbose: bool):
        self.digests = digests
        self.verbose = verbose
        self.complete = change_log.ensure_triggers()
        self.seen = change_log.noted()
        self.existing = {c.kind: c for c in CheckedInput.objects.all()}
        self.recorded = self.existing if self.complete and not self.seen else {}
        self.skipped: set[str] = set()
        self.warnings: dict[str, list[list[str]]] = {}

    def skips(self, step) -> bool:
        """Skip the step when its input is the one checked last, and the database has not changed since."""
        checked = self.recorded.get(step.kind)
        if self.verbose or checked is None or checked.digest != self.digests.get(step.kind):
            return False
        if change_log.any_noted():  # an earlier step of this run wrote, or someone else did meanwhile
            return False
        report = step.report
        for table, n in checked.unchanged.items():
            report.saw(table)
            report.counts[table]["unchanged"] += n
        report.warnings.extend(text for when, text in checked.warnings if when == "forward")
        self.skipped.add(step.kind)
        self.warnings[step.kind] = checked.warnings
        return True

    def note(self, report) -> None:
        """One line naming the tables not checked again."""
        if self.skipped:
            tables = [t for kind, k in KINDS.items() if kind in self.skipped for t in k.tables]
            report.notes.append(
                f"Not checked again (same input as the last sync, no database change since): {', '.join(tables)}"
            )

    def replay_archive_warnings(self, step) -> None:
        step.report.warnings.extend(text for when, text in self.warnings.get(step.kind, []) if when == "archive")

    def note_warnings(self, kind: str, when: str, texts: list[str]) -> None:
        self.warnings.setdefault(kind, []).extend([when, text] for text in texts)

    def record(self, kinds: list[str], report) -> None:
        """After a successful real run: remember each kind checked, and clear the change log. Writes
        nothing when neither the database nor the input changed (SYNC-GEN-12)."""
        changed = change_log.any_noted() or not self.complete  # what was seen at the start is still there
        kept = [kind for kind in kinds if kind in self.digests]
        if changed:  # the state the other kinds were checked against is gone
            stale = [kind for kind in self.existing if kind not in kept]
            if stale:
                CheckedInput.objects.filter(kind__in=stale).delete()
        rows = []
        for kind in kept:
            if kind in self.skipped:
                continue
            counts = {
                table: sum(report.counts[table][c] for c in CATEGORIES if c != "removed")
                for table in KINDS[kind].tables
            }
            # A table without records shows only when it is the step's own, and the step says so itself.
            row = CheckedInput(
                kind=kind,
                digest=self.digests[kind],
                unchanged={table: n for table, n in counts.items() if n},
                warnings=self.warnings.get(kind, []),
            )
            old = self.existing.get(kind)
            if old is None or (old.digest, old.unchanged, old.warnings) != (row.digest, row.unchanged, row.warnings):
                rows.append(row)
        if rows:
            CheckedInput.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["kind"], update_fields=["digest", "unchanged", "warnings"]
            )
        if changed:
            change_log.forget(self.seen)
