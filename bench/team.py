"""Team page benchmark (issue 17): query count and load time of /team/ at 200 people and 200 projects, with
DEBUG off, on the database --database-url names (PostgreSQL for the published figures).

    .venv/bin/python bench/team.py --people 200 --projects 200 \
        --database-url postgres://postgres@127.0.0.1:5432/lp17_bench

The database is dropped and recreated, migrated, and filled with bulk inserts: --projects projects of
--videos videos and one group of three questions (two single, one description) each; every person is an
annotator in --per-person projects and answers every question on every video there, over the last 60 days;
every tenth person is also a reviewer; half the projects have complete ground truth (training mode, so
accuracy is computed), a tenth of it overridden by the admin, and a quarter of the description answers
reviewed; each person has two payments and a feedback note with a reply. `collectstatic` runs first, as
production needs it with DEBUG off.

Then the pages are requested in-process through Django's test client (the full middleware stack, no network):
the team page with its default range (the last 30 days) and all time, sorted by accuracy, one person's page, and
the .xlsx team report. Each is requested --repeat times after one warm-up; the table gives the query count and
the median and slowest wall time, and the median CPU time of this process (the app's Python work, which a busy
machine inflates far less than wall time; the database server's work is not in it).
--reuse measures a database an earlier run filled, without filling it again.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def populate(*, people: int, projects: int, videos: int, per_person: int) -> None:
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from annotation.models import Answer, AnswerReview, GroundTruth
    from annotation.team.models import Feedback, FeedbackReply, Payment
    from catalog.models import (
        Assignment,
        Project,
        ProjectGroup,
        ProjectGroupProject,
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

    Role = Assignment.Role
    now = timezone.now()
    with transaction.atomic():
        admin = User.objects.create_superuser("Bench Admin", "admin@bench.example", "bench-admin")
        users = User.objects.bulk_create(
            User(user_id=f"Person {i:03d}", email=f"p{i}@bench.example", password="!") for i in range(people)
        )
        group = ProjectGroup.objects.create(name="Bench group")
        all_projects, layouts = [], []
        for p in range(projects):
            questions = [
                Question.objects.create(
                    text=f"P{p} single 1?", display_text="Single 1?", qtype="single", options=["yes", "no"]
                ),
                Question.objects.create(
                    text=f"P{p} single 2?", display_text="Single 2?", qtype="single", options=["a", "b", "c"]
                ),
                Question.objects.create(text=f"P{p} describe", display_text="Describe", qtype="description"),
            ]
            qg = QuestionGroup.objects.create(title=f"P{p} group", display_title=f"P{p} group")
            QuestionGroupQuestion.objects.bulk_create(
                QuestionGroupQuestion(group=qg, question=q, position=i) for i, q in enumerate(questions)
            )
            schema = Schema.objects.create(name=f"P{p} schema")
            SchemaQuestionGroup.objects.create(schema=schema, group=qg, position=0)
            project = Project.objects.create(name=f"Project {p:03d}", schema=schema)
            clips = Video.objects.bulk_create(
                Video(video_uid=f"p{p}v{v}.mp4", url=f"https://v.example/p{p}v{v}.mp4") for v in range(videos)
            )
            ProjectVideo.objects.bulk_create(
                ProjectVideo(project=project, video=c, position=i) for i, c in enumerate(clips)
            )
            if p % 2 == 0:
                ProjectGroupProject.objects.create(project_group=group, project=project)
            all_projects.append(project)
            layouts.append((clips, questions))
        ensure_global_admin_rows()

        assignments, answers = [], []
        members: dict[int, list] = {}
        for i, user in enumerate(users):
            for k in range(per_person):
                p = (i * 7 + k) % projects
                members.setdefault(p, []).append(user)
                assignments.append(Assignment(user=user, project=all_projects[p], role=Role.ANNOTATOR))
                if i % 10 == 0:
                    assignments.append(Assignment(user=user, project=all_projects[p], role=Role.REVIEWER))
                clips, questions = layouts[p]
                for v, clip in enumerate(clips):
                    when = now - datetime.timedelta(days=(i + v + k) % 60, hours=v % 24)
                    for q in questions:
                        value = (
                            ["yes", "no"][(i + v) % 2]
                            if q.text.endswith("1?")
                            else "a"
                            if q.qtype == "single"
                            else "ok"
                        )
                        answers.append(
                            Answer(
                                project=all_projects[p],
                                video=clip,
                                question=q,
                                user=user,
                                value=value,
                                created_at=when,
                                modified_at=when,
                            )
                        )
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        Answer.objects.bulk_create(answers, batch_size=5000)

        truths = []
        for p in range(0, projects, 2):
            reviewer = next((u for u in members.get(p, []) if users.index(u) % 10 == 0), admin)
            clips, questions = layouts[p]
            for v, clip in enumerate(clips):
                for n, q in enumerate(questions):
                    value = "yes" if q.text.endswith("1?") else "a" if q.qtype == "single" else "ok"
                    overridden = (v + n) % 10 == 0
                    truths.append(
                        GroundTruth(
                            project=all_projects[p],
                            video=clip,
                            question=q,
                            reviewer=reviewer,
                            reviewer_value=value + ("?" if overridden else ""),
                            value=value,
                            overridden_by=admin if overridden else None,
                            overridden_at=now if overridden else None,
                        )
                    )
        GroundTruth.objects.bulk_create(truths, batch_size=5000)
        descriptions = Answer.objects.filter(question__qtype="description").values_list("pk", flat=True)
        AnswerReview.objects.bulk_create(
            (
                AnswerReview(answer_id=pk, status="approved" if pk % 3 else "rejected", reviewer=admin)
                for pk in descriptions[::4]
            ),
            batch_size=5000,
        )
        Payment.objects.bulk_create(
            Payment(
                person=u,
                paid_on=now.date(),
                amount=Decimal("100.00") + k,
                currency="USD",
                period=f"month {k}",
                created_by=admin,
            )
            for u in users
            for k in range(2)
        )
        notes = Feedback.objects.bulk_create(
            Feedback(person=u, given_on=now.date(), text="Keep going", author=admin) for u in users
        )
        FeedbackReply.objects.bulk_create(FeedbackReply(feedback=f, author=f.person, text="Thanks") for f in notes)


def measure(client, url: str, repeat: int) -> tuple[int, float, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, secure=True)  # warm-up
    times, cpu, queries, size = [], [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: status {response.status_code}")
        queries, size = len(ctx.captured_queries), len(response.content)
    return queries, statistics.median(times), max(times), statistics.median(cpu), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--videos", type=int, default=10, help="videos per project")
    parser.add_argument("--per-person", type=int, default=10, help="projects each person annotates")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reuse", action="store_true", help="measure the database a previous run filled")
    args = parser.parse_args()

    from bench.sync import fresh_database

    if not args.reuse:
        fresh_database(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        PAGE_CACHE="false",
        ALLOWED_HOSTS="testserver",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    if not args.reuse:
        subprocess.run([*manage, "migrate", "--verbosity", "0"], check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], check=True)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelpizza.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    from catalog.models import ProjectGroup

    assert not settings.DEBUG
    from annotation.models import Answer, GroundTruth
    from catalog.models import Assignment, Project, User

    started = time.monotonic()
    if args.reuse:
        data = {"admin": User.objects.get(user_id="Bench Admin"), "person": User.objects.get(user_id="Person 000")}
    else:
        populate(people=args.people, projects=args.projects, videos=args.videos, per_person=args.per_person)
        data = {"admin": User.objects.get(user_id="Bench Admin"), "person": User.objects.get(user_id="Person 000")}
    print(
        f"{'Reused' if args.reuse else 'Filled'} in {time.monotonic() - started:.0f} s: "
        f"{User.objects.exclude(user_type='admin').count()} people, "
        f"{Project.objects.count()} projects, {Assignment.objects.count()} assignments, "
        f"{Answer.objects.count()} answers, "
        f"{GroundTruth.objects.count()} ground truths "
        f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}, DEBUG off)"
    )
    client = Client()
    client.force_login(data["admin"])
    pages = [
        ("team page, last 30 days", "/team/"),
        ("team page, all time, by accuracy", "/team/?start=&end=&sort=accuracy&dir=desc"),
        (
            "team page, one project group",
            "/team/?start=&end=&group=" + str(ProjectGroup.objects.get().pk),
        ),
        ("person page", f"/team/people/{data['person'].pk}/?start=&end="),
        ("team report .xlsx, all time", "/team/export.xlsx?start=&end="),
        ("API /api/team/, all time", "/api/team/?page_size=1000"),
    ]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'page':38} {'queries':>7} {'median ms':>10} {'max ms':>8} {'app cpu ms':>10} {'bytes':>9}")
    for name, url in pages:
        queries, median, slowest, cpu, size = measure(client, url, args.repeat)
        print(f"{name:38} {queries:>7} {median:>10.0f} {slowest:>8.0f} {cpu:>10.0f} {size:>9}")


if __name__ == "__main__":
    main()
