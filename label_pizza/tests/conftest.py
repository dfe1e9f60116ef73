import pytest
from django.conf import settings


@pytest.fixture
def dburl(monkeypatch):
    """The original's scripts start with init_database("DBURL"): point DBURL at the database under test."""
    monkeypatch.setenv("DBURL", settings.DATABASE_URL_IN_USE)


@pytest.fixture
def confirm_delete(monkeypatch):
    """Type DELETE at every confirmation prompt, as the original's guide tells the operator to."""
    prompts = []

    def typed(prompt=""):
        prompts.append(prompt)
        return "DELETE"

    monkeypatch.setattr("builtins.input", typed)
    return prompts
