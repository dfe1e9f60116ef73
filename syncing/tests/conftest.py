"""Fixtures several sync test modules use."""

import pytest

from syncing.tests.kitchen import Kitchen, build_kitchen


@pytest.fixture
def kitchen(tmp_path) -> Kitchen:
    return build_kitchen(tmp_path)
