"""Finding the database before Django starts (SYNC-API-2, SYNC-API-3)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labelpizza import bootstrap
from tests.support.command_line import run_manage_py

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("DATABASE_URL", "DBURL", "OTHER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(bootstrap, "load_dotenv", lambda: None)
    return monkeypatch


def test_sync_api_2_default_is_sqlite_file_in_project_root(clean_env):
    assert bootstrap.resolve_database_url() == f"sqlite:///{ROOT / 'db.sqlite3'}"


def test_sync_api_2_database_url_wins_then_dburl(clean_env):
    clean_env.setenv("DBURL", "postgres://h/seed")
    assert bootstrap.resolve_database_url() == "postgres://h/seed"
    clean_env.setenv("DATABASE_URL", "postgres://h/main")
    assert bootstrap.resolve_database_url() == "postgres://h/main"


def test_sync_api_2_database_url_name_flag_is_applied_and_removed(clean_env):
    clean_env.setenv("OTHER_URL", "postgresql://h/other")
    argv = bootstrap.pop_database_url_name(["manage.py", "check", "--database-url-name", "OTHER_URL", "-v0"])
    assert argv == ["manage.py", "check", "-v0"]
    assert os.environ["DATABASE_URL"] == "postgresql://h/other"
    argv = bootstrap.pop_database_url_name(["manage.py", "check", "--database-url-name=OTHER_URL"])
    assert argv == ["manage.py", "check"]


def test_sync_api_2_unknown_url_name_is_a_usage_error(clean_env):
    with pytest.raises(bootstrap.UsageError, match="no variable NOPE"):
        bootstrap.pop_database_url_name(["manage.py", "check", "--database-url-name", "NOPE"])


def test_manage_py_exits_2_on_unknown_url_name(monkeypatch):
    monkeypatch.delenv("NOPE_URL", raising=False)
    result = run_manage_py("check", "--database-url-name", "NOPE_URL")
    assert result.returncode == 2
    assert "no variable NOPE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_2_mask_url_hides_password():
    assert bootstrap.mask_url("postgres://bob:s3cret@db:5432/lp") == "postgres://bob:***@db:5432/lp"
    assert bootstrap.mask_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_sync_api_3_init_database_in_a_fresh_script(tmp_path):
    """The seed's one-line setup works in a standalone script, twice, and refuses another database."""
    script = tmp_path / "script.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from labelpizza.bootstrap import init_database\n"
        "init_database('DBURL')\n"
        "init_database('DBURL')\n"
        "from django.conf import settings\n"
        "print(settings.DATABASES['default']['NAME'])\n"
        "try:\n"
        "    init_database('OTHER_URL')\n"
        "except RuntimeError as exc:\n"
        "    print('refused:', exc)\n"
    )
    db = tmp_path / "seed.sqlite3"
    env = {**os.environ, "DEBUG": "true", "DBURL": f"sqlite:///{db}", "OTHER_URL": f"sqlite:///{tmp_path}/o.db"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert str(db) in result.stdout
    assert "refused: init_database('OTHER_URL')" in result.stdout
