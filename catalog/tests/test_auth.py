"""Login with email and password (AUTH); archived and model users cannot log in (DM-USR-2/5)."""

import pytest
from django.urls import reverse

from catalog.tests.factories import ModelUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client):
    UserFactory(email="ann@example.com", password="pizza-time")
    response = client.post(reverse("login"), {"username": "ANN@example.com", "password": "pizza-time"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_bad_credentials_show_a_clear_error(client):
    UserFactory(email="ann@example.com", password="pizza-time")
    response = client.post(reverse("login"), {"username": "ann@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Invalid email or password" in response.content.decode()  # AUTH-1


@pytest.mark.parametrize("email", ["nobody@example.com", "ann@example.com"])
def test_auth_1_same_message_for_unknown_email_and_wrong_password(client, email):
    UserFactory(email="ann@example.com", password="pizza-time")
    response = client.post(reverse("login"), {"username": email, "password": "nope"})
    assert "Invalid email or password" in response.content.decode()


@pytest.mark.parametrize("data", [{"username": "", "password": "x"}, {"username": "a@example.com", "password": ""}])
def test_auth_1_missing_field_asks_for_both(client, data):
    response = client.post(reverse("login"), data)
    assert "Please enter both email and password" in response.content.decode()


def test_archived_user_cannot_log_in(client):
    UserFactory(email="old@example.com", password="pizza-time", is_active=False)
    client.post(reverse("login"), {"username": "old@example.com", "password": "pizza-time"})
    assert "_auth_user_id" not in client.session


def test_model_user_cannot_log_in(client):
    model = ModelUserFactory()
    assert not client.login(username=model.user_id, password="")
    assert "_auth_user_id" not in client.session


def test_login_page_has_csrf_protection():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    UserFactory(email="ann@example.com", password="pizza-time")
    response = strict.post(reverse("login"), {"username": "ann@example.com", "password": "pizza-time"})
    assert response.status_code == 403


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_user_without_roles_sees_whom_to_ask(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert "No portals available. Please contact an administrator." in response.content.decode()


def test_share_link_on_home_is_for_global_admins_only(client, annotator):
    client.force_login(annotator)
    assert client.get("/", {"video_uid": "clip 1.mp4"}).status_code == 403  # PORTAL-NAV-4


def test_auth_4_next_is_ignored_when_the_user_may_not_see_it(client, annotator, project):
    UserFactory(email="ann@example.com", password="pizza-time")  # holds no role
    response = client.post(
        reverse("login"), {"username": "ann@example.com", "password": "pizza-time", "next": "/admin/"}
    )
    assert response["Location"] == "/"


def test_auth_4_next_to_an_own_project_is_followed(client, annotator, project):
    annotator.email = "ann@example.com"
    annotator.set_password("pizza-time")
    annotator.save()
    target = f"/annotate/{project.pk}/?page=1"
    response = client.post(reverse("login"), {"username": "ann@example.com", "password": "pizza-time", "next": target})
    assert response["Location"] == target


def test_issue16_5_login_and_sync_share_one_rule_for_weak_hashes(settings):
    """A strong algorithm at its current settings is as strong as the default; a fast one, or an old cost, is not."""
    from django.contrib.auth.hashers import PBKDF2SHA1PasswordHasher, make_password

    from catalog.auth import is_weaker_than_default
    from syncing.steps.users import Step

    settings.PASSWORD_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    settings.PASSWORD_HASHERS.append("django.contrib.auth.hashers.MD5PasswordHasher")
    strong_other = make_password("pizza", hasher="scrypt")
    old_cost = PBKDF2SHA1PasswordHasher().encode("pizza", "somesalt", iterations=1000)
    for encoded, weak in [
        (make_password("pizza"), False),
        (strong_other, False),
        (make_password("pizza", hasher="md5"), True),
        (make_password("pizza", hasher="pbkdf2_sha256_bulk"), True),
        (old_cost, True),
    ]:
        assert is_weaker_than_default(encoded) is weak, encoded
        assert (Step._weak_hash_problem(encoded) is not None) is weak, encoded
