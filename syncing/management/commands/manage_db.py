"""`python manage.py manage_db --mode init|backup|reset|restore|list` (spec §8, DB-1..DB-11).

The work is in `syncing.database`; this module parses flags, asks for confirmations and prints.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from syncing.database import DatabaseToolError, first_line
from syncing.database.admin_seed import AdminSpec, admin_spec, check_admin, normalize_email, seed_admin
from syncing.database.backup import (
    BackupResult,
    human_size,
    list_backups,
    resolve_backup_path,
    timestamped_name,
    write_backup,
)
from syncing.database.restore import inspect_backup, restore_database
from syncing.database.schema import check_connection, drop_all_tables, masked_url, migrate
from syncing.database.tables import (
    backup_models,
    check_tables,
    counted_models,
    data_rows,
    describe_rows,
    missing_tables,
    plural,
    rows_in,
)

MODES = ("init", "backup", "reset", "restore", "list")


def _one_line_usage_error(parser, message: str):
    """DB-10: an unknown flag or mode is one line on stderr and exit 1, not argparse's usage and exit 2."""
    if parser.called_from_command_line:
        sys.stderr.write(f"manage_db: error: {message} (see python manage.py manage_db --help)\n")
        sys.exit(1)
    raise CommandError(f"Error: {message}", returncode=1)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def restore_command(path: Path) -> str:
    return f"python manage.py manage_db --mode restore --backup-file {shlex.quote(str(path.resolve()))} --force"


class Command(BaseCommand):
    help = "Initialise, back up, reset, restore or list backups of the database."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = lambda message: _one_line_usage_error(parser, message)
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=MODES, default="init", help="default: init")
        parser.add_argument("--email", help="seed admin's email; required for init and reset")
        parser.add_argument("--password", help="seed admin's password; required with --email; no default")
        parser.add_argument("--user-id", default="Admin User", help='seed admin\'s user_id (default "Admin User")')
        parser.add_argument("--force", action="store_true", help="skip confirmations (needed without a terminal)")
        parser.add_argument("--auto-backup", action="store_true", help="reset: back up first")
        parser.add_argument("--backup-dir", default="./backups", help="default ./backups")
        parser.add_argument(
            "--backup-file", help="a bare name goes into --backup-dir; a path with a directory is used as given"
        )
        parser.add_argument(
            "--compress", action=argparse.BooleanOptionalAction, default=True, help="gzip backups (default on)"
        )
        # manage.py consumes this global option before Django starts (SYNC-API-2); listed here for --help.
        parser.add_argument("--database-url-name", metavar="NAME", help="read the database URL from variable NAME")

    def handle(self, *args, mode: str, **options):
        try:
            check_connection()
            getattr(self, f"_{mode}")(**options)
        except DatabaseToolError as exc:
            raise CommandError(str(exc), returncode=1) from None

    # ------------------------------------------------------------------ modes

    def _init(self, *, email, password, user_id, force, **_):
        admin = admin_spec(email=email, password=password, user_id=user_id, mode="init")
        rows = data_rows()
        if rows:  # even with --force (DB-4)
            raise DatabaseToolError(
                f"init refused: the database already holds data ({describe_rows(rows)}); "
                "to start over use --mode reset --auto-backup"
            )
        self._confirm(
            f"Initialise {masked_url()} and create admin {admin.email}? [y/N] ", answer="y", force=force, action="init"
        )
        migrate()
        self._seed_and_check(admin)
        self.stdout.write(f"Initialised {masked_url()}")

    def _backup(self, *, backup_dir, backup_file, compress, force, **_):
        if missing_tables(backup_models()):
            raise DatabaseToolError("nothing to back up: the database is not migrated (run --mode init first)")
        if not data_rows():
            self._confirm(
                "The database has no data rows. Back up anyway? [y/N] ", answer="y", force=force, action="backup"
            )
        default_name = timestamped_name("backup", compress=compress)
        path = resolve_backup_path(backup_dir=backup_dir, backup_file=backup_file, default_name=default_name)
        self._report_backup(write_backup(path, compress=compress))

    def _reset(self, *, email, password, user_id, force, auto_backup, backup_dir, backup_file, compress, **_):
        admin = admin_spec(email=email, password=password, user_id=user_id, mode="reset")
        self.stdout.write(f"Reset drops every table of {masked_url()} and recreates them empty.")
        self._confirm("Type NUCLEAR to continue: ", answer="NUCLEAR", force=force, action="reset")
        backup = None
        if auto_backup:
            if not data_rows():
                self.stdout.write("Nothing to back up")
            else:
                default_name = timestamped_name("backup_before_reset", compress=compress)
                path = resolve_backup_path(backup_dir=backup_dir, backup_file=backup_file, default_name=default_name)
                backup = write_backup(path, compress=compress)  # a failure stops here: nothing changed
                self._report_backup(backup)
        try:
            drop_all_tables()
            migrate()
            self._seed_and_check(admin)
        except Exception as exc:
            hint = f" Restore the backup with: {restore_command(backup.path)}" if backup else ""
            raise DatabaseToolError(f"reset failed: {first_line(exc)}.{hint}") from exc
        self.stdout.write(f"Reset {masked_url()}")
        if backup:
            self.stdout.write(f"To undo: {restore_command(backup.path)}")

    def _restore(self, *, backup_dir, backup_file, email, password, user_id, force, **_):
        if not backup_file:
            raise DatabaseToolError("--mode restore needs --backup-file")
        path = resolve_backup_path(backup_dir=backup_dir, backup_file=backup_file, default_name="")
        contents = inspect_backup(path)
        if contents.meta is None:
            self.stderr.write(f"Warning: {path} has no sidecar; its migrations and row counts cannot be checked.")
        admin = self._admin_to_seed_after_restore(contents, email=email, password=password, user_id=user_id)
        rows = rows_in(counted_models())
        if rows:
            self.stdout.write(f"{masked_url()} holds {describe_rows(rows)}; restore replaces all of it.")
            self._confirm("Type DESTROY to continue: ", answer="DESTROY", force=force, action="restore")
        self.stdout.write(f"Restoring {plural(contents.objects, 'object')} from {path} into {masked_url()}")
        self.stdout.flush()

        def seed_and_check():
            if admin:
                seed_admin(admin)
                check_admin(admin.email)
            check_tables()

        try:
            restore_database(contents, then=seed_and_check)
        except Exception as exc:
            raise DatabaseToolError(f"restore failed: {first_line(exc)}; nothing was changed") from exc
        self.stdout.write(f"Restored {plural(contents.objects, 'object')} from {path} into {masked_url()}")
        if admin:
            self.stdout.write(f"Admin user: {admin.email} (user_id: {admin.user_id})")
        elif email:
            self.stdout.write(f"{normalize_email(email)} is in the backup; no admin created.")

    def _list(self, *, backup_dir, **_):
        backups = list_backups(Path(backup_dir))
        if not backups:
            self.stdout.write(f"No backups in {backup_dir}")
            return
        self.stdout.write(f"Backups in {backup_dir}:")
        for b in backups:
            rows = "? rows" if b.total_rows is None else plural(b.total_rows, "row")
            created = b.created_at or "(no sidecar)"
            self.stdout.write(f"  {b.path.name}  {created}  {human_size(b.size_bytes)}  {rows}")

    # ------------------------------------------------------------------ shared steps

    def _confirm(self, prompt: str, *, answer: str, force: bool, action: str) -> None:
        """DB-3: without a terminal every confirmation is declined unless --force; never wait for input."""
        if force:
            return
        if not _stdin_is_tty():
            raise DatabaseToolError(
                f"{action} needs confirmation but stdin is not a terminal; nothing was changed (pass --force)"
            )
        self.stdout.write(prompt, ending="")
        self.stdout.flush()
        try:
            reply = input().strip()
        except EOFError:
            reply = ""
        accepted = reply.lower() in ("y", "yes") if answer == "y" else reply == answer
        if not accepted:
            raise DatabaseToolError(f"{action} cancelled; nothing was changed")

    def _admin_to_seed_after_restore(self, contents, *, email, password, user_id) -> AdminSpec | None:
        """DB-8: seed the admin only when no user in the backup has that email; decide before changing anything."""
        if not email or contents.user_id_with_email(normalize_email(email)):
            return None
        admin = admin_spec(email=email, password=password, user_id=user_id, mode="restore --email")
        if admin.user_id in contents.users:
            raise DatabaseToolError(
                f'cannot create admin "{admin.user_id}" with {admin.email}: the backup has that user_id '
                "with another email (choose --user-id)"
            )
        return admin

    def _seed_and_check(self, admin: AdminSpec) -> None:
        seed_admin(admin)
        check_tables()
        check_admin(admin.email)
        self.stdout.write(f"Admin user: {admin.email} (user_id: {admin.user_id})")

    def _report_backup(self, result: BackupResult) -> None:
        if result.overwrote:
            self.stdout.write(f"Overwrote {result.path}")
        rows = plural(result.total_rows, "row")
        self.stdout.write(f"Backup written to {result.path} ({result.size}, {rows})")
