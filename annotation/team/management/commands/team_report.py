"""`manage.py team_report --output FILE [--format xlsx|csv] [--from DATE] [--to DATE] [--days N]
[--project-group NAME] [--project NAME] [--role ROLE]`: the team page's figures as a workbook or CSV, for a cron job.

The file is rebuilt from the database each run (payments and feedback live there, so nothing is lost) and replaced
in one step. Progress goes to stderr: a live counter on a terminal, whole lines with -v 2. Exit code 1 with a
message naming the bad option when a date, project group or project is unknown.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from annotation.gt_export import write_file
from annotation.team import report
from annotation.team.figures import TEAM_ROLES, Filters, team_figures
from catalog.models import Project, ProjectGroup


def _date(option: str, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f'{option} "{value}" is not a date; use YYYY-MM-DD.', returncode=1) from None


class Command(BaseCommand):
    help = "Write the team report (figures per person and role, payments, feedback) as .xlsx or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="the file; its extension is corrected")
        parser.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day counted (inclusive)")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day counted (inclusive)")
        parser.add_argument("--days", type=int, help="the last N days up to today (instead of --from/--to)")
        parser.add_argument("--project-group", help="only the projects of this project group (name)")
        parser.add_argument("--project", help="only this project (name)")
        parser.add_argument("--role", choices=TEAM_ROLES)

    def handle(self, *args, output, fmt, start, end, days, project_group, project, role, verbosity, **options):
        self.verbosity = verbosity
        self.live = verbosity > 0 and self.stderr.isatty()
        start, end = _date("--from", start), _date("--to", end)
        if days is not None:
            if days < 1 or start or end:
                raise CommandError("--days takes a number of days ≥ 1 and cannot be mixed with --from/--to.")
            end = timezone.localdate()
            start = end - datetime.timedelta(days=days - 1)
        if start and end and start > end:
            raise CommandError(f"--from {start} is after --to {end}.", returncode=1)
        filters = Filters(
            project_group_id=self._lookup(ProjectGroup, "--project-group", project_group),
            project_id=self._lookup(Project, "--project", project),
            role=role,
            start=start,
            end=end,
        )
        path = output.with_suffix(f".{fmt}") if output.suffix.lower() != f".{fmt}" else output
        self.step(f"Computing the team figures ({filters.describe()})")
        if fmt == "csv":
            figures = team_figures(filters)
            data = report.csv_bytes(figures)
            summary = f"{len(figures.rows)} row(s)"
        else:
            data = report.workbook_bytes(
                filters, progress=lambda step, done, total: self.step(f"{step}: {done}/{total}")
            )
            summary = "the workbook"
        self.step(f"Writing {path}")
        write_file(data, path)
        self.step("")
        if verbosity >= 1:
            self.stdout.write(f"Wrote {summary} of the team report ({filters.describe()}) to {path}")

    def _lookup(self, model, option: str, name: str | None) -> int | None:
        if name is None:
            return None
        pk = model.objects.filter(name=name).values_list("pk", flat=True).first()
        if pk is None:
            raise CommandError(f'{option}: no {model._meta.verbose_name} named "{name}".', returncode=1)
        return pk

    def step(self, text: str) -> None:
        """Overwrite one status line on a terminal; print each step as a line with -v 2; else nothing."""
        plain = str  # progress is not an error: keep it out of stderr's red
        if self.live:
            self.stderr.write(f"\r\033[K{text}", style_func=plain, ending="")
        elif self.verbosity >= 2 and text:
            self.stderr.write(text, style_func=plain)
