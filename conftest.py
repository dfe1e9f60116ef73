"""The shared cast: an annotator, a reviewer, an outsider, and a small project they work on."""

import os
import shutil
from pathlib import Path

import pytest

from catalog.models import Assignment
from catalog.tests.factories import (
    DescriptionQuestionFactory,
    ProjectFactory,
    QuestionGroupFactory,
    SchemaFactory,
    SingleQuestionFactory,
    UserFactory,
    VideoFactory,
)

# Fixtures more than one app's tests use, kept in tests/support/: the API tests' cast (admin, model, cast, clients,
# seeded). A test module never imports another test module.
pytest_plugins = ["tests.support.api_cast"]

# A small real workspace (videos, users, groups, schemas, projects, assignments, answers, ground truth, verify.py)
# kept in the repository so the suite runs in any clone.
SAMPLE_WORKSPACE = Path(__file__).resolve().parent / "tests" / "data" / "sample-workspace"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # MD5 first for speed; the real hashers stay registered so stored hashes are still recognised.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _fresh_api_throttle():
    """API request counts (catalog/api/throttling.py) must not carry over from one test to the next."""
    from django.core.cache import caches

    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _isolated_verification_config(tmp_path, monkeypatch):
    """Registering a workspace in a test must never touch the developer's verification_config.json."""
    monkeypatch.setenv("VERIFICATION_CONFIG", str(tmp_path / "verification_config.json"))
    from catalog import verification

    verification.invalidate()


@pytest.fixture
def sample_workspace() -> Path:
    return SAMPLE_WORKSPACE


@pytest.fixture
def project(db):
    """A schema with one group of two questions (single + description), two videos."""
    group = QuestionGroupFactory(questions=[SingleQuestionFactory(), DescriptionQuestionFactory()])
    return ProjectFactory(schema=SchemaFactory(groups=[group]), videos=[VideoFactory(), VideoFactory()])


@pytest.fixture
def annotator(project):
    user = UserFactory(user_id="Ann Otator")
    Assignment.objects.create(user=user, project=project, role=Assignment.Role.ANNOTATOR)
    return user


@pytest.fixture
def reviewer(project):
    user = UserFactory(user_id="Rev Iewer")
    for role in (Assignment.Role.ANNOTATOR, Assignment.Role.REVIEWER):
        Assignment.objects.create(user=user, project=project, role=role)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(user_id="Out Sider")


# --- Real-browser tests (Playwright driving Debian's Chromium; see tests/browser) -------------------------------------

# Debian's Chromium, never Playwright's download (`playwright install` needs the internet). E2E_CHROMIUM overrides.
CHROMIUM = os.environ.get("E2E_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_FIXTURES = {"page", "context", "new_context", "browser", "playwright"}


def drives_a_browser(item) -> bool:
    """A test in a `browser` directory (tests/browser, annotation/tests/browser) or one that asks for Playwright."""
    in_browser_dir = "browser" in item.path.relative_to(item.config.rootpath).parent.parts
    return in_browser_dir or bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_itemcollected(item):
    # The `browser` marker (pyproject.toml), so `pytest -m "not browser"` runs the fast suite. Set here, before
    # `-m` deselects, so no browser test has to remember it.
    if drives_a_browser(item):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(config, items):
    # Browser tests last: once Playwright starts, the main thread has a "running" asyncio loop until the session ends,
    # which breaks async_to_sync and Django's async-unsafe guard for every later test. The sort is stable.
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch args (keeps --headed/--slowmo) plus Debian's Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A desktop-sized window so screenshots are readable."""
    # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval(), which the
    # Content-Security-Policy refuses; tests/browser/test_csp_browser.py checks the policy in its own context.
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}, "bypass_csp": True}


@pytest.fixture(scope="session")
def playwright(playwright):
    # Playwright's sync API keeps an asyncio loop "running" in the main thread, so Django's async-unsafe guard would
    # refuse the ORM (test-DB setup, factories, live_server's flush). Switch the guard off only while Playwright lives.
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old
