from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from syncing.workspace_compare import WorkspaceCompareError, format_table, merge_folders

COLUMNS = ("type", "A", "B", "merged", "conflicts")


class Command(BaseCommand):
    help = "Merge two workspace folders into a new one; on a conflict the preferred folder wins."

    def add_arguments(self, parser):
        parser.add_argument("folder1", type=Path, help="workspace A")
        parser.add_argument("folder2", type=Path, help="workspace B")
        parser.add_argument("--out", required=True, type=Path, help="the merged workspace: a new or empty folder")
        parser.add_argument("--prefer", choices=("first", "second"), default="first", help="who wins a conflict")

    def handle(self, *args, folder1, folder2, out, prefer, **options):
        try:
            result = merge_folders(folder1, folder2, out, prefer=prefer)
        except WorkspaceCompareError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = [COLUMNS]
        for name, merged in result.types.items():
            counts = (merged.folder1_count, merged.folder2_count, merged.merged_count, merged.conflicts_resolved)
            rows.append((name, *map(str, counts)))
        totals = result.counts()
        counts = ("folder1_count", "folder2_count", "merged_count", "conflicts_resolved")
        rows.append(("total", *(str(totals[name]) for name in counts)))
        self.stdout.write(f"Merged {folder1} and {folder2} into {out} (on conflicts, {prefer} wins)")
        self.stdout.write(format_table(rows))
        if result.verify_source is not None:
            self.stdout.write(f"Copied verify.py from {result.verify_source}")
        if result.verify_skipped is not None:
            self.stdout.write(f"warning: {result.verify_skipped} differs and was not copied; check the merged groups")
