"""Login benchmark: how many password checks one client gets against one account, throttled (issue 16.4).

    .venv/bin/python bench/login.py --seconds 10 --database-url sqlite:////tmp/labelpizza_bench_login.sqlite3

Migrates the database named by --database-url (a throwaway: its data is replaced), creates one account
with Django's default password hasher at its real cost, then posts wrong passwords to /login/ from one
address as fast as one client can for --seconds, through Django's test client with the production
middleware (axes included). Prints the attempts sent per second, how many reached the password check
(answered 200 "Invalid email or password") and how many were refused as paused (429).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database-url", default="sqlite:////tmp/labelpizza_bench_login.sqlite3")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DEBUG", "true")  # the test client speaks plain HTTP; throttling is the same
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labelpizza.settings")
    import django

    django.setup()
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from catalog.models import User

    call_command("migrate", verbosity=0)
    User.objects.filter(email="target@example.org").delete()
    AccessAttempt.objects.all().delete()
    User.objects.create_user("Target", email="target@example.org", password="the-right-one")

    client = Client(REMOTE_ADDR="203.0.113.7")
    counts = {200: 0, 429: 0}
    started = time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        status = client.post("/login/", {"username": "target@example.org", "password": "wrong"}).status_code
        counts[status] = counts.get(status, 0) + 1
    elapsed = time.perf_counter() - started
    sent = sum(counts.values())
    print(f"limit {settings.AXES_FAILURE_LIMIT} failures, pause {settings.AXES_COOLOFF_TIME}")
    print(f"{sent} attempts in {elapsed:.1f} s: {sent / elapsed:.1f} attempts/s sent")
    print(
        f"password checked (200): {counts[200]}  paused (429): {counts[429]}  other: {sent - counts[200] - counts[429]}"
    )
    print(
        f"password checks per second once throttled: {counts[200] / elapsed:.2f} in this run, "
        f"{settings.AXES_FAILURE_LIMIT / settings.AXES_COOLOFF_TIME.total_seconds():.4f} sustained"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
