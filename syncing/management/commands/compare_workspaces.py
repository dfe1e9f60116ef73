import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from syncing.workspace_compare import WorkspaceCompareError, diff_workspace, format_table, write_diffs

COLUMNS = ("type", "A", "B", "identical", "only in A", "only in B", "different")


class Command(BaseCommand):
    help = "Compare two workspace folders record by record. Exit 0 when identical, 1 when they differ."

    def add_arguments(self, parser):
        parser.add_argument("folder1", type=Path, help="workspace A")
        parser.add_argument("folder2", type=Path, help="workspace B")
        parser.add_argument("--output", type=Path, help="write diff_<type>.json files into this folder")

    def handle(self, *args, folder1, folder2, output, **options):
        try:
            diffs = diff_workspace(folder1, folder2)
            if output is not None:
                write_diffs(diffs, output)
        except WorkspaceCompareError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(summary_table(diffs))
        if output is not None:
            self.stdout.write(f"Wrote diff_<type>.json files to {output}")
        differences = sum(d["summary"]["differences_found"] for d in diffs.values())
        if differences:
            self.stdout.write(f"The workspaces differ: {differences} record(s).")
            sys.exit(1)  # like diff(1): 1 means "different", while CommandError's 2 means bad input
        self.stdout.write("The workspaces are identical.")


def summary_table(diffs: dict[str, dict]) -> str:
    rows = [COLUMNS]
    for name, diff in diffs.items():
        summary = diff["summary"]
        counts = (summary["folder1_count"], summary["folder2_count"], len(diff["identical"]))
        counts += (len(diff["folder1_only"]), len(diff["folder2_only"]), len(diff["different"]))
        rows.append((name, *map(str, counts)))
    return format_table(rows)
