"""The one implementation behind `sync_folder` and the per-helper commands (SYNC-API-5, SYNC-OUT-8)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from syncing.errors import InputError, SyncError
from syncing.inputs import KINDS
from syncing.pipeline import SHOW_PROGRESS


class SyncCommand(BaseCommand):
    """Exit codes: 0 success or valid dry run; 1 validation errors (nothing written); 2 usage errors."""

    kind: str = ""  # the helper's kind; "" for sync_folder
    # No system checks: they import every URL module, view, the admin and DRF, about a second that a
    # sync never uses (issue 13). `manage.py check` and the server still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="validate and print the plan; write nothing")
        parser.add_argument("--verbose", action="store_true", help="list every record, unchanged ones included")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    def run_helper(self, call, *, as_json: bool, dry_run: bool, verbose: bool):
        try:
            token = SHOW_PROGRESS.set(not as_json)
            try:
                report = call(dry_run=dry_run, quiet=True, verbose=verbose)
            finally:
                SHOW_PROGRESS.reset(token)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except SyncError as exc:
            if as_json:
                self.stdout.write(json.dumps(_failed_dict(exc, dry_run), ensure_ascii=False))
            self.stderr.write(str(exc))
            sys.exit(1)
        except RuntimeError as exc:
            raise CommandError(str(exc), returncode=1) from None
        if as_json:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            self.stdout.write(str(report))


def _failed_dict(exc: SyncError, dry_run: bool) -> dict:
    return {
        "dry_run": dry_run,
        "ok": False,
        "tables": {},
        "changes": [],
        "warnings": [],
        "errors": [p.to_dict() | {"text": str(p)} for p in exc.problems],
    }


def helper_command(helper_name: str, kind_name: str):
    """Build the Command class for one helper, e.g. `sync_videos --path F`."""
    kind = KINDS[kind_name]

    class Command(SyncCommand):
        help = f"Run {helper_name} on a JSON file" + (" or a folder of JSON files." if kind.folder_arg else ".")

        def add_arguments(self, parser):
            group = parser.add_mutually_exclusive_group(required=True)
            group.add_argument("--path", help="a JSON file")
            if kind.folder_arg:
                group.add_argument("--folder", help="a folder of *.json files")
            super().add_arguments(parser)

        def handle(self, *args, path=None, folder=None, dry_run=False, verbose=False, json=False, **options):
            from syncing import helpers

            helper = getattr(helpers, helper_name)
            sources = {kind.path_arg: path} if path else {kind.folder_arg: folder}
            self.run_helper(lambda **kw: helper(**sources, **kw), as_json=json, dry_run=dry_run, verbose=verbose)

    return Command
