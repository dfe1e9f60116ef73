from pathlib import Path

from syncing.management.sync_command import SyncCommand


class Command(SyncCommand):
    help = "Sync a workspace folder into the database, in dependency order, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--folder-path", required=True, type=Path, help="the workspace folder")
        super().add_arguments(parser)

    def handle(self, *args, folder_path, dry_run=False, verbose=False, json=False, **options):
        from syncing.helpers import sync_from_folder

        self.run_helper(
            lambda **kw: sync_from_folder(folder_path, **kw), as_json=json, dry_run=dry_run, verbose=verbose
        )
