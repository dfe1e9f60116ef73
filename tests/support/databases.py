"""Pointing Django at another database for a block, in the test process: what a process started with
DATABASE_URL set to that database would use, without starting Python and Django again."""

from __future__ import annotations

import os
from contextlib import contextmanager

import environ
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.utils import load_backend

# As labelpizza/settings.py sets them for SQLite.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}


@contextmanager
def connected_to(db_url: str):
    """Django's default connection (and DATABASE_URL) point at db_url for the duration.

    The test database's connection, with its open test transaction, is set aside and put back untouched; the
    block's connection is closed at the end. Content types are cached per alias, so that cache is cleared on
    the way in and out.
    """
    test_connection = connections["default"]
    parsed = environ.Env.db_url_config(db_url)
    settings_dict = {**test_connection.settings_dict, **parsed}
    sqlite = settings_dict["ENGINE"] == "django.db.backends.sqlite3"
    settings_dict["OPTIONS"] = {**SQLITE_OPTIONS} if sqlite else dict(parsed.get("OPTIONS", {}))
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    saved_env = {name: os.environ.get(name) for name in ("DATABASE_URL", "DBURL")}
    os.environ["DATABASE_URL"] = db_url
    os.environ.pop("DBURL", None)
    ContentType.objects.clear_cache()
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = test_connection
        ContentType.objects.clear_cache()
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
