"""Sync benchmark (SYNC-GEN-13): generate a deterministic workspace, then time first sync,
unchanged re-sync and a 1%-changed re-sync, and report peak memory.

    python bench/sync.py --videos 10000 --projects 200 --annotators 5 \
        --database-url postgres://postgres@127.0.0.1:5432/labelpizza_bench

The database named by --database-url is dropped and recreated (PostgreSQL) or replaced (SQLite file).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def generate(folder: Path, *, videos: int, projects: int, annotators: int) -> int:
    """A workspace: two groups per schema (count + description, NSFW), annotators answer everything."""
    write(
        folder / "videos.json",
        [
            {
                "video_uid": f"v{i:06d}.mp4",
                "url": f"https://cdn.example.org/v{i:06d}.mp4",
                "is_active": True,
                "metadata": {"n": i, "tags": ["bench"]},
            }
            for i in range(videos)
        ],
    )
    users = [
        {
            "user_id": f"Annotator {i}",
            "email": f"a{i}@example.org",
            "password": f"pass-{i}",
            "user_type": "human",
            "is_active": True,
        }
        for i in range(annotators)
    ]
    users.append(
        {
            "user_id": "Reviewer",
            "email": "reviewer@example.org",
            "password": "pass-r",
            "user_type": "human",
            "is_active": True,
        }
    )
    users.append({"user_id": "Model", "email": None, "password": "", "user_type": "model", "is_active": True})
    write(folder / "users.json", users)
    write(
        folder / "question_groups/count.json",
        {
            "title": "Count",
            "display_title": "Count",
            "description": "",
            "is_reusable": False,
            "is_auto_submit": False,
            "verification_function": None,
            "questions": [
                {
                    "qtype": "single",
                    "text": "How many?",
                    "display_text": "How many?",
                    "options": ["0", "1", "2+"],
                    "display_values": ["0", "1", "2+"],
                    "option_weights": [1.0, 1.0, 1.0],
                    "default_option": "0",
                },
                {"qtype": "description", "text": "Describe.", "display_text": "Describe.", "default_option": ""},
            ],
        },
    )
    write(
        folder / "question_groups/nsfw.json",
        {
            "title": "NSFW",
            "display_title": "NSFW",
            "description": "",
            "is_reusable": True,
            "is_auto_submit": True,
            "verification_function": None,
            "questions": [
                {
                    "qtype": "single",
                    "text": "NSFW?",
                    "display_text": "NSFW?",
                    "options": ["No", "Yes"],
                    "display_values": ["No", "Yes"],
                    "option_weights": [1.0, 99.0],
                    "default_option": "No",
                }
            ],
        },
    )
    write(
        folder / "schemas.json",
        [
            {
                "schema_name": "Bench",
                "instructions_url": None,
                "question_group_names": ["Count", "NSFW"],
                "has_custom_display": False,
                "is_active": True,
            }
        ],
    )
    per = max(1, videos // projects)
    plist, assignments, records = [], [], 0
    for p in range(projects):
        name = f"Project {p:04d}"
        uids = [f"v{i:06d}.mp4" for i in range(p * per, min(videos, (p + 1) * per))]
        plist.append(
            {"project_name": name, "schema_name": "Bench", "description": "", "is_active": True, "videos": uids}
        )
        for a in range(annotators):
            assignments.append(
                {
                    "user_name": f"Annotator {a}",
                    "project_name": name,
                    "role": "annotator",
                    "user_weight": 1.0,
                    "is_active": True,
                }
            )
        assignments.append(
            {"user_name": "Reviewer", "project_name": name, "role": "reviewer", "user_weight": 1.0, "is_active": True}
        )
        annotations = []
        for j, uid in enumerate(uids):
            for a in range(annotators):
                n = (j + a) % 3
                annotations.append(
                    {
                        "question_group_title": "Count",
                        "project_name": name,
                        "user_name": f"Annotator {a}",
                        "video_uid": uid,
                        "answers": {"How many?": ["0", "1", "2+"][n], "Describe.": f"seen {n}"},
                        "is_ground_truth": False,
                    }
                )
                annotations.append(
                    {
                        "question_group_title": "NSFW",
                        "project_name": name,
                        "user_name": f"Annotator {a}",
                        "video_uid": uid,
                        "answers": {"NSFW?": "No"},
                        "is_ground_truth": False,
                    }
                )
        records += len(annotations)
        write(folder / f"annotations/p{p:04d}.json", annotations)
    write(folder / "projects.json", plist)
    write(folder / "assignments.json", assignments)
    write(folder / "project_groups.json", [])
    return records


def change_one_percent(folder: Path) -> int:
    changed = 0
    for path in sorted((folder / "annotations").glob("*.json")):
        records = json.loads(path.read_text())
        for i in range(0, len(records), 100):
            r = records[i]
            key = next(iter(r["answers"]))
            if "Describe." in r["answers"]:
                r["answers"]["Describe."] += " (revised)"
            else:
                r["answers"][key] = "Yes" if r["answers"][key] == "No" else "No"
            changed += 1
        path.write_text(json.dumps(records))
    return changed


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0]
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", f"{base}/postgres", "-q", "-c", sql], check=True, stdin=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=200)
    parser.add_argument("--projects", type=int, default=4)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.gettempdir()}/labelpizza_bench.sqlite3")
    args = parser.parse_args()

    fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "true")
    from labelpizza.bootstrap import init_database

    init_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from syncing.helpers import sync_from_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "workspace"
        t = time.monotonic()
        records = generate(folder, videos=args.videos, projects=args.projects, annotators=args.annotators)
        print(
            f"workspace: {args.videos} videos, {args.projects} projects, {records} annotation records "
            f"(generated in {time.monotonic() - t:.1f} s); database {args.database_url.split('@')[-1]}"
        )
        for label in ("first sync", "unchanged re-sync"):
            report = sync_from_folder(folder, quiet=True)
            print(f"{label:<22}{report.elapsed_s:8.2f} s   {report.change_count} changes")
        n = change_one_percent(folder)
        report = sync_from_folder(folder, quiet=True)
        print(f"{'1%-changed re-sync':<22}{report.elapsed_s:8.2f} s   {report.change_count} changes ({n} edited)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)  {peak_mb:8.0f} MB")


if __name__ == "__main__":
    main()
