from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write the database into a folder in exactly the sync layout."

    def add_arguments(self, parser):
        parser.add_argument("--folder-path", required=True, type=Path)
        parser.add_argument("--force", action="store_true", help="replace the exported files in a non-empty folder")

    def handle(self, *args, folder_path, force, **options):
        from syncing.export import ExportError, export_workspace

        try:
            result = export_workspace(folder_path, force=force)
        except ExportError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(result.summary())
