import os
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Import an original Label Pizza database (PostgreSQL, read-only) into this one, in one transaction."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--source-url", help="postgres://user:pass@host:5432/name of the original's database")
        source.add_argument("--source-url-name", help="the variable (environment or .env) that holds that URL")
        parser.add_argument("--dry-run", action="store_true", help="print what would be imported; write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import the rest when rows break our rules")
        parser.add_argument(
            "--report-file", type=Path, default=Path("import_labelpizza_report.txt"), help="where skipped rows go"
        )

    def handle(self, *args, source_url, source_url_name, dry_run, skip_invalid, report_file, **options):
        from labelpizza.bootstrap import load_dotenv
        from syncing.labelpizza_import import ImportRefused, SourceError, import_database

        if source_url_name:
            load_dotenv()
            source_url = os.environ.get(source_url_name)
            if not source_url:
                raise CommandError(f"--source-url-name {source_url_name}: no such variable in the environment or .env")
        started = time.monotonic()
        try:
            result = import_database(
                source_url,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                report_file=report_file,
                progress=self._bar if sys.stdout.isatty() and not dry_run else _quiet,
            )
        except SourceError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except ImportRefused as refused:
            self.stdout.write(refused.args[0].summary())
            raise CommandError(
                "rows above break this project's rules, so nothing was written; fix them in the source, or pass "
                "--skip-invalid to import the rest and list them in --report-file",
                returncode=1,
            ) from None
        self._clear()
        self.stdout.write(result.summary())
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")

    def _bar(self, table: str, done: int, total: int) -> None:
        filled = int(24 * done / total) if total else 24
        self.stdout.write(f"\r{table:<24} [{'#' * filled}{'.' * (24 - filled)}] {done:,}/{total:,}", ending="")
        self.stdout.flush()

    def _clear(self) -> None:
        if sys.stdout.isatty():
            self.stdout.write("\r" + " " * 78 + "\r", ending="")


def _quiet(table: str, done: int, total: int) -> None:
    pass
