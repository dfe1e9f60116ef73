"""`python manage.py ARGS` run in the test process: manage.py's own main(), with what it printed and its exit code.

Starting a new Python and Django costs about a second of CPU per call; a test whose subject is the command's
behaviour (usage errors, exit codes, one-line messages), not the process, runs it here. Run it inside
`tests.support.databases.connected_to(url)` for the database a process would have been given.
"""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from unittest.mock import patch


def run_manage_py(*args: str) -> subprocess.CompletedProcess:
    """main() of manage.py with argv `manage.py ARGS`, no terminal on stdin; SystemExit becomes the return code."""
    manage = importlib.import_module("manage")
    out, err = io.StringIO(), io.StringIO()
    argv, stdin = sys.argv, sys.stdin
    sys.argv, sys.stdin = ["manage.py", *args], io.StringIO()  # stdin as subprocess.DEVNULL: not a terminal
    returncode = 0
    try:
        # Django is set up already; a second django.setup() would only reconfigure logging under pytest's handlers.
        with redirect_stdout(out), redirect_stderr(err), patch("django.setup"):
            manage.main()
    except SystemExit as exc:
        returncode = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv, sys.stdin = argv, stdin
    return subprocess.CompletedProcess(["manage.py", *args], returncode, out.getvalue(), err.getvalue())
