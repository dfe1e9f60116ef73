"""API bulk-write benchmark (issue 16, point 8): time 1,000-record batches of the write endpoints.

Builds a project of 500 videos whose schema has two groups (so 1,000 records cover it once), a model
user, a reviewer and a global admin, then posts through the whole Django stack (middleware, token
authentication, DRF) with DEBUG off, and prints the wall time and query count of each batch:

    python bench/api_writes.py --database-url postgres://postgres@127.0.0.1:5432/labelpizza_bench

The database named by --database-url is dropped and recreated (PostgreSQL) or replaced (SQLite file).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync import fresh_database  # noqa: E402  (bench/sync.py, beside this file)

VIDEOS = 500


def build():
    """The project, its schema (Count: two questions; NSFW: one) and the cast; returns their tokens."""
    from catalog.models import (
        Assignment,
        Project,
        ProjectVideo,
        Question,
        QuestionGroup,
        QuestionGroupQuestion,
        Schema,
        SchemaQuestionGroup,
        User,
        Video,
    )
    from catalog.roles import ensure_global_admin_rows
    from catalog.tokens import issue_token

    count = QuestionGroup.objects.create(title="Count", display_title="Count")
    nsfw = QuestionGroup.objects.create(title="NSFW", display_title="NSFW")
    questions = [
        (count, Question.objects.create(text="How many?", qtype="single", options=["0", "1", "2+"])),
        (count, Question.objects.create(text="Describe.", qtype="description")),
        (nsfw, Question.objects.create(text="NSFW?", qtype="single", options=["No", "Yes"])),
    ]
    for i, (group, q) in enumerate(questions):
        QuestionGroupQuestion.objects.create(group=group, question=q, position=i)
    schema = Schema.objects.create(name="Bench")
    for i, group in enumerate((count, nsfw)):
        SchemaQuestionGroup.objects.create(schema=schema, group=group, position=i)
    project = Project.objects.create(name="Bench project", schema=schema)
    videos = Video.objects.bulk_create(
        Video(video_uid=f"v{i:05d}.mp4", url=f"https://cdn.example.org/v{i:05d}.mp4") for i in range(VIDEOS)
    )
    ProjectVideo.objects.bulk_create(ProjectVideo(project=project, video=v, position=i) for i, v in enumerate(videos))
    model = User.objects.create(user_id="Model", user_type="model")
    reviewer = User.objects.create(user_id="Reviewer", email="reviewer@example.org")
    admin = User.objects.create(user_id="Admin", email="admin@example.org", user_type=User.UserType.ADMIN)
    Assignment.objects.create(user=model, project=project, role=Assignment.Role.MODEL)
    Assignment.objects.create(user=reviewer, project=project, role=Assignment.Role.REVIEWER)
    ensure_global_admin_rows(users=[admin])
    return project, [v.video_uid for v in videos], {u: issue_token(u) for u in (model, reviewer, admin)}


def records(project, uids, version: int) -> list[dict]:
    """1,000 records: both groups on each of the 500 videos; `version` changes every value."""
    out = []
    for i, uid in enumerate(uids):
        base = {"project_name": project.name, "video_uid": uid}
        count = {"How many?": ["0", "1", "2+"][(i + version) % 3], "Describe.": f"video {i}, take {version}"}
        out.append({**base, "question_group_title": "Count", "answers": count})
        out.append({**base, "question_group_title": "NSFW", "answers": {"NSFW?": ["No", "Yes"][(i + version) % 2]}})
    return out


def post(client, key: str, path: str, body: list[dict]) -> tuple[float, int, dict]:
    from django.db import connection, reset_queries

    reset_queries()
    connection.force_debug_cursor = True  # count queries with DEBUG off
    started = time.perf_counter()
    response = client.post(path, body, format="json", HTTP_AUTHORIZATION=f"Token {key}", secure=True)
    elapsed = time.perf_counter() - started
    connection.force_debug_cursor = False
    data = response.json()
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} {data['errors'][:3]}")
    return elapsed, len(connection.queries), data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.gettempdir()}/labelpizza_api_bench.sqlite3")
    args = parser.parse_args()

    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["API_THROTTLE_RATE"] = "off"
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the in-process client's host
    from labelpizza.bootstrap import init_database

    init_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rest_framework.test import APIClient

    project, uids, keys = build()
    model, reviewer, admin = keys.values()
    client = APIClient()
    print(f"database {args.database_url.split('@')[-1]}; {VIDEOS} videos x 2 groups = 1000 records per batch")
    runs = [
        ("annotations, created", model, "/api/annotations/", 1),
        ("annotations, unchanged", model, "/api/annotations/", 1),
        ("annotations, all changed", model, "/api/annotations/", 2),
        ("ground truth, created", reviewer, "/api/ground-truth/", 1),
        ("ground truth, unchanged", reviewer, "/api/ground-truth/", 1),
        ("ground truth, all changed", reviewer, "/api/ground-truth/", 2),
        ("override, all changed", admin, "/api/ground-truth/override/", 3),
    ]
    for label, key, path, version in runs:
        elapsed, queries, data = post(client, key, path, records(project, uids, version))
        counts = f"{data['created']} created, {data['updated']} updated, {data['unchanged']} unchanged"
        print(f"{label:<28}{elapsed:7.2f} s {queries:5d} queries   {counts}")


if __name__ == "__main__":
    main()
