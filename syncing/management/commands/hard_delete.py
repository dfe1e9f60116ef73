import argparse
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Hard-delete a row and everything that depends on it: prints the plan, asks you to type DELETE "
        "unless --force, backs up unless --no-backup, then deletes everything in one transaction."
    )

    def add_arguments(self, parser):
        from syncing.hard_delete import KINDS

        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument(
            "keys",
            nargs="+",
            metavar="KEY",
            help="the natural key: "
            + "; ".join(f"{kind} {' '.join(spec.keys).upper()}" for kind, spec in KINDS.items()),
        )
        parser.add_argument("--force", action="store_true", help="do not ask for DELETE")
        parser.add_argument("--no-backup", action="store_true", help="skip the backup taken before deleting")
        parser.add_argument("--backup-dir", default="./backups", help="default ./backups")
        parser.add_argument(
            "--backup-file", help="a bare name goes into --backup-dir; a path with a directory is used as given"
        )
        parser.add_argument(
            "--compress", action=argparse.BooleanOptionalAction, default=True, help="gzip the backup (default on)"
        )

    def handle(self, *args, kind, keys, force, no_backup, backup_dir, backup_file, compress, **options):
        from syncing.hard_delete import KINDS, HardDeleteError, hard_delete

        expected = KINDS[kind].keys
        if len(keys) != len(expected):
            names = " ".join(name.upper() for name in expected)
            raise CommandError(f"{kind} takes {len(expected)} key(s): {names}; got {len(keys)}", returncode=2)
        try:
            hard_delete(
                kind,
                *keys,
                force=force,
                backup_first=not no_backup,
                backup_dir=backup_dir,
                backup_file=backup_file,
                compress=compress,
                write=self.stdout.write,
                ask=self._ask,
            )
        except HardDeleteError as exc:
            raise CommandError(f"{exc}. Nothing was deleted.", returncode=2) from None

    def _ask(self, prompt: str) -> str:
        """The reply typed (or piped) on stdin; EOF means no reply."""
        self.stdout.write(prompt, ending="")
        self.stdout.flush()
        reply = input()
        if not sys.stdin.isatty():  # a piped reply is not echoed: end the prompt's line ourselves
            self.stdout.write("")
        return reply
