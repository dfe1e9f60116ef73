"""One sync run: parse, forward pass, archive pass, in one transaction (SYNC-GEN-8, SYNC-GEN-11).

Steps write as they go inside the transaction, so each later table sees the creation-time state
the spec describes. Any problem rolls everything back; a dry run always rolls back, which keeps
its plan identical to what a real run reports (SYNC-OUT-1).
"""

from __future__ import annotations

import gc
import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from catalog.verification import Registry, load_registry
from syncing.errors import Problems, SyncError
from syncing.input_digests import InputDigests, rules_digest
from syncing.jsonio import Entry
from syncing.original_shapes import accept_original_shapes
from syncing.report import SyncReport
from syncing.unchanged_inputs import CheckedInputs

# The order of the forward pass; the archive pass runs in reverse (SYNC-GEN-8).
KINDS = (
    "videos",
    "users",
    "question_groups",
    "schemas",
    "projects",
    "project_groups",
    "assignments",
    "annotations",
    "ground_truths",
)
ADVISORY_LOCK_ID = 0x4C50_5359  # "LPSY"
LOCK_TIMEOUT_MS = 60_000


@dataclass
class Run:
    """State shared by the steps of one run."""

    report: SyncReport
    registry: Registry
    problems: Problems = field(default_factory=Problems)
    now: object = field(default_factory=timezone.now)
    # The is_active each valid record asks for, by table and key: final-state checks read it.
    intent: dict[str, dict[str, bool]] = field(default_factory=dict)
    # Projects whose answers, GT or membership changed: completion timestamps are recomputed.
    touched_projects: set[int] = field(default_factory=set)
    progress: object = None
    # Work a step leaves running (the password hashes): finished before the commit of a real run that
    # has no problem, abandoned otherwise.
    before_commit: list = field(default_factory=list)
    abandon: list = field(default_factory=list)

    def wants_active(self, table: str, key: str, current: bool) -> bool:
        return self.intent.get(table, {}).get(key, current)


# The management commands print their own report (quiet=True to the helpers) but still want the
# progress bars on a terminal; they set this for the duration of the call.
SHOW_PROGRESS: ContextVar[bool] = ContextVar("SHOW_PROGRESS", default=False)


class Progress:
    """A progress bar per step on a terminal, redrawn at most once a second (SYNC-OUT-7)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.started = self.last = 0.0
        self.label = ""

    def start(self, label: str) -> None:
        self.label, self.started, self.last = label, time.monotonic(), time.monotonic()

    def tick(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started > 1.0 and now - self.last >= 1.0:
            self.last = now
            filled = int(24 * done / total) if total else 24
            bar = "#" * filled + "." * (24 - filled)
            sys.stdout.write(f"\r{self.label:<16} [{bar}] {done:,}/{total:,}")
            sys.stdout.flush()

    def done(self) -> None:
        if self.enabled and time.monotonic() - self.started > 1.0:
            sys.stdout.write("\r" + " " * 78 + "\r")
            sys.stdout.flush()


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for a sync, as a context manager or decorator.

    A large sync holds hundreds of thousands of small objects (parsed JSON, records, loaded rows,
    report lines). They are freed by reference counting, but every full collection rescans them
    all, and the caller's data too: a quarter of an unchanged 100,000-record re-sync's CPU time.
    The few reference cycles made meanwhile are collected by the next collection after the run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_migrated() -> None:
    """SYNC-API-3: helpers on an unmigrated database raise a RuntimeError saying what to run."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise RuntimeError(f"cannot reach the database: {exc}".strip()) from None
    if plan:
        raise RuntimeError("database is not migrated: run python manage.py migrate (or manage_db --mode init)")


def _lock() -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's own write lock serialises syncs.
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        except DatabaseError:
            raise RuntimeError("another sync is running; try again when it has finished") from None
        cursor.execute("SET LOCAL lock_timeout = 0")


def _step_class(kind: str):
    from importlib import import_module

    return import_module(f"syncing.steps.{kind}").Step


@cyclic_gc_paused()
def run_sync(
    inputs: dict[str, list[Entry] | None],
    *,
    label: str,
    dry_run: bool = False,
    quiet: bool = False,
    verbose: bool = False,
    file_problems: Problems | None = None,
    warnings: list[str] | None = None,
    workspace: Path | None = None,
    no_input: list[str] | None = None,
    digests: InputDigests | None = None,
) -> SyncReport:
    """Validate and apply `inputs` (kind -> entries); raise SyncError listing every problem.

    `digests`: the input files' digests, when read from files; a kind whose files and database state are
    those the last sync checked is not checked again (syncing/unchanged_inputs.py)."""
    started = time.monotonic()
    report = SyncReport(label, dry_run=dry_run)
    report.verbose = verbose
    report.no_input_tables = list(no_input or [])
    report.warnings.extend(warnings or [])
    run = _new_run(report, inputs, quiet=quiet, file_problems=file_problems, workspace=workspace)
    steps = [_step_class(kind)(run, entries) for kind, entries in inputs.items() if entries is not None]
    steps.sort(key=lambda s: KINDS.index(s.kind))
    try:
        with transaction.atomic():
            _lock()
            checked = CheckedInputs(digests.final(rules_digest(run.registry)) if digests else {}, verbose=verbose)
            _run_steps(run, steps, checked)
            _conclude(run, steps, checked, dry_run=dry_run)
    except (IntegrityError, OperationalError) as exc:
        # A concurrent web write won the race at commit time (SYNC-GEN-11).
        error = SyncError(
            [*run.problems.items, _db_problem(f"the database refused the commit ({exc}); re-run the sync")]
        )
        _fail(report, error, started)
        raise error from None
    except SyncError as error:
        _fail(report, error, started)
        raise
    finally:
        for cancel in run.abandon:
            cancel()
    report.elapsed_s = time.monotonic() - started
    return report


def _new_run(
    report: SyncReport,
    inputs: dict[str, list[Entry] | None],
    *,
    quiet: bool,
    file_problems: Problems | None,
    workspace: Path | None,
) -> Run:
    """The run's shared state, once the database is migrated and the inputs' older shapes are accepted."""
    check_migrated()
    report.warnings.extend(accept_original_shapes(inputs))  # the original's older record shapes (issue 12)
    registry = load_registry(extra_folder=workspace)
    run = Run(report=report, registry=registry)
    run.progress = Progress(enabled=(not quiet or SHOW_PROGRESS.get()) and sys.stdout.isatty())
    if file_problems:
        run.problems.items.extend(file_problems.items)
    for message in registry.errors:
        run.problems.add("question groups", "verify.py", None, None, "", message)
    return run


def _run_steps(run: Run, steps: list, checked: CheckedInputs) -> None:
    """Every step forward in order, then archive in reverse; a kind checked before is replayed instead."""
    for step in steps:
        if not checked.skips(step):
            _guarded(run, step, step.forward, checked, "forward")
    checked.note(run.report)
    for step in reversed(steps):
        if step.kind in checked.skipped:
            checked.replay_archive_warnings(step)
        else:
            _guarded(run, step, step.archive, checked, "archive")


def _conclude(run: Run, steps: list, checked: CheckedInputs, *, dry_run: bool) -> None:
    """Finish a clean run's deferred work and completion timestamps; raise its problems; record what it checked."""
    if not run.problems and not dry_run:
        for finish in run.before_commit:
            _guarded(run, None, finish, None, "")
    if not run.problems and run.touched_projects:
        from annotation.completion import recompute_completion

        recompute_completion(project_ids=run.touched_projects, now=run.now)
    if run.problems:
        raise SyncError(run.problems.items)
    if dry_run:
        transaction.set_rollback(True)
    else:
        checked.record([step.kind for step in steps], run.report)


def _fail(report: SyncReport, error: SyncError, started: float) -> None:
    report.fail(error)
    report.elapsed_s = time.monotonic() - started


def _db_problem(message: str):
    from syncing.errors import Problem

    return Problem("", "<database>", None, None, "", message)


def _guarded(run: Run, step, action, checked: CheckedInputs | None, when: str) -> None:
    """Run a pass of a step in a savepoint, so a database refusal is reported and rolled back."""
    warned = len(run.report.warnings)
    try:
        with transaction.atomic():
            action()
        if checked is not None:
            checked.note_warnings(step.kind, when, run.report.warnings[warned:])
    except (IntegrityError, OperationalError) as exc:
        what = f"{step.kind}: " if step is not None else ""
        run.problems.items.append(
            _db_problem(f"{what}the database refused a write ({exc}); nothing written; re-run the sync")
        )
