"""`manage.py manage_db` (spec §8): every mode, its refusals, and backups that round-trip across backends.

Refusals run in-process against the test database: they must stop before anything changes, so they never
migrate or drop tables there. Everything that empties or migrates a database runs against a throwaway
database (a SQLite file in tmp_path, or a PostgreSQL database created and dropped here), still in this process:
`run_manage_db` runs manage.py's main() with Django's default connection pointed at it (`connected_to`), as a
process started with DATABASE_URL set to it would. Tests that start from a database with one of everything copy
one built once per module (`populated_url`). Only what needs a process of its own starts one: init with the
production settings (`run_process`), and a kill -9 in the middle of a restore.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from annotation.tests.factories import AnswerFactory, GroundTruthFactory, GroundTruthHistoryFactory
from catalog.models import User
from catalog.tests.factories import UserFactory
from labelpizza.bootstrap import resolve_database_url
from syncing.database import backup as backup_module
from syncing.database.backup import human_size
from syncing.database.tables import counted_models, data_rows, row_counts
from tests.support.command_line import run_manage_py
from tests.support.databases import connected_to

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
LOCAL_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ADMIN = ["--email", "admin@example.com", "--password", "admin-pass-1"]


# --------------------------------------------------------------------------- helpers


def manage_db(*args: str) -> str:
    """Run the command in-process; returns stdout."""
    out = io.StringIO()
    call_command("manage_db", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    """Run the command in-process, expecting a one-line failure with exit code 1 (DB-10); returns the message."""
    with pytest.raises(CommandError) as caught:
        manage_db(*args)
    message = str(caught.value)
    assert caught.value.returncode == 1
    assert "\n" not in message
    return message


def database_state() -> tuple[dict[str, int], list[tuple]]:
    """What "nothing changed" compares: data row counts and the users."""
    return data_rows(), list(User.objects.order_by("pk").values_list("pk", "user_id", "password"))


def some_data():
    """A user with an answer and a ground truth with history, to make the database non-empty."""
    answer = AnswerFactory(user=UserFactory(user_id="Ann Otator"), value="yes")
    GroundTruthFactory(project=answer.project, video=answer.video, question=answer.question, value="yes")
    GroundTruthHistoryFactory(project=answer.project, video=answer.video, question=answer.question)
    return answer


def read_lines(path: Path) -> list[str]:
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return [line for line in stream.read().splitlines() if line.strip()]


def parsed_rows(path: Path) -> list[str]:
    """The backup's rows, each re-serialized with sorted keys (PostgreSQL's jsonb reorders dict keys)."""
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in read_lines(path))


def process_env(db_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "true"}
    env.pop("DBURL", None)
    return env


def run_process(db_url: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    """`python manage.py manage_db ARGS` in a process of its own, with DATABASE_URL=db_url and no terminal."""
    result = subprocess.run(
        [sys.executable, "manage.py", "manage_db", *args],
        cwd=REPO, env=process_env(db_url), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    if ok:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def run_manage_db(db_url: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    """`manage.py manage_db ARGS` as a process with DATABASE_URL=db_url and no terminal would run it, but in this
    process: starting Python and Django for every call is most of what these tests would cost."""
    with connected_to(db_url):
        result = run_manage_py("manage_db", *args)
    if ok:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def run_script(db_url: str, script: str) -> str:
    """Run a script (POPULATE, INSPECT, ADD_ANSWER) against db_url; returns what it printed."""
    out = io.StringIO()
    with connected_to(db_url), redirect_stdout(out):
        exec(script, {"__name__": "script"})
    return out.getvalue()


# Fills a database that `init` created (admin@example.com, "Admin User") with one of everything.
POPULATE = """
import datetime
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from annotation.tests.factories import (
    AnswerFactory, AnswerReviewFactory, GroundTruthFactory, GroundTruthHistoryFactory,
)
from catalog.models import ApiToken, Assignment, ProjectGroupProject, User, Video
from catalog.roles import ensure_global_admin_rows
from catalog.tests.factories import (
    CustomDisplayFactory, DescriptionQuestionFactory, ModelUserFactory, ProjectFactory, ProjectGroupFactory,
    QuestionGroupFactory, SchemaFactory, SingleQuestionFactory, UserFactory, VideoFactory,
)

t0 = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc)
single = SingleQuestionFactory(text="Is food visible?")
described = DescriptionQuestionFactory(text="Describe the food.")
group = QuestionGroupFactory(title="Food", questions=[single, described], verification_function="check_food")
schema = SchemaFactory(name="Food schema", groups=[group], instructions_url="https://example.com/i")
pizza = VideoFactory(video_uid="pizza.mp4", metadata={"fps": 29.97, "tags": ["crust"], "note": "ünïcode"})
salad = VideoFactory(video_uid="salad.mp4", is_active=False)
project = ProjectFactory(name="Food project", schema=schema, videos=[pizza, salad])
ProjectGroupProject.objects.create(project_group=ProjectGroupFactory(name="Meals"), project=project)
ann = UserFactory(user_id="Ann Otator", email="ann@example.com", password="ann-secret")
rev = UserFactory(user_id="Rev Iewer", email="rev@example.com")
bot = ModelUserFactory(user_id="Model X")
admin = User.objects.get(user_id="Admin User")
ensure_global_admin_rows()
Assignment.objects.create(project=project, user=ann, role="annotator", user_weight=0.5)
for role in ("annotator", "reviewer"):
    Assignment.objects.create(project=project, user=rev, role=role)
Assignment.objects.create(project=project, user=bot, role="model", is_active=False)
AnswerFactory(project=project, video=pizza, question=single, user=ann, value="yes", created_at=t0, modified_at=t0)
AnswerFactory(project=project, video=pizza, question=single, user=bot, value="no", confidence_score=0.875)
text = AnswerFactory(project=project, video=pizza, question=described, user=ann, value="Pizza ünïcode 🍕")
AnswerReviewFactory(answer=text, reviewer=rev, status="rejected")
GroundTruthFactory(
    project=project, video=pizza, question=single, reviewer=rev, reviewer_value="yes", value="no",
    overridden_by=admin, overridden_at=t0,
)
GroundTruthHistoryFactory(
    project=project, video=pizza, question=single, actor=rev, source="review", kind="created",
    new_value="yes", reviewer_after=rev, at=t0,
)
GroundTruthHistoryFactory(
    project=project, video=pizza, question=single, actor=admin, source="override", kind="overridden",
    old_value="yes", new_value="no", reviewer_after=rev, overridden_by_after=admin,
    at=t0 + datetime.timedelta(seconds=1),
)
CustomDisplayFactory(
    project=project, video=salad, question=single, custom_display_text=None,
    custom_option_display_map={"yes": "Yep", "no": "Nope"},
)
editors = Group.objects.create(name="Editors")
editors.permissions.add(Permission.objects.get(codename="view_video"))
ann.groups.add(editors)
ApiToken.objects.create(user=rev, key_digest="a" * 64, prefix="abcd1234")
LogEntry.objects.create(
    user=admin, content_type=ContentType.objects.get_for_model(Video), object_id=str(pizza.pk),
    object_repr=str(pizza), action_flag=ADDITION, change_message="[]",
)
from decimal import Decimal
from annotation.team import records
records.record_payment(
    actor=admin, person=ann, paid_on=t0.date(), amount=Decimal("12.34"), currency="EUR", period="May", note="ünï",
)
note = records.give_feedback(actor=admin, person=ann, text="Good", given_on=t0.date(), project=project)
records.reply_to_feedback(actor=ann, feedback=note, text="Thanks")
"""

# Prints, as JSON, what a restore must give back.
INSPECT = """
import json
from syncing.database.tables import counted_models, existing_tables, row_counts
out = {"tables": sorted(existing_tables())}
if "catalog_user" in out["tables"]:
    from annotation.models import Answer, GroundTruth, GroundTruthHistory
    from catalog.models import User

    def uid(user):
        return user.user_id if user else None

    out["counts"] = row_counts(counted_models())
    out["users"] = {
        u.user_id: [u.email, u.user_type, u.is_active, u.is_staff, u.is_superuser, u.password,
                    u.date_joined.isoformat(), sorted(g.name for g in u.groups.all())]
        for u in User.objects.all()
    }
    out["answers"] = [
        [a.pk, a.project.name, a.video.video_uid, a.question.text, a.user.user_id, a.value, a.confidence_score,
         a.created_at.isoformat()]
        for a in Answer.objects.order_by("pk")
    ]
    out["ground_truths"] = [
        [g.project.name, g.video.video_uid, g.question.text, g.value, g.reviewer_value, uid(g.reviewer),
         uid(g.overridden_by), g.overridden_at and g.overridden_at.isoformat(), g.modified_at.isoformat()]
        for g in GroundTruth.objects.order_by("pk")
    ]
    out["history"] = [
        [h.kind, h.source, uid(h.actor), h.old_value, h.new_value, uid(h.reviewer_after),
         uid(h.overridden_by_after), h.at.isoformat()]
        for h in GroundTruthHistory.objects.all()
    ]
print(json.dumps(out, sort_keys=True))
"""

# A new row after a restore: fails on PostgreSQL if the id sequences were not reset (DB-8).
ADD_ANSWER = """
from annotation.models import Answer
from catalog.models import Project, Question, User, Video
Answer.objects.create(
    project=Project.objects.get(name="Food project"), video=Video.objects.get(video_uid="salad.mp4"),
    question=Question.objects.get(text="Is food visible?"), user=User.objects.get(user_id="Rev Iewer"), value="no",
)
"""


def inspect(db_url: str) -> dict:
    return json.loads(run_script(db_url, INSPECT))


def _pg_admin_url() -> str:
    url = resolve_database_url()
    return url if url.startswith(("postgres://", "postgresql://")) else LOCAL_PG_URL


@contextmanager
def throwaway_pg_database(prefix: str, *, template: str = "template1"):
    """A new PostgreSQL database on the server the suite can reach (empty, or a copy of `template`); dropped
    afterwards."""
    import psycopg

    parts = urlsplit(_pg_admin_url())
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {parts.hostname}:{parts.port}: {exc}")
    name = f"{prefix}_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_db_url(tmp_path):
    """An empty, never-migrated database on the backend the suite runs on."""
    if connection.vendor == "postgresql":
        with throwaway_pg_database("labelpizza_managedb") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"


class PopulatedTemplates:
    """A database with one of everything (`init`, then POPULATE), built at most once per backend for the module.

    Migrating and filling a database is most of what a test that starts from one costs; each such test gets its
    own copy instead (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL). `init` itself is tested
    on a fresh database by test_db_4_db_11_init_creates_admin_on_fresh_database_and_refuses_a_second_time.
    """

    def __init__(self, folder: Path, django_db_blocker):
        self.folder = folder
        self.blocker = django_db_blocker
        self.sqlite_file: Path | None = None
        self.pg_name: str | None = None
        self._pg = None

    def _populate(self, db_url: str) -> None:
        # MD5 as the suite's hasher fixture sets it (that fixture is per test); undone when the block ends.
        with self.blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5_HASHER]):
            run_manage_db(db_url, "--mode", "init", "--force", *ADMIN)
            run_script(db_url, POPULATE)

    def sqlite_copy(self, path: Path) -> str:
        if self.sqlite_file is None:
            template = self.folder / "populated.sqlite3"
            self._populate(f"sqlite:///{template}")
            self.sqlite_file = template
        shutil.copyfile(self.sqlite_file, path)
        return f"sqlite:///{path}"

    @contextmanager
    def postgresql_copy(self):
        if self.pg_name is None:
            self._pg = throwaway_pg_database("labelpizza_managedb_template")
            url = self._pg.__enter__()
            self._populate(url)
            self.pg_name = urlsplit(url).path.lstrip("/")
        with throwaway_pg_database("labelpizza_managedb", template=self.pg_name) as url:
            yield url

    def close(self) -> None:
        if self._pg is not None:
            self._pg.__exit__(None, None, None)


@pytest.fixture(scope="module")
def populated_templates(tmp_path_factory, django_db_blocker):
    templates = PopulatedTemplates(tmp_path_factory.mktemp("populated"), django_db_blocker)
    yield templates
    templates.close()


@pytest.fixture
def populated_url(populated_templates, tmp_path):
    """A database with one of everything (`init`, then POPULATE) on the backend the suite runs on; the test's own."""
    if connection.vendor == "postgresql":
        with populated_templates.postgresql_copy() as url:
            yield url
    else:
        yield populated_templates.sqlite_copy(tmp_path / "populated.sqlite3")


# --------------------------------------------------------------------------- init


def test_db_4_init_refuses_non_empty_database_even_with_force(tmp_path):
    some_data()
    before = database_state()
    message = refused("--mode", "init", "--force", *ADMIN)
    assert "--mode reset --auto-backup" in message
    assert database_state() == before
    assert not User.objects.filter(email="admin@example.com").exists()


class Terminal(io.StringIO):
    """A stdin that says it is a terminal; what is typed comes from a patched input()."""

    def isatty(self):
        return True


@pytest.mark.django_db(transaction=True)
def test_db_4_init_asks_y_n_on_a_terminal_and_creates_the_admin_on_yes(monkeypatch):
    """The test database is migrated and empty, so init's migrate has nothing to do here."""
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda: "n")
    assert "cancelled" in refused("--mode", "init", *ADMIN)
    assert database_state() == ({}, [])
    monkeypatch.setattr("builtins.input", lambda: "y")
    out = manage_db("--mode", "init", *ADMIN)
    assert "[y/N]" in out and "admin@example.com" in out and "admin-pass-1" not in out
    admin = User.objects.get(email="admin@example.com")
    assert (admin.user_id, admin.user_type, admin.is_staff, admin.is_superuser) == ("Admin User", "admin", True, True)
    assert admin.check_password("admin-pass-1")


@pytest.mark.parametrize(
    "flags, missing",
    [(["--password", "admin-pass-1"], "--email"), (["--email", "admin@example.com"], "--password"), ([], "--email")],
)
def test_db_1_init_and_reset_require_email_and_password(flags, missing):
    for mode in ("init", "reset"):
        message = refused("--mode", mode, "--force", *flags)
        assert missing in message
    assert database_state() == ({}, [])


def test_db_4_db_11_init_creates_admin_on_fresh_database_and_refuses_a_second_time(fresh_db_url):
    """DB-3: no terminal and no --force declines; DB-4: init; DB-11: the admin can use the admin site.

    The init runs as operators run it, in a process of its own with the production settings (its password hash).
    """
    declined = run_manage_db(fresh_db_url, "--mode", "init", *ADMIN, ok=False)
    assert declined.returncode == 1
    assert len(declined.stderr.strip().splitlines()) == 1
    assert "--force" in declined.stderr
    assert inspect(fresh_db_url)["tables"] == [], "a declined init must not migrate"

    done = run_process(fresh_db_url, "--mode", "init", "--force", *ADMIN)
    assert "admin@example.com" in done.stdout and "Admin User" in done.stdout
    assert "admin-pass-1" not in done.stdout + done.stderr  # DB-2: never a password
    state = inspect(fresh_db_url)
    email, user_type, is_active, is_staff, is_superuser, password, *_ = state["users"]["Admin User"]
    assert (email, user_type, is_active, is_staff, is_superuser) == ("admin@example.com", "admin", True, True, True)
    assert password.startswith("pbkdf2_sha256$")
    assert sum(state["counts"].values()) == 1

    again = run_manage_db(fresh_db_url, "--mode", "init", "--force", *ADMIN, ok=False)
    assert again.returncode == 1
    assert "--mode reset --auto-backup" in again.stderr
    assert inspect(fresh_db_url) == state


# --------------------------------------------------------------------------- backup and list


def test_db_5_db_6_backup_writes_gzipped_jsonl_with_natural_keys_and_a_sidecar(tmp_path):
    answer = some_data()
    out = manage_db("--mode", "backup", "--backup-dir", str(tmp_path), "--force")
    [path] = [p for p in tmp_path.iterdir() if not p.name.endswith(".meta.json")]
    assert path.name.startswith("backup_") and path.name.endswith(".jsonl.gz")
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert f"Backup written to {path} ({path.stat().st_size} bytes, " in out  # not "0.00 MB"

    rows = [json.loads(line) for line in read_lines(path)]
    by_model = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    [user] = [u for u in by_model["catalog.user"] if u["fields"]["user_id"] == "Ann Otator"]
    assert "pk" not in user  # natural primary key
    assert user["fields"]["password"] == answer.user.password
    [saved] = by_model["annotation.answer"]
    assert saved["pk"] == answer.pk
    assert saved["fields"]["user"] == ["Ann Otator"]  # natural foreign key
    assert saved["fields"]["video"] == [answer.video.video_uid]
    assert saved["fields"]["created_at"] == answer.created_at.isoformat().replace("+00:00", "Z")  # microseconds
    assert {"contenttypes.contenttype", "auth.permission", "sessions.session"}.isdisjoint(by_model)

    meta = json.loads(path.with_name(path.name + ".meta.json").read_text())
    assert meta["compressed"] is True
    assert meta["size_bytes"] == path.stat().st_size
    assert meta["rows"] == row_counts(counted_models())
    assert meta["rows"]["annotation_groundtruthhistory"] == 1
    assert meta["total_rows"] == sum(meta["rows"].values())
    assert meta["objects"] == len(rows)
    assert "0001_initial" in meta["migrations"]["catalog"]
    assert {"created_at", "database"} <= meta.keys() and {"host", "name"} <= meta["database"].keys()


def test_db_5_backup_replaces_an_existing_file_and_says_so(tmp_path):
    some_data()
    args = ("--mode", "backup", "--backup-dir", str(tmp_path), "--backup-file", "my_sql.sql.gz", "--force")
    assert "Overwrote" not in manage_db(*args)
    (tmp_path / "my_sql.sql.gz.meta.json").write_text("{}")
    assert f"Overwrote {tmp_path / 'my_sql.sql.gz'}" in manage_db(*args)
    assert json.loads((tmp_path / "my_sql.sql.gz.meta.json").read_text())["total_rows"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_sql.sql.gz", "my_sql.sql.gz.meta.json"]


def test_db_1_db_5_no_compress_and_backup_file_paths(tmp_path):
    some_data()
    backup_dir = tmp_path / "backups"
    manage_db("--mode", "backup", "--backup-dir", str(backup_dir), "--no-compress", "--force")
    [plain] = [p for p in backup_dir.iterdir() if not p.name.endswith(".meta.json")]
    assert plain.name.endswith(".jsonl") and plain.read_bytes()[:1] == b"{"
    assert json.loads(plain.with_name(plain.name + ".meta.json").read_text())["compressed"] is False

    elsewhere = tmp_path / "elsewhere" / "named.gz"
    manage_db("--mode", "backup", "--backup-dir", str(backup_dir), "--backup-file", str(elsewhere), "--force")
    assert elsewhere.read_bytes()[:2] == b"\x1f\x8b"
    assert len(list(backup_dir.iterdir())) == 2


def test_db_3_db_5_backup_of_empty_database_is_declined_without_a_terminal(tmp_path):
    message = refused("--mode", "backup", "--backup-dir", str(tmp_path))
    assert "--force" in message
    assert list(tmp_path.iterdir()) == []


def test_db_9_list_shows_backups_with_created_at_size_and_rows(tmp_path):
    some_data()
    manage_db("--mode", "backup", "--backup-dir", str(tmp_path), "--backup-file", "first.jsonl.gz", "--force")
    (tmp_path / "stray.sql.gz").write_bytes(b"\x1f\x8b")
    meta = json.loads((tmp_path / "first.jsonl.gz.meta.json").read_text())
    out = manage_db("--mode", "list", "--backup-dir", str(tmp_path))
    [first] = [line for line in out.splitlines() if "first.jsonl.gz" in line]
    assert meta["created_at"] in first and f"{meta['total_rows']} rows" in first
    assert f"  {meta['size_bytes']} bytes  " in first  # not "0.00 MB"
    assert "2 bytes" in out  # the stray file
    assert "meta.json" not in out
    assert "stray.sql.gz" in out and "(no sidecar)" in out
    assert "No backups" in manage_db("--mode", "list", "--backup-dir", str(tmp_path / "none"))


@pytest.mark.parametrize(
    "size, text",
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (3277, "3.2 KB"),
        (5 * 1024**2, "5.0 MB"),
        (3 * 1024**4, "3072.0 GB"),
    ],
)
def test_issue11_4_sizes_mean_something_for_small_files(size, text):
    assert human_size(size) == text


@pytest.fixture
def open_umask():
    """umask 0: a file's mode is then exactly what the code asked for."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_issue16_2_backups_are_owner_only_from_the_moment_they_are_created(tmp_path, monkeypatch, open_umask):
    some_data()
    seen = []
    real_dump = backup_module._dump

    def watching_dump(raw, **kwargs):
        seen.append(stat.S_IMODE(os.fstat(raw.fileno()).st_mode))  # the partial file, before any row
        return real_dump(raw, **kwargs)

    monkeypatch.setattr(backup_module, "_dump", watching_dump)
    manage_db("--mode", "backup", "--backup-dir", str(tmp_path / "new"), "--backup-file", "b.jsonl.gz", "--force")
    assert seen == [0o600]
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").iterdir()}
    assert modes == {"b.jsonl.gz": 0o600, "b.jsonl.gz.meta.json": 0o600}
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700

    (tmp_path / "new" / "b.jsonl.gz").chmod(0o644)  # an older, world-readable backup of that name
    manage_db("--mode", "backup", "--backup-dir", str(tmp_path / "new"), "--backup-file", "b.jsonl.gz", "--force")
    assert stat.S_IMODE((tmp_path / "new" / "b.jsonl.gz").stat().st_mode) == 0o600


# --------------------------------------------------------------------------- refusals that change nothing


def test_db_3_reset_without_force_and_without_terminal_changes_nothing(tmp_path, monkeypatch):
    some_data()
    before = database_state()
    stdin = io.StringIO("NUCLEAR\n")  # not a TTY: must not be read
    monkeypatch.setattr(sys, "stdin", stdin)
    message = refused("--mode", "reset", "--auto-backup", "--backup-dir", str(tmp_path), *ADMIN)
    assert "--force" in message
    assert stdin.tell() == 0
    assert database_state() == before
    assert list(tmp_path.iterdir()) == []


def test_db_3_db_8_restore_needs_destroy_typed_exactly(tmp_path, monkeypatch):
    some_data()
    manage_db("--mode", "backup", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz", "--force")
    before = database_state()

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda: "destroy")
    message = refused("--mode", "restore", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz")
    assert "cancelled" in message
    assert database_state() == before


def test_db_7_failing_auto_backup_stops_reset_before_anything_changes(tmp_path, monkeypatch):
    some_data()
    before = database_state()
    dropped = []
    monkeypatch.setattr("syncing.management.commands.manage_db.drop_all_tables", lambda: dropped.append(True))
    (tmp_path / "not-a-dir").write_text("")
    message = refused(
        "--mode", "reset", "--auto-backup", "--backup-file", str(tmp_path / "not-a-dir" / "b.jsonl.gz"), "--force",
        *ADMIN,
    )  # fmt: skip
    assert "cannot write backup" in message
    assert dropped == []
    assert database_state() == before


def test_db_7_failed_reset_prints_the_restore_command_for_its_backup(tmp_path, monkeypatch):
    some_data()

    def fail():
        raise RuntimeError("disk full")

    monkeypatch.setattr("syncing.management.commands.manage_db.drop_all_tables", fail)
    message = refused("--mode", "reset", "--auto-backup", "--backup-dir", str(tmp_path), "--force", *ADMIN)
    [backup] = tmp_path.glob("backup_before_reset_*.jsonl.gz")
    assert "disk full" in message
    assert f"manage_db --mode restore --backup-file {backup} --force" in message


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data)


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "does not exist"),
        (b"this is not a backup\n", "line 1 is not JSON"),
        (b"", "is empty"),
        (_gzip(b'{"model": "catalog.video", "fields": {}}\n')[:20], "corrupt"),
        (b"\x1f\x8b not really gzip", "corrupt"),
        (_gzip(b'{"model": "catalog.video", "fields": {}}\n{"oops"\n'), "line 2 is not JSON"),
        (_gzip(b'{"model": "nowhere.thing", "fields": {}}\n'), "unknown model"),
        (_gzip(b'["model", "fields"]\n'), "not a serialized row"),
    ],
    ids=["missing", "not-json", "empty", "truncated-gzip", "bad-gzip", "bad-line", "unknown-model", "not-a-row"],
)
def test_db_10_restore_refuses_missing_or_corrupt_backup_and_changes_nothing(tmp_path, content, expected):
    some_data()
    if content is not None:
        (tmp_path / "my_sql.sql.gz").write_bytes(content)
    before = database_state()
    message = refused("--mode", "restore", "--backup-dir", str(tmp_path), "--backup-file", "my_sql.sql.gz", "--force")
    assert expected in message
    assert database_state() == before


def test_db_8_restore_refuses_backup_taken_at_other_migrations(tmp_path):
    some_data()
    manage_db("--mode", "backup", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz", "--force")
    meta_path = tmp_path / "b.jsonl.gz.meta.json"
    meta = json.loads(meta_path.read_text())
    meta["migrations"]["catalog"].append("0099_from_the_future")
    meta_path.write_text(json.dumps(meta))
    before = database_state()
    message = refused("--mode", "restore", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz", "--force")
    assert "0099_from_the_future" in message
    meta["migrations"]["catalog"] = []
    meta_path.write_text(json.dumps(meta))
    latest = max(name for app, name in MigrationRecorder(connection).applied_migrations() if app == "catalog")
    assert f"catalog: the code is at {latest}" in refused(
        "--mode", "restore", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz", "--force"
    )
    assert database_state() == before


def test_db_8_restore_checks_its_flags_before_changing_anything(tmp_path):
    some_data()
    manage_db("--mode", "backup", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz", "--force")
    before = database_state()
    assert "--backup-file" in refused("--mode", "restore", "--backup-dir", str(tmp_path), "--force")
    # A new admin needs a password; whether one is needed is decided from the backup, before anything changes.
    message = refused(
        "--mode", "restore", "--backup-dir", str(tmp_path), "--backup-file", "b.jsonl.gz", "--force",
        "--email", "new-admin@example.com",
    )  # fmt: skip
    assert "--password" in message
    assert database_state() == before


def test_db_10_unknown_mode_unknown_flag_and_unreachable_database_are_one_line_exit_1(tmp_path):
    sqlite_url = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    for args in (["--mode", "bogus"], ["--mode", "backup", "--frobnicate"]):
        result = run_manage_db(sqlite_url, *args, ok=False)
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    unreachable = "postgres://someone:s3cret-pw@127.0.0.1:1/nowhere"
    result = run_manage_db(unreachable, "--mode", "list", "--backup-dir", str(tmp_path), ok=False)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "cannot connect" in result.stderr
    assert "s3cret-pw" not in result.stderr and "someone:***@" in result.stderr


# --------------------------------------------------------------------------- reset and restore, end to end


def test_db_7_reset_with_auto_backup_on_fresh_database_has_nothing_to_back_up(fresh_db_url, tmp_path):
    backups = tmp_path / "backups"
    result = run_manage_db(
        fresh_db_url, "--mode", "reset", "--auto-backup", "--backup-dir", str(backups), "--force", *ADMIN
    )
    assert "Nothing to back up" in result.stdout
    assert not backups.exists()
    assert inspect(fresh_db_url)["users"]["Admin User"][3:5] == [True, True]


def test_db_7_db_8_backup_reset_restore_gives_back_every_row(populated_url, tmp_path):
    backups = tmp_path / "backups"
    before = inspect(populated_url)
    assert all(
        before["counts"][t]
        for t in ("annotation_answer", "annotation_groundtruthhistory", "auth_group", "team_payment", "team_change")
    )

    run_manage_db(populated_url, "--mode", "backup", "--backup-dir", str(backups), "--backup-file", "my_sql.sql.gz")

    reset = run_manage_db(
        populated_url, "--mode", "reset", "--auto-backup", "--backup-dir", str(backups), "--force",
        "--email", "second@example.com", "--password", "admin-pass-2", "--user-id", "Admin 2",
    )  # fmt: skip
    assert "admin-pass-2" not in reset.stdout + reset.stderr
    [auto] = backups.glob("backup_before_reset_*.jsonl.gz")
    assert json.loads(auto.with_name(auto.name + ".meta.json").read_text())["rows"] == before["counts"]
    assert f"--backup-file {auto}" in reset.stdout
    emptied = inspect(populated_url)
    assert emptied["tables"] == before["tables"]
    assert {t: n for t, n in emptied["counts"].items() if n} == {"catalog_user": 1}
    assert list(emptied["users"]) == ["Admin 2"]

    restored = run_manage_db(
        populated_url, "--mode", "restore", "--backup-dir", str(backups), "--backup-file", "my_sql.sql.gz", "--force",
        "--email", "admin@example.com",
    )  # fmt: skip
    assert "no admin created" in restored.stdout
    after = inspect(populated_url)
    assert after == before
    assert after["answers"][0][1:] == [
        "Food project", "pizza.mp4", "Is food visible?", "Ann Otator", "yes", None, "2024-05-06T07:08:09.123456+00:00",
    ]  # fmt: skip
    assert after["ground_truths"][0][3:7] == ["no", "yes", "Rev Iewer", "Admin User"]
    assert [h[0] for h in after["history"]] == ["created", "overridden"]
    assert after["users"]["Ann Otator"][5].startswith("md5$")

    run_manage_db(populated_url, "--mode", "backup", "--backup-dir", str(backups), "--backup-file", "again.jsonl")
    assert read_lines(backups / "again.jsonl") == read_lines(backups / "my_sql.sql.gz")
    run_script(populated_url, ADD_ANSWER)  # id sequences were reset


def test_db_6_backup_restores_from_sqlite_into_postgresql_and_back(populated_templates, tmp_path):
    backups = tmp_path / "backups"
    sqlite_a = populated_templates.sqlite_copy(tmp_path / "a.sqlite3")  # after init and POPULATE
    original = inspect(sqlite_a)
    run_manage_db(sqlite_a, "--mode", "backup", "--backup-dir", str(backups), "--backup-file", "from_sqlite.jsonl.gz")

    with throwaway_pg_database("labelpizza_xbackend") as pg_url:
        run_manage_db(pg_url, "--mode", "restore", "--backup-file", str(backups / "from_sqlite.jsonl.gz"))
        assert inspect(pg_url) == original
        run_manage_db(pg_url, "--mode", "backup", "--backup-dir", str(backups), "--backup-file", "from_pg.jsonl.gz")
        run_script(pg_url, ADD_ANSWER)  # id sequences were reset
    meta = json.loads((backups / "from_pg.jsonl.gz.meta.json").read_text())
    assert meta["database"]["name"].startswith("labelpizza_xbackend_")

    sqlite_b = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    run_manage_db(sqlite_b, "--mode", "restore", "--backup-dir", str(backups), "--backup-file", "from_pg.jsonl.gz")
    assert inspect(sqlite_b) == original
    assert parsed_rows(backups / "from_pg.jsonl.gz") == parsed_rows(backups / "from_sqlite.jsonl.gz")


# --------------------------------------------------------------------------- a restore is all or nothing


def _populated_with_backup(db_url: str, backups: Path) -> tuple[Path, dict]:
    """A database with one of everything (populated_url), its backup, then one more answer: the state a restore
    must keep."""
    run_manage_db(db_url, "--mode", "backup", "--backup-dir", str(backups), "--backup-file", "good.jsonl.gz")
    run_script(db_url, ADD_ANSWER)
    return backups / "good.jsonl.gz", inspect(db_url)


def _edited_backup(good: Path, name: str, edit) -> Path:
    """A copy of `good` (with its sidecar) whose JSON rows went through `edit(row) -> row`."""
    rows = [edit(json.loads(line)) for line in read_lines(good)]
    broken = good.with_name(name)
    broken.write_bytes(gzip.compress("".join(json.dumps(row) + "\n" for row in rows).encode()))
    broken.with_name(name + ".meta.json").write_text(good.with_name(good.name + ".meta.json").read_text())
    return broken


def _dangling_user(row: dict) -> dict:
    if row["model"] == "annotation.answer" and row["fields"]["value"] == "no":
        row["fields"]["user"] = ["Nobody At All"]
    return row


def _nul_byte(row: dict) -> dict:
    if row["model"] == "annotation.answer" and row["fields"]["value"].startswith("Pizza"):
        row["fields"]["value"] = "Pizza\x00"
    return row


def test_issue16_1_restore_that_fails_or_is_killed_part_way_keeps_the_previous_data(populated_url, tmp_path):
    """A load that fails, or a kill -9, after the old code had dropped every table: nothing may change.

    One test for both, since setting up the database is most of its time (SQLite and PostgreSQL).
    """
    good, before = _populated_with_backup(populated_url, tmp_path / "backups")
    broken = [_edited_backup(good, "dangling.jsonl.gz", _dangling_user)]
    if connection.vendor == "postgresql":  # SQLite stores a NUL byte; PostgreSQL refuses it mid-load
        broken.append(_edited_backup(good, "nul.jsonl.gz", _nul_byte))
    for path in broken:
        result = run_manage_db(populated_url, "--mode", "restore", "--backup-file", str(path), "--force", ok=False)
        assert result.returncode == 1
        assert "restore failed" in result.stderr and "nothing was changed" in result.stderr
        assert inspect(populated_url) == before, path.name
    assert [p.name for p in tmp_path.rglob("*.restore-*")] == []  # SQLite's scratch file is gone

    _kill_a_restore_part_way(populated_url, good)
    assert inspect(populated_url) == before

    run_manage_db(populated_url, "--mode", "restore", "--backup-file", str(good), "--force")
    restored = inspect(populated_url)
    assert restored != before and len(restored["answers"]) == len(before["answers"]) - 1


def _kill_a_restore_part_way(db_url: str, backup: Path) -> None:
    restore = subprocess.Popen(
        [sys.executable, "manage.py", "manage_db", "--mode", "restore", "--backup-file", str(backup), "--force"],
        cwd=REPO, env=process_env(db_url), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = restore.stdout.readline()
        while line and not line.startswith("Restoring"):
            line = restore.stdout.readline()
        assert line.startswith("Restoring"), restore.stderr.read()
        time.sleep(0.4)  # into the migrations and the load, which take a few seconds
        assert restore.poll() is None, "the restore finished before it could be killed"
        restore.send_signal(signal.SIGKILL)
    finally:
        restore.kill()
        restore.communicate(timeout=30)
