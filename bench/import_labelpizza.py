"""import_labelpizza benchmark (issue 12): generate an original Label Pizza database, then time the import
into a fresh database and an unchanged re-import.

    python bench/import_labelpizza.py --videos 1000 --projects 20 --answers 50000 \
        --source-url postgres://postgres@127.0.0.1:5432/lp12_bench_source \
        --database-url postgres://postgres@127.0.0.1:5432/lp12_bench

Both databases are dropped and recreated. The source gets the original's schema (syncing/tests/data/
labelpizza_original.sql); each project holds videos/projects videos, ten answerers (nine annotators and a model
with confidence scores) answer five questions on every video, and a reviewer gives ground truth.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWERERS = 10
QUESTIONS = 5  # four single, one description


def fresh_database(url: str) -> None:
    name, base = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0]
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", f"{base}/postgres", "-q", "-c", sql], check=True, stdin=subprocess.DEVNULL)


def generate(url: str, *, videos: int, projects: int, answers: int) -> dict[str, int]:
    import psycopg

    from syncing.tests.original_db import DDL, Source

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DDL.read_text(encoding="utf-8"))
    db = Source(url)
    rng = random.Random(12)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    users = [(1, "Admin", "admin@example.org", "admin-pass", "admin"), (2, "Reviewer", "rev@example.org", "r", "human")]
    users += [(3 + i, f"Annotator {i}", f"a{i}@example.org", f"pass-{i}", "human") for i in range(ANSWERERS - 1)]
    users.append((3 + ANSWERERS - 1, "Model", None, "", "model"))
    db.copy(
        "users",
        ["id", "user_id_str", "email", "password_hash", "user_type", "created_at", "updated_at", "is_archived"],
        [(*u, t0, t0, False) for u in users],
    )
    db.copy(
        "videos",
        ["id", "video_uid", "url", "video_metadata", "created_at", "updated_at", "is_archived"],
        [
            (i, f"v{i:05d}.mp4", f"https://cdn.example.org/v{i:05d}.mp4", f'{{"n": {i}}}', t0, t0, False)
            for i in range(1, videos + 1)
        ],
    )
    options = '["0", "1", "2", "3+"]'
    questions = [
        (q, f"Question {q}?", f"Question {q}?", "single", options, options, "[1, 1, 1, 1]", "0") for q in (1, 2, 3, 4)
    ]
    questions.append((5, "Describe it.", "Describe it.", "description", None, None, None, None))
    db.copy(
        "questions",
        [
            "id",
            "text",
            "display_text",
            "type",
            "options",
            "display_values",
            "option_weights",
            "default_option",
            "created_at",
        ],
        [(*q, t0) for q in questions],
    )
    db.copy("question_groups", ["id", "title", "display_title"], [(1, "Counts", "Counts"), (2, "Notes", "Notes")])
    db.copy(
        "question_group_questions",
        ["question_group_id", "question_id", "display_order"],
        [(1, 1, 0), (1, 2, 1), (1, 3, 2), (2, 4, 0), (2, 5, 1)],
    )
    db.copy("schemas", ["id", "name", "created_at", "updated_at"], [(1, "Bench schema", t0, t0)])
    db.copy("schema_question_groups", ["schema_id", "question_group_id", "display_order"], [(1, 1, 0), (1, 2, 1)])
    db.copy(
        "projects",
        ["id", "name", "schema_id", "description", "created_at", "updated_at"],
        [(p, f"Project {p:02d}", 1, "", t0, t0) for p in range(1, projects + 1)],
    )
    per_project = videos // projects
    members = [(p, (p - 1) * per_project + k + 1) for p in range(1, projects + 1) for k in range(per_project)]
    db.copy(
        "project_videos",
        ["project_id", "video_id", "added_at"],
        [(p, v, t0 + timedelta(seconds=v)) for p, v in members],
    )
    roles = []
    for p in range(1, projects + 1):
        roles += [(p, 1, "admin"), (p, 1, "reviewer"), (p, 1, "annotator"), (p, 2, "reviewer")]
        roles += [(p, uid, "annotator") for uid in range(3, 3 + ANSWERERS - 1)] + [(p, 3 + ANSWERERS - 1, "model")]
    db.copy(
        "project_user_roles",
        ["project_id", "user_id", "role", "user_weight", "assigned_at"],
        [(*r, 1.0, t0) for r in roles],
    )
    rows, answer_id, reviews, gts = [], 0, [], []
    answerers = list(range(3, 3 + ANSWERERS))
    for p, v in members:
        for uid in answerers:
            for q in range(1, QUESTIONS + 1):
                if answer_id >= answers:
                    break
                answer_id += 1
                value = f"Seen by {uid} on {v}." if q == 5 else rng.choice(["0", "1", "2", "3+"])
                confidence = rng.random() if uid == answerers[-1] else None
                kind = "description" if q == 5 else "single"
                rows.append((answer_id, v, q, uid, p, kind, value, confidence, t0, t0))
                if q == 5 and answer_id % 5 == 0:
                    reviews.append((answer_id, 2, "approved", t0))
        for q in range(1, QUESTIONS + 1):
            value = "Ground truth." if q == 5 else "1"
            gts.append((v, q, p, 2, "description" if q == 5 else "single", value, value, t0))
    db.copy(
        "annotator_answers",
        ["id", "video_id", "question_id", "user_id", "project_id", "answer_type", "answer_value", "confidence_score"]
        + ["created_at", "modified_at"],
        rows,
    )
    db.copy("answer_reviews", ["answer_id", "reviewer_id", "status", "reviewed_at"], reviews)
    db.copy(
        "reviewer_ground_truth",
        ["video_id", "question_id", "project_id", "reviewer_id", "answer_type", "answer_value"]
        + ["original_answer_value", "created_at"],
        gts,
    )
    db.close()
    return {"answers": len(rows), "reviews": len(reviews), "ground truth": len(gts), "roles": len(roles)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=1000)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--source-url", default="postgres://postgres@127.0.0.1:5432/lp12_bench_source")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lp12_bench")
    args = parser.parse_args()

    fresh_database(args.source_url)
    fresh_database(args.database_url)
    t = time.monotonic()
    made = generate(args.source_url, videos=args.videos, projects=args.projects, answers=args.answers)
    print(
        f"source: {args.videos} videos, {args.projects} projects, "
        + ", ".join(f"{n} {what}" for what, n in made.items())
        + f" (generated in {time.monotonic() - t:.1f} s)"
    )
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "true")
    from labelpizza.bootstrap import init_database

    init_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for label in ("first import", "unchanged re-import"):
        out = io.StringIO()
        t = time.monotonic()
        call_command("import_labelpizza", "--source-url", args.source_url, stdout=out)
        elapsed = time.monotonic() - t
        answers = next(line for line in out.getvalue().splitlines() if line.startswith("annotator_answers"))
        print(f"{label:<22}{elapsed:8.2f} s   {answers}")


if __name__ == "__main__":
    main()
