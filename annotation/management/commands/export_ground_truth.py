"""`manage.py export_ground_truth PROJECT… --format json|excel --output FILE [-v]` (EXPORT-GT-1).

Exit codes as for sync (SYNC-OUT-8): 0 written; 1 validation failures, one line each on stderr, nothing written;
2 usage errors (argparse).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotation.gt_export import FORMATS, file_bytes, output_path, prepare_export, write_file


class Command(BaseCommand):
    help = "Validate, then export the ground truth of the given projects (names or ids) as JSON or Excel."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # "resolve" lets add_arguments redefine Django's -v so that a bare `-v` means verbose (EXPORT-GT-1).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("projects", nargs="+", metavar="PROJECT", help="a project name or numeric id")
        parser.add_argument("--format", dest="fmt", choices=list(FORMATS), default="json")
        parser.add_argument("--output", required=True, type=Path, help="the file; its extension is corrected")
        parser.add_argument(
            "-v",
            "--verbosity",
            type=int,
            choices=[0, 1, 2, 3],
            nargs="?",
            const=2,
            default=1,
            help="0 silent; 1 the summary (default); 2, or a bare -v, also the projects and each step",
        )

    def handle(self, *args, projects, fmt, output, verbosity, **options):
        self.verbosity = verbosity
        # Long exports show a live counter, but only on a terminal: logs and pipes get whole lines.
        self.live = verbosity > 0 and self.stderr.isatty()
        self.step(f"Loading the ground truth of {len(projects)} project(s)")
        export = prepare_export(projects)
        if not export.validation.ok:
            self.step("")
            for line in export.validation.failures:
                self.stderr.write(f"error: {line}")
            n = len(export.validation.failures)
            raise CommandError(f"Export refused: {n} validation failure(s); no file written.", returncode=1)
        self.step(f"Validated: {', '.join(p.name for p in export.projects)}")
        rows = export.rows(progress=lambda step, done, total: self.step(f"{step}: {done}/{total} videos"))
        path = output_path(output, fmt)
        self.step(f"Writing {path}")
        write_file(file_bytes(export, rows, fmt), path)
        self.step("")
        if verbosity >= 1:
            self.stdout.write(
                f"Exported ground truth for {len(rows)} video(s) and {len(export.question_texts())} question(s) "
                f"from {len(export.projects)} project(s) to {path}"
            )

    def step(self, text: str) -> None:
        """Overwrite one status line on a terminal; print each step as a line with -v; else nothing."""
        plain = str  # progress is not an error: keep it out of stderr's red
        if self.live:
            self.stderr.write(f"\r\033[K{text}", style_func=plain, ending="")
        elif self.verbosity >= 2 and text:
            self.stderr.write(text, style_func=plain)
