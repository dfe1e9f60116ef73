"""Compare and merge read only files, so the original let scripts call them without init_database."""

from __future__ import annotations

import os


def ensure_django() -> None:
    """Set Django up with the project's settings if nothing has yet (no database connection is opened)."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelpizza.settings")
        django.setup()
