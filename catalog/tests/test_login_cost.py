"""Equal cost login (issue 16.5): every attempt runs the default hasher once, whether the email exists or
not; an account that may not log in is refused before its password is checked, so it is never upgraded."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import User
from catalog.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_runs(settings, monkeypatch):
    """Production's hashers (the default first, the former sync bulk hasher after), at a test-friendly cost;
    returns the list of default-hasher runs."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "catalog.hashers.BulkPBKDF2PasswordHasher",
    ]
    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 2_000)
    runs = []
    real_encode = PBKDF2PasswordHasher.encode

    def counting_encode(self, password, salt, iterations=None):
        if self.algorithm == "pbkdf2_sha256" and (iterations or self.iterations) == 2_000:
            runs.append(self.algorithm)
        return real_encode(self, password, salt, iterations)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", counting_encode)
    return runs


def attempt(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def bulk_hash(password: str) -> str:
    return make_password(password, hasher="pbkdf2_sha256_bulk")


@pytest.mark.parametrize(
    "case",
    ["unknown email", "wrong password", "archived, right password", "low-cost hash, wrong password"],
)
def test_issue16_5_every_refused_login_runs_the_default_hasher_once(client, default_runs, case):
    UserFactory(email="ann@example.com", password="pizza-time")
    UserFactory(email="old@example.com", password="pizza-time", is_active=False)
    User.objects.filter(pk=UserFactory(email="bulk@example.com").pk).update(password=bulk_hash("pizza-time"))
    default_runs.clear()
    email, password = {
        "unknown email": ("nobody@example.com", "pizza-time"),
        "wrong password": ("ann@example.com", "wrong"),
        "archived, right password": ("old@example.com", "pizza-time"),
        "low-cost hash, wrong password": ("bulk@example.com", "wrong"),
    }[case]
    response = attempt(client, email, password)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert default_runs == ["pbkdf2_sha256"]


def test_issue16_5_a_successful_login_costs_the_same_and_upgrades_a_low_cost_hash(client, default_runs):
    user = UserFactory(email="bulk@example.com")
    User.objects.filter(pk=user.pk).update(password=bulk_hash("pizza-time"))
    default_runs.clear()
    assert attempt(client, "bulk@example.com", "pizza-time").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$2000$")  # re-hashed at the default's cost
    assert default_runs[0] == "pbkdf2_sha256"


def test_issue16_5_an_archived_account_is_refused_without_checking_or_writing_its_password(client, default_runs):
    user = UserFactory(email="old@example.com", is_active=False)
    stored = bulk_hash("pizza-time")
    User.objects.filter(pk=user.pk).update(password=stored)
    with CaptureQueriesContext(connection) as queries:
        assert attempt(client, "old@example.com", "pizza-time").status_code == 200
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    user.refresh_from_db()
    assert user.password == stored
