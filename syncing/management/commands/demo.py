"""`make demo`'s set-up: a new database gets the admin and the demo workspace; a used one is only migrated.

Running the demo twice must never refuse to start nor overwrite what people did in the first run (an answer, a
ground truth, an override), so the demo workspace is loaded only while the database holds no videos, question
groups or projects.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.models import Assignment, Project, QuestionGroup, User, Video
from syncing.database import DatabaseToolError
from syncing.database.admin_seed import admin_spec, normalize_email, seed_admin
from syncing.database.schema import migrate
from syncing.errors import SyncError

DEMO_WORKSPACE = Path(settings.BASE_DIR) / "fixtures" / "example"


class Command(BaseCommand):
    help = "Prepare the demo: migrate, and in a new database create the admin and load the demo workspace."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="the admin's email")
        parser.add_argument("--password", required=True, help="the admin's password")
        parser.add_argument("--user-id", required=True, help="the admin's user id")
        parser.add_argument("--workspace", type=Path, default=DEMO_WORKSPACE, help="default: fixtures/example")
        parser.add_argument("--url", default="http://localhost:8000/", help="where the demo is served")

    def handle(self, *args, email, password, user_id, workspace, url, **options):
        try:
            admin = admin_spec(email=email, password=password, user_id=user_id, mode="demo")
        except DatabaseToolError as exc:
            raise CommandError(str(exc)) from None
        migrate()
        if not User.objects.filter(email=normalize_email(admin.email)).exists():
            seed_admin(admin)
            self.stdout.write(f"Created the admin {admin.email}")
        if _holds_work():
            self.stdout.write("The database already holds projects: kept as it is (the demo is not reloaded).")
        else:
            self._load(workspace)
        self._print_logins(admin, workspace, url)

    def _load(self, workspace: Path) -> None:
        from syncing.helpers import sync_from_folder

        try:
            sync_from_folder(workspace, quiet=True)
        except SyncError as exc:
            raise CommandError(f"the demo workspace {workspace} did not load:\n{exc}") from None
        self.stdout.write(f"Loaded the demo workspace from {workspace}")

    def _print_logins(self, admin, workspace: Path, url: str) -> None:
        self.stdout.write(f"\nThe demo is served at {url}. Log in as:")
        self.stdout.write(f"  admin      {admin.email} / {admin.password}")
        for role, login in _demo_logins(workspace).items():
            self.stdout.write(f"  {role:<10} {login}")


def _holds_work() -> bool:
    return Video.objects.exists() or QuestionGroup.objects.exists() or Project.objects.exists()


def _demo_logins(workspace: Path) -> dict[str, str]:
    """The demo's first annotator (who reviews nowhere) and first reviewer that still exist, with passwords."""
    try:
        users = json.loads((workspace / "users.json").read_text(encoding="utf-8"))
        assignments = json.loads((workspace / "assignments.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    people = {
        u.get("user_id"): u for u in users if u.get("email") and u.get("password") and u.get("user_type") == "human"
    }
    present = set(User.objects.active().filter(user_id__in=people).values_list("user_id", flat=True))
    reviewers = [row.get("user_name") for row in assignments if row.get("role") == Assignment.Role.REVIEWER]
    annotators = [
        row.get("user_name")
        for row in assignments
        if row.get("role") == Assignment.Role.ANNOTATOR and row.get("user_name") not in reviewers
    ]
    logins = {}
    for role, names in (("annotator", annotators), ("reviewer", reviewers)):
        name = next((name for name in names if name in present), None)
        if name:
            logins[role] = f"{people[name]['email']} / {people[name]['password']}"
    return logins
