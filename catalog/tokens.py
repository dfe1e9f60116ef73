"""API tokens (DM-TOK-1, SEC-6): create, regenerate, revoke and look up.

The admin's user page, `/account/token/`, the `api_token` command and the API's authentication all use
these functions. Only a SHA-256 digest of the key is stored, so the full key exists once: in the return
value of `issue_token`, which the caller shows and forgets.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalog.models import ApiToken, User

PREFIX_LENGTH = 8
# Recording every use would add a write to every API request; a minute's precision is enough to tell
# a live token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token operation the rules forbid (e.g. for an archived user)."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User) -> str:
    """Create the user's token, replacing any old one, and return the full key (shown once)."""
    if not user.is_active:
        raise TokenError(f'user "{user.user_id}" is archived; archived users cannot have API tokens')
    # Two "Create token" clicks at once both deleted nothing and both inserted: the second hit the
    # one-token-per-user constraint (a 500). Locking the user's row makes them take turns; the later
    # click replaces the earlier token (issue 16.10). SQLite's IMMEDIATE transactions already take turns.
    User.objects.select_for_update().filter(pk=user.pk).exists()
    key = secrets.token_urlsafe(32)
    ApiToken.objects.filter(user=user).delete()
    ApiToken.objects.create(user=user, key_digest=digest(key), prefix=key[:PREFIX_LENGTH])
    return key


def revoke_token(user: User) -> bool:
    """Delete the user's token; False when there was none."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return bool(deleted)


def user_for_key(key: str) -> User | None:
    """The active owner of `key`, or None for an unknown key or an archived owner (DM-USR-5). One query,
    plus one write at most once a minute per token to record its use."""
    token = ApiToken.objects.select_related("user").filter(key_digest=digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
