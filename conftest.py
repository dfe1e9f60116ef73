"""The shared cast: an annotator, a reviewer, an outsider, and a small project they work on."""

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

SHARED = Path(__file__).resolve().parent.parent / "shared"
SAMPLE_WORKSPACE = SHARED / "data" / "sample-workspace"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # MD5 first for speed; the real hashers stay registered so stored hashes are still recognised.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _isolated_verification_config(tmp_path, monkeypatch):
    """Registering a workspace in a test must never touch the developer's verification_config.json."""
    monkeypatch.setenv("VERIFICATION_CONFIG", str(tmp_path / "verification_config.json"))
    from syncing import verification

    verification.invalidate()


@pytest.fixture
def sample_workspace() -> Path:
    if not SAMPLE_WORKSPACE.is_dir():
        pytest.fail(f"the shared sample workspace is missing: {SAMPLE_WORKSPACE}")
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
