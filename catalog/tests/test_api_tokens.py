"""API tokens (DM-TOK-1, SEC-6): created, regenerated and revoked by the command and the account page;
only a digest stored; the key shown once; `Authorization: Token <key>`; archived users refused."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from catalog.models import ApiToken
from catalog.tests.factories import ModelUserFactory, UserFactory
from catalog.tokens import TokenError, digest, issue_token, revoke_token

pytestmark = pytest.mark.django_db


def api(key: str | None = None, header: str | None = None) -> APIClient:
    client = APIClient()
    if header is not None or key is not None:
        client.credentials(HTTP_AUTHORIZATION=header if header is not None else f"Token {key}")
    return client


def test_only_the_digest_and_a_prefix_are_stored():
    user = ModelUserFactory()
    key = issue_token(user)
    token = ApiToken.objects.get(user=user)
    assert token.key_digest == digest(key) and key not in token.key_digest
    assert token.prefix == key[:8] and len(key) >= 40


def test_a_token_authenticates_and_records_its_use():
    user = ModelUserFactory(user_id="Model 1")
    key = issue_token(user)
    response = api(key).get("/api/me/")
    assert response.status_code == 200 and response.json()["user_id"] == "Model 1"
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_regenerating_replaces_the_old_key_and_revoking_deletes_it():
    user = UserFactory()
    old = issue_token(user)
    new = issue_token(user)
    assert ApiToken.objects.filter(user=user).count() == 1
    assert api(old).get("/api/me/").status_code == 401
    assert api(new).get("/api/me/").status_code == 200
    assert revoke_token(user) is True and revoke_token(user) is False
    assert api(new).get("/api/me/").status_code == 401


def test_archived_users_get_no_token():
    user = UserFactory(is_active=False)
    with pytest.raises(TokenError, match="archived"):
        issue_token(user)


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token not-a-key", "token nope"])
def test_malformed_or_unknown_tokens_get_401(header):
    response = api(header=header).get("/api/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_other_schemes_are_not_tokens():
    assert api(header="Bearer abc").get("/api/me/").status_code == 401


# --------------------------------------------------------------------------- manage.py api_token


def test_the_command_prints_the_key_once_and_revokes(capsys):
    user = ModelUserFactory(user_id="Model 1")
    call_command("api_token", "Model 1")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(user=user).key_digest == digest(key)
    call_command("api_token", "Model 1", "--revoke")
    assert "Revoked" in capsys.readouterr().out
    assert not ApiToken.objects.exists()


def test_the_command_refuses_unknown_and_archived_users():
    with pytest.raises(CommandError, match='no user "Nobody"'):
        call_command("api_token", "Nobody")
    UserFactory(user_id="Gone", is_active=False)
    with pytest.raises(CommandError, match="archived"):
        call_command("api_token", "Gone")


# --------------------------------------------------------------------------- /account/token/


def test_account_token_page_needs_a_login(client):
    response = client.get("/account/token/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/account/token/")


def test_a_user_creates_sees_once_regenerates_and_revokes_their_token(client, annotator):
    client.force_login(annotator)
    assert "You have no API token." in client.get("/account/token/").content.decode()
    created = client.post("/account/token/", {"action": "create"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    key = created.context["key"]
    assert key in created.content.decode() and "It will not be shown again" in created.content.decode()
    assert api(key).get("/api/me/").json()["user_id"] == annotator.user_id
    again = client.get("/account/token/").content.decode()
    assert key not in again and key[:8] in again  # only the prefix from now on
    regenerated = client.post("/account/token/", {"action": "create"}).context["key"]
    assert regenerated != key and api(key).get("/api/me/").status_code == 401
    revoked = client.post("/account/token/", {"action": "revoke"})
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(user=annotator).exists()


def test_sec_6_admin_issues_regenerates_and_revokes_tokens_from_the_user_list(client):
    from catalog.models import ApiToken
    from catalog.tests.factories import AdminFactory, ModelUserFactory
    from catalog.tokens import user_for_key

    admin = AdminFactory()
    model = ModelUserFactory(user_id="Model 9")
    client.force_login(admin)
    url = "/admin/catalog/user/"
    response = client.post(url, {"action": "issue_api_tokens", "_selected_action": [model.pk]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["issued"][0][1]
    assert key in response.content.decode() and user_for_key(key) == model
    assert ApiToken.objects.get(user=model).key_digest != key  # only the digest is stored
    again = client.post(url, {"action": "issue_api_tokens", "_selected_action": [model.pk]}).context["issued"][0][1]
    assert user_for_key(key) is None and user_for_key(again) == model  # regenerating replaces the old key
    client.post(url, {"action": "revoke_api_tokens", "_selected_action": [model.pk]})
    assert not ApiToken.objects.filter(user=model).exists()


@pytest.mark.django_db(transaction=True)
def test_issue_16_10_two_simultaneous_create_clicks_both_succeed_and_one_token_remains():
    """Both clicks post to /account/token/ at the same moment, ten times over; the later one wins."""
    import re
    import threading

    from django.db import connection, connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions already run the two clicks one after the other")
    user = UserFactory()
    statuses: list[int] = []
    keys: list[str] = []

    def click(barrier):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post("/account/token/", {"action": "create"})
            statuses.append(response.status_code)
            shown = re.search(r'id="api-key" class="token-key">([^<]+)<', response.content.decode())
            keys.append(shown.group(1) if shown else "")
        finally:
            connections.close_all()

    for _ in range(10):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=click, args=(barrier,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert statuses == [200] * 20, statuses
    token = ApiToken.objects.get(user=user)
    assert token.key_digest in {digest(k) for k in keys[-2:]}  # the key one of the last two clicks showed
