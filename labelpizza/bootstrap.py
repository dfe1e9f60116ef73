"""How a process finds its database before Django starts (SYNC-API-2, SYNC-API-3).

`manage.py` and standalone scripts call into this module before settings load, so it must not
import anything from Django that needs configured settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
URL_ENV_NAMES = ("DATABASE_URL", "DBURL")

_initialised_with: str | None = None


class UsageError(Exception):
    """A command-line mistake that should end the process with exit code 2."""


def load_dotenv() -> None:
    """Read `.env` from the project root; variables already in the environment win."""
    env_file = BASE_DIR / ".env"
    if env_file.is_file():
        environ.Env.read_env(env_file, overwrite=False)


def use_database_url_name(name: str) -> str:
    """Copy the URL held in variable `name` into DATABASE_URL and return it."""
    load_dotenv()
    url = os.environ.get(name)
    if not url:
        raise UsageError(f"--database-url-name {name}: no variable {name} in the environment or .env")
    os.environ["DATABASE_URL"] = url
    return url


def resolve_database_url() -> str:
    """DATABASE_URL, else DBURL (the seed guide's name), else the SQLite file in the project root."""
    load_dotenv()
    for name in URL_ENV_NAMES:
        if os.environ.get(name):
            return os.environ[name]
    return DEFAULT_SQLITE_URL


def pop_database_url_name(argv: list[str]) -> list[str]:
    """Apply and remove `--database-url-name NAME` (or `=NAME`) wherever it appears after the command."""
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--database-url-name":
            name = next(args, None)
            if not name:
                raise UsageError("--database-url-name needs a variable name")
            use_database_url_name(name)
        elif arg.startswith("--database-url-name="):
            use_database_url_name(arg.split("=", 1)[1])
        else:
            out.append(arg)
    return out


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, for messages (DB-2)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def init_database(url_env_name: str = "DATABASE_URL") -> None:
    """Set up Django for a standalone script, against the URL held in `url_env_name` (SYNC-API-3).

    Calling it again with the same name does nothing; with a name that points elsewhere after Django
    is set up, it raises RuntimeError.
    """
    global _initialised_with
    load_dotenv()
    if url_env_name != "DATABASE_URL":
        url = os.environ.get(url_env_name)
        if not url:
            raise RuntimeError(f"init_database: no variable {url_env_name} in the environment or .env")
    else:
        url = resolve_database_url()
    if _initialised_with is not None:
        if url != _initialised_with:
            raise RuntimeError(f"init_database({url_env_name!r}): Django is already set up against another database")
        return
    import django
    from django.apps import apps

    if apps.ready:
        from django.conf import settings

        if getattr(settings, "DATABASE_URL_IN_USE", url) != url:
            raise RuntimeError(f"init_database({url_env_name!r}): Django is already set up against another database")
        _initialised_with = url
        return
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelpizza.settings")
    django.setup()
    _initialised_with = url
