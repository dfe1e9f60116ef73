"""`check --deploy` with the README's production environment is clean, and every page carries the
Content-Security-Policy (issue 16.14)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]

# The README's "Deploy" section, with a throwaway SQLite file so no server is needed.
README_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DEBUG": "false",
    "ALLOWED_HOSTS": "labels.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://labels.example.com",
}


# Each environment whose `check --deploy` the tests read. Settings are read when a process starts, so each is a
# process of its own; they are started together (deploy_checks), which takes the time of about one.
ENVIRONMENTS = {
    "readme": {},
    "behind-proxy": {"BEHIND_PROXY": "true"},
    "proxy-redirects": {"BEHIND_PROXY": "true", "SECURE_SSL_REDIRECT": "false"},
    "hsts-preload": {"SECURE_HSTS_PRELOAD": "true"},
    "no-redirect": {"SECURE_SSL_REDIRECT": "false"},  # no proxy: nothing redirects to HTTPS
}


def start_check_deploy(tmp_path, **extra) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "BEHIND_"))}
    env.update(README_ENV, DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}", **extra)
    env.pop("DBURL", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def deploy_checks(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """`manage.py check --deploy --fail-level WARNING` under each of ENVIRONMENTS, by name."""
    started = {name: start_check_deploy(tmp_path_factory.mktemp(name), **extra) for name, extra in ENVIRONMENTS.items()}
    results = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return results


@pytest.mark.parametrize("name", ["readme", "behind-proxy", "proxy-redirects"])
def test_issue16_14_check_deploy_is_clean_with_the_readme_environment(deploy_checks, name):
    result = deploy_checks[name]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "W0" not in result.stdout + result.stderr


def test_issue16_14_opting_into_hsts_preload_is_also_clean_and_a_missing_redirect_still_warns(deploy_checks):
    assert deploy_checks["hsts-preload"].returncode == 0
    bare = deploy_checks["no-redirect"]
    assert bare.returncode != 0 and "security.W008" in bare.stdout + bare.stderr


@pytest.mark.django_db
def test_issue16_14_pages_send_a_policy_with_no_inline_script_or_style(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self' https://www.youtube.com"  # ours, and YouTube's player API
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    body = response.content.decode()
    assert " style=" not in body and " onchange=" not in body
