import argparse

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rename a natural key: a user_id, video_uid, question text, group title or a name."

    def add_arguments(self, parser):
        from syncing.rename import KINDS

        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("old", help="the current name")
        parser.add_argument("new", help="the new name")
        parser.add_argument("--no-backup", action="store_true", help="skip the backup taken before renaming")
        parser.add_argument("--backup-dir", default="./backups", help="default ./backups")
        parser.add_argument(
            "--backup-file", help="a bare name goes into --backup-dir; a path with a directory is used as given"
        )
        parser.add_argument(
            "--compress", action=argparse.BooleanOptionalAction, default=True, help="gzip the backup (default on)"
        )

    def handle(self, *args, kind, old, new, no_backup, backup_dir, backup_file, compress, **options):
        from syncing.rename import RenameError, rename

        try:
            result = rename(
                kind,
                old,
                new,
                backup_first=not no_backup,
                backup_dir=backup_dir,
                backup_file=backup_file,
                compress=compress,
            )
        except RenameError as exc:
            raise CommandError(f"{exc}. Nothing was renamed.", returncode=2) from None
        self.stdout.write(result.summary())
