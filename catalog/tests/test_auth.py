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
    assert "Email or password is wrong" in response.content.decode()


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
    assert "Ask a Label Pizza admin" in response.content.decode()


def test_home_lists_only_own_active_projects(client, annotator, project, outsider):
    client.force_login(annotator)
    assert project.name in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert project.name not in client.get(reverse("home")).content.decode()
