"""Archiving a user ends their sessions and revokes their API token, on every path (issue 16.6): after
unarchiving, the old session and the old token must not work again."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from catalog.models import ApiToken, User
from catalog.tests.admin_posts import form_data, url
from catalog.tests.factories import AdminFactory, UserFactory
from catalog.tokens import issue_token
from syncing.helpers import sync_users

pytestmark = pytest.mark.django_db


def signed_in(user):
    """A browser with a live session and a script with a token, both working now."""
    browser = Client()
    browser.force_login(user)
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    assert browser.get("/api/me/").status_code == 200 and script.get("/api/me/").status_code == 200
    return browser, script


def unarchive(user):
    User.objects.filter(pk=user.pk).update(is_active=True)


def assert_locked_out(user, browser, script):
    assert not ApiToken.objects.filter(user=user).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    unarchive(user)
    assert browser.get("/api/me/").status_code == 401  # no session: anonymous
    assert script.get("/api/me/").status_code == 401


@pytest.fixture
def admin_browser():
    browser = Client()
    browser.force_login(AdminFactory(user_id="Ada Admin"))
    return browser


def test_issue16_6_archive_action_in_the_admin(admin_browser):
    ann, bob = UserFactory(), UserFactory()
    sessions = signed_in(ann)
    bob_browser, _ = signed_in(bob)
    admin_browser.post(url(User, "changelist"), {"action": "archive_selected", "_selected_action": [ann.pk]})
    assert_locked_out(ann, *sessions)
    assert bob_browser.get("/api/me/").status_code == 200  # others keep theirs
    assert ApiToken.objects.filter(user=bob).exists()


def test_issue16_6_archiving_on_the_user_page(admin_browser):
    ann = UserFactory()
    sessions = signed_in(ann)
    data = form_data(admin_browser.get(url(User, "change", ann.pk)))
    data.pop("is_active")
    assert admin_browser.post(url(User, "change", ann.pk), data).status_code == 302
    assert not User.objects.get(pk=ann.pk).is_active
    assert_locked_out(ann, *sessions)


def test_issue16_6_archiving_by_sync():
    ann = UserFactory(user_id="Ann", email="ann@example.org", password="pw-plain-1")
    sessions = signed_in(ann)
    record = {"user_id": "Ann", "email": "ann@example.org", "password": "pw-plain-1", "user_type": "human"}
    sync_users(users_data=[record | {"is_active": False}], quiet=True)
    assert_locked_out(ann, *sessions)
    sync_users(users_data=[record | {"is_active": True}], quiet=True)  # unarchived by sync too
    browser, script = sessions
    assert browser.get("/api/me/").status_code == 401 and script.get("/api/me/").status_code == 401
