"""Login throttling per account and per client address (issue 16.4): the login page, the admin's login
page and API token authentication; a plain message; a lockout an admin can lift."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.tests.factories import AdminFactory, UserFactory
from catalog.tokens import issue_token

pytestmark = pytest.mark.django_db

LIMIT = 3
PAUSED = "Too many failed log-in attempts"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def log_in(client, url, email, password, address="10.0.0.1"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_issue16_4_an_account_is_paused_after_the_limit_whatever_the_address(client, url_name):
    url = reverse(url_name)
    AdminFactory(email="ann@example.com", password="pizza-time")
    for attempt in range(LIMIT - 1):
        assert log_in(client, url, "ann@example.com", "wrong", address=f"10.0.0.{attempt}").status_code == 200
    paused = log_in(client, url, "ANN@example.com ", "wrong", address="10.0.0.9")  # same account, other spelling
    assert paused.status_code == 429
    assert PAUSED in paused.content.decode() and "ask an administrator" in paused.content.decode()
    # The right password from a fresh address is refused too, and nobody is logged in.
    right = log_in(client, url, "ann@example.com", "pizza-time", address="10.9.9.9")
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # Another account is not affected.
    UserFactory(email="bob@example.com", password="pizza-time")
    assert log_in(client, reverse("login"), "bob@example.com", "pizza-time", address="10.9.9.8").status_code == 302


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_issue16_4_an_address_is_paused_after_the_limit_whatever_the_account(client, url_name):
    url = reverse(url_name)
    UserFactory(email="bob@example.com", password="pizza-time")
    for n in range(LIMIT):
        log_in(client, url, f"guess{n}@example.com", "wrong", address="10.0.0.5")
    refused = log_in(client, reverse("login"), "bob@example.com", "pizza-time", address="10.0.0.5")
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert log_in(client, reverse("login"), "bob@example.com", "pizza-time", address="10.0.0.6").status_code == 302


def test_issue16_4_a_success_clears_the_failures(client):
    UserFactory(email="ann@example.com", password="pizza-time")
    for _ in range(LIMIT - 1):
        log_in(client, reverse("login"), "ann@example.com", "wrong")
    assert log_in(client, reverse("login"), "ann@example.com", "pizza-time").status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert log_in(client, reverse("login"), "ann@example.com", "wrong").status_code == 200


def test_issue16_4_wrong_api_tokens_pause_the_address_with_the_json_envelope():
    owner = UserFactory()
    key = issue_token(owner)
    attacker = APIClient(REMOTE_ADDR="10.0.0.7")
    statuses = []
    for n in range(LIMIT + 1):
        attacker.credentials(HTTP_AUTHORIZATION=f"Token not-a-key-{n}")
        statuses.append(attacker.get("/api/projects/").status_code)
    assert statuses == [401] * (LIMIT - 1) + [429, 429]
    attacker.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    paused = attacker.get("/api/projects/")
    assert paused.status_code == 429
    [error] = paused.json()["errors"]
    assert PAUSED in error["message"]
    # The owner, elsewhere, is not affected: a token names no account to pause.
    elsewhere = APIClient(REMOTE_ADDR="10.0.0.8")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert elsewhere.get("/api/projects/").status_code == 200


def test_issue16_4_an_admin_lifts_a_pause_in_the_admin_or_with_a_command(client):
    admin_client = Client()
    admin_client.force_login(AdminFactory())
    UserFactory(email="ann@example.com", password="pizza-time")
    for _ in range(LIMIT):
        log_in(client, reverse("login"), "ann@example.com", "wrong")
    assert log_in(client, reverse("login"), "ann@example.com", "pizza-time").status_code == 429

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "ann@example.com" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="ann@example.com")
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert log_in(client, reverse("login"), "ann@example.com", "pizza-time").status_code == 302

    client.logout()
    for _ in range(LIMIT):
        log_in(client, reverse("login"), "ann@example.com", "wrong", address="10.0.0.3")
    call_command("axes_reset_username", "ann@example.com")
    call_command("axes_reset_ip", "10.0.0.3")
    assert log_in(client, reverse("login"), "ann@example.com", "pizza-time", address="10.0.0.3").status_code == 302


def test_issue16_4_behind_a_proxy_the_client_is_the_address_the_proxy_appended(client, settings):
    settings.BEHIND_PROXY = True
    UserFactory(email="bob@example.com", password="pizza-time")
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess{n}@example.com", "password": "x"},
            REMOTE_ADDR="192.168.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 10.0.0.5",  # the first hops are the client's to forge
        )
    assert AccessAttempt.objects.filter(ip_address="10.0.0.5").count() == LIMIT
    other = client.post(
        reverse("login"),
        {"username": "bob@example.com", "password": "pizza-time"},
        REMOTE_ADDR="192.168.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.6",
    )
    assert other.status_code == 302  # another client behind the same proxy
