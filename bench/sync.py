"""Sync benchmark (SYNC-GEN-13, issue 13): generate a deterministic workspace, then time the first sync,
an unchanged re-sync and a re-sync with 1 % of the answers changed, each as a user runs it (a whole
`manage.py sync_folder --folder-path …` process, DEBUG off), with the process's peak memory.

    python bench/sync.py --videos 10000 --projects 200 \
        --database-url postgres://postgres@127.0.0.1:5432/labelpizza_bench \
        --database-url sqlite:////tmp/labelpizza_bench.sqlite3

The default shape is the issue's: 10,000 videos in 200 projects, 22 users (16 annotators, 3 reviewers,
2 admins, 1 model), per project 3 annotators and the model user answering 6 question groups (13
questions: single choice and descriptions, the model with confidence scores; reviews on some
descriptions), ground truth on half of the videos (some with admin overrides) and custom displays on
a tenth of each project's videos: 240,000 annotation records (520,000 answers) and 30,000 GT records
(65,000 rows), about 100 MB of JSON. `--multiple-choice` makes "Which food?" a multiple-choice question
(answers are lists of options, written in varying order) to time list answers through the same path.
Every database named is dropped and recreated (PostgreSQL) or
replaced (SQLite file), then migrated (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ANNOTATORS = [f"Annotator {i:02d}" for i in range(16)]
REVIEWERS = [f"Reviewer {i}" for i in range(3)]
ADMINS = [f"Admin {i}" for i in range(2)]
MODEL = "Model 1"
PER_PROJECT = 3  # annotators per project, besides the model user
WORDS = [
    "a",
    "person",
    "walks",
    "past",
    "the",
    "counter",
    "while",
    "someone",
    "slices",
    "pizza",
    "near",
    "the",
    "window",
    "in",
    "the",
    "evening",
    "light",
]

# Six groups, 13 questions: (title, reusable, [(text, options or None for a description)]).
GROUPS = [
    ("People", False, [("How many people?", ["0", "1", "2", "3+"]), ("Describe the people.", None)]),
    ("Food", False, [("Is there food?", ["No", "Yes"]), ("Which food?", ["pizza", "pasta", "salad", "other"])]),
    ("Scene", False, [("Indoors?", ["No", "Yes"]), ("Lighting?", ["dark", "dim", "bright"]), ("Describe it.", None)]),
    ("Motion", False, [("Camera moves?", ["No", "Yes"]), ("Speed?", ["slow", "normal", "fast"])]),
    ("Audio", False, [("Speech?", ["No", "Yes"]), ("Music?", ["No", "Yes"])]),
    ("NSFW", True, [("Not safe for work?", ["No", "Yes"]), ("Why not safe?", None)]),
]


def write(path: Path, data) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=1)
    path.write_text(text, encoding="utf-8")
    return len(text)


def sentence(n: int, words: int = 10) -> str:
    return " ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(words))


MULTIPLE = "Which food?"  # the question --multiple-choice turns into a multiple-choice one
multiple_choice = False  # set by --multiple-choice


def answer(question: str, options: list[str] | None, n: int) -> str | list[str]:
    if multiple_choice and question == MULTIPLE:  # a subset by n's bits, in option order or reversed
        chosen = [o for i, o in enumerate(options) if (n >> i) & 1]
        return chosen[::-1] if n % 2 else chosen
    return options[n % len(options)] if options else f"{sentence(n)} ({question[:8]} {n})"


def choice_question(text: str, options: list[str]) -> dict:
    multiple = multiple_choice and text == MULTIPLE
    definition = {"qtype": "multiple" if multiple else "single", "text": text, "display_text": text}
    definition |= {"options": options, "display_values": [o.capitalize() for o in options]}
    definition["option_weights"] = [1.0] * len(options)
    return definition | ({"default_options": []} if multiple else {"default_option": options[0]})


def question_group(title: str, reusable: bool, questions) -> dict:
    return {
        "title": title,
        "display_title": title,
        "description": f"Questions about {title.lower()}.",
        "is_reusable": reusable,
        "is_auto_submit": False,
        "verification_function": None,
        "questions": [
            choice_question(text, options)
            if options
            else {"qtype": "description", "text": text, "display_text": text, "default_option": ""}
            for text, options in questions
        ],
    }


def project_users(p: int) -> list[str]:
    return [ANNOTATORS[(p * PER_PROJECT + k) % len(ANNOTATORS)] for k in range(PER_PROJECT)]


def generate(folder: Path, *, videos: int, projects: int) -> dict:
    """Write the workspace; returns its counts."""
    size = write(
        folder / "videos.json",
        [
            {
                "video_uid": f"v{i:06d}.mp4",
                "url": f"https://cdn.example.org/clips/v{i:06d}.mp4",
                "is_active": True,
                "metadata": {"fps": 30, "duration_s": 5 + i % 40, "source": "bench", "tags": ["kitchen", "street"]},
            }
            for i in range(videos)
        ],
    )
    users = [
        {"user_id": name, "email": f"{name.lower().replace(' ', '')}@example.org", "password": f"pw-{name}"}
        | {"user_type": user_type, "is_active": True}
        for names, user_type in ((ANNOTATORS, "human"), (REVIEWERS, "human"), (ADMINS, "admin"))
        for name in names
    ]
    users.append({"user_id": MODEL, "email": None, "password": "", "user_type": "model", "is_active": True})
    size += write(folder / "users.json", users)
    for title, reusable, questions in GROUPS:
        size += write(folder / f"question_groups/{title.lower()}.json", question_group(title, reusable, questions))
    size += write(
        folder / "schemas.json",
        [
            {
                "schema_name": "Bench",
                "instructions_url": "https://example.org/instructions",
                "question_group_names": [title for title, _, _ in GROUPS],
                "has_custom_display": True,
                "is_active": True,
            }
        ],
    )
    per = max(1, videos // projects)
    plist, assignments = [], []
    counts = {"annotation records": 0, "answers": 0, "GT records": 0, "GT rows": 0}
    for p in range(projects):
        name = f"Project {p:04d}"
        uids = [f"v{i:06d}.mp4" for i in range(p * per, min(videos, (p + 1) * per))]
        listed = []
        for j, uid in enumerate(uids):
            if j % 10:
                listed.append(uid)
                continue
            listed.append(  # custom displays on every tenth video (SYNC-CD)
                {
                    "video_uid": uid,
                    "questions": [
                        {
                            "question_text": "How many people?",
                            "custom_question": f"How many people are in clip {j}?",
                            "custom_option": {"0": "None", "1": "One", "2": "Two", "3+": "Three or more"},
                        },
                        {"question_text": "Describe the people.", "custom_question": f"Describe the people in {j}."},
                    ],
                }
            )
        plist.append(
            {
                "project_name": name,
                "schema_name": "Bench",
                "description": f"Bench project {p}: {sentence(p, 16)}.",
                "is_active": True,
                "videos": listed,
            }
        )
        annotators = project_users(p)
        reviewer, admin = REVIEWERS[p % len(REVIEWERS)], ADMINS[p % len(ADMINS)]
        for user, role in [*((a, "annotator") for a in annotators), (MODEL, "model"), (reviewer, "reviewer")]:
            assignments.append(
                {"user_name": user, "project_name": name, "role": role, "user_weight": 1.0, "is_active": True}
            )
        assignments.append(
            {"user_name": admin, "project_name": name, "role": "admin", "user_weight": 2.0, "is_active": True}
        )
        annotations, truths = [], []
        for j, uid in enumerate(uids):
            for title, _, questions in GROUPS:
                for k, user in enumerate([*annotators, MODEL]):
                    n = j + k + p
                    record = {
                        "question_group_title": title,
                        "project_name": name,
                        "user_name": user,
                        "video_uid": uid,
                        "answers": {text: answer(text, options, n) for text, options in questions},
                        "is_ground_truth": False,
                    }
                    if user == MODEL:
                        record["confidence_scores"] = {text: round(0.5 + (n % 50) / 100, 2) for text, _ in questions}
                    described = [text for text, options in questions if options is None]
                    if described and user != MODEL and n % 3 == 0:
                        status = "approved" if n % 2 else "rejected"
                        record["reviews"] = {described[0]: {"status": status, "reviewer_name": reviewer}}
                    annotations.append(record)
                    counts["answers"] += len(questions)
                if j % 2 == 0:  # ground truth on half of the videos
                    record = {
                        "question_group_title": title,
                        "project_name": name,
                        "user_name": reviewer,
                        "video_uid": uid,
                        "answers": {text: answer(text, options, j + p) for text, options in questions},
                        "is_ground_truth": True,
                    }
                    single = [(text, options) for text, options in questions if options]
                    if j % 20 == 0 and single:
                        text, options = single[0]
                        record["admin_overrides"] = {
                            text: {"admin_name": admin, "reviewer_answer": answer(text, options, j + p + 1)}
                        }
                    truths.append(record)
                    counts["GT rows"] += len(questions)
        counts["annotation records"] += len(annotations)
        counts["GT records"] += len(truths)
        size += write(folder / f"annotations/p{p:04d}.json", annotations)
        if truths:
            size += write(folder / f"ground_truths/p{p:04d}.json", truths)
    size += write(folder / "projects.json", plist)
    size += write(folder / "assignments.json", assignments)
    size += write(folder / "project_groups.json", [])
    counts["MB of JSON"] = round(size / 1e6)
    return counts


def change_one_percent(folder: Path) -> int:
    """Change one answer in every hundred (a single-choice option or a description's text)."""
    changed = 0
    options = {text: opts for _, _, questions in GROUPS for text, opts in questions}
    for path in sorted((folder / "annotations").glob("*.json")):
        records = json.loads(path.read_text())
        count = 0
        for r in records:
            for text, value in r["answers"].items():
                if count % 100 == 0:
                    opts = options[text]
                    if isinstance(value, list):  # a multiple-choice answer: the first option in or out
                        r["answers"][text] = (
                            [o for o in value if o != opts[0]] if opts[0] in value else [opts[0], *value]
                        )
                    else:
                        r["answers"][text] = opts[(opts.index(value) + 1) % len(opts)] if opts else value + " (revised)"
                    r.get("reviews", {}).pop(text, None)  # a changed answer's review goes (DM-REV-3)
                    changed += 1
                count += 1
        path.write_text(json.dumps(records, indent=1))
    return changed


def fresh_database(url: str, env: dict) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        base = url.rsplit("/", 1)[0]
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", f"{base}/postgres", "-q", "-c", sql], check=True, stdin=subprocess.DEVNULL)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


def timed_sync(folder: Path, env: dict) -> tuple[float, float, float, str]:
    """One `manage.py sync_folder` process: wall seconds, its CPU seconds, peak RSS in MB, its last line.

    The CPU time (user + system, the sync process only, not the database server's) shows how much of
    the wall time is our own work when other processes share the machine.
    """
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sync_folder", "--folder-path", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"sync_folder failed ({process.returncode}):\n{output[-4000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    lines = output.strip().splitlines()
    # Tables whose input was not checked again (same files, no database change since the last sync).
    skipped = next((line.split(": ", 1)[1] for line in lines if line.startswith("Not checked again")), "")
    last = lines[-1] + (f" Not checked again: {skipped}." if skipped else "")
    return elapsed, cpu, usage.ru_maxrss / 1024, last


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument(
        "--database-url",
        action="append",
        help="a database to drop, recreate and sync into; repeat for several (default: a SQLite file in /tmp)",
    )
    parser.add_argument("--keep", type=Path, help="generate the workspace here and keep it")
    parser.add_argument("--multiple-choice", action="store_true", help=f'make "{MULTIPLE}" a multiple-choice question')
    args = parser.parse_args()
    global multiple_choice
    multiple_choice = args.multiple_choice
    urls = args.database_url or [f"sqlite:///{tempfile.gettempdir()}/labelpizza_bench.sqlite3"]

    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        folder = base / "workspace"
        t = time.monotonic()
        counts = generate(folder, videos=args.videos, projects=args.projects)
        shape = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        print(f"workspace: {args.videos:,} videos, {args.projects} projects, {shape}", end="")
        print(f" (generated in {time.monotonic() - t:.1f} s)")
        pristine = base / "pristine"
        subprocess.run(["cp", "-r", str(folder), str(pristine)], check=True)
        # As installed: the project's modules byte-compiled once, not on every start (a shell with
        # PYTHONDONTWRITEBYTECODE would otherwise add ~0.5 s of compiling to every process).
        subprocess.run([sys.executable, "-m", "compileall", "-q", "-x", r"/\.venv/", str(ROOT)], check=True)
        for url in urls:
            env = dict(os.environ, DATABASE_URL=url, DEBUG="false", SECRET_KEY="bench-only", PYTHONUNBUFFERED="1")
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            fresh_database(url, env)
            subprocess.run(["rm", "-rf", str(folder)], check=True)
            subprocess.run(["cp", "-r", str(pristine), str(folder)], check=True)
            print(f"\n{url.split('@')[-1]}")
            print(f"{'run':<22}{'seconds':>8}{'CPU s':>8}{'peak MB':>9}   load (1/5/15 min)   result")
            for label in ("first sync", "unchanged re-sync", None):
                if label is None:
                    n = change_one_percent(folder)
                    label = "1%-changed re-sync"
                load = load_average()
                seconds, cpu, peak, last = timed_sync(folder, env)
                print(f"{label:<22}{seconds:8.2f}{cpu:8.2f}{peak:9.0f}   {load:<18}  {last}", flush=True)
            print(f"({n:,} answers edited for the 1% run)")


if __name__ == "__main__":
    main()
