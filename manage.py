#!/usr/bin/env python
"""Django's command-line utility, plus the global `--database-url-name NAME` option (SYNC-API-2)."""

import os
import sys


def main() -> None:
    from labelpizza.bootstrap import UsageError, pop_database_url_name

    try:
        argv = pop_database_url_name(sys.argv)
    except UsageError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelpizza.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        # Import settings up front: Django would hide a configuration error behind a confusing one.
        __import__(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
